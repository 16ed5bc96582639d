"""Every example's risk report: reproducible, every switching value and commitment answer checked by the engine."""

from __future__ import annotations

import json

from modeller import load_scenario
from modeller.risk.report import format_risk_report, risk_report


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
