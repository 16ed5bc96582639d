"""Every example scenario in scenarios/ loads, survives a YAML round trip, and tells its story."""

from __future__ import annotations

import pytest

from modeller import dump_scenario, load_scenario, run
from tests.conftest import SCENARIOS

STORIES = {
    "msk_prime_provider",
    "community_first_contract",
    "imaging_scanners",
    "gp_network",
    "wound_care_nurse_led",
    "back_pain_capitation",
}


def test_the_six_stories_are_present():
    assert STORIES <= {p.stem for p in SCENARIOS}


def test_example_loads(example_path):
    scenario = load_scenario(example_path)
    assert scenario.name
    assert scenario.uncertainty is None or scenario.uncertainty.parameters


def test_example_round_trips(example_path):
    scenario = load_scenario(example_path)
    again = load_scenario(dump_scenario(scenario), source="dumped")
    assert again == scenario
    # dumping is stable too: a second trip gives the same text
    assert dump_scenario(again) == dump_scenario(scenario)


def test_example_says_its_figures_are_illustrative(example_path):
    scenario = load_scenario(example_path)
    assert "illustrative" in scenario.description.lower()


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p.stem in STORIES], ids=lambda p: p.stem)
def test_example_runs_without_a_funding_shortfall(path):
    # Each story is funded: equity, loans and facility carry the venture through its
    # peak funding need, so cash never falls below the scenario's own minimum.
    kpis = run(load_scenario(path)).kpis()
    assert kpis["funding_shortfall"] == pytest.approx(0, abs=0.01)
    assert kpis["peak_funding_requirement"] > 0
    assert kpis["total_income"] > 0
