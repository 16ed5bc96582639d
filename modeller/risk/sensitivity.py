"""Tornado: NPV and peak funding with each input at its low and its high, all in one batch.

An uncertain input swings between the P10 and P90 of its distribution; a scenario without
an `uncertainty:` section swings its main inputs (volumes, prices, salaries, costs, capex)
by ±20% of their values. Each input also has a reach, where a search for its switching value
may look: its range widened by its width on each side, kept inside the field's schema limits
and inside what the engine can account for to the penny with every other input at its base
(`scenario_limits.check_magnitude`); the low and high never leave the reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from modeller.engine import run_batch
from modeller.paths import get_number, replaced
from modeller.risk.sampling import quantiles, spec_of, to_field
from modeller.scenario import Scenario
from modeller.scenario_limits import DIVISORS, check_magnitude

MAIN_INPUT_SWING = 0.20
HALVINGS = 40   # of the way from the base to a range's end that cannot be accounted for


@dataclass(frozen=True)
class Swing:
    """One input of a sensitivity analysis: where it sits, its low and high for the tornado, and
    how far a search may take it (`reach`, lowest and highest)."""

    path: str
    base: float
    low: float
    high: float
    reach: tuple[float, float]


def main_inputs(scenario: Scenario) -> list[str]:
    """Paths of the inputs that usually drive a business case, where they are non-zero."""
    paths = [f"activity.{a.id}.per_month" for a in scenario.activity]
    paths += [f"activity.{a.id}.annual_growth" for a in scenario.activity]
    for c in scenario.contracts:
        paths.append(f"contracts.{c.id}.{c.price_field}")
        if c.mechanism == "capitation":
            paths.append(f"contracts.{c.id}.population")
    paths += [f"workforce.roles.{r.id}.salary" for r in scenario.workforce.roles]
    for cost in scenario.costs:
        paths.append(f"costs.{cost.id}." + {"fixed": "annual", "per_unit": "unit_cost", "one_off": "amount"}[cost.kind])
    paths += [f"capex.{a.id}.amount" for a in scenario.capex]
    return [p for p in paths if get_number(scenario, p) != 0]


def swings(scenario: Scenario) -> list[Swing]:
    """The inputs to vary: the uncertain parameters (P10..P90), else main inputs ±20%."""
    u = scenario.uncertainty
    if u is not None and u.parameters:
        out = [_swing(scenario, p.path, *quantiles(p, (0.10, 0.90)), quantiles(p, (0.001, 0.999)))
               for p in u.parameters]
    else:
        out = []
        for path in main_inputs(scenario):
            base = get_number(scenario, path)
            low, high = to_field(path, np.array([1 - MAIN_INPUT_SWING, 1 + MAIN_INPUT_SWING]) * base)
            out.append(_swing(scenario, path, float(low), float(high), (float(low), float(high))))
    return _accountable(scenario, out)


def _swing(scenario: Scenario, path: str, low: float, high: float, spread: list | tuple) -> Swing:
    """An input's swing, its reach the base and its `spread` (the distribution's 0.1%..99.9%, or
    low..high), widened by that width on each side, within the field's schema limits."""
    base = get_number(scenario, path)
    lo, hi = min(spread[0], base), max(spread[1], base)
    width = (hi - lo) or max(abs(base) * 0.5, 1.0)
    lo, hi = to_field(path, np.array([lo - width, hi + width]))
    return Swing(path, base, low, high, (float(lo), float(hi)))


# --- what the engine can account for to the penny ---------------------------------------------
# The money a scenario can move (`scenario_limits.check_magnitude`) only grows as an input rises
# (as a divisor falls), so one check with every input at its far end at once clears every
# one-at-a-time value within the reaches; only if that fails is each input checked alone.

def _far_end(s: Swing) -> float:
    return s.reach[0] if s.path.rsplit(".", 1)[-1] in DIVISORS else s.reach[1]


def _fine(scenario: Scenario) -> bool:
    try:
        return not check_magnitude(scenario)
    except ArithmeticError:                         # a divisor at zero: nothing can account for it
        return False


def _accountable(scenario: Scenario, out: list[Swing]) -> list[Swing]:
    """The swings with reaches (and lows and highs) cut back to what can be accounted for."""
    alone = scenario.model_copy(update={"uncertainty": None})     # every other input at its base
    far = alone
    for s in out:
        far = replaced(far, s.path, _far_end(s))
    if _fine(far):
        return out
    cut = []
    for s in out:
        end = _nearest_fine(alone, s, _far_end(s))
        lo, hi = (end, s.reach[1]) if end <= s.base else (s.reach[0], end)
        cut.append(Swing(s.path, s.base, min(max(s.low, lo), hi), min(max(s.high, lo), hi), (lo, hi)))
    return cut


def _nearest_fine(alone: Scenario, s: Swing, end: float) -> float:
    """`end`, or the value nearest it towards the base at which the scenario can be accounted for."""
    if end == s.base or _fine(replaced(alone, s.path, end)):
        return end
    good, bad = s.base, end
    for _ in range(HALVINGS):
        mid = (good + bad) / 2
        good, bad = (mid, bad) if _fine(replaced(alone, s.path, mid)) else (good, mid)
    if spec_of(s.path).whole:
        return float(math.floor(good) if end > s.base else math.ceil(good))
    return good


def one_at_a_time(scenario: Scenario, inputs: list[Swing], values: np.ndarray) -> dict[str, np.ndarray]:
    """Overrides for a batch where row block i moves only input i.

    `values` is (inputs, per_input): draw i*per_input + j sets input i to values[i, j] and
    every other input to its base value.
    """
    k, per = values.shape
    over = {}
    for i, s in enumerate(inputs):
        column = np.full(k * per, s.base)
        column[i * per:(i + 1) * per] = values[i]
        over[s.path] = column
    return over


def tornado_rows(inputs: list[Swing], npv: np.ndarray, peak: np.ndarray) -> list[dict]:
    """Rows from (inputs, 2) NPV and peak funding at each input's low and high, widest NPV swing first."""
    rows = [{"parameter": s.path, "low": s.low, "high": s.high,
             "npv_low": float(npv[i, 0]), "npv_high": float(npv[i, 1]),
             "peak_funding_low": float(peak[i, 0]), "peak_funding_high": float(peak[i, 1])}
            for i, s in enumerate(inputs)]
    return sorted(rows, key=lambda r: -abs(r["npv_high"] - r["npv_low"]))


def tornado(scenario: Scenario, inputs: list[Swing] | None = None) -> list[dict]:
    """Per input: its low/high and the NPV and peak funding there, widest NPV swing first
    (`switching.sensitivity` gives the same rows from the switching values' batch)."""
    inputs = swings(scenario) if inputs is None else inputs
    if not inputs:
        return []
    values = np.array([[s.low, s.high] for s in inputs])
    kpi = run_batch(scenario, one_at_a_time(scenario, inputs, values)).kpi_arrays
    return tornado_rows(inputs, kpi["npv"].reshape(-1, 2), kpi["peak_funding_requirement"].reshape(-1, 2))
