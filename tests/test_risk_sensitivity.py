"""Tornado, switching values and commitment answers: each checked against the engine itself."""

from __future__ import annotations

import json

import numpy as np
import pytest

from modeller import load_scenario, run, run_batch
from modeller.__main__ import main
from modeller.paths import with_value
from modeller.risk.commitment import commitment, shift_hiring
from modeller.risk.sensitivity import main_inputs, swings, tornado
from modeller.risk.switching import sensitivity, switching_values
from modeller.scenario import Scenario
from modeller.scenario_io import dump_scenario
from modeller.scenario_limits import check_magnitude
from tests.conftest import ROOT
from tests.test_risk_cases import UNCERTAINTY, clinic


def _kpi(scenario, path, value, name):
    return run_batch(scenario, {path: np.array([float(value)])}).kpis()[name]


def test_tornado_uses_p10_p90_and_matches_single_runs():
    s = clinic(UNCERTAINTY)
    rows = tornado(s)
    assert [r["parameter"] for r in rows][0] in {p["path"] for p in UNCERTAINTY["parameters"]}
    price = next(r for r in rows if r["parameter"] == "contracts.clinic.price_per_unit")
    # triangular 170/200/230 is symmetric: P10 = 170 + sqrt(0.1 x 60 x 30) = 170 + 13.42
    assert price["low"] == pytest.approx(170 + np.sqrt(0.1 * 60 * 30))
    assert price["npv_high"] == pytest.approx(_kpi(s, price["parameter"], price["high"], "npv"))
    assert price["peak_funding_low"] == pytest.approx(_kpi(s, price["parameter"], price["low"],
                                                           "peak_funding_requirement"))
    swingsizes = [abs(r["npv_high"] - r["npv_low"]) for r in rows]
    assert swingsizes == sorted(swingsizes, reverse=True)


def test_without_uncertainty_main_inputs_swing_twenty_percent():
    s = clinic()
    assert "contracts.clinic.price_per_unit" in main_inputs(s)
    salary = next(w for w in swings(s) if w.path == "workforce.roles.clinician.salary")
    assert (salary.low, salary.high) == pytest.approx((48000, 72000))   # £60,000 ± 20%


def test_each_switching_value_really_switches():
    s = clinic(UNCERTAINTY)
    rows = switching_values(s)
    found = [r for r in rows if r["value"] is not None]
    assert {(r["parameter"], r["target"]) for r in found} >= {
        ("contracts.clinic.price_per_unit", "npv_zero"), ("contracts.clinic.price_per_unit", "shortfall")}
    for r in found:
        assert r["checked"] is True
        if r["target"] == "npv_zero" and r["parameter"] != "contracts.clinic.start_delay_months":
            assert abs(_kpi(s, r["parameter"], r["value"], "npv")) <= 1000
        if r["target"] == "shortfall":
            assert _kpi(s, r["parameter"], r["value"], "funding_shortfall") > 0


def test_price_switching_value_near_the_hand_estimate():
    # NPV is linear in price (no tax): £42,414 at £200 (the Green Book NPV: the last month's unpaid
    # income is settled at the end, so all 22 months x 100 units count); each £1 moves it by
    # 2,200 units / (discounting at 3.5% and deflating at 2% over two years, ~1.054) = about £2,087,
    # so it reaches zero near 200 - 42,414 / 2,087 = £179.7
    value = next(r["value"] for r in switching_values(clinic(UNCERTAINTY))
                 if r["parameter"] == "contracts.clinic.price_per_unit" and r["target"] == "npv_zero")
    assert 178 < value < 186


def test_an_input_that_never_moves_cash_has_no_switching_value():
    # notice months only change the cost to walk away, never cash or NPV
    s = clinic({"parameters": [{"path": "workforce.roles.clinician.notice_months", "dist": "uniform",
                                "low": 1, "high": 6}]})
    rows = switching_values(s)
    assert [(r["target"], r["value"], r["checked"]) for r in rows] == [("npv_zero", None, None),
                                                                      ("shortfall", None, None)]


def test_commitment_answers_hold_at_the_answer_and_fail_just_beyond():
    s = clinic()
    a = commitment(s)
    hire = a["hire_ahead_months"]
    assert hire.holds_at_answer and hire.fails_beyond
    k = int(hire.value)
    assert run(shift_hiring(s, k)).kpis()["funding_shortfall"] == 0
    assert run(shift_hiring(s, k + 1)).kpis()["funding_shortfall"] > 0

    facility = a["minimum_facility_limit"]
    # month 2 needs £16,000 of the facility (see the case's docstring)
    assert facility.value == 16000
    assert _kpi(s, "funding.facility.limit", 16000, "funding_shortfall") == 0
    assert _kpi(s, "funding.facility.limit", 15000, "funding_shortfall") > 0

    opening = a["minimum_opening_cash"]
    assert opening.holds_at_answer and opening.fails_beyond
    assert _kpi(s, "funding.opening_cash", opening.value, "funding_shortfall") == 0
    assert _kpi(s, "funding.opening_cash", opening.value - 1000, "funding_shortfall") > 0

    team = a["pre_receipt_wte"]
    assert team.holds_at_answer and team.fails_beyond and team.value > 3
    assert "WTE" in team.sentence and "Jul 2025" in team.sentence   # first receipt in month 3


def test_commitment_with_a_shortfall_risk_level_needs_more_than_the_base_case():
    s = clinic(UNCERTAINTY)
    base = commitment(s)["minimum_facility_limit"].value
    risky = commitment(s, shortfall_probability=0.1, draws=300)["minimum_facility_limit"]
    assert risky.value >= base
    assert risky.holds_at_answer and risky.fails_beyond
    assert "P(shortfall) ≤ 10%" in risky.basis


def test_cli_risk_json_has_the_contract_keys(capsys, tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text(dump_scenario(clinic(UNCERTAINTY)))
    assert main(["risk", str(path), "--draws", "100", "--seed", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["draws"] == 100 and report["seed"] == 3
    assert set(report["kpis"]["npv"]) == {"mean", "p10", "p50", "p90"}
    assert 0 <= report["probability_of_shortfall"] <= 1
    assert set(report["tornado"][0]) >= {"parameter", "low", "high", "npv_low", "npv_high",
                                         "peak_funding_low", "peak_funding_high"}
    assert {r["target"] for r in report["switching_values"]} == {"npv_zero", "shortfall"}
    assert set(report["commitment"]) == {"hire_ahead_months", "pre_receipt_wte", "minimum_facility_limit",
                                         "minimum_opening_cash"}
    json.dumps(report, allow_nan=False)
    assert main(["risk", str(path), "--draws", "100"]) == 0
    text = capsys.readouterr().out
    assert "£" in text and "How much can I commit?" in text


def _beyond_the_base() -> Scenario:
    """MSK over 240 months with referrals growing 200% a year from 0.001 a month. The base case
    moves less than can be accounted for to the penny, and so does every draw (growth's risk range
    is 0-10% a year). But referrals' risk range, 3,600-4,800 a month, held with growth at its base
    of 200%, moves about 4,000 / 0.001 = 4 million times as much: the switching search and the
    tornado ran the engine there and ended in an IntegrityError (an "internal error" from the CLI)."""
    s = with_value(load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml"), "months", 240)
    s = with_value(s, "activity.referrals.annual_growth", 2.0)
    return with_value(s, "activity.referrals.per_month", 0.001)


def test_the_search_stays_within_what_can_be_accounted_for():
    s = _beyond_the_base()
    assert check_magnitude(s) == []                   # validate accepts it, so risk must run
    rows, switches = sensitivity(s)                   # no IntegrityError
    referrals = next(w for w in swings(s) if w.path == "activity.referrals.per_month")
    top = referrals.reach[1]
    assert 0.001 < top < 3600                         # cut back from 4,800 + 1,200 towards the base
    assert referrals.low == referrals.high == top     # the tornado's P10 and P90 lie beyond: cut to it too
    alone = s.model_copy(update={"uncertainty": None})
    assert check_magnitude(with_value(alone, referrals.path, top)) == []
    assert check_magnitude(with_value(alone, referrals.path, top * 1.01)) != []   # the nearest it could be
    for r in switches:
        if r["parameter"] == referrals.path and r["value"] is not None:
            assert referrals.reach[0] <= r["value"] <= top and r["checked"]
    assert any(r["parameter"] == referrals.path for r in rows)


def test_cli_risk_on_a_search_past_the_limit_is_no_internal_error(capsys, tmp_path):
    path = tmp_path / "msk_240.yaml"
    path.write_text(dump_scenario(_beyond_the_base()))
    assert main(["validate", str(path)]) == 0
    assert main(["risk", str(path), "--draws", "20"]) == 0
    out = capsys.readouterr()
    assert "internal error" not in out.err and "Switching values" in out.out
