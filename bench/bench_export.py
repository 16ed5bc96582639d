"""Benchmark the Excel export: export time of the 120-month example, and LibreOffice recalculating
that workbook against the engine computing the same scenario; then the largest scenario the
schema allows in items (MAX_ITEMS of each list, MAX_MONTHS), built and saved once.

    python -m bench.bench_export [--repeat 3] [--items 100]

Times are wall-clock and, for the largest case, the process's CPU time as well: on a shared machine
the wall time can be several times the CPU time.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path

from modeller.engine import run
from modeller.export import build_workbook, workbook_bytes
from modeller.export.recalc import recalculate
from modeller.scenario import MAX_ITEMS, MAX_MONTHS
from modeller.scenario_io import load_scenario, scenario_from_data

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


def largest(n: int = MAX_ITEMS, months: int = MAX_MONTHS):
    """`n` of every kind of item over `months`: activity streams, contracts of each mechanism (with a
    change, a withhold and some risk shares), planned and driven roles, costs of each kind, capital
    spends, equity and loans. Modest amounts, so the whole stays within the schema's money limits."""
    mechanisms = ("block", "activity", "capitation")
    prices = {"block": {"annual_value": 100_000, "changes": [{"from": "2026-04", "annual_value": 120_000}]},
              "activity": {"price_per_unit": 10.5}, "capitation": {"population": 1_000, "rate_per_head": 20.0}}
    contracts = [{"id": f"c{i}", "name": f"Contract {i}", "mechanism": mechanisms[i % 3], "start": "2025-04",
                  "withhold": {"share": 0.01, "earned": 0.9}, **prices[mechanisms[i % 3]],
                  **({"activity": f"a{i}"} if i % 3 == 1 else {}),
                  **({"risk_share": {"cost": f"k{i}", "target_annual": 50_000, "provider_share": 0.5, "cap": 1_000,
                                     "collar": 1_000}} if i % 10 == 0 else {})} for i in range(n)]
    roles = [{"id": f"r{i}", "name": f"Role {i}", "salary": 40_000,
              **({"plan": [{"from": "2025-04", "wte": 2}, {"from": "2026-04", "wte": 3}]} if i % 2 else
                 {"driver": {"activity": f"a{i}", "units_per_wte_month": 50}})} for i in range(n)]
    kinds = ({"kind": "fixed", "annual": 10_000, "from": "2025-04", "commitment_months": 12},
             {"kind": "per_unit", "unit_cost": 1.5}, {"kind": "one_off", "amount": 5_000, "month": "2025-06"})
    costs = [{"id": f"k{i}", "name": f"Cost {i}", **kinds[i % 3], **({"activity": f"a{i}"} if i % 3 == 1 else {})}
             for i in range(n)]
    data = {"name": "Largest", "start": "2025-04", "months": months, "contracts": contracts, "costs": costs,
            "activity": [{"id": f"a{i}", "name": f"Stream {i}", "per_month": 100 + i, "annual_growth": 0.02,
                          "seasonality": [1.0] * 12} for i in range(n)],
            "workforce": {"roles": roles},
            "capex": [{"id": f"x{i}", "name": f"Asset {i}", "amount": 10_000, "month": "2025-05", "life_years": 5}
                      for i in range(n)],
            "funding": {"opening_cash": 1_000_000, "equity": [{"month": "2025-04", "amount": 1_000}] * n,
                        "loans": [{"id": f"l{i}", "month": "2025-04", "amount": 1_000, "annual_rate": 0.05,
                                   "term_months": 24} for i in range(n)]}}
    return scenario_from_data(data, "largest")


def bench_largest(n: int) -> None:
    """Build and save the largest workbook once: cells, wall and CPU seconds of each step."""
    sc = largest(n)
    wall, cpu = time.perf_counter(), time.process_time()
    wb, _ = build_workbook(sc, None)
    built = time.perf_counter() - wall, time.process_time() - cpu
    cells = sum(len(ws._cells) for ws in wb)
    wall, cpu = time.perf_counter(), time.process_time()
    size = len(_saved(wb))
    saved = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\nLargest: {n} items in each list, {sc.months} months, {cells:,} cells, {size / 1e6:,.1f} MB")
    print(f"{'step':<40} {'wall s':>9} {'CPU s':>9}")
    for name, (w, c) in (("build the workbook (openpyxl)", built), ("save it to .xlsx", saved),
                         ("export in all", (built[0] + saved[0], built[1] + saved[1]))):
        print(f"{name:<40} {w:>9.1f} {c:>9.1f}")


def _saved(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--items", type=int, default=MAX_ITEMS, help="items in each list of the largest case")
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
    bench_largest(args.items)


if __name__ == "__main__":
    main()
