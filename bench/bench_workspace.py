"""Benchmark the workspace store: save and open a 120-month scenario (target ≤ 100 ms each) and list 1,000 saved
versions (target ≤ 200 ms), on SQLite and, when PostgreSQL is installed, on a throwaway PostgreSQL server.

    python -m bench.bench_workspace [--repeat 5] [--no-postgres]

Save = validate the YAML text, write it canonically and commit a new version on top of the latest; save from a
Scenario object = the same without parsing text (what the app's editor has in hand); open = read a version and
load it back into a Scenario (what the app does). Times are the best of `--repeat` wall-clock runs.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.table import print_table
from modeller.workspace import Store
from modeller.workspace import documents as docs
from modeller.workspace.models import Document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "imaging_scanners.yaml"   # ten years and its mobilisation, cut to exactly 120 months
TARGET_SAVE_MS = TARGET_OPEN_MS = 100
TARGET_LIST_MS = 200
VERSIONS = 1_000


def best_ms(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * min(times)


def many_versions(store: Store, user: str, text: str, n: int) -> int:
    """A scenario with `n` versions, written in one transaction (setting up, not timed)."""
    with store._write() as session:
        from modeller.workspace import access

        ws = access.own_workspace(session, user, datetime.now(UTC))
        doc = Document(workspace_id=ws.id, kind="scenario", name="Many versions", tags=[],
                       created_at=datetime.now(UTC), created_by=user)
        session.add(doc)
        session.flush()
        for number in range(1, n + 1):
            docs.add_version(session, doc, number, text.replace("name: ", f"name: v{number} ", 1), user,
                             f"save {number}", datetime.now(UTC))
        return doc.id


def measure(label: str, url: str, repeat: int) -> list[tuple[str, ...]]:
    text = re.sub(r"(?m)^months: \d+", "months: 120", EXAMPLE.read_text(encoding="utf-8"), count=1)
    store = Store.open(url)
    try:
        latest = store.save("bench", "Imaging", text)
        serial = iter(range(1_000_000))

        def save():
            nonlocal latest
            edited = latest.text.replace("description: ", f"description: {next(serial)} ", 1)
            latest = store.save("bench", "Imaging", edited, parent_version=latest.id)

        save_ms = best_ms(repeat, save)

        def save_scenario():
            nonlocal latest
            edited = latest.scenario().model_copy(update={"description": f"{next(serial)}"})   # made by the editor
            t = time.perf_counter()
            latest = store.save("bench", "Imaging", edited, parent_version=latest.id)
            return time.perf_counter() - t

        object_ms = 1000 * min(save_scenario() for _ in range(repeat))
        open_ms = best_ms(repeat, lambda: store.open_version("bench", latest.id).scenario())
        many = many_versions(store, "bench", latest.text, VERSIONS)
        list_ms = best_ms(repeat, lambda: store.versions("bench", many))
        assert len(store.versions("bench", many)) == VERSIONS
        scenarios_ms = best_ms(repeat, lambda: store.list_scenarios("bench"))
    finally:
        store.close()
    ok = lambda ms, target: "yes" if ms <= target else "NO"  # noqa: E731
    return [(label, "save 120-month scenario", f"{save_ms:.1f}", f"{TARGET_SAVE_MS}", ok(save_ms, TARGET_SAVE_MS)),
            (label, "save it from a Scenario object", f"{object_ms:.1f}", f"{TARGET_SAVE_MS}",
             ok(object_ms, TARGET_SAVE_MS)),
            (label, "open 120-month scenario", f"{open_ms:.1f}", f"{TARGET_OPEN_MS}", ok(open_ms, TARGET_OPEN_MS)),
            (label, f"list {VERSIONS:,} versions", f"{list_ms:.1f}", f"{TARGET_LIST_MS}",
             ok(list_ms, TARGET_LIST_MS)),
            (label, "list scenarios", f"{scenarios_ms:.1f}", "", "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, ...]] = [("Database", "Operation", "Best ms", "Target ms", "Met")]
    with tempfile.TemporaryDirectory() as folder:
        rows += measure("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.repeat)
    if not args.no_postgres:
        from tests.storage_support import PostgresServer, _pg_bin

        if _pg_bin("initdb"):
            server = PostgresServer()
            try:
                rows += measure("PostgreSQL", server.fresh_database(), args.repeat)
            finally:
                server.stop()
        else:
            print("PostgreSQL is not installed: SQLite only.")
    print_table(rows)


if __name__ == "__main__":
    main()
