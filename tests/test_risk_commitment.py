"""Commitment goal seeks: the pre-receipt team scales only staff before the first receipt, hiring
ahead runs every candidate as a draw of one batch, and the per-draw search finds what a
brute-force scan over every candidate finds."""

from __future__ import annotations

import numpy as np
import pytest

from modeller import load_scenario, run, run_batch
from modeller.risk import commitment as cm
from modeller.risk.goalseek import Judge, seek
from modeller.scenario_io import scenario_from_data, scenario_to_data
from tests.conftest import ROOT
from tests.test_risk_cases import UNCERTAINTY, clinic


def thin_clinic(**role):
    """The clinic at £180 a referral: £18,000 a month arrives from month 3, so after the first
    receipt the 3 clinicians (£15,000) and premises (£2,000) leave only £1,000 a month."""
    data = scenario_to_data(clinic())
    data["contracts"][0]["price_per_unit"] = 180
    data["workforce"]["roles"][0].update(role)
    return scenario_from_data(data, "thin clinic")


def shortfall(result) -> np.ndarray:
    return result.kpi_arrays["funding_shortfall"]


def test_pre_receipt_team_scales_only_the_staff_before_the_first_receipt():
    s = thin_clinic()
    answer = cm.commitment(s)["pre_receipt_wte"]
    # Months 1 and 2 carry 3s WTE at £5,000 each plus £2,000 premises; £18,000 of cash above the
    # minimum after month 0 and the £20,000 facility: 2 x (2,000 + 15,000 s) <= 38,000, s <= 1.133.
    # At 1.13: 3.39 WTE. Scaling the clinicians after month 3 as well (the old answer) would spend
    # 15,000 s + 2,000 > £18,000 a month from month 3 for s > 1.07 and stop at 3.21 WTE.
    assert answer.value == pytest.approx(3.39)
    assert answer.holds_at_answer and answer.fails_beyond
    assert "Jul 2025" in answer.sentence

    team = cm.pre_receipt_plan(s)
    assert team.first_receipt == 3 and team.planned == 3
    scale = round(answer.value / team.planned, 2)
    at, beyond = (run_batch(team.scenario, team.overrides(np.array([x]))) for x in (scale, scale + 0.01))
    assert shortfall(at)[0] == 0
    assert shortfall(beyond)[0] > 0            # 2 x (2,000 + 17,100) = £38,200 > £38,000
    plan = run(s).lines["wte_target"][0]
    assert at.lines["wte_target"][0, 1:3] == pytest.approx(3.39 * np.ones(2))
    assert np.array_equal(at.lines["wte_target"][0, 3:], plan[3:])     # from the first receipt, as planned
    assert np.array_equal(at.lines["wte_in_post"][0, 3:], run(s).lines["wte_in_post"][0, 3:])


def test_pre_receipt_team_restores_each_role_at_the_receipt_including_later_steps():
    data = scenario_to_data(thin_clinic())
    data["workforce"]["roles"][0]["plan"] = [{"from": "2025-05", "wte": 2}, {"from": "2025-08", "wte": 3}]
    data["workforce"]["roles"].append({"id": "lead", "name": "Lead", "salary": 60000, "recruit_lead_months": 0,
                                       "plan": [{"from": "2025-04", "wte": 1}]})
    s = scenario_from_data(data, "two roles")
    team = cm.pre_receipt_plan(s)
    # before month 3: clinician 2 (months 1-2) + lead 1 (months 0-2) = 3 WTE at most
    assert team.planned == 3
    assert set(team.wte) == {"workforce.roles.clinician.plan.0.wte", "workforce.roles.lead.plan.0.wte"}
    scaled = run_batch(team.scenario, team.overrides(np.array([2.0])))
    base = run(s)
    for rid in ("clinician", "lead"):
        got, want = scaled.detail["roles"][rid].target_wte[0], base.detail["roles"][rid].target_wte[0]
        assert got[:3] == pytest.approx(2 * want[:3])
        assert np.array_equal(got[3:], want[3:])          # clinician 2 in month 3, then 3; lead stays 1


def test_hire_ahead_grid_runs_every_shift_as_a_draw_and_matches_shifting_the_plan(monkeypatch):
    s = thin_clinic(plan=[{"from": "2025-05", "wte": 2}, {"from": "2025-09", "wte": 3}],
                    recruit_lead_months=2, recruit_cost_per_wte=1500, attrition_annual=0.1)
    grid, overrides = cm.hiring_grid(s, 6)
    batch = run_batch(grid, overrides(np.arange(7), {}))
    for k in range(7):
        one = run(cm.shift_hiring(s, k))
        for name in ("wte_target", "recruitment", "exit_cost", "closing_cash"):
            assert batch.lines[name][k] == pytest.approx(one.lines[name][0]), (k, name)

    def rebuilt(*args):
        raise AssertionError("the seek must not rebuild the scenario per candidate")

    monkeypatch.setattr(cm, "shift_hiring", rebuilt)
    answer = cm.hire_ahead(s, Judge(s))
    assert answer.holds_at_answer and answer.fails_beyond


def test_sampled_plan_wte_carries_through_the_hire_ahead_grid_and_the_pre_receipt_team():
    s = thin_clinic(plan=[{"from": "2025-05", "wte": 2}, {"from": "2025-09", "wte": 3}])
    sampled = {"workforce.roles.clinician.plan.0.wte": np.array([1.0, 2.5, 4.0]),
               "workforce.roles.clinician.plan.1.wte": np.array([2.0, 3.0, 5.0])}
    shifts = np.array([0, 2, 5])
    grid, overrides = cm.hiring_grid(s, 5)
    batch = run_batch(grid, {**sampled, **overrides(shifts, sampled)})
    for row, k in enumerate(shifts):
        one = run_batch(cm.shift_hiring(s, int(k)), {p: v[row:row + 1] for p, v in sampled.items()})
        assert batch.lines["wte_target"][row] == pytest.approx(one.lines["wte_target"][0])

    team = cm.pre_receipt_plan(s)             # first receipt in month 3: step 0 scaled, restated there
    scaled = run_batch(team.scenario, {**sampled, **team.overrides(np.full(3, 2.0), sampled)})
    as_drawn = run_batch(s, sampled)
    assert scaled.lines["wte_target"][:, 1:3] == pytest.approx(2 * as_drawn.lines["wte_target"][:, 1:3])
    assert np.array_equal(scaled.lines["wte_target"][:, 3:], as_drawn.lines["wte_target"][:, 3:])


def _brute_force_last_good(judge, scenario, overrides, last):
    ok = judge.ok(scenario, overrides(np.arange(last + 1), {}))
    return int(np.argmin(ok)) - 1 if not ok.all() else last


@pytest.mark.parametrize("level", [None, 0.1, 0.3])
def test_per_draw_search_finds_what_a_scan_of_every_candidate_finds(level):
    s = clinic(UNCERTAINTY)
    judge = Judge(s, level, 300, 5)

    def overrides(k, _sampled):   # opening cash from £100,000 down to nothing in £1,000 steps
        return {"funding.opening_cash": 100000 - 1000 * np.asarray(k, dtype=float)}

    found = seek(judge, s, overrides, 100)
    assert found.step == _brute_force_last_good(judge, s, overrides, 100)
    assert found.holds and found.fails_beyond


def test_opening_cash_answer_is_checked_at_and_below_the_answer():
    s = clinic(UNCERTAINTY)
    answer = cm.commitment(s, shortfall_probability=0.1, draws=300)["minimum_opening_cash"]
    judge = Judge(s, 0.1, 300, s.uncertainty.seed)
    share = judge.shortfall_share(s, {"funding.opening_cash": np.array([answer.value, answer.value - 1000])})
    assert share[0] <= 0.1 < share[1]
    assert answer.holds_at_answer and answer.fails_beyond


def test_community_example_service_lead_stays_one_wte_after_the_first_receipt():
    s = load_scenario(ROOT / "scenarios" / "community_first_contract.yaml")
    team = cm.pre_receipt_plan(s)
    base = run(s)
    # restating the plan at the first receipt (Jul 2025) changes nothing by itself
    assert np.array_equal(run(team.scenario).lines["closing_cash"], base.lines["closing_cash"])
    answer = cm.pre_receipt_team(s, Judge(s))
    assert answer.holds_at_answer and answer.fails_beyond
    scale = round(answer.value / team.planned, 2)
    at, beyond = (run_batch(team.scenario, team.overrides(np.array([x]))) for x in (scale, scale + 0.01))
    assert shortfall(at)[0] == 0 < shortfall(beyond)[0]
    lead = at.detail["roles"]["service_lead"].target_wte[0]
    assert lead[:3] == pytest.approx(scale * np.ones(3)) and np.all(lead[3:] == 1)


def test_hiring_moves_earlier_across_the_turn_of_the_year():
    data = scenario_to_data(clinic())
    data["workforce"]["roles"][0]["plan"] = [{"from": "2026-02", "wte": 2}, {"from": "2025-12", "wte": 1}]
    shifted = cm.shift_hiring(scenario_from_data(data, "winter hiring"), 3)
    # February 2026 less 3 months is November 2025; December 2025 less 3 is September 2025
    assert [s.from_ for s in shifted.workforce.roles[0].plan] == ["2025-11", "2025-09"]
