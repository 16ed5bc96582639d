"""Moving a scenario in time (modeller/dates_shift.py): every date moves together, amounts stay."""

from __future__ import annotations

import pytest

from modeller.dates_shift import dated_before, months_between, shift_dates, shift_month
from modeller.engine import run
from modeller.scenario_io import ScenarioError, load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import ROOT, SCENARIOS

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"


@pytest.mark.parametrize("month, by, moved", [
    ("2025-04", 10, "2026-02"),    # April + 10 months = February of the next year
    ("2025-12", 1, "2026-01"),
    ("2025-04", -4, "2024-12"),
    ("2015-04", 132, "2026-04"),   # 11 years x 12 months
    ("2025-04", 0, "2025-04"),
])
def test_shift_month(month, by, moved):
    assert shift_month(month, by) == moved
    assert months_between(month, moved) == by


def test_every_date_moves_and_nothing_else_does():
    data = scenario_to_data(load_scenario(MSK))
    moved = shift_dates(data, 132)
    assert moved["start"] == "2026-01" and data["start"] == "2015-01"           # the input is untouched
    assert moved["contracts"][0]["start"] == "2026-04"                           # 2015-04 + 11 years
    assert moved["contracts"][0]["changes"][0]["from"] == "2027-10"              # 2016-10 + 11 years
    assert [s["from"] for s in moved["workforce"]["roles"][0]["plan"]] == ["2026-01"]   # the founders
    assert moved["funding"]["equity"][0]["month"] == "2026-01"
    # a linked date is kept as its link: it follows the contract, which has moved
    assert next(c for c in moved["costs"] if c["id"] == "mobilisation")["month"] == {"after": "msk_prime", "months": -3}
    assert moved["capex"][1]["month"] == {"after": "msk_prime.changes[0]", "months": -1}
    assert moved["months"] == data["months"] == 63                               # a length, not a date
    assert moved["contracts"][0]["annual_value"] == 12_000_000
    # resolved, the linked dates land where they did, 11 years later: mobilisation Jan 2015 -> Jan 2026
    later = scenario_from_data(moved)
    assert next(c for c in later.costs if c.id == "mobilisation").month == "2026-01"
    assert later.capex[1].month == "2027-09"                                     # Sep 2016 + 11 years


def test_a_malformed_month_is_left_for_validation():
    assert shift_dates({"start": "2025-13", "capex": [{"month": "soon"}]}, 3) == {
        "start": "2025-13", "capex": [{"month": "soon"}]}


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_moving_a_whole_nhs_year_keeps_every_figure(path):
    # the same calendar months and the same 1 April uplifts: the business is the same, a year later
    sc = load_scenario(path)
    later = scenario_from_data(shift_dates(scenario_to_data(sc), 12))
    assert later.start == shift_month(sc.start, 12)
    assert run(later).kpis() == run(sc).kpis()


def test_moving_only_the_first_month_past_dated_items_is_refused_and_moving_every_date_is_not():
    # the issue: MSK moved to 2026-04 alone showed peak funding £0 (every earlier item landed in month 0);
    # now a first month after dated items is refused, naming them, and moving every date keeps the figures
    data = scenario_to_data(load_scenario(MSK))
    base = run(load_scenario(MSK)).kpis()["peak_funding_requirement"]
    with pytest.raises(ScenarioError, match=r"costs\[mobilisation\]\.month: Jan 2015 is before the model's first"):
        scenario_from_data({**data, "start": "2026-01"})
    together = run(scenario_from_data(shift_dates(data, 132))).kpis()["peak_funding_requirement"]
    assert base > 1_000_000 and together == pytest.approx(base, abs=0.01)


def test_items_dated_before_the_start():
    data = scenario_to_data(load_scenario(MSK))
    assert dated_before(data, data["start"]) == []    # an example starts at mobilisation: nothing before it
    later = dated_before(data, "2016-09")
    assert ("contracts[msk_prime].changes[0].from", "2016-10") not in later
    assert ("workforce.roles[founders].plan[0].from", "2015-01") in later
    assert ("contracts[msk_prime].start", "2015-04") in later


