"""Benchmark the Excel export: export time of the 120-month example, and LibreOffice recalculating
that workbook against the engine computing the same scenario.

    python -m bench.bench_export [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from modeller.engine import run
from modeller.export import workbook_bytes
from modeller.export.recalc import recalculate
from modeller.scenario_io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "imaging_scanners.yaml"
TARGET_EXPORT_S = 3.0


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sc = load_scenario(EXAMPLE)
    result = run(sc)
    engine_s = best_of(args.repeat, lambda: run(sc))
    export_s = best_of(args.repeat, lambda: workbook_bytes(sc, result))
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        src = work / "model.xlsx"
        src.write_bytes(workbook_bytes(sc, result))
        recalc_s = best_of(args.repeat, lambda: recalculate([src], work / "out", parallel=1))
        size_kb = src.stat().st_size / 1024
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [
        ("export to .xlsx (openpyxl)", export_s, f"target <= {TARGET_EXPORT_S:.0f} s: "
                                                 f"{'met' if export_s <= TARGET_EXPORT_S else 'MISSED'}"),
        ("engine run (numpy)", engine_s, ""),
        ("LibreOffice load + recalculate + save", recalc_s, f"{recalc_s / engine_s:,.0f} x the engine"),
    ]
    print(f"{sc.name}: {sc.months} months, workbook {size_kb:,.0f} KB, best of {args.repeat}")
    print(f"{'step':<40} {'seconds':>9}  note")
    for name, secs, note in rows:
        print(f"{name:<40} {secs:>9.3f}  {note}")


if __name__ == "__main__":
    main()
