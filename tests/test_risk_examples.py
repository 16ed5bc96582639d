"""Every example's risk report: reproducible, every switching value and commitment answer checked by the engine."""

from __future__ import annotations

import json

from modeller import load_scenario
from modeller.risk.report import format_risk_report, risk_report
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
    for a in report["commitment"].values():
        assert a["holds_at_answer"] in (True, None)
        assert a["fails_beyond"] in (True, None)
    json.dumps(report, allow_nan=False)
    assert "£" in format_risk_report(report, scenario)


def test_the_text_report_gives_each_input_in_its_unit():
    report = {"deterministic": {"funding_shortfall": 0}, "switching_values": [
        {"parameter": "contracts.c.annual_value", "target": "npv_zero", "value": 2014111.4},
        {"parameter": "indexation.pay", "target": "npv_zero", "value": 0.07055},
        {"parameter": "contracts.c.start_delay_months", "target": "shortfall", "value": 2},
        {"parameter": "workforce.roles.r.fill_rate", "target": "shortfall", "value": None},
        {"parameter": "activity.a.per_month", "target": "npv_zero", "value": 3783.6}]}
    text = _switching_text(report)
    assert "contracts.c.annual_value: NPV reaches zero at £2,014,111" in text
    assert "indexation.pay: NPV reaches zero at 7.05%" in text           # 0.07055 is 7.05%
    assert "start_delay_months: a funding shortfall appears at 2 months" in text
    assert "fill_rate: no funding shortfall appears in the range tried" in text
    assert "per_month: NPV reaches zero at 3,784" in text                # units a month: a plain number


def _switching_text(report: dict) -> str:
    """A real report's text with its switching values replaced by the ones given."""
    scenario = load_scenario(SCENARIOS[0])
    full = risk_report(scenario, draws=50) | report
    return format_risk_report(full, scenario)
