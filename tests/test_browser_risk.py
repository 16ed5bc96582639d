"""Risk and Export in a real browser: a small Monte Carlo, then the workbook downloaded with its Risk sheet."""

from __future__ import annotations

import openpyxl
import pytest

from modeller.fields import input_label
from modeller.risk.commitment import commitment
from modeller.scenario_io import load_scenario
from tests.browser_support import go, run_risk, script_run, shot, visit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def download_workbook(page, path) -> openpyxl.Workbook:
    button = page.locator('[data-testid="stDownloadButton"]', has_text="Download workbook (Excel)")
    button.wait_for()
    with page.expect_download() as got:
        button.click()
    got.value.save_as(path)
    return openpyxl.load_workbook(path)


def test_run_500_draws_then_download_the_workbook_with_its_risk_sheet(page, tmp_path):
    from playwright.sync_api import expect

    go(page, "Export")
    offer = page.get_by_role("button", name="Include risk analysis (runs 10,000 draws)")
    offer.wait_for()
    plain = download_workbook(page, tmp_path / "plain.xlsx")
    assert "Inputs" in plain.sheetnames and "Risk" not in plain.sheetnames

    go(page, "Risk")
    draws = page.get_by_label("Draws")
    draws.fill("500")
    with script_run(page):
        draws.press("Enter")
    with script_run(page, timeout_ms=120000):
        page.get_by_role("button", name="Run risk analysis").click()
    page.locator('[data-testid="stProgress"]', has_text="500 draws done").wait_for()
    page.locator('[data-testid="stMetric"]', has_text="Chance of a funding shortfall").wait_for()
    page.locator('[data-testid="stMain"] h3', has_text="Switching values").wait_for()
    fan = page.locator('[data-testid="stMain"] h3', has_text="Closing cash: P10, P50 and P90")
    assert fan.count() == 1
    commit = page.locator('[data-testid="stMain"] h3', has_text="How much can I commit")
    commit.wait_for()
    # fan, histogram, tornado and charts for MSK's facility, opening capital, hiring ahead, and the team in post
    # before the first receipt (MSK now starts at mobilisation, with founders and first hires before it)
    expect(page.locator(".vega-embed")).to_have_count(7, timeout=30000)
    switching = page.locator('[data-testid="stDataFrame"]').filter(has_text="NPV falls to £0 at")
    switching.wait_for()
    msk = load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml")
    # "MSK prime contract: start delay (months)": the input in words, as fields.input_label names it
    expect(switching).to_contain_text(input_label(msk, "contracts.msk_prime.start_delay_months"))
    # the hire-ahead answer, in the engine's months (MSK from mobilisation can hire a little ahead of plan)
    months = round(commitment(msk)["hire_ahead_months"].value)
    assert months >= 1
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(
        f"You can bring every planned hire forward by up to {months} month")
    expect(page.get_by_text("0% = the base case, no allowance for risk")).to_be_visible()
    shot(page, "risk_after_run")

    go(page, "Export")
    tick = page.get_by_role("checkbox", name="Include the risk analysis you ran (500 draws, seed 42)")
    assert tick.is_checked()
    book = download_workbook(page, tmp_path / "with_risk.xlsx")
    assert "Risk" in book.sheetnames
    assert set(plain.sheetnames) <= set(book.sheetnames)
    values = {r[0]: r[1] for r in book["Risk"].iter_rows(min_row=3, max_row=4, max_col=2, values_only=True)}
    assert values == {"Draws": 500, "Seed": 42}
    labelled = {r[0]: r[1] for r in book["Risk"].iter_rows(max_col=2, values_only=True) if r[0]}
    facility = commitment(load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml"))["minimum_facility_limit"]
    assert labelled["Smallest revolving facility that keeps cash above the minimum"] == facility.value
    assert labelled["Typical first shortfall month (median)"].endswith(("2015", "2016", "2017", "2018", "2019"))


def _run_risk(page, draws: int) -> None:
    run_risk(page, draws)
    page.locator('[data-testid="stMetric"]', has_text="Chance of a funding shortfall").wait_for()


def _no_error(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("Traceback")
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("CacheReplayClosureError")


def test_a_finished_risk_run_simply_appears_for_a_second_and_third_visitor(page, browser, app_url, tmp_path):
    """The crash: a cached run replayed another visitor's progress bar (CacheReplayClosureError)."""
    from modeller.scenario_io import load_scenario

    msk = load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml")
    draws, seed = msk.uncertainty.draws, msk.uncertainty.seed  # what Export's button runs
    _run_risk(page, draws)  # the first visitor makes the run
    _no_error(page)
    first_chance = page.locator('[data-testid="stMetric"]', has_text="Chance of a funding shortfall").inner_text()

    p2 = visit(browser, app_url)  # a second person: their own browser context (own session) on the same server
    try:  # the same scenario, draws and seed on the Risk page: the finished run is reused
        _run_risk(p2, draws)
        _no_error(p2)
        assert p2.locator('[data-testid="stMetric"]', has_text="Chance of a funding shortfall").inner_text() \
            == first_chance
        go(p2, "Export")  # and Export after Risk offers that run for the workbook
        tick = p2.get_by_role("checkbox", name=f"Include the risk analysis you ran ({draws:,} draws, seed {seed})")
        assert tick.is_checked()
        _no_error(p2)
    finally:
        p2.context.close()

    p3 = visit(browser, app_url)
    try:  # a third visitor asks for it from Export's button: the same cached run, no crash
        go(p3, "Export")
        with script_run(p3, timeout_ms=120000):
            p3.get_by_role("button", name=f"Include risk analysis (runs {draws:,} draws)").click()
        tick = p3.get_by_role("checkbox", name=f"Include the risk analysis you ran ({draws:,} draws, seed {seed})")
        tick.wait_for()
        _no_error(p3)
        book = download_workbook(p3, tmp_path / "third.xlsx")
        assert "Risk" in book.sheetnames
    finally:
        p3.context.close()
