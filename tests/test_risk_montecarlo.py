"""Monte Carlo: reproducible by seed, exact without uncertainty, unbiased for linear inputs, chunked."""

from __future__ import annotations

import numpy as np
import pytest

from modeller import run, run_batch
from modeller.risk import montecarlo, simulate
from modeller.risk.montecarlo import summarise
from tests.test_risk_cases import UNCERTAINTY, clinic

DEGENERATE = {"draws": 50, "seed": 1, "parameters": [
    {"path": "contracts.clinic.price_per_unit", "dist": "triangular", "low": 200, "mode": 200, "high": 200}]}


def test_same_seed_same_results_and_another_seed_differs():
    s = clinic(UNCERTAINTY)
    a, b, c = simulate(s), simulate(s), simulate(s, seed=12)
    assert a.seed == 11 and a.draws == 400
    assert np.array_equal(a.kpis["npv"], b.kpis["npv"])
    assert np.array_equal(a.fan[50], b.fan[50])
    assert not np.array_equal(a.kpis["npv"], c.kpis["npv"])
    assert c.seed == 12


@pytest.mark.parametrize("uncertainty", [None, DEGENERATE])
def test_without_uncertainty_every_percentile_is_the_deterministic_run(uncertainty):
    s = clinic(uncertainty)
    mc = simulate(s, draws=50)
    base = run(s)
    for name, value in base.kpis().items():
        summary = mc.summary(name)
        for p in ("p10", "p50", "p90"):
            assert summary[p] == value, (name, p)
        assert summary["mean"] == pytest.approx(value) if value is not None else summary["mean"] is None
    for p in (10, 50, 90):
        assert np.array_equal(mc.fan[p], base.lines["closing_cash"][0])
    assert mc.probability_of_shortfall in (0.0, 1.0)


def test_shortfall_probability_is_one_when_the_facility_is_too_small():
    mc = simulate(clinic(DEGENERATE, facility={"limit": 5000, "annual_rate": 0.0}))
    # month 2 needs £16,000 of facility, only £5,000 exists: cash is £11,000 below... in every draw
    assert mc.probability_of_shortfall == 1.0
    assert mc.shortfall_month == 2


def test_mean_of_draws_is_the_run_at_the_mean_for_a_linear_input():
    # NPV is linear in the price (no tax, no facility interest): E[NPV(price)] = NPV(E[price])
    u = {"draws": 2000, "seed": 3, "parameters": [
        {"path": "contracts.clinic.price_per_unit", "dist": "triangular", "low": 150, "mode": 190, "high": 260}]}
    mc = simulate(clinic(u))
    at_mean = run_batch(clinic(), {"contracts.clinic.price_per_unit": np.array([(150 + 190 + 260) / 3])})
    assert mc.kpis["npv"].mean() == pytest.approx(at_mean.kpis()["npv"], rel=1e-4)


def test_chunks_give_the_same_answer_and_report_progress(monkeypatch):
    s = clinic(UNCERTAINTY)
    whole = simulate(s)
    monkeypatch.setattr(montecarlo, "CHUNK_DRAWS", 150)
    seen = []
    chunked = simulate(s, progress=seen.append)
    assert seen == pytest.approx([150 / 400, 300 / 400, 1.0])
    assert np.allclose(chunked.kpis["npv"], whole.kpis["npv"])
    assert np.allclose(chunked.fan[10], whole.fan[10])


def test_risk_transfer_per_year_matches_the_engine():
    rs = {"cost": "premises", "target_annual": 20000, "provider_share": 0.5, "settle_lag_months": 3}
    data = clinic(UNCERTAINTY).model_dump(by_alias=True)
    data["contracts"][0]["risk_share"] = rs
    from modeller.scenario_io import scenario_from_data

    s = scenario_from_data(data, "test")
    mc = simulate(s, draws=40)
    t = mc.risk_transfer["clinic"]
    assert t.years == ["2025/26", "2026/27"]
    # year 1: contract active Jun..Mar = 10 months; premises 10 x £2,000 = £20,000 vs target 20,000 x 10/12
    # variance £3,333.33, the provider keeps half
    delay_zero = mc.inputs["contracts.clinic.start_delay_months"] == 0
    assert t.provider_retained[delay_zero, 0] == pytest.approx(20000 / 12)
    assert t.commissioner_settled[delay_zero, 0] == pytest.approx(20000 / 12)


def test_agency_cost_above_plan_when_demand_runs_above_the_driver():
    roles = [{"id": "nurse", "name": "Nurse", "salary": 36000, "agency_premium": 0.5,
              "driver": {"activity": "referrals", "units_per_wte_month": 50}}]
    u = {"draws": 20, "seed": 1, "parameters": [
        {"path": "activity.referrals.per_month", "dist": "uniform", "low": 120, "high": 120}]}
    data = clinic(u).model_dump(by_alias=True)
    data["workforce"]["roles"] = roles
    from modeller.scenario_io import scenario_from_data

    mc = simulate(scenario_from_data(data, "test"))
    # 20 extra referrals / 50 per WTE = 0.4 WTE agency x £3,000 x 1.5 = £1,800 a month x 24 months
    assert mc.agency_cost_above_plan == pytest.approx(np.full(20, 0.4 * 3000 * 1.5 * 24))


def _with_nurses(uncertainty: dict, fill_rate: float = 1.0):
    """The clinic staffed by nurses hired to expected referrals: 50 a WTE a month, £36,000 a year
    (£3,000 a month), agency at a 50% premium: £4,500 per agency WTE a month."""
    roles = [{"id": "nurse", "name": "Nurse", "salary": 36000, "agency_premium": 0.5, "fill_rate": fill_rate,
              "driver": {"activity": "referrals", "units_per_wte_month": 50}}]
    data = clinic().model_dump(by_alias=True)
    data["workforce"]["roles"] = roles
    data["uncertainty"] = uncertainty
    from modeller.scenario_io import scenario_from_data

    return scenario_from_data(data, "test")


def test_agency_cost_from_demand_leaves_out_unfilled_posts_and_demand_below_plan():
    u = {"draws": 40, "seed": 2, "parameters": [
        {"path": "activity.referrals.per_month", "dist": "discrete", "values": [80, 120], "probabilities": [0.5, 0.5]},
        {"path": "workforce.roles.nurse.fill_rate", "dist": "discrete", "values": [0.8, 0.9],
         "probabilities": [0.5, 0.5]}]}
    s = _with_nurses(u, fill_rate=0.8)
    mc = simulate(s)
    units = mc.inputs["activity.referrals.per_month"]
    fill = mc.inputs["workforce.roles.nurse.fill_rate"]
    # hired to plan: 100 / 50 = 2 WTE target, 2 x fill in post.
    # 120 referrals need 2.4 WTE: cover 2.4 - 2 x fill, of which 2 x (1 - fill) is unfilled posts and
    # 0.4 WTE is demand above plan: 0.4 x £4,500 x 24 months = £43,200 whatever the fill rate.
    # 80 referrals need 1.6 WTE <= 2 x fill in post: no cover, and nothing caused by demand.
    assert mc.agency_cost_above_plan == pytest.approx(np.where(units == 120, 0.4 * 4500 * 24, 0.0))
    # total cover at 120 referrals and a 90% fill: (2.4 - 1.8) x £4,500 x 24 = £64,800
    both = (units == 120) & (fill == 0.9)
    assert both.any() and mc.agency_cost[both] == pytest.approx(64800)
    # the old measure, total agency less the base run's (0.4 WTE unfilled: £43,200), mixed both up
    assert (mc.agency_cost - run(s).lines["pay_agency"].sum()).min() == pytest.approx(-43200)


def test_agency_cost_from_demand_is_a_rerun_with_activity_at_plan():
    u = {**UNCERTAINTY, "draws": 200, "parameters": UNCERTAINTY["parameters"] + [
        {"path": "activity.referrals.annual_growth", "dist": "triangular", "low": -0.1, "mode": 0.0, "high": 0.2},
        {"path": "workforce.roles.nurse.fill_rate", "dist": "pert", "low": 0.6, "mode": 0.9, "high": 1.0},
        {"path": "workforce.roles.nurse.agency_premium", "dist": "uniform", "low": 0.3, "high": 0.8}]}
    s = _with_nurses(u)
    mc = simulate(s)
    drawn = run_batch(s, mc.inputs).detail["roles"]["nurse"].agency_cost
    at_plan_inputs = {k: v for k, v in mc.inputs.items() if not k.startswith("activity.")}
    at_plan = run_batch(s, at_plan_inputs, draws=mc.draws).detail["roles"]["nurse"].agency_cost
    assert mc.agency_cost_above_plan == pytest.approx(np.maximum(0.0, drawn - at_plan).sum(axis=1))
    assert mc.agency_cost_above_plan.max() > 0


def test_summaries_treat_never_as_later_than_every_month():
    s = summarise(np.array([1.0, 2.0, np.nan, np.nan, 3.0, 4, 5, 6, 7, 8]), months=True)
    assert s["mean"] is None and s["p90"] is None and s["p10"] == 1.0
    assert summarise(np.array([np.nan, np.nan]))["p50"] is None


def test_a_monte_carlo_holds_one_chunk_of_engine_lines_at_a_time(monkeypatch):
    """A chunk's engine result kept alive while the next chunk ran doubled the peak memory."""
    import tracemalloc

    s = clinic(UNCERTAINTY)
    monkeypatch.setattr(montecarlo, "CHUNK_DRAWS", 2000)

    def peak(draws: int) -> int:
        tracemalloc.start()
        try:
            simulate(s, draws=draws)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    one_chunk, four_chunks = peak(2000), peak(8000)
    assert four_chunks < 1.5 * one_chunk      # the per-draw outputs kept (KPIs, cash by month) are small
