"""Every example's KPIs and NHS-year figures are pinned; they change only via `python -m tools.update_golden`."""

import json

import pytest

from modeller import load_scenario, run
from tools.update_golden import GOLDEN


@pytest.fixture(scope="module")
def golden():
    return json.loads(GOLDEN.read_text())


def test_every_example_is_pinned(golden, example_path):
    assert example_path.name in golden, "new example: run `python -m tools.update_golden`"


def test_kpis_match_golden(golden, example_path):
    result = run(load_scenario(example_path))
    pinned = golden[example_path.name]
    for name, value in result.kpis().items():
        expected = pinned["kpis"][name]
        if expected is None or value is None:
            assert value == expected, name
        else:
            assert value == pytest.approx(expected, abs=0.01, rel=1e-9), name
    for got, want in zip(result.financial_years(), pinned["financial_years"], strict=True):
        assert got["year"] == want["year"]
        for field, value in want.items():
            if field != "year":
                assert got[field] == pytest.approx(value, abs=0.01), (got["year"], field)
