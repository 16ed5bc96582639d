"""The Risk page runs in AppTest: Run draws, shows the shortfall chance, KPI spreads and commitment answers."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_risk_page_runs_and_answers():
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("ui/pages/risk.py").run()
    assert not at.exception
    at.number_input(key="risk_draws").set_value(300).run()
    at.button(key="risk_run").click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Chance of a funding shortfall" in labels
    assert at.metric[labels.index("Chance of a funding shortfall")].value.endswith("%")
    kpi_table = at.dataframe[0].value
    assert list(kpi_table.columns) == ["Mean", "P10", "P50", "P90"]
    assert kpi_table.loc["NPV (pre-financing)", "P50"].startswith(("£", "(£"))
    answers = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("facility" in a for a in answers)
    at.slider(key="risk_level").set_value(10).run()
    assert not at.exception
