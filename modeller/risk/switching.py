"""Switching values (Green Book): the value of an input at which NPV reaches zero, or at which
a funding shortfall first appears, holding every other input at its base value.

Each input is scanned on a grid over a widened range of its distribution in one batch; the
sign change nearest the base value is then refined for all inputs together (regula falsi
with bisection safeguards, one batch per step) and the answers checked in a final batch.
"""

from __future__ import annotations

import numpy as np

from modeller.engine import run_batch
from modeller.paths import is_integer_field
from modeller.risk.sampling import param_by_path, quantiles, to_field
from modeller.risk.sensitivity import Swing, one_at_a_time, swings
from modeller.scenario import Scenario

GRID_POINTS = 41
NPV_TOLERANCE = 100.0         # £: refine until NPV is this close to zero (the check allows £1,000)
SHORTFALL_TOLERANCE = 50.0    # £: how deep the first shortfall may be at the answer
MAX_STEPS = 60
TARGETS = ("npv_zero", "shortfall")


def search_range(scenario: Scenario, s: Swing) -> tuple[float, float]:
    """A sensible range to look in: the distribution's (or swing's) range, widened by its width
    on each side, and within the field's legal values."""
    p = param_by_path(scenario, s.path)
    lo, hi = quantiles(scenario, p, (0.001, 0.999)) if p is not None else (s.low, s.high)
    lo, hi = min(lo, s.base), max(hi, s.base)
    width = (hi - lo) or max(abs(s.base) * 0.5, 1.0)
    lo, hi = to_field(scenario, s.path, np.array([lo - width, hi + width]))
    return float(lo), float(hi)


def _measure(scenario: Scenario, inputs: list[Swing], values: np.ndarray, target: str) -> np.ndarray:
    """(inputs, per_input) NPV, or facility headroom (negative: a shortfall), one batch."""
    over = one_at_a_time(scenario, inputs, values)
    result = run_batch(scenario, over)
    if target == "npv_zero":
        out = result.kpi_arrays["npv"]
    else:
        out = _headroom(scenario, result, over)
    return out.reshape(values.shape)


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


def _refine(scenario, inputs, brackets, target, integer):
    """Shrink each bracket (a unswitched, b switched) until b is an answer; one batch per step."""
    a, fa, b, fb = (np.array(x, dtype=float) for x in zip(*brackets, strict=True))
    tol = NPV_TOLERANCE if target == "npv_zero" else SHORTFALL_TOLERANCE
    bisect = np.zeros(len(a), dtype=bool)
    moved_b = np.zeros(len(a), dtype=bool)
    for _ in range(MAX_STEPS):
        width = np.abs(b - a)
        done = (np.abs(fb) <= tol) | (width <= np.where(integer, 1.0, 1e-9 * np.maximum(1, np.abs(b))))
        if done.all():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(bisect | integer, (a + b) / 2, b - fb * (b - a) / (fb - fa))
        c = np.where(integer, np.where(b > a, np.floor(c), np.ceil(c)), c)
        c = np.where(np.isfinite(c) & (c != a) & (c != b), c, (a + b) / 2)
        c = np.where(done, b, c)
        fc = _measure(scenario, inputs, c[:, None], target)[:, 0]
        to_b = ((fc >= 0) != (fa >= 0)) & ~done
        bisect = to_b == moved_b  # the same end moved twice running: regula falsi is stalling
        moved_b = to_b
        b, fb = np.where(to_b, c, b), np.where(to_b, fc, fb)
        to_a = ~to_b & ~done
        a, fa = np.where(to_a, c, a), np.where(to_a, fc, fa)
    return b


def switching_event(target: str, short_now: bool) -> tuple[str, str]:
    """(what happens at a switching value, what is said when it never happens), in words."""
    if target == "npv_zero":
        return "NPV reaches zero", "NPV never reaches zero"
    if short_now:
        return "the funding shortfall disappears", "the funding shortfall never disappears"
    return "a funding shortfall appears", "no funding shortfall appears"


def switching_values(scenario: Scenario, inputs: list[Swing] | None = None) -> list[dict]:
    """[{"parameter", "target", "value", "checked"}]: value None when it never switches in range."""
    inputs = swings(scenario) if inputs is None else inputs
    if not inputs:
        return []
    ranges = [search_range(scenario, s) for s in inputs]
    grid = np.array([np.linspace(lo, hi, GRID_POINTS) for lo, hi in ranges])
    integer = np.array([is_integer_field(scenario, s.path) for s in inputs])
    grid = np.where(integer[:, None], np.rint(grid), grid)
    bases = np.array([[s.base] for s in inputs])
    out = []
    for target in TARGETS:
        f_grid = _measure(scenario, inputs, grid, target)
        f_base = _measure(scenario, inputs, bases, target)[:, 0]
        brackets = [_bracket(grid[i], f_grid[i], s.base, f_base[i]) for i, s in enumerate(inputs)]
        found = [i for i, br in enumerate(brackets) if br is not None]
        values = [None] * len(inputs)
        if found:
            sub = [inputs[i] for i in found]
            answers = _refine(scenario, sub, [brackets[i] for i in found], target, integer[found])
            for i, v in zip(found, answers, strict=True):
                values[i] = float(v)
        checked = check(scenario, inputs, values, target)
        out += [{"parameter": s.path, "target": target, "value": values[i], "checked": checked[i]}
                for i, s in enumerate(inputs)]
    return out


def check(scenario: Scenario, inputs: list[Swing], values: list, target: str) -> list[bool | None]:
    """Run the engine at each answer: NPV within £1,000 of zero (or, for whole-month inputs,
    of the other sign to the base), or the shortfall state flipped from the base's."""
    found = [i for i, v in enumerate(values) if v is not None]
    if not found:
        return [None] * len(values)
    pairs = np.array([[inputs[i].base, values[i]] for i in found])
    result = run_batch(scenario, one_at_a_time(scenario, [inputs[i] for i in found], pairs)).kpi_arrays
    out: list[bool | None] = [None] * len(values)
    for n, i in enumerate(found):
        if target == "npv_zero":
            base_npv, npv = result["npv"][2 * n], result["npv"][2 * n + 1]
            ok = abs(npv) <= 1000 or (is_integer_field(scenario, inputs[i].path) and (npv >= 0) != (base_npv >= 0))
        else:
            short = result["funding_shortfall"][2 * n:2 * n + 2] > 0
            ok = bool(short[0] != short[1])
        out[i] = bool(ok)
    return out


__all__ = ["check", "search_range", "switching_values"]
