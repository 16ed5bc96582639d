"""Compare page: scenarios listed once; calendar differences, different spans and risk results, by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from modeller.engine import run
from modeller.metrics import KPIS
from modeller.risk import simulate
from modeller.scenario_io import load_scenario, scenario_from_data, scenario_to_data
from ui import compare as cmp
from ui import compare_table as ct
from ui import fmt
from ui.risk_runs import Run

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
MSK = "MSK prime provider scale-up (illustrative)"


@pytest.fixture
def at():
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=60).run()


def _options(at) -> list[str]:
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    return list(at.multiselect(key="compare_pick").options)


def _edit_minimum_cash(at) -> None:
    at.switch_page("ui/pages/scenario.py").run()
    at.segmented_control(key="section").set_value("Funding").run()
    at.number_input(key=f"ed{at.session_state['version']}_minimum_cash").set_value(400000.0).run()


def test_the_unedited_example_is_listed_once_as_the_current_scenario(at):
    options = _options(at)
    assert [o for o in options if MSK in o] == [f"Current: {MSK} (same as the example)"]
    current, other = at.multiselect(key="compare_pick").value  # option keys, shown through their labels
    assert current == "current" and other.startswith("example:") and other != "example:msk_prime_provider"


def test_after_an_edit_the_example_is_a_different_scenario_again(at):
    _edit_minimum_cash(at)
    options = _options(at)
    assert f"Current: {MSK}" in options and f"Example: {MSK}" in options
    table = at.dataframe[0].value
    assert table.shape[1] == 4  # Figure, current, the other example, one Δ column


def test_saving_the_same_scenario_twice_keeps_one_version(at):
    at.button(key="save_version").click().run()
    at.button(key="save_version").click().run()
    assert list(at.session_state["saved"]) == [f"Version 1: {MSK}"]
    _edit_minimum_cash(at)
    at.button(key="save_version").click().run()
    options = _options(at)
    assert f"Version 1: {MSK}" in options  # the unedited one
    assert f"Version 2: {MSK} (same as current)" in options


# ---- calendar differences, spans and risk rows (builders, no Streamlit) ----

def _result(stem: str):
    return run(load_scenario(ROOT / "scenarios" / f"{stem}.yaml"))


def test_month_differences_count_calendar_months_from_each_start():
    # A: peak funding in month 5 from Sep 2016 = Feb 2017; B: month 17 from Apr 2015 = Sep 2016.
    # Sep 2016 − Feb 2017 = (2016 − 2017) × 12 + (9 − 2) = −5 months (plan months would say +12)
    assert ct.kpi_difference("peak_funding_month", 17, 5, "2015-04", "2016-09") == "−5 months"
    # month 0 from Apr 2015 and month 0 from Apr 2026: (2026 − 2015) × 12 = 132 months (plan months: "same")
    assert ct.kpi_difference("first_receipt_month", 0, 0, "2026-04", "2015-04") == "+132 months"
    # month 132 from Apr 2015 is Apr 2026 itself
    assert ct.kpi_difference("payback_month", 0, 132, "2026-04", "2015-04") == "same month"
    assert ct.kpi_difference("payback_month", 1, 0, "2025-04", "2025-04") == "+1 month"
    assert ct.kpi_difference("payback_month", None, 3, "2025-04", "2025-04") == "–"


def test_other_differences_in_their_units():
    assert ct.kpi_difference("irr", 0.127, 0.15, "2025-04", "2015-04") == "−2.3 pts"
    assert ct.kpi_difference("peak_wte", 34.9, 250.0, "2025-04", "2015-04") == "−215.1 WTE"
    # −£1,601,473 to three figures: −£1.60m
    assert ct.kpi_difference("npv", 0.0, 1_601_473.0, "2025-04", "2015-04") == "−£1.60m"


@pytest.mark.parametrize(("amount", "text"), [
    (0.3, "£0"), (12, "+£12"), (-999.4, "−£999"), (208_919, "+£209k"), (-139_719, "−£140k"),
    (999_400, "+£999k"), (999_600, "+£1.00m"), (44_350_679, "+£44.4m"), (-221_753_395, "−£222m"),
])
def test_differences_to_three_figures(amount, text):
    assert ct.signed_short_money(amount) == text


def test_plans_years_apart_share_no_window_and_say_so():
    # MSK runs 63 months from Jan 2015; back pain, made 63 months long too, from Feb 2026
    back_pain = scenario_to_data(load_scenario(ROOT / "scenarios" / "back_pain_capitation.yaml"))
    back_pain["months"] = 63
    results = {"MSK": _result("msk_prime_provider"), "Back pain": run(scenario_from_data(back_pain, "back_pain"))}
    assert ct.spans_differ(results) and not ct.lengths_differ(results)
    assert ct.common_window(results) is None  # Jan 2015 – Mar 2020 and Feb 2026 – Apr 2031 never meet
    note = ct.span_note(results)
    assert "A: Jan 2015 – Mar 2020 (63 months); B: Feb 2026 – Apr 2031 (63 months)" in note
    assert "no common window" in note
    table = ct.comparison_table(results).set_index("Figure")
    # same length: totals keep their differences, and no per-year rows are needed
    assert table.loc["Total income", "Δ B vs A"].startswith("−£")
    assert "Income, per year" not in table.index
    # 20 months from Jan 2015 = Sep 2016; 1 from Feb 2026 = Mar 2026: (2026 − 2016) × 12 + (3 − 9) = 114
    assert list(table.loc[KPIS["peak_funding_month"].label]) == ["Sep 2016", "Mar 2026", "+114 months"]


def test_a_ten_year_plan_against_a_five_year_one_compares_per_year_and_over_the_common_window():
    gp, imaging = _result("gp_network"), _result("imaging_scanners")  # Apr 2025 + 60 months; Jan 2025 + 123
    results = {"GP": gp, "Imaging": imaging}
    window = ct.common_window(results)
    assert (str(window.first), str(window.last), window.months) == ("2025-04", "2030-03", 60)
    table = ct.comparison_table(results).set_index("Figure")
    assert table.loc["Total income", "Δ B vs A"] == "spans differ"
    # per year: each total × 12 ÷ its months
    assert table.loc["Income, per year", "A"] == fmt.money(gp.kpis()["total_income"] * 12 / 60)
    assert table.loc["Income, per year", "B"] == fmt.money(imaging.kpis()["total_income"] * 12 / 123)
    # over Apr 2025 – Mar 2030 GP's income is all of it; imaging's is its months 3 to 62 (Jan 2025 is month 0)
    assert table.loc["Income, Apr 25–Mar 30", "A"] == fmt.money(gp.kpis()["total_income"])
    assert table.loc["Income, Apr 25–Mar 30", "B"] == fmt.money(imaging.lines["income"][0][3:63].sum())
    assert "spans differ" in ct.span_note(results)


def test_same_spans_need_no_note():
    results = {"GP": _result("gp_network"), "Wound care": _result("wound_care_nurse_led")}
    assert ct.span_note(results) is None
    assert "spans differ" not in ct.comparison_table(results).to_string()


@dataclass
class _FakeRun:
    """The parts of a MonteCarloResult the risk table reads."""
    draws: int = 500
    seed: int = 7
    probability_of_shortfall: float = 0.125

    def summary(self, kpi: str) -> dict:
        return {"npv": {"p10": -1000.0, "p50": 2000.0, "p90": 5000.0},
                "peak_funding_requirement": {"p10": 10.0, "p50": 20.0, "p90": 30.0}}[kpi]


def test_risk_rows_beside_the_base_case_and_not_run_where_missing():
    results = {"GP": _result("gp_network"), "Wound care": _result("wound_care_nurse_led")}
    table = ct.risk_table(results, {"GP": _FakeRun(), "Wound care": None}).set_index("Figure")
    assert list(table["A"]) == [fmt.money(results["GP"].kpis()["npv"]), "(£1,000)", "£2,000", "£5,000",
                                fmt.money(results["GP"].kpis()["peak_funding_requirement"]), "£10", "£20", "£30",
                                "12%", "500 draws, seed 7"]
    npv, peak = KPIS["npv"].label, KPIS["peak_funding_requirement"].label   # rows named as every layer names them
    assert list(table.index[:4]) == [f"{npv}: base case", f"{npv}, P10", f"{npv}, P50", f"{npv}, P90"]
    assert table.loc[f"{npv}: base case", "B"] == fmt.money(results["Wound care"].kpis()["npv"])
    assert set(table["B"].drop([f"{npv}: base case", f"{peak}: base case"])) == {"not run"}


# ---- the page (AppTest) ----

def test_the_page_letters_each_scenario_and_shows_its_span(at):
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    assert [t.value for t in at.text][:2] == [f"Current: {MSK} (same as the example)",
                                             "Example: Lower back pain service on capitation (illustrative)"]
    table = at.dataframe[0].value.set_index("Figure")
    assert list(table.columns) == ["A", "B", "Δ B vs A"]
    assert table.loc["First contract receipt", "Δ B vs A"] == "+132 months"  # Apr 2015 to Apr 2026
    assert any("These plans cover different periods" in i.value for i in at.info)
    assert any("A: it is the scenario being edited: run it on the Risk page." in i.value
               and "B: open the example on the Scenario page" in i.value for i in at.info)


def test_four_scenarios_and_every_chart_view(at):
    at.switch_page("ui/pages/compare.py").run()
    picked = ["current", "example:back_pain_capitation", "example:imaging_scanners", "example:gp_network"]
    at.multiselect(key="compare_pick").set_value(picked).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["Figure", "A", "B", "Δ B vs A", "C", "Δ C vs A", "D", "Δ D vs A"]
    for view in cmp.CHART_VIEWS:
        at.segmented_control(key="compare_chart_view").set_value(view).run()
        assert not at.exception


def test_a_risk_run_of_the_current_scenario_shows_beside_its_base_case(at):
    text = at.session_state["good_yaml"]
    mc = simulate(load_scenario(text), draws=200, seed=3)
    at.session_state["risk_last"] = Run(text, 200, 3, mc)
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    table = at.dataframe[1].value.set_index("Figure")
    p50 = f"{KPIS['npv'].label}, P50"
    assert table.loc[p50, "A"] == fmt.money(mc.summary("npv")["p50"])
    assert table.loc["Chance of a funding shortfall", "A"] == fmt.pct(mc.probability_of_shortfall, 0)
    assert table.loc["Risk run", "A"] == "200 draws, seed 3"
    assert table.loc[p50, "B"] == "not run"
    assert any("No risk run yet for:" in i.value and "A:" not in i.value for i in at.info)


def test_a_saved_version_says_how_it_can_get_a_risk_run(at):
    at.button(key="save_version").click().run()
    _edit_minimum_cash(at)
    at.switch_page("ui/pages/compare.py").run()
    at.multiselect(key="compare_pick").set_value(["current", f"saved:Version 1: {MSK}"]).run()
    assert not at.exception
    note = next(i.value for i in at.info if "No risk run yet for:" in i.value)
    assert "A: it is the scenario being edited" in note
    assert "B: a saved version can be run only while it is being edited" in note
