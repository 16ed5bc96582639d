"""Staffing to demand: rolling peak against month by month, worked by hand."""

import numpy as np
import pytest

from modeller import run, run_batch
from modeller.scenario_io import scenario_from_data
from modeller.workforce import rolling_peak
from tests.helpers import scenario

# January 1.5, August 0.5, every other month 1.0: 1.5 + 0.5 + 10 x 1.0 = 12, so they average 1
SEASONS = [1.5, 1, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1]


def seasonal(basis, **role):
    acts = [{"id": "visits", "name": "Visits", "per_month": 100, "seasonality": SEASONS}]
    drv = {"activity": "visits", "units_per_wte_month": 10, "staffing_basis": basis}
    r = {"id": "nurse", "name": "Nurse", "salary": 30000, "driver": drv, "recruit_lead_months": 0,
         "recruit_cost_per_wte": 1000, "notice_months": 0, **role}
    return scenario(activity=acts, roles=[r], months=24)


def test_rolling_peak_is_the_highest_of_the_last_twelve_months():
    need = np.array([[1.0, 3, 2] + [1] * 11])
    # months 1..12 see month 1's 3 (month 12's window is months 1..12); month 13's window (2..13) peaks at 2
    assert rolling_peak(need)[0].tolist() == [1, 3] + [3] * 11 + [2]


def test_monthly_staffing_lets_staff_go_in_august_and_rehires_them_in_autumn():
    r = run(seasonal("monthly")).detail["roles"]["nurse"]
    # 100 visits / 10 per WTE = 10 WTE; August (months 4, 16) 5; January (months 9, 21) 15
    assert r.in_post_wte[0, :10].tolist() == pytest.approx([10, 10, 10, 10, 5, 10, 10, 10, 10, 15])
    # new posts: 10 at the start, 5 each September (months 5, 17) and each January (months 9, 21)
    assert r.hires_wte[0].sum() == pytest.approx(10 + 5 + 5 + 5 + 5)
    assert r.hires_wte[0, [5, 17]] == pytest.approx([5, 5])
    # 30 WTE recruited x £1,000
    assert r.recruitment_cost[0].sum() == pytest.approx(30000)


def test_rolling_peak_hires_as_demand_arrives_and_keeps_staff_through_the_dip():
    r = run(seasonal("rolling_peak")).detail["roles"]["nurse"]
    # 10 WTE until the first January (month 9) lifts the peak to 15, kept through the August dip
    # (month 16) and until the next January renews it: no one leaves, no one is re-hired
    assert r.in_post_wte[0].tolist() == pytest.approx([10] * 9 + [15] * 15)
    assert r.hires_wte[0, [0, 9]] == pytest.approx([10, 5]) and r.hires_wte[0].sum() == pytest.approx(15)
    # 15 WTE recruited x £1,000 = £15,000: £15,000 less than monthly staffing's £30,000
    assert r.recruitment_cost[0].sum() == pytest.approx(15000)
    assert r.agency_wte[0].sum() == 0     # in post always covers the month's need


def test_demand_above_the_establishment_is_covered_by_agency():
    s = seasonal("rolling_peak")
    r = run_batch(s, {"activity.visits.per_month": np.array([100.0, 120.0])}).detail["roles"]["nurse"]
    # staffed to the plan's 100 visits: 10 WTE in post in April; a draw of 120 visits needs 12,
    # so agency covers 12 - 10 = 2 WTE; in January (month 9) 1.5 x 120 / 10 = 18 - 15 = 3 WTE
    assert r.agency_wte[:, 0] == pytest.approx([0, 2])
    assert r.agency_wte[:, 9] == pytest.approx([0, 3])
    # in August (month 4) the draw needs 0.5 x 120 / 10 = 6 WTE, well within the 10 in post
    assert r.agency_wte[1, 4] == 0


def test_the_default_basis_is_rolling_peak():
    default = seasonal("monthly").model_dump(by_alias=True)
    del default["workforce"]["roles"][0]["driver"]["staffing_basis"]
    assert scenario_from_data(default, "t").workforce.roles[0].driver.staffing_basis == "rolling_peak"
