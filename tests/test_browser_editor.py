"""The Scenario editor in a real browser: choosing an example, moving the first month, links as dropdowns.

Key flows run twice, each in its own browser context on one server: the second visitor meets
the caches the first one filled.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import VIEWPORT, shot, wait_idle

pytestmark = pytest.mark.browser


def visit(browser, app_url):
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(app_url)
    wait_idle(page)
    return page


def metric_value(page, label: str):
    card = page.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]')


def choose_example(page, name: str) -> None:
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=re.compile(name)).click()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Example: {name}", timeout=30000)
    wait_idle(page)


def section(page, name: str) -> None:
    page.locator('[data-testid="stButtonGroup"] button', has_text=name).first.click()
    wait_idle(page)


@pytest.mark.parametrize("visitor", [1, 2])
def test_choosing_an_example_opens_it(browser, app_url, visitor):
    page = visit(browser, app_url)
    npv = metric_value(page, "NPV").inner_text()
    choose_example(page, "GP network")
    expect(metric_value(page, "NPV")).not_to_have_text(npv)
    expect(page.get_by_text("Not open yet")).to_have_count(0)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("button", name="Start again from this example")).to_be_visible()
    shot(page, f"editor_example_opened_{visitor}")
    page.context.close()


def grid(page, n: int):
    return page.locator('[data-testid="stDataFrame"]').nth(n)


def cell(page, editor: int, column: int, row: int):
    """A data editor cell as its accessible table holds it (1-based column, 0-based row)."""
    return grid(page, editor).locator(f'[data-testid="glide-cell-{column}-{row}"]')


@pytest.mark.parametrize("visitor", [1, 2])
def test_moving_the_first_month_moves_the_plan(browser, app_url, visitor):
    page = visit(browser, app_url)
    peak = metric_value(page, "Peak funding requirement").inner_text()
    box = page.get_by_role("textbox", name="First month")
    box.fill("2026-04")
    box.press("Enter")
    expect(page.get_by_text("Every date moved 132 months later")).to_be_visible(timeout=30000)
    wait_idle(page)
    expect(metric_value(page, "Peak funding requirement")).to_have_text(peak)   # the same plan, later
    expect(page.get_by_role("textbox", name="First month")).to_have_value(re.compile("2026-04|Apr 2026"))
    shot(page, f"editor_first_month_moved_{visitor}")
    section(page, "Workforce")
    # plan steps: esp from Apr 2015 and Aug 2016 before, 11 years later now
    expect(cell(page, 1, 2, 0)).to_have_text(re.compile("2026-04|Apr 2026"), timeout=20000)
    expect(cell(page, 1, 2, 1)).to_have_text(re.compile("2027-08|Aug 2027"))
    page.context.close()
