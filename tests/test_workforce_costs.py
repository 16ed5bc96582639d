"""Workforce and cost lines worked by hand."""

import numpy as np
import pytest

from modeller import run, run_batch
from modeller.workforce import RecruitmentStep, recruitment_steps
from tests.helpers import scenario


def role(**kw):
    base = {"id": "physio", "name": "Physio", "salary": 30000, "plan": [{"from": "2025-04", "wte": 2}],
            "recruit_lead_months": 0, "recruit_cost_per_wte": 0, "fill_rate": 1.0, "notice_months": 0}
    return {**base, **kw}


def test_loaded_pay_per_wte():
    oc = {"employer_ni_rate": 0.15, "ni_threshold": 5000, "pension_rate": 0.143, "other_rate": 0.005}
    s = scenario(roles=[role(plan=[{"from": "2025-04", "wte": 1}])],
                 workforce={"on_costs": oc})
    r = run(s).detail["roles"]["physio"]
    # 30,000/12 = 2,500; NI 0.15 x (30,000 - 5,000)/12 = 312.50; pension+other 0.148 x 30,000/12 = 370
    assert r.loaded_pay_per_wte[0, 0] == pytest.approx(3182.50)
    assert r.staff_cost[0, 0] == pytest.approx(3182.50)


def test_plan_steps_lead_time_recruitment_and_exit():
    s = scenario(roles=[role(plan=[{"from": "2025-04", "wte": 2}, {"from": "2025-09", "wte": 5}],
                             recruit_lead_months=3, recruit_cost_per_wte=1000, notice_months=2)])
    r = run(s).detail["roles"]["physio"]
    assert r.in_post_wte[0, :7] == pytest.approx([2, 2, 2, 2, 2, 5, 5])
    # 2 posts from April recruited 3 months before (before month 0, so in month 0): £2,000;
    # 3 posts from September (month 5) recruited in June (month 2): £3,000
    assert r.recruitment_cost[0, :6] == pytest.approx([2000, 0, 3000, 0, 0, 0])
    # exit: 2 months' notice x £2,500 x committed WTE; from June the 5 posts being recruited count
    assert r.exit_cost[0, :6] == pytest.approx([10000, 10000, 25000, 25000, 25000, 25000])


def test_recruitment_steps_say_when_recruiting_starts_and_what_it_costs():
    plan = [{"from": "2025-04", "wte": 2}, {"from": "2025-09", "wte": 5}, {"from": "2025-12", "wte": 3},
            {"from": "2026-02", "wte": 1}, {"from": "2026-02", "wte": 4}]     # the last in a month wins
    s = scenario(roles=[role(plan=plan, recruit_lead_months=3, recruit_cost_per_wte=1000, fill_rate=0.9)])
    # April 2025 is month 0; 0 -> 2 WTE from month 0, recruited 3 months before; 2 -> 5 from
    # September (month 5), recruited from June (month 2); 5 -> 3 in December is no step up;
    # 3 -> 4 from February 2026 (month 10), recruited from November (month 7).
    # Posts to fill are the rise x 90% fill: 1.8, 2.7, 0.9 WTE, at £1,000 each
    assert recruitment_steps(s) == [RecruitmentStep("physio", 0, 2, -3, 0, 3, pytest.approx(1.8), pytest.approx(1800)),
                                    RecruitmentStep("physio", 2, 5, 2, 5, 3, pytest.approx(2.7), pytest.approx(2700)),
                                    RecruitmentStep("physio", 3, 4, 7, 10, 3, pytest.approx(0.9), pytest.approx(900))]
    # the engine books each step's cost in its recruiting month (before the start: month 0)
    booked = run(s).detail["roles"]["physio"].recruitment_cost[0]
    assert booked[[0, 2, 7]] == pytest.approx([1800, 2700, 900])
    assert booked.sum() == pytest.approx(1800 + 2700 + 900)       # no attrition: nothing else


def test_roles_sized_from_demand_have_no_recruitment_steps():
    acts = [{"id": "visits", "name": "Visits", "per_month": 1000}]
    drv = {"activity": "visits", "share": 1.0, "units_per_wte_month": 100}
    assert recruitment_steps(scenario(activity=acts, roles=[role(plan=None, driver=drv)])) == []


def test_driver_fill_rate_and_agency_cover_on_drawn_activity():
    acts = [{"id": "visits", "name": "Visits", "per_month": 1000}]
    drv = {"activity": "visits", "share": 1.0, "units_per_wte_month": 100}
    s = scenario(activity=acts, roles=[role(plan=None, driver=drv, fill_rate=0.8, agency_premium=0.5)])
    r = run_batch(s, {"activity.visits.per_month": np.array([1000.0, 1200.0])}).detail["roles"]["physio"]
    # target is hired to the plan's 1,000 visits: 10 WTE, 8 in post at 80% fill
    assert r.target_wte[:, 0] == pytest.approx([10, 10])
    assert r.in_post_wte[:, 0] == pytest.approx([8, 8])
    # agency covers required - in post: 10 - 8 = 2, and with 1,200 visits 12 - 8 = 4 WTE
    assert r.agency_wte[:, 0] == pytest.approx([2, 4])
    # agency WTE x £2,500 x 1.5 (no on-costs)
    assert r.agency_cost[:, 0] == pytest.approx([7500, 15000])


def test_attrition_costs_replacement_and_secondment_is_paid_in_arrears():
    s = scenario(roles=[role(attrition_annual=0.12, recruit_cost_per_wte=2000, employment="seconded")])
    res = run(s)
    r = res.detail["roles"]["physio"]
    # 2 WTE x 12%/12 = 0.02 leavers a month x £2,000 = £40 a month (+£4,000 initial hires in April)
    assert r.recruitment_cost[0, :3] == pytest.approx([4040, 40, 40])
    # seconded: the host recharges 2 x £2,500 a month in arrears
    assert r.staff_paid[0, :3] == pytest.approx([0, 5000, 5000])
    assert res.lines["pay_seconded"][0, 0] == pytest.approx(5000)
    assert res.lines["creditors"][0, -1] == pytest.approx(5000)   # March's recharge still owed


def test_fixed_cost_lag_and_commitment_and_one_off():
    costs = [{"id": "lease", "name": "Lease", "kind": "fixed", "annual": 24000, "from": "2025-06", "to": "2026-01",
              "commitment_months": 4, "payment_lag_months": 1},
             {"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 5000, "month": "2025-07"}]
    r = run(scenario(costs=costs)).detail["costs"]
    lease = r["lease"]
    # £2,000 a month June (month 2) to January (month 9)
    assert lease.cost[0] == pytest.approx([0, 0] + [2000] * 8 + [0, 0])
    assert lease.paid[0] == pytest.approx([0, 0, 0] + [2000] * 8 + [0])
    # committed for 4 months from June: unexpired after June 3 months, then 2, 1, 0
    assert lease.exit_cost[0, :7] == pytest.approx([0, 0, 6000, 4000, 2000, 0, 0])
    # in its month, July (month 3), and no other
    assert r["setup"].cost[0] == pytest.approx([0, 0, 0, 5000] + [0] * 8)


def test_capex_and_depreciation():
    s = scenario(capex=[{"id": "scanner", "name": "Scanner", "amount": 1200000, "month": "2025-05", "life_years": 5}])
    res = run(s)
    # £1.2m over 60 months = £20,000 a month from June
    assert res.lines["depreciation"][0, :3] == pytest.approx([0, 0, 20000])
    assert res.lines["fixed_assets"][0, -1] == pytest.approx(1200000 - 10 * 20000)


def test_activity_from_and_to_bound_demand_and_growth_counts_from_its_first_month():
    acts = [{"id": "scans", "name": "Scans", "per_month": 100, "annual_growth": 0.21, "from": "2025-06",
             "to": "2026-01"}]
    costs = [{"id": "reporting", "name": "Reporting", "kind": "per_unit", "activity": "scans", "unit_cost": 10}]
    r = run(scenario(activity=acts, costs=costs))
    units = r.detail["activity"]["scans"][0]
    # nothing before June (month 2) or after January (month 9); 100 in June, and six months
    # later (December, month 8) 100 x 1.21^(6/12) = 110
    assert units[:2].tolist() == [0, 0] and units[10:].tolist() == [0, 0]
    assert units[2] == pytest.approx(100)
    assert units[8] == pytest.approx(110)
    assert r.detail["costs"]["reporting"].cost[0, 8] == pytest.approx(1100)   # 110 scans x £10
