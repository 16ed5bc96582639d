"""Contract income: block, activity and capitation; ramp, changes, start delay, payment lag,
withhold and risk share (DESIGN §4 "Income" and "Risk share"); activity paid on plan or in arrears,
with an annual cap and a marginal rate above plan (docs/MODEL.md "Activity contracts")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller import activity
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


def _earned(inp: Inputs, c: Contract, tl: Timeline, start_delay: np.ndarray):
    """Value earned each month at full delivery, before the contract's active window and ramp
    (activity contracts: the value of one unit)."""
    base = f"contracts.{c.id}"
    prices = tl.index_factor(inp.num("indexation.prices", inp.scenario.indexation.prices))
    price = _stepped(inp, c, tl, c.price_field, start_delay)
    if c.mechanism in ("block", "activity"):
        return price / (12 if c.mechanism == "block" else 1) * prices
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


def _after_march(x: np.ndarray, tl: Timeline, lag: np.ndarray) -> np.ndarray:
    """Each NHS year's total of `x`, paid in one sum `lag` months after the 31 March that ends the year."""
    per_year = year_sums(x, tl)
    pad = int(tl.march_index.max()) + 1
    long = np.zeros((x.shape[0], max(pad, tl.months)))
    long[:, tl.march_index] = per_year
    return delay(long, lag)[:, : tl.months]


def _year_to_date(x: np.ndarray, tl: Timeline) -> np.ndarray:
    """Running total of a (draws, months) series within each NHS year."""
    out = np.empty(x.shape)
    for y in range(len(tl.fy_labels)):
        sel = tl.fy_number == y
        out[:, sel] = np.cumsum(x[:, sel], axis=1)
    return out


def _in_month(ytd: np.ndarray, tl: Timeline) -> np.ndarray:
    """The month's part of a year-to-date series (the inverse of `_year_to_date`)."""
    before = np.zeros(ytd.shape)
    before[:, 1:] = ytd[:, :-1]
    before[:, np.flatnonzero(np.r_[True, np.diff(tl.fy_number) != 0])] = 0.0   # each year's first month
    return ytd - before


def _has_rules(inp: Inputs, c: Contract) -> bool:
    """Whether an activity contract caps its units or pays less than the price above plan (in any draw)."""
    return c.activity_cap is not None or c.marginal_rate != 1.0 or inp.overridden(f"contracts.{c.id}.marginal_rate")


def _paid_units(inp: Inputs, c: Contract, tl: Timeline, actual: np.ndarray, plan: np.ndarray,
                active: np.ndarray) -> np.ndarray:
    """Units paid for each month under the cap and the marginal rate, counted year to date.

    Year to date, units counted = min(actual, cap pro-rated to the year's active months); paid
    units = min(counted, plan) + marginal_rate × max(counted − plan, 0); each month is paid the
    increase. With no cap and a full marginal rate, the actual units.
    """
    base = f"contracts.{c.id}"
    if not _has_rules(inp, c):
        return actual
    counted = _year_to_date(actual, tl)
    if c.activity_cap is not None:
        active_months = year_sums(active, tl)[:, tl.fy_number]
        counted = np.minimum(counted, inp.num(f"{base}.activity_cap", c.activity_cap) * active_months / 12)
    plan_ytd = _year_to_date(plan, tl)
    rate = inp.num(f"{base}.marginal_rate", c.marginal_rate)
    return _in_month(np.minimum(counted, plan_ytd) + rate * np.maximum(counted - plan_ytd, 0.0), tl)


def _activity_value(inp: Inputs, c: Contract, tl: Timeline, units: dict, unit_value: np.ndarray,
                    delivered: np.ndarray, active: np.ndarray):
    """(earned, billed) for an activity contract: the value of the units paid for, and what is paid
    on account each month (the planned units' value when paid on plan, else the earned value)."""
    share = inp.num(f"contracts.{c.id}.share", c.share)
    actual = rows(units[c.activity] * share * delivered, tl.months)
    if c.paid == "in_arrears" and not _has_rules(inp, c):
        return actual * unit_value, actual * unit_value
    plan = rows(activity.units(inp, tl, expected=True)[c.activity] * share * delivered, tl.months)
    earned = _paid_units(inp, c, tl, actual, plan, active) * unit_value
    if c.paid == "in_arrears":
        return earned, earned   # one array: nothing to reconcile
    return earned, _paid_units(inp, c, tl, plan, plan, active) * unit_value


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
    value = rows(_earned(inp, c, tl, start_delay), tl.months)
    if c.mechanism == "activity":
        earned, billed = _activity_value(inp, c, tl, units, value, active * ramp, active)
    else:
        earned = billed = value * active * ramp
    share = inp.num(f"{base}.withhold.share", c.withhold.share)
    earned_back = inp.num(f"{base}.withhold.earned", c.withhold.earned)
    withhold_income = earned * share * earned_back
    receipts = _receipts(inp, c, tl, earned, billed, share, withhold_income)
    zero = np.zeros_like(earned)
    settle, retained = zero, zero
    if c.risk_share is not None:
        settle, retained = _risk_share(inp, c, tl, active, costs[c.risk_share.cost])
        lag = inp.whole(f"{base}.risk_share.settle_lag_months", c.risk_share.settle_lag_months)
        receipts = receipts + delay(settle, lag)
    income = earned * (1 - share) + withhold_income + settle
    return ContractLines(earned, income, receipts, withhold_income, settle, retained, active)


def _receipts(inp: Inputs, c: Contract, tl: Timeline, earned, billed, share, withhold_income) -> np.ndarray:
    """Cash for the earned value and the withhold.

    Monthly, after the payment lag: the billed value (less the withhold when it is paid at
    settlement). After each year's 31 March: the withhold earned back (at settlement) or the part
    not earned back clawed back (on account), and, when activity is paid on plan, the year's
    earned less billed value (its withheld part follows the withhold).
    """
    base = f"contracts.{c.id}"
    on_account = c.withhold.paid == "on_account"
    withheld = earned * share
    settle_lag = inp.whole(f"{base}.withhold.settle_lag_months", c.withhold.settle_lag_months)
    monthly = billed if on_account else billed * (1 - share)
    receipts = delay(monthly, inp.whole(f"{base}.payment_lag_months", c.payment_lag_months))
    if on_account:
        receipts = receipts - _after_march(withheld - withhold_income, tl, settle_lag)
    else:
        receipts = receipts + _after_march(withhold_income, tl, settle_lag)
    if billed is not earned:
        lag = inp.whole(f"{base}.reconcile_lag_months", c.reconcile_lag_months)
        receipts = receipts + _after_march((earned - billed) * (1 if on_account else 1 - share), tl, lag)
    return receipts
