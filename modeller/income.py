"""Contract income: block, activity and capitation; ramp, changes, start delay, payment lag,
withhold and risk share (DESIGN §4 "Income" and "Risk share")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Contract
from modeller.timeline import Timeline, at_year_ends, delay, rows, step_mask, year_sums


@dataclass
class ContractLines:
    """One contract's monthly series, each (draws, months)."""

    earned: np.ndarray           # full value earned in the month, before withhold
    income: np.ndarray           # accrued income: earned less expected lost withhold, plus risk share
    receipts: np.ndarray         # cash received
    withhold_income: np.ndarray  # expected withhold earned back (accrued in the month earned)
    risk_share: np.ndarray       # commissioner settlement accrued in each year's last month
    provider_retained: np.ndarray  # variance the provider keeps, at each year's last month
    active: np.ndarray           # 1.0 in months the contract runs


def _stepped(inp: Inputs, c: Contract, tl: Timeline, field: str, start_delay: np.ndarray):
    """A contract term (annual value, price, rate, population) with its step changes applied."""
    base = f"contracts.{c.id}"
    value = rows(inp.num(f"{base}.{field}", getattr(c, field)), tl.months)
    for i, ch in enumerate(c.changes):
        new = getattr(ch, field)
        if new is None:
            continue
        from_month = step_mask(tl, inp.month(f"{base}.changes.{i}.from", ch.from_) + start_delay)
        value = np.where(from_month, inp.num(f"{base}.changes.{i}.{field}", new), value)
    return value


def _earned(inp: Inputs, c: Contract, tl: Timeline, units: dict, start_delay: np.ndarray):
    """Value earned each month at full delivery, before the contract's active window and ramp."""
    base = f"contracts.{c.id}"
    prices = tl.index_factor(inp.num("indexation.prices", inp.scenario.indexation.prices))
    price = _stepped(inp, c, tl, c.price_field, start_delay)
    if c.mechanism == "block":
        return price / 12 * prices
    if c.mechanism == "activity":
        return units[c.activity] * inp.num(f"{base}.share", c.share) * price * prices
    population = _stepped(inp, c, tl, "population", start_delay)
    growth = tl.growth(inp.num(f"{base}.population_growth", c.population_growth))
    return population * growth * price / 12 * prices


def _window(inp: Inputs, c: Contract, tl: Timeline, start_delay: np.ndarray):
    """(active, ramp factor): the months the contract runs, and the k-th month's share of full value."""
    base = f"contracts.{c.id}"
    first = inp.month(f"{base}.start", c.start) + start_delay  # (draws,) or (1,)
    last = np.array([tl.months - 1]) if c.end is None else inp.month(f"{base}.end", c.end)
    k = tl.m[None, :] - first[:, None]                         # months since the start
    active = ((k >= 0) & (tl.m[None, :] <= last[:, None])).astype(float)
    ramp = inp.num(f"{base}.ramp_months", c.ramp_months)
    ramp = np.maximum(np.rint(ramp), 0)
    factor = np.where(ramp > 0, np.minimum(1.0, (k + 1) / np.maximum(ramp, 1)), 1.0)
    return active, factor


def _withhold_settlement(inp: Inputs, c: Contract, tl: Timeline, expected: np.ndarray) -> np.ndarray:
    """Cash for the withhold earned back: each year's total, `settle_lag_months` after its 31 March."""
    lag = inp.whole(f"contracts.{c.id}.withhold.settle_lag_months", c.withhold.settle_lag_months)
    per_year = year_sums(expected, tl)
    pad = int(tl.march_index.max()) + 1
    long = np.zeros((expected.shape[0], max(pad, tl.months)))
    long[:, tl.march_index] = per_year
    return delay(long, lag)[:, : tl.months]


def _risk_share(inp: Inputs, c: Contract, tl: Timeline, active: np.ndarray, cost: np.ndarray):
    """(settlement, provider retained) by year, placed in each year's last month.

    variance = cost of the line in active months - target pro-rated to active months at that
    year's prices. The commissioner settles (1 - provider_share) of it, but never so little
    that the provider loses more than `cap`, or gains more than `collar`, in a year.
    """
    rs, base = c.risk_share, f"contracts.{c.id}.risk_share"
    prices = tl.index_factor(inp.num("indexation.prices", inp.scenario.indexation.prices))
    target = inp.num(f"{base}.target_annual", rs.target_annual) / 12 * prices * active
    variance = year_sums(cost * active - target, tl)
    provider = inp.num(f"{base}.provider_share", rs.provider_share)
    retained = provider * variance
    if rs.cap is not None:
        retained = np.minimum(retained, inp.num(f"{base}.cap", rs.cap))
    if rs.collar is not None:
        retained = np.maximum(retained, -inp.num(f"{base}.collar", rs.collar))
    return at_year_ends(variance - retained, tl), at_year_ends(retained, tl)


def contract_lines(inp: Inputs, c: Contract, tl: Timeline, units: dict, costs: dict) -> ContractLines:
    """Accruals and cash for one contract over all draws."""
    base = f"contracts.{c.id}"
    start_delay = inp.whole(f"{base}.start_delay_months", c.start_delay_months)
    active, ramp = _window(inp, c, tl, start_delay)
    earned = rows(_earned(inp, c, tl, units, start_delay), tl.months) * active * ramp
    share = inp.num(f"{base}.withhold.share", c.withhold.share)
    earned_back = inp.num(f"{base}.withhold.earned", c.withhold.earned)
    withhold_income = earned * share * earned_back
    receipts = delay(earned * (1 - share), inp.whole(f"{base}.payment_lag_months", c.payment_lag_months))
    receipts = receipts + _withhold_settlement(inp, c, tl, withhold_income)
    zero = np.zeros_like(earned)
    settle, retained = zero, zero
    if c.risk_share is not None:
        settle, retained = _risk_share(inp, c, tl, active, costs[c.risk_share.cost])
        lag = inp.whole(f"{base}.risk_share.settle_lag_months", c.risk_share.settle_lag_months)
        receipts = receipts + delay(settle, lag)
    income = earned * (1 - share) + withhold_income + settle
    return ContractLines(earned, income, receipts, withhold_income, settle, retained, active)
