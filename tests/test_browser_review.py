"""The Review page in a real browser: an example review run by two people in turn on one server (the second gets
the finished run, no replayed progress bar), the JSON and the evaluation workbook downloaded, and an upload with
one bid missing."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from tests.browser_support import go, script_run, shot, visit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
DRAWS = 50
REVIEWS = ROOT / "reviews"


def table(page, nth: int = 0) -> dict[str, list[str]]:
    """A dataframe's rows by their Measure (first cell), from the grid's accessible table (the cells are a canvas)."""
    from playwright.sync_api import expect

    grid = page.locator('[data-testid="stDataFrame"]').nth(nth)
    expect(grid.locator("table tr").nth(1)).to_be_attached()
    rows = grid.evaluate("e => [...e.querySelectorAll('table tr')].map(r => [...r.children].map(c => c.textContent))")
    return {r[0]: r[1:] for r in rows if len(r) > 1}


def no_error(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    main = page.locator('[data-testid="stMain"]')
    expect(main).not_to_contain_text("Traceback")
    expect(main).not_to_contain_text("CacheReplayClosureError")


def choose_example(page, service: str) -> None:
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Example review").first
    if picker.get_by_role("combobox").input_value().startswith(service):
        return
    picker.click()
    with script_run(page):
        page.get_by_role("option", name=re.compile(re.escape(service))).click()


def set_draws(page, draws: int) -> None:
    box = page.get_by_role("spinbutton", name="Monte Carlo draws for each bid's risk allocation")
    if box.input_value() != str(draws):
        box.fill(str(draws))
        with script_run(page):
            box.press("Enter")


def run_review(page) -> None:
    with script_run(page, timeout_ms=240000):
        page.get_by_role("button", name="Review the bids").click()
    page.locator('[data-testid="stProgress"]', has_text="bids reviewed").wait_for()
    page.locator('[data-testid="stMain"] h3', has_text="The bids side by side").wait_for()


def review_wound_care(page) -> dict[str, list[str]]:
    go(page, "Review bids")
    choose_example(page, "Community wound care")
    set_draws(page, DRAWS)
    run_review(page)
    no_error(page)
    return table(page)


def test_two_people_review_the_example_and_download_its_figures(page, browser, app_url, tmp_path):
    from playwright.sync_api import expect

    rows = review_wound_care(page)
    # the cheapest bid fails 3 of the 6 stress tests; the trust survives 5 and is marked best
    assert rows["Stress tests survived (cash stays at or above the bid's minimum)"] == ["3 of 6", "★ 5 of 6"]
    assert rows["Paid over the term, cash (£)"][0].startswith("★ £")
    expect(page.locator(".vega-embed")).to_have_count(2, timeout=30000)  # affordability, cash under stress
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Lowest price; reserves of about two weeks'")
    button = page.locator('[data-testid="stDownloadButton"]', has_text="The review's figures (JSON)")
    with page.expect_download() as got:
        button.click()
    got.value.save_as(tmp_path / "review.json")
    data = json.loads((tmp_path / "review.json").read_text())
    assert [b["id"] for b in data["bids"]] == ["social_enterprise", "nhs_trust"]
    assert [s["survives"] for s in data["bids"][0]["stress"]].count(False) == 3
    with page.expect_download() as got:
        page.locator('[data-testid="stDownloadButton"]', has_text="The evaluation workbook (Excel)").click()
    got.value.save_as(tmp_path / "review.xlsx")
    assert openpyxl.load_workbook(tmp_path / "review.xlsx").sheetnames[:3] == [
        "Summary", "Social enterprise (cheapest)", "NHS community trust"]
    shot(page, "review_wound_care")

    second = visit(browser, app_url)  # another person, own session, same server: the finished run is reused
    try:
        assert review_wound_care(second) == rows
        expect(second.locator(".vega-embed")).to_have_count(2, timeout=30000)
    finally:
        second.context.close()


def test_an_upload_with_one_bid_file_missing_reviews_the_other(page):
    from playwright.sync_api import expect

    go(page, "Review bids")
    with script_run(page):
        page.get_by_text("Upload a review file and its bids").click()
    review = (REVIEWS / "wound_care_stress.yaml").read_text().replace("bids/", "").encode()
    inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    with script_run(page):
        inputs.nth(0).set_input_files(files=[{"name": "wound.yaml", "mimeType": "application/x-yaml",
                                              "buffer": review}])
    with script_run(page):
        inputs.nth(1).set_input_files(str(REVIEWS / "bids" / "wound_nhs_trust.yaml"))
    set_draws(page, DRAWS)
    run_review(page)
    no_error(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("no uploaded bid file named 'wound_social_enterprise.yaml'")
    rows = table(page)
    assert rows["Paid over the term, cash (£)"][0] == "not reviewed"
    assert rows["Paid over the term, cash (£)"][1].startswith("£")
    shot(page, "review_upload_missing_bid")
