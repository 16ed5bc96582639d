"""The Risk page in AppTest: Run draws, shortfall chance, KPI spreads, switching values with the engine's
checks, commitment answers with their charts, and draws/seed settings the widgets cannot take."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from modeller.engine import run
from modeller.formatting import input_value
from modeller.risk.commitment import commitment
from modeller.risk.switching import switching_values
from modeller.scenario_io import load_scenario
from ui import charts, risk_view

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
WOUND = ROOT / "scenarios" / "wound_care_nurse_led.yaml"
DRAWS = 300


def _risk_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("ui/pages/risk.py").run()
    assert not at.exception
    return at


def _run(at: AppTest, draws: int = DRAWS) -> AppTest:
    at.number_input(key="risk_draws").set_value(draws).run()
    at.button(key="risk_run").click().run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def ran() -> AppTest:
    """The MSK example (the app's first scenario) after a 300-draw run."""
    st.cache_data.clear()
    return _run(_risk_page())


def charts_by_title(at: AppTest) -> dict[str, dict]:
    """Each titled Altair chart on the page: its spec and its data as a DataFrame."""
    out = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = (spec.get("title") or {}).get("text")
        if title:
            frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets]
            out[title] = {"spec": spec, "data": frames[0]}
    return out


def test_risk_page_runs_and_answers(ran):
    at = ran
    labels = [m.label for m in at.metric]
    assert "Chance of a funding shortfall" in labels
    assert at.metric[labels.index("Chance of a funding shortfall")].value.endswith("%")
    kpi_table = at.dataframe[0].value
    assert list(kpi_table.columns) == ["Mean", "P10", "P50", "P90"]
    assert kpi_table.loc["NPV (pre-financing)", "P50"].startswith(("£", "(£"))
    assert kpi_table.loc["First contract receipt", "P50"] == "Apr 2015"  # month 0 of a plan from Apr 2015
    answers = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("facility" in a for a in answers)


def test_risk_transfer_table_per_nhs_year(ran):
    table = next(d.value for d in ran.dataframe if "Provider retains (P50)" in d.value.columns)
    assert list(table.index) == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    assert list(table.columns) == ["Provider retains (P50)", "Provider retains (P10 – P90)",
                                   "Commissioner settles (P50)", "Commissioner settles (P10 – P90)"]
    assert all(v.startswith(("£", "(£")) for v in table["Provider retains (P50)"])


def test_switching_table_says_whether_the_engine_checked_each_value(ran):
    table = next(d.value for d in ran.dataframe if "NPV reaches zero at" in d.value.columns)
    assert list(table.columns) == ["NPV reaches zero at", "NPV checked", "Shortfall appears at", "Shortfall checked"]
    expected = {(s["parameter"], s["target"]): s for s in switching_values(load_scenario(MSK))}
    for path, target in expected:
        row = table.loc[risk_view.label(path)]
        value, checked = ((row["NPV reaches zero at"], row["NPV checked"]) if target == "npv_zero"
                          else (row["Shortfall appears at"], row["Shortfall checked"]))
        s = expected[(path, target)]
        if s["value"] is None:
            assert (value, checked) == ("none in range", "–")
        else:
            assert checked == ("yes" if s["checked"] else "no")
    # msk_prime's start delay: NPV reaches zero at 2 months, confirmed by the engine
    assert tuple(table.loc["msk_prime: start delay months", ["NPV reaches zero at", "NPV checked"]]) == \
        ("2 months", "yes")


def test_commitment_charts_set_each_answer_against_the_scenario(ran):
    sc = load_scenario(MSK)
    answers = commitment(sc, None, seed=42)
    shown = charts_by_title(ran)
    # MSK: hiring cannot come forward (0 months); facility £1,684,000 of £2,000,000; no opening capital needed;
    # no staff before the first receipt, so that answer has no value and no chart
    expected = {"hire_ahead_months": (0.0, "0 months", "0 months"),
                "minimum_facility_limit": (sc.funding.facility.limit, "£2,000,000", "£1,684,000"),
                "minimum_opening_cash": (sc.funding.opening_cash, "£100,000", "£0")}
    # the facility answer: MSK's peak facility drawn, £1,683,132 (under its £2m limit, so the need), rounded up
    # to the seek's £1,000 step: £1,684,000
    peak = run(sc).kpis()["peak_facility_drawn"]
    assert sc.funding.facility.limit > peak and math.ceil(peak / 1000) * 1000 == 1_684_000
    assert answers["pre_receipt_wte"].value is None
    assert risk_view.chart_words("pre_receipt_wte")[0] not in shown
    for q, (current, current_text, answer_text) in expected.items():
        chart = shown[risk_view.chart_words(q)[0]]
        data = chart["data"]
        assert list(data["value"]) == pytest.approx([current, answers[q].value])
        assert data["Value"][0] == current_text
        assert data["Value"][1] == answer_text
        bars = chart["spec"]["layer"][0]["encoding"]
        assert bars["color"]["scale"]["range"] == [charts.PALETTE[0], charts.PALETTE[1]]
        assert [t["field"] for t in bars["tooltip"]] == ["What", "Value", "Basis"]
    facility = shown["Revolving facility (£)"]["data"]
    assert list(facility["What"]) == ["Your facility", "Least you need"]
    assert list(facility["Value"]) == ["£2,000,000", "£1,684,000"]


def test_pre_receipt_chart_in_wte_against_the_planned_team():
    sc = load_scenario(WOUND)
    answer = commitment(sc, None, seed=42)["pre_receipt_wte"].to_dict()
    planned = risk_view.scenario_figures(sc)["pre_receipt_wte"]
    # the sentence's "(k × the N WTE planned)": the chart's planned bar is that N, the answer k × N
    scale, said = re.search(r"\(([\d.]+) × the ([\d.,]+) WTE planned", answer["sentence"]).groups()
    assert f"{planned:,.1f}" == said and answer["value"] == pytest.approx(float(scale) * planned, rel=0.01)
    spec = risk_view.commitment_chart(answer, planned).to_dict()
    data = next(iter(spec["datasets"].values()))
    assert [(r["What"], r["Value"]) for r in data] == [("Planned", f"{planned:,.1f} WTE"),
                                                        ("Most you can", f"{answer['value']:,.1f} WTE")]
    assert spec["title"]["text"] == "Team before the first receipt (WTE)"
    assert answer["value"] > planned  # wound care can take on more than planned before its first receipt
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == "WTE"


def test_answer_without_a_value_has_no_chart():
    answer = {"question": "pre_receipt_wte", "value": None, "unit": "WTE", "sentence": "No staff…",
              "basis": "base case", "holds_at_answer": None, "fails_beyond": None}
    assert risk_view.commitment_chart(answer, 4.0) is None


@pytest.mark.parametrize("path, value, text", [
    ("indexation.pay", 0.0705467, "7.05%"),                  # was "0.07055": indexation is a rate
    ("contracts.locum_booking.price_per_unit", 8.4718, "£8.47"),
    ("contracts.msk_prime.annual_value", 2014111.01, "£2,014,111"),
    ("contracts.msk_prime.start_delay_months", 1.0, "1 month"),
    ("activity.referrals.per_month", 583.899, "583.9"),
    ("workforce.roles.physio.fill_rate", None, "none in range"),
])
def test_input_values_read_in_their_unit(path, value, text):
    assert input_value(path, value) == text


def test_clamp_keeps_settings_inside_the_widgets():
    assert risk_view.clamp(50, risk_view.DRAWS_RANGE) == 100
    assert risk_view.clamp(10**7, risk_view.DRAWS_RANGE) == 200_000
    assert risk_view.clamp(-5, risk_view.SEED_RANGE) == 0
    assert risk_view.clamp(2**40, risk_view.SEED_RANGE) == 2**32 - 1
    assert risk_view.clamp(42, risk_view.SEED_RANGE) == 42


def test_scenario_draws_below_the_minimum_and_a_large_seed_do_not_crash_the_page():
    st.cache_data.clear()
    text = MSK.read_text().replace("  draws: 10000\n", "  draws: 50\n").replace("  seed: 42\n", "  seed: 4294967295\n")
    assert "draws: 50" in text and "seed: 4294967295" in text
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="upload").set_value(("few.yaml", text.encode(), "application/x-yaml")).run()
    assert not at.exception and at.session_state["source"] == "Upload: few.yaml"
    at.switch_page("ui/pages/risk.py").run()
    assert not at.exception
    assert at.number_input(key="risk_draws").value == 100          # 50 asked, the widget's least
    assert at.number_input(key="risk_seed").value == 2**32 - 1     # above the old 2**31 - 1 limit: kept
    assert any("asks for 50 draws" in c.value for c in at.caption)
    at.button(key="risk_run").click().run()
    assert not at.exception
    assert "Chance of a funding shortfall" in [m.label for m in at.metric]


def test_accepting_shortfall_risk_reruns_the_answers(ran):
    ran.slider(key="risk_level").set_value(10).run()
    assert not ran.exception
    captions = [m.value for m in ran.markdown if m.value.startswith("- ")]
    assert any("P(shortfall) ≤ 10%" in c for c in captions)


@pytest.mark.parametrize("held, fails, caption", [
    (True, True, "base case; goal met at the answer, missed just beyond"),
    (True, None, "base case; goal met at the answer (nothing beyond to try)"),
    (False, None, "base case; goal not met at the answer"),
    (None, None, "base case"),                                   # no answer: nothing was checked
])
def test_each_answer_says_how_the_engine_checked_it(held, fails, caption):
    answer = {"basis": "base case", "holds_at_answer": held, "fails_beyond": fails}
    assert risk_view.commitment_caption(answer) == caption
