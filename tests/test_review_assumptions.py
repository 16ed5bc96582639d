"""Assumption checks on a hand-made bid: everything in range gives no item; each value moved out of
its range gives exactly one "check this" item, named in words, with the reference and its source."""

from __future__ import annotations

import copy

import pytest

from modeller.review.assumptions import check_assumptions, pay_points, pension_references, ranges
from modeller.review.efs import guidance, thresholds
from modeller.scenario_io import scenario_from_data


def role(rid: str, name: str, salary: float, **extra) -> dict:
    return {"id": rid, "name": name, "salary": salary, "plan": [{"from": "2025-04", "wte": 2}],
            "recruit_lead_months": 3, "fill_rate": 0.9, "agency_premium": 0.55, "attrition_annual": 0.1,
            **extra}


# Every value inside its reference range (the ranges' edges included where a test below says so).
IN_RANGE = {
    "name": "Hand-made bid",
    "start": "2025-04",
    "months": 24,
    "indexation": {"pay": 0.036, "non_pay": 0.02, "prices": 0.02},
    "activity": [{"id": "referrals", "name": "Referrals", "per_month": 100, "annual_growth": 0.03}],
    "contracts": [{"id": "msk", "name": "MSK", "mechanism": "capitation", "population": 100_000,
                   "rate_per_head": 20, "population_growth": 0.005, "start": "2025-04"}],
    "workforce": {
        "on_costs": {"employer_ni_rate": 0.15, "ni_threshold": 5000, "pension_rate": 0.05, "other_rate": 0.005},
        "roles": [role("physio", "Physiotherapists (band 6)", 40_823),
                  role("nurse", "Nurses (Band 5)", 33_487),
                  role("lead", "Clinical lead", 80_000),
                  role("ap", "Advanced practitioners (band 7, seconded)", 50_273, employment="seconded",
                       recruit_lead_months=1)],
    },
}


def bid(**changes) -> dict:
    """IN_RANGE with dotted keys replaced: bid(**{"workforce.roles.0.fill_rate": 0.7})."""
    data = copy.deepcopy(IN_RANGE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node[p]
        node[int(last) if isinstance(node, list) else last] = value
    return data


def checks(data: dict, employer=None):
    return check_assumptions(scenario_from_data(data, "test"), employer=employer)


def test_values_in_range_give_no_items():
    # the seconded role's 1-month lead is not checked (the range is for direct employment)
    assert checks(bid()) == []


@pytest.mark.parametrize(("change", "value", "path", "topic"), [
    ("workforce.roles.1.salary", 30_000, "workforce.roles.nurse.salary", "pay"),          # band 5 starts at 31,049
    ("workforce.roles.0.salary", 46_581, "workforce.roles.physio.salary", "pay"),         # band 6 tops at 46,580
    ("workforce.roles.2.salary", 20_000, "workforce.roles.lead.salary", "pay"),           # below band 2's 24,465
    ("workforce.on_costs.employer_ni_rate", 0.138, "workforce.on_costs.employer_ni_rate", "on-costs"),
    ("workforce.on_costs.ni_threshold", 9100, "workforce.on_costs.ni_threshold", "on-costs"),
    ("workforce.on_costs.other_rate", 0.01, "workforce.on_costs.other_rate", "on-costs"),
    ("workforce.on_costs.pension_rate", 0.02, "workforce.on_costs.pension_rate", "pension"),
    ("workforce.roles.0.agency_premium", 0.6, "workforce.roles.physio.agency_premium", "agency"),
    ("workforce.roles.0.recruit_lead_months", 1, "workforce.roles.physio.recruit_lead_months", "recruitment"),
    ("workforce.roles.0.recruit_lead_months", 7, "workforce.roles.physio.recruit_lead_months", "recruitment"),
    ("workforce.roles.0.fill_rate", 0.75, "workforce.roles.physio.fill_rate", "fill rate"),
    ("workforce.roles.0.attrition_annual", 0.25, "workforce.roles.physio.attrition_annual", "recruitment"),
    ("activity.0.annual_growth", 0.12, "activity.referrals.annual_growth", "growth"),
    ("activity.0.annual_growth", -0.06, "activity.referrals.annual_growth", "growth"),
    ("contracts.0.population_growth", 0.03, "contracts.msk.population_growth", "growth"),
    ("indexation.pay", 0.01, "indexation.pay", "growth"),
    ("indexation.prices", 0.05, "indexation.prices", "growth"),
])
def test_one_value_out_of_range_gives_exactly_its_item(change, value, path, topic):
    (item,) = checks(bid(**{change: value}))
    assert (item.path, item.topic, item.value) == (path, topic, value)
    assert item.source.strip() and item.why.strip() and item.reference.strip()


@pytest.mark.parametrize(("change", "value"), [
    ("workforce.roles.0.salary", 38_682),               # band 6's first point
    ("workforce.roles.0.salary", 46_580),               # band 6's top point
    ("workforce.roles.0.agency_premium", 0.0),
    ("workforce.roles.0.recruit_lead_months", 2),
    ("workforce.roles.0.recruit_lead_months", 6),
    ("workforce.roles.0.fill_rate", 0.8),
    ("workforce.roles.0.fill_rate", 1.0),
    ("workforce.roles.0.attrition_annual", 0.2),
    ("workforce.roles.0.attrition_annual", 0.0),
    ("activity.0.annual_growth", 0.10),
    ("activity.0.annual_growth", -0.05),
    ("workforce.on_costs.pension_rate", 0.03),
    ("workforce.on_costs.pension_rate", 0.237),
])
def test_values_on_the_edges_are_in_range(change, value):
    assert checks(bid(**{change: value})) == []


def test_an_item_names_the_input_in_words_with_its_unit_value_and_reference():
    (item,) = checks(bid(**{"workforce.roles.0.agency_premium": 0.6}))
    assert item.input == "Physiotherapists (band 6): agency premium (%)"
    assert item.value_text == "60.00%"
    assert item.reference == "0.00% to 55.00%"
    assert "55% above basic pay" in item.why
    assert "NHS England" in item.source


def test_salary_item_says_the_band_and_its_pay_points():
    (item,) = checks(bid(**{"workforce.roles.1.salary": 30_000}))
    assert item.input == "Nurses (Band 5): salary (£ per WTE a year)"
    assert item.value_text == "£30,000"
    assert item.reference == "£31,049 to £37,796 (Agenda for Change band 5, 2025/26)"
    assert item.confirmed


def test_the_value_is_never_changed():
    data = bid(**{"workforce.roles.0.fill_rate": 0.5})
    s = scenario_from_data(data, "test")
    (item,) = check_assumptions(s)
    assert item.value == 0.5 and s.workforce.roles[0].fill_rate == 0.5


def test_pension_rate_depends_on_the_kind_of_employer():
    nhs_rate = bid(**{"workforce.on_costs.pension_rate": 0.1438})
    # an NHS employer pays 14.38% after the central 9.4% top-up: in range
    assert checks(nhs_rate, employer="nhs") == []
    # anyone else (or not said): 14.38% is flagged, with what the rate means and the full 23.7%
    for employer in ("other", None):
        (item,) = checks(nhs_rate, employer=employer)
        assert item.topic == "pension" and "14.38%" in item.why and "23.7%" in item.why
        assert "23.70% to 23.78%" in item.reference
    assert "employer='nhs'" in checks(nhs_rate)[0].why
    # an NHS employer at the full 23.7% is flagged: the central part is paid for it
    (item,) = checks(bid(**{"workforce.on_costs.pension_rate": 0.237}), employer="nhs")
    assert item.reference == "14.38% to 14.46%"


def test_prices_of_another_year_are_pointed_out():
    data = bid(**{"start": "2015-04", "workforce.roles.1.salary": 25_000, "contracts.0.start": "2015-04"})
    data["activity"][0]["from"] = "2015-04"
    for r in data["workforce"]["roles"]:
        r["plan"][0]["from"] = "2015-04"
    (item,) = checks(data)
    assert "2015/16 prices" in item.why and "2025/26 pay" in item.why


def test_every_reference_entry_has_a_source():
    entries = [*ranges(), *pension_references().values(), *pay_points()["agenda_for_change"]["bands"].values(),
               pay_points()["any_role"]]
    assert len(entries) >= 12 + 3 + 11 + 1
    for e in entries:
        assert str(e.get("source", "")).strip(), e
        assert isinstance(e["confirmed"], bool)
    for t in thresholds().values():
        assert t.source.strip()
    assert guidance()["url"] and guidance()["version"]


def test_pay_bands_are_ordered():
    bands = list(pay_points()["agenda_for_change"]["bands"].values())
    for lower, upper in zip(bands, bands[1:], strict=False):
        assert lower["min"] <= lower["max"] < upper["max"]
