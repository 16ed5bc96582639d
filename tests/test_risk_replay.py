"""The Risk page's speed-ups give the slow path's answers: funding replays equal the engine, the
commitment answers reuse a Monte Carlo's draws without changing them, and the tornado and
switching values come from a few shared batches."""

from __future__ import annotations

import numpy as np
import pytest

from modeller import run_batch
from modeller.risk import commitment as cm
from modeller.risk import goalseek, simulate, switching
from modeller.risk.goalseek import Judge, seek
from modeller.risk.replay import flows_of, replay_peak_drawn, replay_short
from modeller.risk.sampling import sample
from modeller.risk.sensitivity import tornado
from tests.test_risk_cases import UNCERTAINTY, clinic


def test_a_replay_is_the_engine_for_any_opening_cash_and_facility():
    s = clinic(UNCERTAINTY)
    drawn = sample(s, 200, 3)
    flows = flows_of(run_batch(s, drawn), drawn)
    rng = np.random.default_rng(0)
    candidates = {"funding.opening_cash": rng.uniform(0, 60000, 400), "funding.facility.limit": rng.uniform(0, 40000, 400)}
    rows = rng.integers(0, 200, 400)
    engine = run_batch(s, {**{k: v[rows] for k, v in drawn.items()}, **candidates}).kpi_arrays
    assert np.array_equal(replay_short(s, flows, candidates, rows), engine["funding_shortfall"] > 0)
    assert 0 < np.mean(engine["funding_shortfall"] > 0) < 1          # both kinds of row are tried
    unlimited = run_batch(s, {**drawn, "funding.facility.limit": np.full(200, 1e12)}).kpi_arrays
    assert np.array_equal(replay_peak_drawn(s, flows, 1e12), unlimited["peak_facility_drawn"])


def test_a_replay_refuses_a_candidate_that_changes_more_than_funding():
    s = clinic()
    flows = flows_of(run_batch(s), {})
    with pytest.raises(ValueError, match="workforce.roles.clinician.salary"):
        replay_short(s, flows, {"workforce.roles.clinician.salary": np.array([1.0])}, np.array([0]))


def test_funding_answers_by_replay_match_the_hand_working():
    # Month 0 ends at O - £2,000, month 1 at O - £19,000, month 2 needs O - £36,000 plus the facility to stay
    # at the £10,000 minimum: with O = £30,000 the facility needed is £16,000; with the £20,000 facility the
    # least opening cash is £46,000 - £20,000 = £26,000; +£3,000 a month from month 3 repays it.
    answers = cm.commitment(clinic())
    assert answers["minimum_facility_limit"].value == 16000
    assert answers["minimum_opening_cash"].value == 26000
    for q in ("minimum_facility_limit", "minimum_opening_cash"):
        assert answers[q].holds_at_answer and answers[q].fails_beyond


@pytest.mark.parametrize("level", [0.1, 0.3])
def test_reusing_a_monte_carlo_of_1000_draws_gives_the_answers_of_a_fresh_sample(level, monkeypatch):
    s = clinic(UNCERTAINTY)
    fresh = cm.commitment(s, level, seed=11)
    mc = simulate(s, draws=1000, seed=11)        # the same Latin hypercube the goal seek draws for itself
    calls = []
    monkeypatch.setattr(goalseek, "sample", lambda *a: calls.append(a))   # reused: nothing is drawn again
    reused = cm.commitment(s, level, monte_carlo=mc)
    assert not calls
    for q, a in fresh.items():
        b = reused[q]
        assert (a.value, a.basis, a.holds_at_answer, a.fails_beyond) == \
            (b.value, b.basis, b.holds_at_answer, b.fails_beyond), q


def test_a_larger_monte_carlo_is_judged_on_its_first_1000_draws_as_the_engine_would():
    s = clinic(UNCERTAINTY)
    mc = simulate(s, draws=2500, seed=11)
    judge = cm.judge_for(s, 0.1, monte_carlo=mc)
    assert judge.basis == "P(shortfall) ≤ 10% over the first 1,000 of 2,500 draws (seed 11)"
    for path, values in judge.sample.items():
        assert np.array_equal(values, mc.inputs[path][:1000])
    assert np.array_equal(judge.replay_flows().short, mc.kpis["funding_shortfall"][:1000] > 0)
    # the same draws without the kept flows (an engine run of them) give the same answers
    fresh = Judge(s, 0.1, 1000, 11, of_draws=2500)
    for question in (cm.minimum_facility, cm.minimum_opening_cash, cm.hire_ahead):
        assert question(s, judge).value == question(s, fresh).value


@pytest.mark.parametrize("level", [None, 0.1, 0.3])
def test_the_check_beyond_on_the_draws_a_replay_names_agrees_with_running_every_draw(level):
    s = clinic(UNCERTAINTY)
    judge = Judge(s, level, 300, 5)

    def overrides(k, _sampled):   # opening cash from £60,000 down in £1,000 steps
        return {"funding.opening_cash": 60000 - 1000 * np.asarray(k, dtype=float)}

    found = seek(judge, s, overrides, 60)
    every = judge.steps_ok(s, overrides, np.array([found.step, found.step + 1]))   # the engine, all draws
    assert (found.holds, found.fails_beyond) == (bool(every[0]), bool(not every[1])) == (True, True)


def test_known_shortfalls_at_the_plan_change_no_answer():
    s = clinic(UNCERTAINTY)
    judge = Judge(s, 0.2, 300, 5)
    grid, overrides = cm.hiring_grid(s, 1)
    known = {0: judge.replay_flows().short}
    with_known = judge.furthest_step(grid, overrides, 1, known)
    assert with_known == judge.furthest_step(grid, overrides, 1)


def test_tornado_and_switching_values_share_a_few_batches(monkeypatch):
    s = clinic(UNCERTAINTY)
    calls = []
    real = switching.run_batch
    monkeypatch.setattr(switching, "run_batch", lambda *a, **k: calls.append(1) or real(*a, **k))
    rows, switches = switching.sensitivity(s)
    assert rows == tornado(s)
    assert len(calls) <= 8       # one scan with the tornado, a few refining steps for both targets, one check
    for r in switches:
        if r["value"] is None:
            continue
        assert r["checked"] is True
        if r["target"] == "npv_zero" and r["parameter"] != "contracts.clinic.start_delay_months":
            npv = real(s, {r["parameter"]: np.array([r["value"]])}).kpis()["npv"]
            assert abs(npv) <= switching.NPV_TOLERANCE      # refined to £100, checked to £1,000
