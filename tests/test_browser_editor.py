"""The Scenario editor in a real browser: choosing an example, moving the first month, links as dropdowns.

Key flows run twice, each in its own browser context on one server: the second visitor meets
the caches the first one filled.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from modeller import load_scenario
from modeller.fields import input_fields
from modeller.metrics import KPIS
from tests.browser_support import SHOTS, script_run, shot, visit
from tests.conftest import ROOT
from ui.columns import TABLE_BY_NAME, VIEWS, view_table
from ui.links import path_label

pytestmark = pytest.mark.browser
MSK_FILE = ROOT / "scenarios" / "msk_prime_provider.yaml"


def view_shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def metric_value(page, kpi: str):
    """The value on the card of a KPI, found by the KPI's label in the registry (`metrics.KPIS`)."""
    card = page.locator('[data-testid="stMetric"]', has_text=KPIS[kpi].label).first
    return card.locator('[data-testid="stMetricValue"]')


def choose_example(page, name: str) -> None:
    """Open an example other than the one open (choosing the open one again reruns nothing)."""
    page.locator('[data-testid="stSelectbox"]').first.click()
    with script_run(page):
        page.get_by_role("option", name=re.compile(name)).click()
    expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Example: {name}")


def section(page, name: str) -> None:
    with script_run(page):
        page.locator('[data-testid="stButtonGroup"] button', has_text=name).first.click()


@pytest.mark.parametrize("visitor", [1, 2])
def test_choosing_an_example_opens_it(browser, app_url, visitor):
    page = visit(browser, app_url)
    npv = metric_value(page, "npv").inner_text()
    choose_example(page, "GP network")
    expect(metric_value(page, "npv")).not_to_have_text(npv)
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
    peak = metric_value(page, "peak_funding_requirement").inner_text()
    box = page.get_by_role("textbox", name="First month")
    box.fill("2026-01")   # MSK starts at mobilisation in Jan 2015: 132 months later
    with script_run(page):
        box.press("Enter")
    expect(page.get_by_text("Every date moved 132 months later")).to_be_visible()
    expect(metric_value(page, "peak_funding_requirement")).to_have_text(peak)   # the same plan, later
    expect(page.get_by_role("textbox", name="First month")).to_have_value(re.compile("2026-01|Jan 2026"))
    shot(page, f"editor_first_month_moved_{visitor}")
    section(page, "Workforce")
    # plan steps: the founders from Jan 2015, 11 years later now; the managers' step stays linked to the contract
    # (whose start moved with every other date), shown as its link
    steps = page.locator('[class*="_plan_steps"] [data-testid="stDataFrame"]').first   # the plan steps' editor
    expect(steps.locator('[data-testid="glide-cell-2-0"]')).to_have_text(re.compile("2026-01|Jan 2026"), timeout=20000)
    expect(steps.locator('[data-testid="glide-cell-2-1"]')).to_have_text("msk_prime -2")
    expect(page.get_by_text("Linked dates in this section")).to_be_visible()
    page.context.close()


def plan_steps(page):
    """The staffing plan steps' editor, found by its key (the Workforce section has several tables)."""
    return page.locator('[class*="_plan_steps"] [data-testid="stDataFrame"]').first


def open_cell(page, editor, row: int, x: float = 60) -> None:
    """Open the editor of a data editor cell (a canvas) in the first column, at `x` pixels in, on a row (0-based);
    `editor` is the grid's position on the page or the grid itself."""
    g = grid(page, editor) if isinstance(editor, int) else editor
    g.scroll_into_view_if_needed()
    expect(g.locator('[data-testid="glide-cell-1-0"]')).to_be_attached()
    box = g.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + 35 * 1.5 + 35 * row)
    expect(g.locator(f'[data-testid="glide-cell-1-{row}"]')).to_have_attribute("aria-selected", "true")  # clicked
    page.keyboard.press("Enter")


@pytest.mark.parametrize("visitor", [1, 2])
def test_a_plan_step_is_linked_to_its_role_by_a_dropdown_of_the_roles(browser, app_url, visitor):
    page = visit(browser, app_url)
    npv = metric_value(page, "npv").inner_text()
    section(page, "Workforce")
    steps = plan_steps(page)
    role = steps.locator('[data-testid="glide-cell-1-1"]')
    expect(role).to_have_text("management", timeout=20000)             # the managers' first step ...
    open_cell(page, steps, row=1)
    options = page.locator("#portal").get_by_role("option")
    expect(options).to_have_text([r.id for r in load_scenario(MSK_FILE).workforce.roles])   # every role, in order
    view_shot(page, f"editor_role_dropdown_{visitor}")  # as it stands: a full-page shot moves the overlay
    with script_run(page):
        options.filter(has_text="data_team").click()                   # ... become the data team's plan
    expect(role).to_have_text("data_team")
    expect(metric_value(page, "npv")).not_to_have_text(npv)
    expect(page.get_by_text("Fix these to update the results")).to_have_count(0)
    page.context.close()


def test_contracts_show_only_the_columns_each_mechanism_uses_with_nothing_cut_off(page):
    choose_example(page, "GP network")                 # one contract of each mechanism
    section(page, "Contracts")
    expect(page.get_by_text("Capitation contracts")).to_be_visible()
    grids = page.locator('[data-testid="stDataFrame"]')
    n = len(VIEWS["contracts"]) + 1   # every view of the contracts, and their changes
    expect(grids).to_have_count(n)
    for i in range(n):
        grids.nth(i).scroll_into_view_if_needed()
        expect(grids.nth(i).locator('[role="columnheader"]').first).to_be_attached()
        # no column hidden off to the right: the grid's scroller is no wider than the grid
        wide = grids.nth(i).evaluate(
            "g => { const s = g.querySelector('.dvn-scroller'); return s.scrollWidth - s.clientWidth; }")
        assert wide <= 1, (i, wide)
    headers = grids.nth(2).locator('[role="columnheader"]').all_inner_texts()
    # the capitation contracts' numbers, under the view's short headings (the tooltip has the schema's heading)
    view = next(v for v in VIEWS["contracts"] if v.name == "contracts_capitation")
    shown = {c.key: c for c in view_table(TABLE_BY_NAME["contracts"], view).cols}
    assert headers[2:5] == [shown[key].label for key in ("population", "rate_per_head", "population_growth")]
    assert input_fields()["contracts.<id>.rate_per_head"].heading in shown["rate_per_head"].help
    shot(page, "editor_contracts_gp_network")


def test_risk_ranges_name_their_inputs_in_words_and_show_rates_as_percentages(page):
    section(page, "Risk ranges")
    ranges = grid(page, 0)
    ranges.scroll_into_view_if_needed()
    # the growth range: 0% .. 10% shown as 0 .. 10, like every rate (the accessible table holds the path;
    # the cell shows it in the editor's words with its unit: see the screenshot)
    expect(ranges.locator('[data-testid="glide-cell-1-1"]')).to_have_text("activity.referrals.annual_growth",
                                                                          timeout=20000)
    expect(ranges.locator('[data-testid="glide-cell-5-1"]')).to_have_text("10")
    shot(page, "editor_risk_ranges")
    open_cell(page, editor=0, row=1, x=120)
    # "Demand streams · referrals · Growth (% a year)": table, row and the schema's heading of the field
    expect(page.locator("#portal").get_by_role("option").filter(
        has_text=path_label("activity.referrals.annual_growth"))).to_have_count(1)
    view_shot(page, "editor_risk_range_dropdown")
