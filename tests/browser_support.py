"""Shared browser fixtures: the app on a free port, Debian Chromium driven by Playwright, and waits on the
app's own signals (a script run finished, the page drawn) in place of fixed sleeps."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.conftest import ROOT, require_tool

SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true", f"--server.port={port}",
           "--server.address=127.0.0.1", "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def wait_healthy(port: int, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)  # a poll on the health check, until the deadline
    raise RuntimeError(f"the app did not answer on port {port} within {timeout_s} s")


@pytest.fixture(scope="module")
def app_url():
    """The app served by a real Streamlit server on a free port, stopped after the module."""
    port = free_port()
    proc = start_app(port)
    try:
        wait_healthy(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A new person's tab (own browser context, downloads allowed) on the app, after its first run."""
    p = visit(browser, app_url)
    yield p
    p.context.close()


def visit(browser, app_url: str):
    """A new person: their own browser context (own session, downloads allowed) on the app, after its first run.
    Close it with `page.context.close()`."""
    p = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
    p.on("websocket", lambda ws: _SOCKETS.__setitem__(p, ws) if ws.url.endswith("/_stcore/stream") else None)
    p.on("close", lambda _: _SOCKETS.pop(p, None))
    p.goto(app_url)
    wait_idle(p)
    return p


# each page's Streamlit websocket (the latest one: a reload opens another), filled in by `visit`
_SOCKETS: dict = {}

# the app is idle: its script is not running (the status widget has gone) and nothing left from the last
# run is still shown greyed out as stale
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app?.dataset.testScriptState === 'notRunning' && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""


def wait_idle(page, timeout_ms: int = 30000) -> None:
    """Wait until the app shows a finished run: script not running, no status widget, no stale elements.

    Right after a page loads this waits for its first run (the app element says "initial" until then). After a
    click it may pass before the run the click asks for has even started: use `script_run` around the click."""
    page.wait_for_function(IDLE, timeout=timeout_ms)


def _run_started_and_finished():
    """A test of websocket frames from the server, in order: true on the first script run finished (one stopped for
    a rerun does not count) after a run has started, so that the end of a run already going is not taken."""
    started = False

    def test(payload: str | bytes) -> bool:
        nonlocal started
        if not isinstance(payload, bytes):
            return False
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        started = started or kind == "new_session"
        return started and kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN

    return test


@contextmanager
def script_run(page, timeout_ms: int = 30000) -> Iterator[None]:
    """Around an action that reruns the app's script (a click, an upload, Enter in a field): wait until the server
    says the run it started has finished, then until the page has drawn it. Needs a page opened by `visit`."""
    with _SOCKETS[page].expect_event("framereceived", predicate=_run_started_and_finished(), timeout=timeout_ms):
        yield
    wait_idle(page, timeout_ms)


# the page has stopped changing size: the same size on two polls in a row, after a viewport change
STEADY = """([width, height]) => {
  const m = document.querySelector('[data-testid="stMain"]');
  const size = [window.innerWidth, window.innerHeight, m.scrollWidth, m.scrollHeight].join();
  const steady = window.innerWidth === width && window.innerHeight === height && window.__lastSize === size;
  window.__lastSize = size;
  return steady;
}"""


def resize(page, size: dict) -> None:
    """Set the viewport and wait for the page to lay itself out again (charts redraw at the new width)."""
    page.set_viewport_size(size)
    page.evaluate("() => { window.__lastSize = null; }")
    page.wait_for_function(STEADY, arg=[size["width"], size["height"]], polling=100, timeout=10000)


def shot(page, name: str) -> Path:
    """Screenshot of the whole page: Streamlit scrolls inside its main section, so grow the viewport."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    height = page.evaluate("() => document.querySelector('[data-testid=\\'stMain\\']')?.scrollHeight || 768")
    resize(page, {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(int(height), 6000))})
    page.screenshot(path=str(path), full_page=True)
    resize(page, VIEWPORT)
    return path


def go(page, title: str) -> None:
    """Open a page from the sidebar and wait for its run and its title."""
    with script_run(page, timeout_ms=60000):
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.locator('[data-testid="stMain"] h1', has_text=title).wait_for()


def run_risk(page, draws: int) -> None:
    """On the Risk page, set the draws and run the analysis to its end."""
    go(page, "Risk")
    box = page.get_by_role("spinbutton", name="Draws")
    if box.input_value() != str(draws):  # the same number again reruns nothing
        box.fill(str(draws))
        with script_run(page):
            box.press("Enter")
    with script_run(page, timeout_ms=120000):
        page.get_by_role("button", name="Run risk analysis").click()
    page.locator('[data-testid="stProgress"]', has_text=f"{draws:,} draws done").wait_for()
