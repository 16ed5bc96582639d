"""App timings: server-side rerun after an edit (AppTest) and first page load (real server + Chromium).

Run: python bench/bench_app.py   (targets: rerun <= 300 ms, first load <= 3 s)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # a script, not a test: let it import the project

from streamlit.testing.v1 import AppTest  # noqa: E402

from modeller.scenario_io import load_scenario  # noqa: E402


def largest_example() -> Path:
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    return max(paths, key=lambda p: (load_scenario(p).months, p.stat().st_size))


def rerun_after_edit(repeats: int = 7) -> tuple[str, float]:
    """Median seconds of the rerun after changing a contract value in its table (a cache miss each time)."""
    path = largest_example()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="example").set_value(path.stem)
    at.button(key="open_example").click().run()
    at.segmented_control(key="section").set_value("Contracts").run()
    key = f"ed{at.session_state['version']}_contract_terms"  # every contract's timing, one table
    times, seen = [], {at.session_state["good_yaml"]}
    for i in range(repeats):
        at.session_state[key] = {"edited_rows": {0: {"start_delay_months": i % 3 + 1 + i}}, "added_rows": [],
                                 "deleted_rows": []}
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
        assert at.session_state["good_yaml"] not in seen, "the edit did not reach the scenario: nothing was timed"
        seen.add(at.session_state["good_yaml"])
    return path.stem, statistics.median(times)


def page_loads(visitors: int = 3) -> tuple[float, float]:
    """Seconds from navigation to the first metric on screen: the very first visit to a
    server that has just started (it imports the app's libraries), then the median of
    `visitors` new visitors' (the browser's share varies run to run)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, VIEWPORT, free_port, start_app, wait_healthy

    port = free_port()
    proc = start_app(port)
    try:
        wait_healthy(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            times = []
            for _ in range(1 + visitors):
                context = browser.new_context(viewport=VIEWPORT)
                page = context.new_page()
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/")
                page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60000)
                times.append(time.perf_counter() - t)
                context.close()
            browser.close()
        return times[0], statistics.median(times[1:])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    stem, rerun = rerun_after_edit()
    cold, warm = page_loads()
    rows = [("rerun after a table edit (AppTest, median of 7)", stem, rerun, 0.300),
            ("first page load, fresh server (cold imports)", "msk_prime_provider", cold, 3.0),
            ("first page load, new visitor (median of 3)", "msk_prime_provider", warm, 3.0)]
    print(f"{'measure':<50} {'scenario':<22} {'seconds':>8} {'target':>7}  ok")
    for name, sc, got, target in rows:
        print(f"{name:<50} {sc:<22} {got:>8.3f} {target:>7.3f}  {'yes' if got <= target else 'NO'}")


if __name__ == "__main__":
    main()
