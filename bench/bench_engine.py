"""Engine speed: deterministic runs, 10,000 draws of the 120-month example, batch vs a Python loop.

Run: python -m bench.bench_engine   (prints a table; targets from issue 2 in the last column)
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from bench.table import print_table
from modeller import load_scenario, run, run_batch
from modeller.risk.montecarlo import CHUNK_DRAWS, run_chunks

ROOT = Path(__file__).resolve().parents[1]
LONG = ROOT / "scenarios" / "imaging_scanners.yaml"
DRAWS = 10_000


def median_ms(fn, repeats: int = 15) -> float:
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def overrides(scenario, draws: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Uncertain demand growth, contract start delay and fill rate: series that vary by draw."""
    rng = np.random.default_rng(seed)
    out = {f"activity.{a.id}.annual_growth": rng.uniform(0.0, 0.1, draws) for a in scenario.activity}
    out[f"contracts.{scenario.contracts[0].id}.start_delay_months"] = rng.integers(0, 4, draws)
    for r in scenario.workforce.roles:
        out[f"workforce.roles.{r.id}.fill_rate"] = rng.uniform(0.7, 1.0, draws)
    return out


def many_draws() -> None:
    """Child process: time and peak memory of 10,000 draws through the chunked path a Monte Carlo
    takes in the app and the command line (`montecarlo.run_chunks`), printed as
    'seconds tracemalloc_mb rss_mb'."""
    scenario = load_scenario(LONG)
    ov = overrides(scenario, DRAWS)
    run_chunks(scenario, {p: v[:1000] for p, v in ov.items()}, 1000)      # warm up imports and caches
    t = time.perf_counter()
    parts = run_chunks(scenario, ov, DRAWS)
    seconds = time.perf_counter() - t
    tracemalloc.start()                                                     # traced separately: it slows allocation
    run_chunks(scenario, ov, DRAWS)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    assert sum(len(p["kpis"]["npv"]) for p in parts) == DRAWS
    print(f"{seconds} {peak} {rss}")


def main() -> None:
    rows = [("measure", "value", "target")]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_scenario(path)
        rows.append((f"deterministic run: {path.stem} ({scenario.months} months)",
                     f"{median_ms(lambda s=scenario: run(s)):.1f} ms (median of 15)", "<= 20 ms"))
    out = subprocess.run([sys.executable, "-m", "bench.bench_engine", "--many"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    seconds, peak, rss = map(float, out)
    rows.append((f"{DRAWS:,} draws x 120 months, chunks of {CHUNK_DRAWS:,} (montecarlo.run_chunks)",
                 f"{seconds:.2f} s", "<= 2 s"))
    rows.append(("  peak memory (numpy allocations, tracemalloc)", f"{peak:,.0f} MB", "<= 1 GB"))
    rows.append(("  peak resident memory of the process", f"{rss:,.0f} MB", "<= 1 GB"))
    scenario = load_scenario(LONG)
    loop_n = 50
    ov = overrides(scenario, loop_n)

    def loop():
        for i in range(loop_n):
            run_batch(scenario, {p: v[i: i + 1] for p, v in ov.items()})

    per_loop = median_ms(loop, repeats=3) / loop_n
    per_batch = seconds * 1000 / DRAWS
    rows.append(("per draw: Python loop of single runs", f"{per_loop:.2f} ms", ""))
    rows.append(("per draw: batch", f"{per_batch:.3f} ms", ""))
    rows.append(("batch speed-up per draw", f"{per_loop / per_batch:.0f}x", ">= 50x"))
    print_table(rows)


if __name__ == "__main__":
    many_draws() if "--many" in sys.argv else main()
