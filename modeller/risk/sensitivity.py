"""Tornado: NPV and peak funding with each input at its low and its high, all in one batch.

An uncertain input swings between the P10 and P90 of its distribution; a scenario without
an `uncertainty:` section swings its main inputs (volumes, prices, salaries, costs, capex)
by ±20% of their values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.engine import run_batch
from modeller.paths import get_number
from modeller.risk.sampling import quantiles, to_field
from modeller.scenario import Scenario

MAIN_INPUT_SWING = 0.20


@dataclass(frozen=True)
class Swing:
    """One input of a sensitivity analysis: where it sits and how far it may move."""

    path: str
    base: float
    low: float
    high: float


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
        out = []
        for p in u.parameters:
            low, high = quantiles(scenario, p, (0.10, 0.90))
            out.append(Swing(p.path, get_number(scenario, p.path), low, high))
        return out
    out = []
    for path in main_inputs(scenario):
        base = get_number(scenario, path)
        low, high = to_field(scenario, path, np.array([1 - MAIN_INPUT_SWING, 1 + MAIN_INPUT_SWING]) * base)
        out.append(Swing(path, base, float(low), float(high)))
    return out


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
