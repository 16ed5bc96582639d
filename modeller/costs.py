"""Non-pay cost lines (fixed, per unit, one-off) with payment lags and commitments, and
capital spend with straight-line depreciation (DESIGN §4 "Costs" and "Capex")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Capex, FixedCost, OneOffCost, PerUnitCost
from modeller.timeline import Timeline, delay, rows


@dataclass
class CostLines:
    """One cost line's monthly series, each (draws, months)."""

    cost: np.ndarray        # accrued in the month incurred
    paid: np.ndarray        # cash, payment_lag_months later
    exit_cost: np.ndarray   # unexpired commitment if the venture stopped this month


def _fixed(inp: Inputs, c: FixedCost, tl: Timeline):
    base = f"costs.{c.id}"
    non_pay = tl.index_factor(inp.num("indexation.non_pay", inp.scenario.indexation.non_pay))
    monthly = inp.num(f"{base}.annual", c.annual) / 12 * non_pay
    first = tl.index(c.from_)
    last = tl.months - 1 if c.to is None else tl.index(c.to)
    active = (tl.m >= first) & (tl.m <= last)
    commitment = inp.whole(f"{base}.commitment_months", c.commitment_months)[:, None]
    # months of the first `commitment_months` still to run after this one
    unexpired = np.clip(first + commitment - (tl.m[None, :] + 1), 0, commitment) * (tl.m >= first)
    return monthly * active, monthly * unexpired


def _per_unit(inp: Inputs, c: PerUnitCost, tl: Timeline, units: dict):
    base = f"costs.{c.id}"
    non_pay = tl.index_factor(inp.num("indexation.non_pay", inp.scenario.indexation.non_pay))
    unit_cost = inp.num(f"{base}.unit_cost", c.unit_cost)
    return units[c.activity] * inp.num(f"{base}.share", c.share) * unit_cost * non_pay, 0.0


def _one_off(inp: Inputs, c: OneOffCost, tl: Timeline):
    cost = np.zeros((1, tl.months))
    month = tl.clamp(c.month)
    if month < tl.months:
        cost[0, month] = 1.0
    return cost * inp.num(f"costs.{c.id}.amount", c.amount), 0.0


def cost_lines(inp: Inputs, c, tl: Timeline, units: dict) -> CostLines:
    """Accrued cost, payments and exit commitment of one cost line over all draws."""
    if c.kind == "fixed":
        cost, exit_cost = _fixed(inp, c, tl)
    elif c.kind == "per_unit":
        cost, exit_cost = _per_unit(inp, c, tl, units)
    else:
        cost, exit_cost = _one_off(inp, c, tl)
    cost = rows(cost, tl.months)
    paid = delay(cost, inp.whole(f"costs.{c.id}.payment_lag_months", c.payment_lag_months))
    return CostLines(cost, paid, rows(exit_cost, tl.months))


@dataclass
class CapexLines:
    spend: np.ndarray         # paid in its month
    depreciation: np.ndarray  # straight line from the next month over life_years * 12 months


def capex_lines(inp: Inputs, a: Capex, tl: Timeline) -> CapexLines:
    base = f"capex.{a.id}"
    amount = inp.num(f"{base}.amount", a.amount)
    life = np.rint(np.asarray(inp.num(f"{base}.life_years", a.life_years)) * 12)
    month = tl.clamp(a.month)
    spend = (tl.m == month) * amount
    after = tl.m[None, :] - month
    depreciation = np.where((after >= 1) & (after <= life), amount / life, 0.0)
    return CapexLines(rows(spend, tl.months), rows(depreciation, tl.months))
