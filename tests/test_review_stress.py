"""Stress tests: the overrides each kind makes, and each stress draw of the batch equals the bid run on its
own with those inputs changed."""

from __future__ import annotations

import numpy as np
import pytest

from modeller.engine import run, run_batch
from modeller.paths import replaced
from modeller.review.schema import DEFAULT_STRESS_TESTS
from modeller.review.stress import stress_batch, stress_overrides, stress_tests
from modeller.scenario_io import scenario_from_data
from tests.review_support import bid, review


def _bid(**parts):
    data = bid(activity=[{"id": "visits", "name": "Visits", "per_month": 1000}],
               workforce={"roles": [{"id": "nurse", "name": "Nurse", "salary": 36_000, "fill_rate": 0.9,
                       "driver": {"activity": "visits", "units_per_wte_month": 100}},
                      {"id": "lead", "name": "Lead", "salary": 60_000, "fill_rate": 0.7,
                       "plan": [{"from": "2027-04", "wte": 1}]}]},
               indexation={"pay": 0.03, "non_pay": 0, "prices": 0},
               funding={"opening_cash": 100_000, "minimum_cash": 20_000}, **parts)
    data["contracts"][0]["changes"] = [{"from": "2028-04", "annual_value": 1_300_000},
                                       {"from": "2028-10", "annual_value": 1_250_000}]
    data["contracts"][0]["start_delay_months"] = 1
    return scenario_from_data(data, "bid")


def test_each_kind_of_stress_changes_the_inputs_it_says():
    s = _bid()
    got = {t.id: stress_overrides(t, s, ["service"]) for t in DEFAULT_STRESS_TESTS}
    assert got["demand_up"] == {"activity.visits.per_month": pytest.approx(1100)}       # 1,000 x 1.1
    assert got["demand_down"] == {"activity.visits.per_month": pytest.approx(900)}      # 1,000 x 0.9
    assert got["pay_award"] == {"indexation.pay": pytest.approx(0.05)}                  # 0.03 + 0.02
    assert got["start_delay"] == {"contracts.service.start_delay_months": 4}           # 1 + 3
    # 20% of posts vacant: fill at most 80%; the lead's 70% is already below it, so it is left alone
    assert got["vacancies"] == {"workforce.roles.nurse.fill_rate": pytest.approx(0.8)}
    # the largest change is +£100,000 a year (1.2m -> 1.3m); undone, it stays at £1,200,000
    assert got["lose_change"] == {"contracts.service.changes.0.annual_value": 1_200_000}


def test_each_stress_draw_equals_the_bid_run_with_those_inputs():
    s = _bid()
    tests = [stress_overrides(t, s, ["service"]) for t in DEFAULT_STRESS_TESTS]
    batch = stress_batch(s, tests)
    np.testing.assert_allclose(batch.lines["closing_cash"][0], run(s).lines["closing_cash"][0], atol=0.005)
    for k, (test, over) in enumerate(zip(DEFAULT_STRESS_TESTS, tests, strict=True), start=1):
        one = run_batch(s, {p: [v] for p, v in over.items()}, draws=1)
        np.testing.assert_allclose(batch.lines["closing_cash"][k], one.lines["closing_cash"][0], atol=0.005)
        if test.kind == "demand":
            continue  # demand off plan: staff stay hired to the plan and agency covers the gap (model book)
        alone = s
        for path, value in over.items():
            alone = replaced(alone, path, value)
        np.testing.assert_allclose(batch.lines["closing_cash"][k], run(alone).lines["closing_cash"][0], atol=0.005)


def test_demand_above_plan_is_covered_by_agency_not_by_hiring():
    s = _bid()
    (up,) = [stress_overrides(t, s, ["service"]) for t in DEFAULT_STRESS_TESTS if t.id == "demand_up"]
    batch = stress_batch(s, [up])
    nurse = batch.detail["roles"]["nurse"]
    # 1,100 visits / 100 a WTE = 11 WTE needed; hired to plan: 10 x 0.9 fill = 9 in post, 2 WTE by agency
    assert nurse.in_post_wte[1, -1] == pytest.approx(nurse.in_post_wte[0, -1])
    assert nurse.agency_wte[1, -1] == pytest.approx(nurse.agency_wte[0, -1] + 1)


def test_a_late_start_runs_out_of_cash_in_a_named_month():
    data = bid(costs=[{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 360_000, "from": "2027-04",
                       "vat": False}], funding={"opening_cash": 100_000, "minimum_cash": 20_000})
    data["contracts"][0]["start_delay_months"] = 1
    s = scenario_from_data(data, "bid")
    rev = review(stress_tests=[{"id": "late", "name": "Start 3 months late", "kind": "start_delay", "size": 3}])
    (late,) = stress_tests(rev, s, ["service"])
    # no income for 1 + 3 = 4 months, rent £30,000 a month: cash 70,000, 40,000, 10,000 (below the £20,000
    # minimum in month 2, June 2027), then (20,000); from August £100,000 a month comes in
    assert late.overrides == {"contracts.service.start_delay_months": 4}
    assert not late.survives
    assert late.fails_month == 2 and late.fails_month_label == "Jun 2027"
    assert late.lowest_cash == pytest.approx(-20_000, abs=0.01)
    assert late.extra_funding == pytest.approx(40_000, abs=0.01)      # 20,000 - (20,000)
    # the commissioner pays three months less of £1,200,000 / 12 = £100,000
    assert late.commissioner_cost_change == pytest.approx(-300_000, abs=0.01)


def test_a_stress_with_nothing_to_change_says_so():
    s = scenario_from_data(bid(), "bid")      # no activity, no roles, no changes
    outcomes = {o.test: o for o in stress_tests(review(), s, ["service"])}
    assert not outcomes["demand_up"].applied and outcomes["demand_up"].overrides == {}
    assert not outcomes["lose_change"].applied
    assert outcomes["start_delay"].applied
