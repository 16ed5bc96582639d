"""Corporation tax rules: the small profits rate and marginal relief, capital allowances (the annual
investment allowance) and the dates of quarterly instalments (model book, "Corporation tax").

Each accounting period is an NHS financial year (April-March), cut short by the model's start or
end. Every function works on all draws at once; the roll-forward in `modeller.funding` applies them
year by year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.timeline import Timeline

LARGE_PROFITS = 1_500_000       # a year's taxable profit above which tax is paid by instalments (pro-rated)
INSTALMENT_MONTHS = (6, 9, 12, 15)  # months 7, 10, 13 and 16 of the period, counted from its first month as 0


@dataclass
class TaxRates:
    """One column per draw, each (draws,) or (1,)."""

    main: np.ndarray
    small: np.ndarray
    lower: np.ndarray   # £ a year
    upper: np.ndarray   # £ a year
    instalments: bool
    lag: np.ndarray     # whole months, (draws,) or (1,)


def _col(inp: Inputs, path: str, value) -> np.ndarray:
    return np.asarray(inp.num(path, value), float).reshape(-1)


def tax_rates(inp: Inputs) -> TaxRates:
    t = inp.scenario.tax
    main = _col(inp, "tax.corporation_tax_rate", t.corporation_tax_rate)
    small = main if t.small_profits_rate is None else _col(inp, "tax.small_profits_rate", t.small_profits_rate)
    small = np.minimum(small, main)   # never above the main rate: a charity's 0% main rate means no tax at all
    lower = _col(inp, "tax.lower_limit", t.lower_limit)
    upper = np.maximum(_col(inp, "tax.upper_limit", t.upper_limit), lower)  # a draw may cross the limits
    return TaxRates(main, small, lower, upper, t.quarterly_instalments, inp.whole("tax.payment_lag_months",
                                                                                  t.payment_lag_months))


def corporation_tax(taxable: np.ndarray, months: int, r: TaxRates) -> np.ndarray:
    """Tax on a period's taxable profit (after losses): the small profits rate up to the lower limit, the
    main rate from the upper limit, and between them main × profit less marginal relief,
    (main − small) × L / (U − L) × (U − profit), which is 3/200 × (U − profit) for 25%, 19%, £50k and
    £250k and joins the two rates without a step. Limits are pro-rated by months / 12."""
    lower, upper = r.lower * months / 12, r.upper * months / 12
    profit = np.maximum(taxable, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(upper > lower, (r.main - r.small) * lower / (upper - lower), 0.0)
    marginal = r.main * profit - fraction * (upper - profit)
    return np.where(profit <= lower, r.small * profit, np.where(profit >= upper, r.main * profit, marginal))


def is_large(taxable: np.ndarray, months: int) -> np.ndarray:
    """Whether a period's taxable profit is over the instalment threshold, pro-rated by months / 12."""
    return taxable > LARGE_PROFITS * months / 12


def allowance_adjustment(inp: Inputs, tl: Timeline, capex: dict) -> np.ndarray:
    """What turns profit before tax into taxable profit before losses, month by month.

    With `capital_allowances: aia`, the part of each NHS year's capital spending covered by the annual
    investment allowance (pro-rated for a short year, shared pro rata among that year's items) is
    deducted in the month it is spent and its depreciation added back; the uncovered part stays
    deducted through depreciation. So the adjustment is Σ items covered share × (depreciation − spend).
    With `none` depreciation is deductible as charged: no adjustment."""
    t = inp.scenario.tax
    if t.capital_allowances == "none" or not capex:
        return np.zeros((1, tl.months))
    limit = _col(inp, "tax.aia_limit", t.aia_limit)[:, None]
    months_in_year = np.bincount(tl.fy_number, minlength=len(tl.fy_labels))
    spent = sum(a.spend for a in capex.values())
    by_year = np.stack([spent[:, tl.fy_number == y].sum(axis=1) for y in range(months_in_year.size)], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        covered = np.where(by_year > 0, np.minimum(by_year, limit * months_in_year / 12) / by_year, 0.0)
    adjustment = np.zeros((1, tl.months))
    for item in inp.scenario.capex:
        a = capex[item.id]
        month = inp.month(f"capex.{item.id}.month", item.month)
        year = tl.fy_number[np.clip(month, 0, tl.months - 1)]  # past the horizon: no spend, no effect
        n = max(covered.shape[0], year.size)
        share = np.take_along_axis(np.broadcast_to(covered, (n, covered.shape[1])),
                                   np.broadcast_to(year, (n,))[:, None], axis=1)
        adjustment = adjustment + share * (a.depreciation - a.spend)
    return adjustment
