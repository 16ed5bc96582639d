"""Export page: the workbook carries a Risk sheet only from a risk run of this exact scenario."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import exports, risk_runs

APP = str(Path(__file__).resolve().parents[1] / "app.py")
EXPORT, RISK = "ui/pages/export.py", "ui/pages/risk.py"


@pytest.fixture
def at():
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=120).run()


def _labels(at, kind: str) -> list[str]:
    return [w.label for w in getattr(at, kind)]


def _risk_sheet(yaml_text: str, run) -> openpyxl.Workbook:
    data, note = exports.workbook(yaml_text, risk_runs.report(run), (run.draws, run.seed, run.level))
    assert note == ""
    return openpyxl.load_workbook(io.BytesIO(data))


def test_without_a_run_the_page_offers_one_and_does_not_run_it(at):
    at.switch_page(EXPORT).run()
    assert not at.exception
    assert "risk_last" not in at.session_state  # nothing ran on its own
    assert at.button(key="export_run_risk").label == "Include risk analysis (runs 10,000 draws)"  # the MSK file's own
    assert not at.checkbox  # nothing to include yet


def test_a_risk_page_run_is_offered_and_goes_into_the_workbook(at):
    at.switch_page(RISK).run()
    at.number_input(key="risk_draws").set_value(300).run()
    at.slider(key="risk_level").set_value(10).run()
    at.button(key="risk_run").click().run()
    at.switch_page(EXPORT).run()
    assert not at.exception
    box = at.checkbox(key="export_include_risk")
    assert box.value is True and "300 draws, seed 42" in box.label
    run = at.session_state["risk_last"]
    assert (run.draws, run.level) == (300, 0.1)  # the slider's 10% travels with the run
    wb = _risk_sheet(at.session_state["good_yaml"], run)
    assert "Risk" in wb.sheetnames
    cells = {r[0]: r[1] for r in wb["Risk"].iter_rows(min_row=3, max_row=5, max_col=2, values_only=True)}
    assert cells["Draws"] == 300 and cells["Seed"] == 42
    assert 0 <= cells["Probability of a funding shortfall"] <= 1


def test_an_edit_after_the_run_means_no_risk_sheet_until_run_again(at):
    at.switch_page(RISK).run()
    at.number_input(key="risk_draws").set_value(200).run()
    at.button(key="risk_run").click().run()
    at.switch_page("ui/pages/scenario.py").run()
    at.segmented_control(key="section").set_value("Funding").run()
    at.number_input(key=f"ed{at.session_state['version']}_minimum_cash").set_value(400000.0).run()
    at.switch_page(EXPORT).run()
    assert not at.checkbox
    assert any("earlier version" in c.value for c in at.caption)
    at.button(key="export_run_risk").click().run()  # the person asks for it: the scenario's 10,000 draws
    assert not at.exception
    assert at.session_state["risk_last"].yaml_text == at.session_state["good_yaml"]
    assert at.checkbox(key="export_include_risk").value is True


def test_unticking_leaves_the_risk_sheet_out(at):
    at.switch_page(RISK).run()
    at.number_input(key="risk_draws").set_value(200).run()
    at.button(key="risk_run").click().run()
    at.switch_page(EXPORT).run()
    at.checkbox(key="export_include_risk").uncheck().run()
    assert not at.exception
    risk, risk_id = None, None  # what the page passes when unticked
    data, _ = exports.workbook(at.session_state["good_yaml"], risk, risk_id)
    assert "Risk" not in openpyxl.load_workbook(io.BytesIO(data)).sheetnames


def test_a_failed_workbook_is_logged_and_explained_while_the_csvs_stay(at, monkeypatch, caplog):
    import modeller.export

    def broken(*args, **kwargs):
        raise RuntimeError("exporter bug")

    st.cache_data.clear()  # the workbook of this scenario may already be cached
    monkeypatch.setattr(modeller.export, "workbook_bytes", broken)
    yaml_text = at.session_state["good_yaml"]
    with caplog.at_level("ERROR", logger="ui.exports"):
        data, note = exports.workbook(yaml_text)
    assert data is None and note.startswith("The workbook could not be built for this scenario: an internal error")
    assert "exporter bug" in caplog.text and "MSK prime provider" in caplog.text  # the reason, for us
