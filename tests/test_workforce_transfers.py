"""Redundancy pay in the cost to walk away, and TUPE transfers in, worked by hand."""

import numpy as np
import pytest

from modeller import run, run_batch
from modeller.workforce import RecruitmentStep, recruitment_steps
from tests.helpers import scenario

ON_COSTS = {"employer_ni_rate": 0.0, "ni_threshold": 0, "pension_rate": 0.05, "other_rate": 0.0}


def tupe(transfers, plan=None, **kw):
    r = {"id": "therapist", "name": "Therapists", "salary": 30000,
         "plan": plan or [{"from": "2025-04", "wte": 10}, {"from": "2025-07", "wte": 14}],
         "recruit_lead_months": 0, "recruit_cost_per_wte": 1000, "notice_months": 3, "transfers": transfers, **kw}
    return scenario(roles=[r], workforce={"on_costs": ON_COSTS})


FOUR = [{"from": "2025-07", "wte": 4, "salary": 36000, "pension_rate": 0.1438}]


def test_transferred_staff_arrive_in_post_on_their_own_terms_and_are_not_recruited():
    r = run(tupe(FOUR)).detail["roles"]["therapist"]
    # 10 recruited in April (month 0); the July step to 14 is met by the 4 who transfer in
    assert r.in_post_wte[0, :4] == pytest.approx([10, 10, 10, 14])
    assert r.transferred_wte[0, :4] == pytest.approx([0, 0, 0, 4])
    assert r.hires_wte[0].sum() == pytest.approx(10)
    assert r.recruitment_cost[0].sum() == pytest.approx(10000)          # 10 x £1,000, none for the 4
    # July: 10 x £2,500 x 1.05 = £26,250 + 4 x £3,000 x 1.1438 = £13,725.60 -> £39,975.60
    assert r.staff_cost[0, 3] == pytest.approx(39975.60)


def test_the_plan_has_no_recruitment_step_for_posts_filled_by_transfers():
    assert recruitment_steps(tupe(FOUR)) == [RecruitmentStep("therapist", 0, 10, 0, 0, 0, 10, 10000)]


def test_transfers_beyond_the_plan_stay_in_post():
    r = run(tupe([{"from": "2025-04", "wte": 12, "salary": 30000}], plan=[{"from": "2025-04", "wte": 10}]))
    therapist = r.detail["roles"]["therapist"]
    # TUPE staff come whatever the plan: 12 in post against a plan of 10, none recruited
    assert therapist.in_post_wte[0, 0] == pytest.approx(12)
    assert therapist.hires_wte[0].sum() == 0
    # blank pension: the role's (here the workforce's 5%): 12 x £2,500 x 1.05 = £31,500
    assert therapist.staff_cost[0, 0] == pytest.approx(31500)


def test_exit_cost_is_notice_and_redundancy_for_recruited_and_transferred_staff():
    r = run(tupe(FOUR, redundancy_weeks=4)).detail["roles"]["therapist"]
    # notice: 3 months x July's staff cost £39,975.60 = £119,926.80
    # redundancy: 4 weeks x (10 x £30,000 + 4 x £36,000) / 52 = 4 x £444,000 / 52 = £34,153.85
    assert r.exit_cost[0, 3] == pytest.approx(119926.80 + 4 * 444000 / 52)
    # before July: 3 x 10 x £2,625 = £78,750 and 4 x 10 x £30,000 / 52 = £23,076.92
    assert r.exit_cost[0, 0] == pytest.approx(78750 + 4 * 300000 / 52)


def test_redundancy_counts_posts_being_recruited():
    plan = [{"from": "2025-04", "wte": 2}, {"from": "2025-09", "wte": 5}]
    r = run(tupe([], plan=plan, recruit_lead_months=3, notice_months=0, redundancy_weeks=2)).detail["roles"]
    # from June (month 2) the 5 posts being recruited for September are committed:
    # 2 weeks x 5 x £30,000 / 52 = £5,769.23; before, 2 x 2 x £30,000 / 52 = £2,307.69
    assert r["therapist"].exit_cost[0, :3] == pytest.approx([2 * 2 * 30000 / 52] * 2 + [2 * 5 * 30000 / 52])


def test_a_transfer_linked_to_a_contract_moves_with_its_drawn_start_delay():
    contract = {"id": "block", "name": "Block", "mechanism": "block", "annual_value": 1_200_000, "start": "2025-06"}
    r = {"id": "therapist", "name": "Therapists", "salary": 30000, "plan": [{"from": "2025-04", "wte": 2}],
         "recruit_lead_months": 0, "notice_months": 0,
         "transfers": [{"from": {"after": "block", "months": 0}, "wte": 40, "salary": 30000}]}
    s = scenario(contracts=[contract], roles=[r], workforce={"on_costs": ON_COSTS})
    res = run_batch(s, {"contracts.block.start_delay_months": np.array([0.0, 2.0])}).detail["roles"]["therapist"]
    # the 40 arrive with the contract: June (month 2) in the first draw, August (month 4) in the second
    assert res.transferred_wte[:, :6].tolist() == [[0, 0, 40, 40, 40, 40], [0, 0, 0, 0, 40, 40]]
    # and fill the 2 planned posts: the 2 recruited in April stop when they arrive
    assert res.in_post_wte[:, :6].tolist() == [[2, 2, 40, 40, 40, 40], [2, 2, 2, 2, 40, 40]]
