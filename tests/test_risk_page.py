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
from modeller.fields import input_label
from modeller.formatting import input_value
from modeller.formatting import money as fmt_money
from modeller.metrics import KPI_NAMES, KPIS
from modeller.risk.commitment import commitment
from modeller.risk.switching import switching_values
from modeller.scenario_io import load_scenario
from ui import charts, risk_view

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
WOUND = ROOT / "scenarios" / "wound_care_nurse_led.yaml"
GP = ROOT / "scenarios" / "gp_network.yaml"
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
    assert {f"{KPIS['npv'].label}, P50", "Peak funding requirement, P90"} <= set(labels)  # the KPIs' own labels
    measure = at.radio(key="risk_tornado_measure")
    assert (list(measure.options), measure.value) == ([KPIS["npv"].label, "Peak funding requirement"], "npv")
    measure.set_value("peak_funding_requirement").run()                 # the other tornado draws too
    assert not at.exception
    at.radio(key="risk_tornado_measure").set_value("npv").run()         # as the other tests expect
    assert at.metric[labels.index("Chance of a funding shortfall")].value.endswith("%")
    kpi_table = at.dataframe[0].value
    assert list(kpi_table.columns) == ["Mean", "P10", "P50", "P90"]
    assert list(kpi_table.index) == [KPIS[k].label for k in KPI_NAMES]  # named as on every other page
    assert kpi_table.loc[KPIS["npv"].label, "P50"].startswith(("£", "(£"))
    assert kpi_table.loc["First contract receipt", "P50"] == "Apr 2015"  # month 3 of a plan from Jan 2015
    answers = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert any("facility" in a for a in answers)


def test_risk_transfer_table_per_nhs_year(ran):
    table = next(d.value for d in ran.dataframe if "Provider retains (P50)" in d.value.columns)
    # the plan starts at mobilisation in Jan 2015, in NHS year 2014/15 (nothing shared yet), and ends in Mar 2020
    assert list(table.index) == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    assert list(table.columns) == ["Provider retains (P50)", "Provider retains (P10 – P90)",
                                   "Commissioner settles (P50)", "Commissioner settles (P10 – P90)"]
    assert all(v.startswith(("£", "(£")) for v in table["Provider retains (P50)"])


def _frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_switching_table_names_inputs_as_the_scenario_does_with_units(ran):
    sc = load_scenario(MSK)
    table = _frame_with(ran, "NPV falls to £0 at")
    assert list(table.columns) == ["Planned", "NPV falls to £0 at", "Cash first runs short at"]
    assert list(table.index) == [input_label(sc, p.path) for p in sc.uncertainty.parameters]
    assert "MSK prime contract: start delay (months)" in table.index
    assert "Pay inflation (% a year)" in table.index
    # msk_prime's start delay switches nothing in its range: what the contract brings (subcontracts, step-up
    # staff, expansion costs) moves with it, so a late start costs months of margin, not the business (issue 11)
    assert tuple(table.loc["MSK prime contract: start delay (months)"]) == ("0 months", risk_view.NEVER,
                                                                              risk_view.NEVER)
    assert table.loc["Pay inflation (% a year)", "Planned"] == "1.50%"
    referrals = table.loc["MSK referrals triaged at the front door: units a month"]
    assert referrals["Planned"] == "4,000 a month"                          # in its unit, not a bare "4,000"
    # the hospital subcontracts switch both above their £26.5m plan, in pounds (the engine's values): NPV inside the
    # range drawn (plan to +10%), a shortfall further out, in the widened range the search covers
    found = {(v["parameter"], v["target"]): v["value"] for v in switching_values(sc)}
    path = "costs.acute_subcontracts.annual"
    npv_zero, short = found[(path, "npv_zero")], found[(path, "shortfall")]
    assert 26_500_000 < npv_zero < 29_150_000 and npv_zero < short < 26_500_000 + 2 * 2_650_000
    subcontracts = table.loc["Hospital MSK care subcontracted to two NHS trusts: annual cost (£ a year)"]
    assert tuple(subcontracts) == tuple(input_value(path, v) for v in (26_500_000, npv_zero, short))
    every = " ".join(str(v) for v in table.to_numpy().ravel())
    assert "none in range" not in every and "checked" not in " ".join(table.columns)


def test_switching_checks_sit_behind_an_expander_with_the_engine_s_word(ran):
    expected = {(s["parameter"], s["target"]): s for s in switching_values(load_scenario(MSK))}
    checks = _frame_with(ran, "NPV checked")
    assert any(e.label == "How the switching values were found and checked" for e in ran.expander)
    for (path, target), s in expected.items():
        row = checks.set_index("Path").loc[path]
        value, checked = ((row["NPV reaches zero at"], row["NPV checked"]) if target == "npv_zero"
                          else (row["Shortfall switches at"], row["Shortfall checked"]))
        if s["value"] is None:
            assert (value, checked) == ("none in range", "–")
        else:
            assert checked == ("yes" if s["checked"] else "no")


def test_tornado_says_the_low_and_high_values_used(ran):
    sc = load_scenario(MSK)
    frames = [pa.ipc.open_stream(d.data.data).read_pandas() for c in ran.get("vega_lite_chart") for d in c.proto.datasets]
    data = next(f for f in frames if "Input value" in f.columns)
    delay = data[data["input"].str.startswith("MSK prime contract: start delay (months)")]
    # discrete 0 / 1 / 3 months at 70% / 20% / 10%: cumulative 0.7, 0.9, 1.0; P10 is 0 months and P90, on the
    # 0.9 boundary, the next value up: 3 months
    assert set(delay["input"]) == {"MSK prime contract: start delay (months): 0 months to 3 months"}
    assert list(delay["end"]) == ["Input at its low (P10)", "Input at its high (P90)"]
    assert list(delay["Input value"]) == ["0 months", "3 months"]
    table = _frame_with(ran, "NPV at low")
    assert list(table.columns) == ["Planned", "Low", "High", "NPV at low", "NPV at high", "Peak funding at low",
                                  "Peak funding at high"]
    pay = table.loc["Pay inflation (% a year)"]
    # normal, mean 1.5%, sd 0.5%: P10 and P90 are 1.5% -/+ 1.2816 x 0.5% = 0.86% and 2.14%
    assert (pay["Planned"], pay["Low"], pay["High"]) == ("1.50%", "0.86%", "2.14%")
    assert set(table.index) == {input_label(sc, p.path) for p in sc.uncertainty.parameters}


def test_no_internal_ids_outside_the_technical_detail(ran):
    shown = [m.value for m in (*ran.markdown, *ran.caption, *ran.subheader)]
    shown += [str(i) for d in ran.dataframe for i in d.value.index]
    for text in shown:
        assert "msk_prime" not in text and "indexation." not in text and "_months" not in text, text
    for words in ("P(shortfall)", "goal met", "just beyond", "none in range"):
        assert not any(words in t for t in shown if not t.startswith(("P(", "base case"))), words


def test_the_slider_says_what_0_percent_means(ran):
    slider = ran.slider(key="risk_level")
    assert "0% = the base case, no allowance for risk" in slider.label
    assert "0% = the base case" in slider.help


def test_commitment_charts_set_each_answer_against_the_scenario(ran):
    sc = load_scenario(MSK)
    answers = commitment(sc, None, seed=42)
    shown = charts_by_title(ran)
    # MSK: no opening capital needed; hiring can come forward a month; 64 WTE are planned before the first
    # receipt (founders, managers, analysts, ESPs, physios and admin starting in Jan-Mar 2015), and more could be
    assert answers["hire_ahead_months"].value == 1
    assert risk_view.chart_words("hire_ahead_months")[0] in shown
    # the facility answer: MSK's peak facility drawn (under its £4m limit, so the need), rounded up to the
    # seek's £1,000 step
    peak = run(sc).kpis()["peak_facility_drawn"]
    need = math.ceil(peak / 1000) * 1000
    assert sc.funding.facility.limit > peak and answers["minimum_facility_limit"].value == need
    expected = {"minimum_facility_limit": (sc.funding.facility.limit, "£4,000,000", fmt_money(need)),
                "minimum_opening_cash": (sc.funding.opening_cash, "£100,000", "£0")}
    assert answers["pre_receipt_wte"].value > 64
    assert risk_view.chart_words("pre_receipt_wte")[0] in shown
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
    assert list(facility["Value"]) == ["£4,000,000", expected["minimum_facility_limit"][2]]
    # hiring forward: planned 0 months ahead, the answer 1 month (2 months would take cash below the minimum)
    ahead = shown[risk_view.chart_words("hire_ahead_months")[0]]["data"]
    assert list(ahead["value"]) == pytest.approx([0, 1])


def test_pre_receipt_chart_in_wte_against_the_planned_team():
    sc = load_scenario(WOUND)
    answer = commitment(sc, None, seed=42)["pre_receipt_wte"].to_dict()
    planned = risk_view.scenario_figures(sc)["pre_receipt_wte"]
    # the sentence's "(k × the N WTE planned)": the chart's planned bar is that N, the answer k × N
    scale, said = re.search(r"\(([\d.]+) × the ([\d.,]+) WTE planned", answer["sentence"]).groups()
    assert f"{planned:,.1f}" == said and answer["value"] == pytest.approx(float(scale) * planned, rel=0.01)
    spec = risk_view.commitment_chart(answer, planned)
    data = next(iter(spec["datasets"].values())).to_dict("records")
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
    ("activity.referrals.per_month", 583.899, "583.9 a month"),
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


def test_answers_say_in_words_what_risk_they_allow_and_how_they_were_checked(ran):
    words = [m.value for m in ran.markdown if m.value.startswith("- ")]
    need = commitment(load_scenario(MSK), None, seed=42)["minimum_facility_limit"].value
    assert any(fmt_money(need) in w and "Confirmed by re-running the model" in w and "£1,000 less facility would not"
               in w for w in words)
    assert any(c.value.startswith("These answers are for the base case: every input as planned") for c in ran.caption)
    details = _frame_with(ran, "Engine check")
    assert details.loc["Revolving facility (£)", "Basis"] == "base case"
    assert details.loc["Revolving facility (£)", "Engine check"] == "goal met at the answer, missed just beyond"


def test_accepting_shortfall_risk_reruns_the_answers(ran):
    ran.slider(key="risk_level").set_value(10).run()
    assert not ran.exception
    assert any("accept a 10% chance (about 1 in 10) that cash falls below your £" in c.value for c in ran.caption)
    details = _frame_with(ran, "Engine check")
    # 300 draws are fewer than the 1,000 the answers are judged on: 1,000 of their own, same seed
    assert set(details["Basis"]) == {"P(shortfall) ≤ 10% over 1,000 draws (seed 42)"}
    ran.slider(key="risk_level").set_value(0).run()


@pytest.mark.parametrize("held, fails, caption", [
    (True, True, "base case; goal met at the answer, missed just beyond"),
    (True, None, "base case; goal met at the answer (nothing beyond to try)"),
    (False, None, "base case; goal not met at the answer"),
    (None, None, "base case"),                                   # no answer: nothing was checked
])
def test_each_answer_says_how_the_engine_checked_it(held, fails, caption):
    answer = {"basis": "base case", "holds_at_answer": held, "fails_beyond": fails}
    assert risk_view.commitment_caption(answer) == caption


@pytest.mark.parametrize("path, text", [
    ("contracts.msk_prime.start_delay_months", "MSK prime contract: start delay (months)"),
    ("indexation.pay", "Pay inflation (% a year)"),
    ("funding.facility.limit", "Facility limit (£)"),
    ("workforce.roles.physio.fill_rate", "MSK physiotherapists (band 6), employed: fill rate (%)"),
    # plan step 0 is linked a month before the contract's Apr 2015 start: named by the month it resolves to
    ("workforce.roles.physio.plan.0.wte", "MSK physiotherapists (band 6), employed: target WTE from Mar 2015"),
    # a name over 40 characters loses its closing bracket: "(scans, injections, independent-sector surgery)"
    ("costs.onward_care.unit_cost", "Onward care bought per patient: unit cost (£ per unit)"),
    ("contracts.msk_prime.risk_share.provider_share", "MSK prime contract: risk share kept by provider (%)"),
    ("no.such.path", "no.such.path"),                       # never a crash: the path itself
])
def test_inputs_are_named_as_the_scenario_names_them(path, text):
    assert input_label(load_scenario(MSK), path) == text


def test_no_answer_has_no_check_line_even_when_the_plan_itself_misses_the_goal():
    # hiring to plan already runs short too often: the search stops at its start (no answer, not a failed check)
    answer = {"question": "hire_ahead_months", "value": None, "unit": "months", "basis": "P(shortfall) ≤ 10%",
              "holds_at_answer": False, "fails_beyond": None}
    assert risk_view.plain_check(answer) == ""
    assert risk_view.plain_check({**answer, "value": 3.0, "holds_at_answer": True, "fails_beyond": True}) == \
        "Confirmed by re-running the model: this answer keeps cash above the minimum; hiring a month earlier than " \
        "that would not."


def test_a_run_that_would_hold_the_server_for_minutes_is_refused_before_it_starts():
    import yaml

    from modeller.scenario_limits import MAX_WORK

    st.cache_data.clear()
    data = yaml.safe_load(GP.read_text())
    data["months"] = 240
    template = data["costs"][0]
    data["costs"] = [{**template, "id": f"cost_{i}", "name": f"Cost {i}"} for i in range(30)]
    data.pop("uncertainty", None)
    items = len(data["activity"]) + len(data["contracts"]) + len(data["workforce"]["roles"]) + 30 + \
        len(data.get("capex", [])) + len(data["funding"].get("loans", []))
    assert 200_000 * 240 * items > MAX_WORK  # the page's most draws would be too much work
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="upload").set_value(("big.yaml", yaml.safe_dump(data).encode(),
                                              "application/x-yaml")).run()
    assert not at.exception and at.session_state["source"] == "Upload: big.yaml"
    at.switch_page("ui/pages/risk.py").run()
    assert not at.error and not at.button(key="risk_run").disabled  # the default draws are fine
    at.number_input(key="risk_draws").set_value(200_000).run()
    assert at.button(key="risk_run").disabled
    assert at.error[0].value.startswith("200,000 draws of 240 months")
    assert "use at most" in at.error[0].value
