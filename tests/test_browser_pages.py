"""Overview and sidebar in a real browser, for two visitors on one server: the headline cards take in
a risk run of the same scenario, and a scenario name from an uploaded file is shown as text."""

from __future__ import annotations

import pytest
import yaml

from modeller.metrics import KPIS
from tests.browser_support import go, run_risk, script_run, shot, visit
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

HOSTILE = "Clinic [click here](https://evil.example/phish) ![x](https://evil.example/pixel.png)"


def card_text(page, label: str) -> str:
    """The text of the bordered card holding this metric (the innermost block around it)."""
    metric = page.locator('[data-testid="stMetric"]', has_text=label)
    return page.locator('[data-testid="stVerticalBlock"]').filter(has=metric).last.inner_text()


@pytest.fixture
def two_people(browser, app_url):
    """Two visitors, each in their own browser context (own session) on one server, after the first run."""
    pages = [visit(browser, app_url) for _ in range(2)]
    yield pages
    for p in pages:
        p.context.close()


def test_headline_cards_show_the_risk_run_beside_the_base_case_for_whoever_ran_it(two_people):
    from playwright.sync_api import expect

    first, second = two_people
    run_risk(first, 400)
    go(first, "Overview")
    shortfall = first.locator('[data-testid="stMain"]').get_by_text("Across 400 risk draws:").first
    expect(shortfall).to_be_visible()
    assert "In the base case cash never falls below" in card_text(first, KPIS["funding_shortfall"].label)
    assert "chance of a shortfall" in card_text(first, KPIS["funding_shortfall"].label)
    shot(first, "overview_with_risk")
    go(second, "Overview")  # the second person has run nothing: base case only
    expect(second.locator('[data-testid="stMain"]')).not_to_contain_text("risk draws")
    expect(second.locator('[data-testid="stMain"]')).to_contain_text("Cash before funding (cumulative)")


def test_a_scenario_name_written_as_markdown_stays_text(two_people, tmp_path):
    data = yaml.safe_load((ROOT / "scenarios" / "gp_network.yaml").read_text())
    data["name"] = HOSTILE
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    first, second = two_people
    with script_run(first):
        first.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    first.locator('[data-testid="stSidebar"]', has_text="Upload: hostile.yaml").wait_for()
    go(first, "Overview")
    for p in (first, second):
        assert p.locator('a[href*="evil.example"]').count() == 0
        assert p.locator('img[src*="evil.example"]').count() == 0
    assert HOSTILE in first.locator('[data-testid="stSidebar"]').inner_text()
    assert HOSTILE in first.locator('[data-testid="stMain"]').inner_text()  # the page's caption, literally
    assert "evil.example" not in second.locator('[data-testid="stApp"]').inner_text()


def test_the_example_picker_still_names_the_open_example_after_visiting_another_page(two_people):
    """Streamlit forgets a widget's value when its page is left: the picker fell back to the first example
    in the list and said "Not open yet" about the scenario that was open."""
    import re

    pages = two_people
    for p, example in zip(pages, ("GP network", "Nurse-led wound care"), strict=True):
        p.locator('[data-testid="stSelectbox"]').first.click()
        with script_run(p):
            p.get_by_role("option", name=re.compile(example)).click()
        p.locator('[data-testid="stSidebar"]', has_text=re.compile(f"Example: {example}")).wait_for()
    for p, example in zip(pages, ("GP network", "Nurse-led wound care"), strict=True):
        go(p, "Overview")
        go(p, "Scenario")
        shown = p.locator('[data-testid="stSelectbox"]').first.get_by_role("combobox").input_value()
        assert shown.startswith(example), shown
        assert p.get_by_text("Not open yet").count() == 0
        assert p.get_by_role("button", name="Start again from this example").count() == 1
