"""Compare in a real browser: bids starting years apart differ by calendar months; four fit a 1366×768 screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from modeller import load_scenario, run
from modeller.formatting import month_label
from modeller.metrics import KPIS
from modeller.scenario import month_number
from tests.browser_support import go, script_run, shot, visit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

MSK = "MSK prime provider scale-up (illustrative)"                  # the current scenario
BACK_PAIN = "Lower back pain service on capitation (illustrative)"   # the default B
IMAGING = "Diagnostic imaging company, two sites over ten years (illustrative)"   # Apr 2025, 120 months
GP = "GP network started by two founders (illustrative)"             # Apr 2025, 60 months


MSK_FILE, BACK_PAIN_FILE = ROOT / "scenarios" / "msk_prime_provider.yaml", ROOT / "scenarios" / "back_pain_capitation.yaml"


def _month(sc, kpi: str) -> int:
    """A month KPI as months since year 0 of the calendar."""
    return month_number(sc.start) + run(sc).kpis()[kpi]


def calendar_row(kpi: str) -> list[str]:
    """A, B and B − A in calendar months, from the engine: e.g. ["Sep 2016", "Feb 2026", "+113 months"]."""
    a, b = load_scenario(MSK_FILE), load_scenario(BACK_PAIN_FILE)
    ka, kb = run(a).kpis()[kpi], run(b).kpis()[kpi]
    return [month_label(a.start, ka), month_label(b.start, kb), f"{_month(b, kpi) - _month(a, kpi):+d} months"]


def period(path) -> str:
    sc = load_scenario(path)
    return f"{month_label(sc.start, 0)} – {month_label(sc.start, sc.months - 1)} ({sc.months} months)"


def open_compare(page) -> None:
    go(page, "Compare")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator(".vega-embed").first.wait_for()


def table(page, nth: int = 0) -> dict[str, list[str]]:
    """A dataframe's rows by their first cell, read from the grid's accessible table (the cells are a canvas)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(nth)
    expect(grid.locator("table tr").nth(1)).to_be_attached()  # drawn: a header row and a first figure
    rows = grid.evaluate("e => [...e.querySelectorAll('table tr')].map(r => [...r.children].map(c => c.textContent))")
    return {r[0]: r[1:] for r in rows if r}


def add(page, name: str) -> None:
    """Pick one more scenario in the multiselect (examples are listed as "Example: <name>")."""
    page.locator('[data-testid="stMultiSelect"] input').click()
    with script_run(page):
        page.get_by_role("option", name=f"Example: {name}").click()
    page.keyboard.press("Escape")
    page.locator('[data-testid="stText"]', has_text=f"Example: {name}").wait_for()  # its legend card


def no_sideways_scroll(page) -> None:
    """Nothing on the page, and no table, needs scrolling sideways at 1366 pixels."""
    main = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]');"
                         " return [m.scrollWidth, m.clientWidth]; }")
    assert main[0] <= main[1], f"the page scrolls sideways: {main}"
    grids = page.evaluate("() => [...document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller')]"
                          ".map(s => [s.scrollWidth, s.clientWidth])")
    assert grids and all(w <= c for w, c in grids), f"a table scrolls sideways: {grids}"


def test_bids_starting_years_apart_differ_by_calendar_months_for_two_visitors(browser, app_url):
    for visitor in (1, 2):  # two people on one server: the second is served from shared caches
        page = visit(browser, app_url)
        open_compare(page)
        rows = table(page)
        assert rows["Figure"] == ["A", "B", "Δ B vs A"]
        # months are compared on the calendar, not as plan months: A (MSK, from Jan 2015) and B (back pain,
        # from Feb 2026) start 133 months apart, so a figure in the same plan month differs by 133 months
        for kpi in ("peak_funding_month", "first_receipt_month"):
            assert rows[KPIS[kpi].label] == calendar_row(kpi), kpi
        note = page.locator('[data-testid="stAlert"]', has_text="These plans cover different periods")
        expect(note).to_contain_text(f"A: {period(MSK_FILE)}; B: {period(BACK_PAIN_FILE)}")
        legend = page.locator('[data-testid="stMain"]')
        expect(legend).to_contain_text(f"Current: {MSK}")
        expect(legend).to_contain_text(f"Example: {BACK_PAIN}")
        no_sideways_scroll(page)
        if visitor == 1:
            shot(page, "compare_2_scenarios")
        page.context.close()


def test_four_scenarios_fit_the_screen_with_full_names_and_a_chart_each(page):
    open_compare(page)
    add(page, IMAGING)
    rows = table(page)
    assert rows["Figure"] == ["A", "B", "Δ B vs A", "C", "Δ C vs A"]
    assert rows[KPIS["total_income"].label][4] == "spans differ"  # C's 120 months against A's 60
    assert "Income, per year" in rows
    shot(page, "compare_3_scenarios")
    add(page, GP)
    rows = table(page)
    assert rows["Figure"] == ["A", "B", "Δ B vs A", "C", "Δ C vs A", "D", "Δ D vs A"]
    main = page.locator('[data-testid="stMain"]')
    for name in (f"Current: {MSK}", f"Example: {BACK_PAIN}", f"Example: {IMAGING}", f"Example: {GP}"):
        expect(main.locator('[data-testid="stText"]', has_text=name)).to_be_visible()  # the legend, in full
    no_sideways_scroll(page)
    expect(page.get_by_role("radio", name="A chart each, own scale")).to_be_checked()
    expect(page.locator(".vega-embed")).to_have_count(3)  # cash, income and staff, each in four panels
    shot(page, "compare_4_scenarios")


def test_a_risk_run_shows_beside_its_base_case_and_the_others_say_where_to_run_one(page):
    go(page, "Risk")
    draws = page.get_by_role("spinbutton", name="Draws").input_value()  # the scenario's own draws and seed
    with script_run(page, timeout_ms=120000):
        page.get_by_role("button", name="Run risk analysis").click()
    page.locator('[data-testid="stProgress"]', has_text=f"{int(draws):,} draws done").wait_for()
    open_compare(page)
    page.locator('[data-testid="stDataFrame"]').nth(1).wait_for()
    rows = table(page, 1)
    assert rows["Figure"] == ["A", "B"]
    assert rows["Risk run"] == [f"{int(draws):,} draws, seed 42", "not run"]
    npv_p10, peak = f"{KPIS['npv'].label}, P10", KPIS["peak_funding_requirement"].label
    assert rows[npv_p10][0].startswith(("£", "(£")) and rows[npv_p10][1] == "not run"
    assert rows["Chance of a funding shortfall"][0].endswith("%")
    assert rows[f"{peak}: base case"] == table(page)[peak][:2]  # the same base figures
    expect(page.locator('[data-testid="stAlert"]', has_text="No risk run yet for:")).to_contain_text(
        "B: open the example on the Scenario page, then run it on the Risk page.")
    shot(page, "compare_risk")
