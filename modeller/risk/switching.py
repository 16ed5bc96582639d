"""Switching values (Green Book): the value of an input at which NPV reaches zero, or at which
a funding shortfall first appears, holding every other input at its base value.

One batch runs every input's grid over a widened range of its distribution, the base case
and the tornado's lows and highs (both targets read the same runs); the sign change nearest
the base value is then refined for every (input, target) together, one batch per step, each
step trying a few points per bracket (regula falsi, a point just past it, the midpoint); a
final batch checks every answer. `scipy.optimize.elementwise.find_root` (Chandrupatla, one point
per bracket a step) in place of the steps gives the same answers within their tolerances but
one more engine batch for most examples and about 9% more CPU time in all (measured 2026-11-29,
`python -m bench.bench_root_search`), so the three points a step stay.

Each input is searched over its reach (`sensitivity.Swing`): its range widened, inside the
field's schema limits and what the engine can account for to the penny with every other input
at base; a switch only beyond that is "none in the range tried".
"""

from __future__ import annotations

import numpy as np

from modeller.engine import run_batch
from modeller.risk.sampling import spec_of
from modeller.risk.sensitivity import Swing, swings, tornado_rows
from modeller.scenario import Scenario

GRID_POINTS = 41
NPV_TOLERANCE = 100.0         # £: refine until NPV is this close to zero (the check allows £1,000)
SHORTFALL_TOLERANCE = 50.0    # £: how deep the first shortfall may be at the answer
MAX_STEPS = 60
TARGETS = ("npv_zero", "shortfall")


def rows_for(inputs: list[Swing], which: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    """Overrides for a batch where row r sets input `which[r]` to `values[r]` and every other
    input to its base value (an input may own many rows, in any order)."""
    over: dict[str, np.ndarray] = {}
    for i, s in enumerate(inputs):
        column = over.setdefault(s.path, np.full(len(which), s.base))
        mine = which == i
        column[mine] = values[mine]
    return over


def _measure(scenario: Scenario, inputs: list[Swing], which: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    """One batch: per row, NPV, facility headroom (negative: a shortfall), the funding shortfall
    and the peak funding requirement."""
    over = rows_for(inputs, which, values)
    result = run_batch(scenario, over, draws=len(which))
    k = result.kpi_arrays
    return {"npv_zero": k["npv"], "shortfall": _headroom(scenario, result, over),
            "funding_shortfall": k["funding_shortfall"], "peak_funding_requirement": k["peak_funding_requirement"]}


def _headroom(scenario: Scenario, result, over: dict) -> np.ndarray:
    """Least over months of cash above the minimum plus undrawn facility: below 0 exactly when
    cash falls below the minimum (continuous, so roots can be found)."""
    d = result.draws
    limit = over.get("funding.facility.limit", np.full(d, scenario.funding.facility.limit))
    minimum = over.get("funding.minimum_cash", np.full(d, scenario.funding.minimum_cash))
    L = result.lines
    room = L["closing_cash"] - minimum[:, None] + limit[:, None] - L["facility_balance"]
    return room.min(axis=1) + 0.01


def _bracket(grid: np.ndarray, f: np.ndarray, base: float, f_base: float):
    """The grid interval nearest the base where the sign differs from the base's; None if none."""
    switched = (f >= 0) != (f_base >= 0)
    best, best_distance = None, np.inf
    for j in np.flatnonzero(switched):
        for i in (j - 1, j + 1):          # a switched point next to an unswitched one
            if 0 <= i < len(grid) and not switched[i]:
                distance = abs(grid[j] - base)
                if distance < best_distance:
                    best, best_distance = (grid[i], f[i], grid[j], f[j]), distance
    return best


def _points(a, fa, b, fb, tol, integer) -> np.ndarray:
    """(brackets, 3) points to try inside each bracket [a unswitched, b switched]: the regula falsi
    point, a point just past it towards b (where |f| should be within the tolerance if f is
    nearly straight there) and the midpoint; whole numbers for whole-month inputs."""
    with np.errstate(divide="ignore", invalid="ignore"):
        c = b - fb * (b - a) / (fb - fa)
        past = c + 0.5 * tol * (b - a) / np.abs(fb - fa)
    mid = (a + b) / 2
    pts = np.stack([np.where(np.isfinite(c), c, mid), np.where(np.isfinite(past), past, mid), mid], axis=1)
    lo, hi = np.minimum(a, b)[:, None], np.maximum(a, b)[:, None]
    pts = np.clip(pts, lo, hi)
    return np.where(integer[:, None], np.where((b > a)[:, None], np.floor(pts), np.ceil(pts)), pts)


def _refine(scenario, inputs, which, targets, brackets, integer):
    """Shrink each bracket (a unswitched, b switched) of input `which[j]` and target `targets[j]`
    until b is an answer; all of them in one batch per step."""
    a, fa, b, fb = (np.array(x, dtype=float) for x in zip(*brackets, strict=True))
    tol = np.where(targets == "npv_zero", NPV_TOLERANCE, SHORTFALL_TOLERANCE)
    for _ in range(MAX_STEPS):
        width = np.abs(b - a)
        done = (np.abs(fb) <= tol) | (width <= np.where(integer, 1.0, 1e-9 * np.maximum(1, np.abs(b))))
        if done.all():
            break
        live = np.flatnonzero(~done)
        pts = _points(a[live], fa[live], b[live], fb[live], tol[live], integer[live])
        got = _measure(scenario, inputs, np.repeat(which[live], pts.shape[1]), pts.reshape(-1))
        f = np.where(np.repeat(targets[live], pts.shape[1]) == "npv_zero", got["npv_zero"], got["shortfall"])
        f = f.reshape(pts.shape)
        for n, j in enumerate(live):      # walk from a towards b: the first switched point is the new b
            order = np.argsort(np.abs(pts[n] - a[j]))
            for x, fx in zip(pts[n][order], f[n][order], strict=True):
                if x == a[j] or x == b[j]:
                    continue
                if (fx >= 0) != (fa[j] >= 0):
                    b[j], fb[j] = x, fx
                    break
                a[j], fa[j] = x, fx
    return b


def switching_event(target: str, short_now: bool) -> tuple[str, str]:
    """(what happens at a switching value, what is said when it never happens), in words."""
    if target == "npv_zero":
        return "NPV reaches zero", "NPV never reaches zero"
    if short_now:
        return "the funding shortfall disappears", "the funding shortfall never disappears"
    return "a funding shortfall appears", "no funding shortfall appears"


def sensitivity(scenario: Scenario, inputs: list[Swing] | None = None) -> tuple[list[dict], list[dict]]:
    """(tornado rows, switching values) from shared batches: see the module's docstring."""
    inputs = swings(scenario) if inputs is None else inputs
    if not inputs:
        return [], []
    k = len(inputs)
    grid = np.array([np.linspace(*s.reach, GRID_POINTS) for s in inputs])
    integer = np.array([spec_of(s.path).whole for s in inputs])
    grid = np.where(integer[:, None], np.rint(grid), grid)
    columns = np.concatenate([grid, [[s.base, s.low, s.high] for s in inputs]], axis=1)   # grid, base, low, high
    got = {name: v.reshape(k, -1) for name, v in
           _measure(scenario, inputs, np.repeat(np.arange(k), columns.shape[1]), columns.reshape(-1)).items()}
    rows = tornado_rows(inputs, got["npv_zero"][:, -2:], got["peak_funding_requirement"][:, -2:])
    found: list[tuple[int, str, tuple]] = []
    for target in TARGETS:
        f = got[target]
        for i, s in enumerate(inputs):
            br = _bracket(grid[i], f[i, :GRID_POINTS], s.base, f[i, GRID_POINTS])
            if br is not None:
                found.append((i, target, br))
    values: dict[tuple[int, str], float] = {}
    if found:
        which = np.array([i for i, _, _ in found])
        targets = np.array([t for _, t, _ in found])
        answers = _refine(scenario, inputs, which, targets, [br for *_, br in found], integer[which])
        values = {(i, t): float(v) for (i, t, _), v in zip(found, answers, strict=True)}
    checked = check_all(scenario, inputs, values, got["npv_zero"][:, GRID_POINTS], got["funding_shortfall"][:, GRID_POINTS])
    switches = [{"parameter": s.path, "target": t, "value": values.get((i, t)), "checked": checked.get((i, t))}
                for t in TARGETS for i, s in enumerate(inputs)]
    return rows, switches


def switching_values(scenario: Scenario, inputs: list[Swing] | None = None) -> list[dict]:
    """[{"parameter", "target", "value", "checked"}]: value None when it never switches in range."""
    return sensitivity(scenario, inputs)[1]


def check_all(scenario: Scenario, inputs: list[Swing], values: dict[tuple[int, str], float],
              base_npv: np.ndarray, base_shortfall: np.ndarray) -> dict[tuple[int, str], bool]:
    """Run the engine at every answer, one batch: NPV within £1,000 of zero (or, for whole-month
    inputs, of the other sign to the base), or the shortfall state flipped from the base's."""
    if not values:
        return {}
    keys = list(values)
    got = _measure(scenario, inputs, np.array([i for i, _ in keys]), np.array([values[key] for key in keys]))
    out = {}
    for n, (i, target) in enumerate(keys):
        if target == "npv_zero":
            npv = got["npv_zero"][n]
            ok = abs(npv) <= 1000 or (spec_of(inputs[i].path).whole and (npv >= 0) != (base_npv[i] >= 0))
        else:
            ok = (got["funding_shortfall"][n] > 0) != (base_shortfall[i] > 0)
        out[(i, target)] = bool(ok)
    return out


__all__ = ["check_all", "sensitivity", "switching_values"]
