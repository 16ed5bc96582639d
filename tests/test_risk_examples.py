"""Every example's risk report: reproducible, every switching value and commitment answer checked by the engine."""

from __future__ import annotations

import json

import numpy as np

from modeller import load_scenario, run_batch
from modeller.fields import field_of
from modeller.metrics import KPIS
from modeller.risk.report import format_risk_report, risk_report
from modeller.risk.switching import NPV_TOLERANCE, SHORTFALL_TOLERANCE
from tests.conftest import SCENARIOS


def test_example_risk_report(example_path):
    scenario = load_scenario(example_path)
    assert scenario.uncertainty is not None and scenario.uncertainty.parameters
    report = risk_report(scenario, draws=200)
    assert report["seed"] == scenario.uncertainty.seed and report["draws"] == 200
    again = risk_report(scenario, draws=200)
    assert again["kpis"] == report["kpis"]
    found = [s for s in report["switching_values"] if s["value"] is not None]
    assert found, "no input switches NPV or cash within its range"
    assert all(s["checked"] for s in found)
    _within_their_tolerances(scenario, found, report["deterministic"]["funding_shortfall"])
    for a in report["commitment"].values():
        assert a["holds_at_answer"] in (True, None)
        assert a["fails_beyond"] in (True, None)
    json.dumps(report, allow_nan=False)
    assert "£" in format_risk_report(report, scenario)


def _within_their_tolerances(scenario, found: list[dict], base_shortfall: float) -> None:
    """Each switching value as close as the search promises (the check above allows £1,000):
    NPV within £100 of zero; a shortfall that appears there at most £50 deep (plus the 1p the
    search keeps clear of zero), or one that disappears there gone. Whole-month inputs move in
    steps, so only their side of the switch is promised."""
    for s in found:
        if field_of(s["parameter"]).whole:
            continue
        k = run_batch(scenario, {s["parameter"]: np.array([s["value"]])}).kpis()
        if s["target"] == "npv_zero":
            assert abs(k["npv"]) <= NPV_TOLERANCE, s
        elif base_shortfall > 0:
            assert k["funding_shortfall"] == 0, s
        else:
            assert 0 < k["funding_shortfall"] <= SHORTFALL_TOLERANCE + 0.01, s


def test_the_text_report_names_each_input_with_its_unit():
    # SCENARIOS[0] is the back pain example: inputs named as it names them, values in their units
    report = {"deterministic": {"funding_shortfall": 0}, "switching_values": [
        {"parameter": "contracts.back_pain_pathway.rate_per_head", "target": "npv_zero", "value": 8.4712},
        {"parameter": "indexation.pay", "target": "npv_zero", "value": 0.07055},
        {"parameter": "contracts.back_pain_pathway.start_delay_months", "target": "shortfall", "value": 2},
        {"parameter": "workforce.roles.esp.fill_rate", "target": "shortfall", "value": None},
        {"parameter": "activity.referrals.per_month", "target": "npv_zero", "value": 3783.6}]}
    text = _switching_text(report)
    assert "  Lower back pain pathway (capitated): rate per head (£ per head a year): NPV reaches zero at £8.47" in text
    assert "  Pay inflation (% a year): NPV reaches zero at 7.05%" in text        # 0.07055 is 7.05%
    assert "  Lower back pain pathway (capitated): start delay (months): a funding shortfall appears at 2 months" in text
    assert ": fill rate (%): no funding shortfall appears in the range tried" in text
    assert "  New lower back pain referrals: units a month: NPV reaches zero at 3,784 a month" in text
    assert "contracts.back_pain_pathway" not in text and "indexation.pay" not in text   # no raw paths


def test_the_text_report_labels_kpis_from_the_registry():
    scenario = load_scenario(SCENARIOS[0])
    text = format_risk_report(risk_report(scenario, draws=50), scenario)
    rows = [line for line in text.splitlines() if line.startswith(tuple(k.label for k in KPIS.values()))]
    assert [r.split("  ")[0] for r in rows][: len(KPIS)] == [k.label for k in KPIS.values()]
    assert "..." not in text.split("Probability")[0]                 # no "  ... reached in" rows


def _switching_text(report: dict) -> str:
    """A real report's text with its switching values replaced by the ones given."""
    scenario = load_scenario(SCENARIOS[0])
    full = risk_report(scenario, draws=50) | report
    return format_risk_report(full, scenario)
