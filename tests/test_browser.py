"""The app in a real browser (Playwright driving Debian Chromium), as a person would use it."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from modeller.metrics import KPIS
from tests.browser_support import script_run, shot, visit, wait_idle

pytestmark = pytest.mark.browser
PAGES = {"Overview": "overview", "Workforce": "workforce", "Cash and commitment": "cash",
         "Statements": "statements", "Compare": "compare", "Export": "export"}
HEADLINE = ("peak_funding_requirement", "npv", "ebitda_breakeven_month")


def metric_value(page, kpi: str):
    """The value on the card of a KPI, found by the KPI's label in the registry (`metrics.KPIS`)."""
    card = page.locator('[data-testid="stMetric"]', has_text=KPIS[kpi].label).first
    return card.locator('[data-testid="stMetricValue"]')


def metric(page, kpi: str) -> str:
    return metric_value(page, kpi).inner_text()


def go(page, title: str) -> None:
    with script_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()


def section(page, name: str, first_table: str | None = None) -> None:
    with script_run(page):
        page.locator('[data-testid="stButtonGroup"] button', has_text=name).first.click()
    if first_table:
        page.locator('[data-testid="stMarkdown"]', has_text=first_table).first.wait_for()


def open_example(page, name: str) -> None:
    picker = page.locator('[data-testid="stSelectbox"]').first
    shown = picker.get_by_role("combobox").input_value()
    picker.click()
    option = page.get_by_role("option", name=re.compile(name))
    if shown.startswith(name):  # choosing the example shown again changes nothing: no rerun to wait for
        option.click()
    else:
        with script_run(page):
            option.click()  # choosing it opens it
    page.locator('[data-testid="stSidebar"]', has_text=re.compile(f"Example: {name}")).wait_for()


def upload(page, path) -> None:
    with script_run(page):
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))


def type_in_cell(page, editor: int, row: int, column: int, text: str, now: str) -> None:
    """Select a cell of a data editor (a canvas) by keyboard from its first cell, then type over it.

    The grid's accessible table marks the selected cell (`aria-selected`): each key press waits for the
    grid to show the cell it should have reached, and the cell is only typed over once its editor shows
    `now`, its current value."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(editor)
    grid.scroll_into_view_if_needed()

    def cell(col: int):  # column 0 of the accessible table is the row-select column
        return grid.locator(f'[data-testid="glide-cell-{col + 1}-{row}"]')

    expect(cell(0)).to_be_attached()  # the grid is drawn
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 80, box["y"] + 35 * 1.5 + 35 * row)  # past the row-select column
    expect(cell(0)).to_have_attribute("aria-selected", "true")
    for col in range(1, column + 1):
        page.keyboard.press("ArrowRight")
        expect(cell(col)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # opens the cell's editor in an overlay
    field = page.locator("#portal input, #portal textarea").first
    expect(field).to_have_value(now)
    field.fill(text)
    expect(field).to_have_value(text)
    with script_run(page):
        field.press("Enter")


def test_pick_msk_edit_a_contract_and_see_the_kpis_change(page):
    open_example(page, "MSK prime provider")
    section(page, "Contracts", first_table="Contract changes")
    npv = metric(page, "npv")
    # the block contracts' columns: id, name, annual value (£12m a year)
    type_in_cell(page, editor=0, row=0, column=2, text="15000000", now="12000000")
    expect(metric_value(page, "npv")).not_to_have_text(npv, timeout=45000)  # a cold server on a busy machine
    assert metric(page, "npv") != npv
    shot(page, "scenario_contracts_edited")


def test_bad_upload_shows_the_message_and_keeps_the_scenario(page, tmp_path):
    npv = metric(page, "npv")
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: Broken\nstart: '2025-13'\nmonths: 12\n")
    upload(page, bad)
    error = page.locator('[data-testid="stAlert"]', has_text="This file was not loaded")
    error.wait_for()
    assert "broken.yaml: start: month 2025-13" in error.inner_text()
    assert metric(page, "npv") == npv
    assert "MSK prime provider" in page.locator('[data-testid="stSidebar"]').inner_text()
    shot(page, "scenario_bad_upload")


def test_download_yaml_and_upload_it_back_gives_the_same_numbers(page, tmp_path):
    open_example(page, "GP network")
    figures = [metric(page, k) for k in HEADLINE]
    with page.expect_download() as got:
        page.get_by_role("button", name="Download scenario (YAML)").click()
    path = tmp_path / "downloaded.yaml"
    got.value.save_as(path)
    assert yaml.safe_load(path.read_text())["name"].startswith("GP")
    open_example(page, "MSK prime provider")  # something else first, so the upload must change it back
    upload(page, path)
    page.locator('[data-testid="stSidebar"]', has_text="Upload: downloaded.yaml").wait_for()
    # the sidebar is drawn before the page: wait for the page's figures to follow
    expect(metric_value(page, "npv")).to_have_text(figures[1], timeout=30000)
    assert [metric(page, k) for k in HEADLINE] == figures


def test_every_page_and_compare_two_scenarios(page):
    shot(page, "scenario")
    for title, slug in PAGES.items():
        go(page, title)
        page.locator('[data-testid="stMain"] h1').first.wait_for()
        if slug != "export":
            page.locator(".vega-embed, [data-testid='stDataFrame']").first.wait_for(timeout=20000)
        shot(page, slug)
    go(page, "Compare")
    picked = page.locator('[data-testid="stMultiSelect"]').inner_text()
    assert "Current: MSK prime provider" in picked and "Example: " in picked
    assert page.locator(".vega-embed").count() == 3  # cash, income and staff overlaid
    go(page, "Risk")
    page.get_by_role("button", name="Run risk analysis").wait_for()
    shot(page, "risk")


def test_two_people_do_not_see_each_others_scenarios(browser, app_url):  # noqa: F811
    one, two = visit(browser, app_url), visit(browser, app_url)
    with script_run(one):
        one.get_by_role("button", name="Start from a blank template").click()
    one.locator('[data-testid="stSidebar"]', has_text="New venture").wait_for()
    two.reload()
    wait_idle(two)  # after a reload the app element says "initial" until the first run is drawn
    two.locator('[data-testid="stSidebar"]', has_text="Scenario").wait_for()
    two_sidebar = two.locator('[data-testid="stSidebar"]').inner_text()
    assert "New venture" not in two_sidebar and "MSK prime provider" in two_sidebar
    one.context.close()
    two.context.close()
