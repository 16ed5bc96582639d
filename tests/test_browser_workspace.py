"""The workspace in a real browser: save a scenario twice, restart the server, open it again with the same figures,
and read what changed between the two versions in words. Two visitors, each in their own browser context, on one
server before and after the restart."""

from __future__ import annotations

import re
import tempfile

import pytest
from playwright.sync_api import expect

from modeller.metrics import KPIS
from tests.browser_support import free_port, go, script_run, shot, start_app, visit, wait_healthy

pytestmark = pytest.mark.browser

VISITORS = (1, 2)
FIGURES = ("peak_funding_requirement", "funding_shortfall", "ebitda_breakeven_month", "npv")


class Server:
    """The app on one port with its own data folder, which can be stopped and started again."""

    def __init__(self, data_dir, monkeypatch):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.monkeypatch = monkeypatch
        monkeypatch.delenv("MODELLER_DATABASE_URL", raising=False)
        monkeypatch.setenv("MODELLER_DATA_DIR", str(data_dir))   # start_app passes the environment on
        self.proc = None
        self.start()

    def start(self) -> None:
        self.proc = start_app(self.port)
        wait_healthy(self.port)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def server():
    # a folder of our own, not pytest's tmp_path: pytest runs started meanwhile on this machine prune old tmp folders
    with tempfile.TemporaryDirectory(prefix="workspace_browser_") as data_dir, pytest.MonkeyPatch.context() as mp:
        s = Server(data_dir, mp)
        try:
            yield s
        finally:
            s.stop()


def figures(page) -> dict[str, str]:
    """The Scenario page's headline cards, by KPI name."""
    out = {}
    for name in FIGURES:
        card = page.locator('[data-testid="stMetric"]', has_text=KPIS[name].label).first
        out[name] = card.locator('[data-testid="stMetricValue"]').inner_text()
    return out


def type_in(page, label: str, text: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    with script_run(page):
        box.press("Enter")


def save(page, note: str, said: str) -> None:
    type_in(page, "Note (optional)", note)
    with script_run(page):
        page.get_by_role("button", name="Save to the workspace").click()
    expect(page.locator('[data-testid="stAlert"]', has_text=said)).to_be_visible()


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox (choosing the one shown already reruns nothing, so is skipped)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    if box.input_value() == option:
        return
    box.click()
    with script_run(page):
        page.get_by_role("option", name=option, exact=True).click()


def test_a_saved_scenario_survives_a_restart_and_its_versions_say_what_changed(browser, server):
    kept = {}
    for visitor in VISITORS:   # two people on one server: the second meets the first one's caches
        page = visit(browser, server.url)
        name = f"MSK plan {visitor}"
        go(page, "Workspace")
        type_in(page, "Name", name)
        save(page, "as the example", f"Saved “{name}” as version 1.")
        go(page, "Scenario")
        with script_run(page):
            page.locator('[data-testid="stButtonGroup"] button', has_text="Funding").first.click()
        box = page.get_by_role("spinbutton", name="Minimum cash (£)")
        box.fill("400000")
        with script_run(page):
            box.press("Enter")
        kept[visitor] = figures(page)
        go(page, "Workspace")
        save(page, "more cash kept back", f"Saved “{name}” as version 2.")
        page.context.close()

    server.restart()   # nothing in memory survives this: only the database

    for visitor in VISITORS:
        page = visit(browser, server.url)
        name = f"MSK plan {visitor}"
        expect(page.locator('[data-testid="stSidebar"]')).not_to_contain_text(name)   # a fresh session
        go(page, "Workspace")
        choose(page, "Saved scenario", name)
        with script_run(page):
            page.get_by_role("button", name="Open in the editor").click()
        expect(page.get_by_text(f"Opened version 2 of “{name}”")).to_be_visible()
        go(page, "Scenario")
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(f"Saved: {name}, version 2")
        assert figures(page) == kept[visitor]
        go(page, "Workspace")
        changes = page.locator('[class*="st-key-ws_diff_changes"]')
        expect(changes).to_contain_text("Minimum cash (£): £250,000 → £400,000")
        expect(page.locator('[class*="st-key-ws_diff_kpis"]')).to_contain_text(re.compile(r"Lowest cash: .* → "))
        shot(page, f"workspace_after_restart_{visitor}")
        page.context.close()
