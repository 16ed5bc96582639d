"""Switching values: the hand-written bracketed search (`risk.switching._refine`, three points per
bracket per engine batch) beside `scipy.optimize.elementwise.find_root` (Chandrupatla, one point
per bracket per batch) in its place, on every example: time, engine batches, and whether both
give answers the engine confirms. Issue 9 item 6 asked for find_root where it is as fast; this
is how that was decided (the hand search was kept: see the module docstring of switching.py).

Run: python -m bench.bench_root_search
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
from scipy.optimize.elementwise import find_root

from bench.table import print_table
from modeller import load_scenario
from modeller.risk import switching as sw

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5   # best of, in CPU time of this process: the machine is shared, and wall time swings by ±30%


def refine_by_find_root(scenario, inputs, which, targets, brackets, integer) -> np.ndarray:
    """`switching._refine` by find_root: each bracket [a unswitched, b switched] shrunk until f is
    within the tolerance on the switched side (aimed half a tolerance past zero), in units of
    each input's own resolution (1 for whole months, 1e-9 of the value otherwise)."""
    a, fa, b, fb = (np.array(x, dtype=float) for x in zip(*brackets, strict=True))
    tol = np.where(targets == "npv_zero", sw.NPV_TOLERANCE, sw.SHORTFALL_TOLERANCE)
    out = b.copy()
    live = np.flatnonzero((np.abs(fb) > tol) & (np.abs(b - a) > np.where(integer, 1.0, 1e-9 * np.maximum(1, abs(b)))))
    if live.size == 0:
        return out
    a, fa, b, fb, tol, whole = a[live], fa[live], b[live], fb[live], tol[live], integer[live]
    aim, half = np.where(fa >= 0, -tol / 2, tol / 2), tol / 2
    step = np.where(whole, 1.0, 1e-9 * np.maximum(1, np.maximum(abs(a), abs(b))))
    end = np.abs(b - a) / step

    def x_of(v, i):
        x = a[i] + np.sign(b[i] - a[i]) * v * step[i]
        return np.where(whole[i], np.rint(x), x)

    def g(v, i):
        i = i.astype(int)
        known = {0: (fa - aim) / half, 1: (fb - aim) / half}    # the ends: measured by the grid already
        vals = np.where(v == 0, known[0][i], known[1][i])
        run = (v != 0) & (v != end[i])
        if run.any():
            got = sw._measure(scenario, inputs, which[live][i[run]], x_of(v[run], i[run]))
            f = np.where(targets[live][i[run]] == "npv_zero", got["npv_zero"], got["shortfall"])
            vals[run] = (f - aim[i[run]]) / half[i[run]]
        return vals

    res = find_root(g, (np.zeros_like(end), end), args=(np.arange(live.size, dtype=float),),
                    tolerances={"xatol": 1.0, "xrtol": 0.0, "fatol": 0.99, "frtol": 0.0}, maxiter=sw.MAX_STEPS)
    (xl, xr), (_, gr) = res.bracket, res.f_bracket
    switched = np.where(np.sign(gr) == np.sign((fb - aim) / half), xr, xl)
    out[live] = x_of(np.where(np.abs(res.f_x) <= 0.99, res.x, switched), np.arange(live.size))
    return out


def measure(scenario, refine) -> tuple[float, int, list[dict]]:
    """(best CPU seconds, engine batches, switching values) of `switching.sensitivity` with `refine`."""
    real_refine, real_run = sw._refine, sw.run_batch
    calls: list[int] = []
    sw._refine = refine
    sw.run_batch = lambda *a, **k: calls.append(1) or real_run(*a, **k)
    try:
        _, switches = sw.sensitivity(scenario)
        batches = len(calls)
        times = []
        for _ in range(REPEATS):
            t = time.process_time()
            sw.sensitivity(scenario)
            times.append(time.process_time() - t)
    finally:
        sw._refine, sw.run_batch = real_refine, real_run
    return min(times), batches, switches


def main() -> None:
    warnings.simplefilter("ignore", RuntimeWarning)   # IRR overflow on far grid points
    rows = [("example (CPU time, best of 5)", "hand", "find_root", "batches", "all confirmed")]
    totals = [0.0, 0.0]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        s = load_scenario(path)
        hand, scipy_ = measure(s, sw._refine), measure(s, refine_by_find_root)
        totals = [totals[0] + hand[0], totals[1] + scipy_[0]]
        confirmed = all(r["checked"] for r in hand[2] + scipy_[2] if r["value"] is not None)
        rows.append((path.stem, f"{hand[0] * 1000:.0f} ms", f"{scipy_[0] * 1000:.0f} ms",
                     f"{hand[1]} / {scipy_[1]}", "yes" if confirmed else "NO"))
    rows.append(("total", f"{totals[0] * 1000:.0f} ms", f"{totals[1] * 1000:.0f} ms", "", ""))
    print_table(rows)


if __name__ == "__main__":
    main()
