"""KPIs (model book, "KPIs"), computed for every draw at once: each KPI is a (draws,) array.

Month KPIs are 0-based month indices with NaN where undefined (null in JSON). The month
of a minimum or maximum is the first month within half a penny of it, so rounding noise
between equal months never decides it (the Excel export uses the same rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np

from modeller.appraisal import deflator
from modeller.inputs import Inputs
from modeller.statements import TOLERANCE
from modeller.timeline import Timeline


@dataclass(frozen=True)
class Kpi:
    """What every layer shows of a KPI: the app's cards and tables, the workbook, `run` and `risk`.

    `unit` decides the one formatter used everywhere (`modeller.formatting.kpi_value`): "£",
    "%", "WTE" or "month" (a 0-based month index, shown as "Apr 2025"). `better` says which way
    is good news for the venture ("" where neither is: a month something happens in)."""

    label: str
    unit: Literal["£", "%", "WTE", "month"]
    explanation: str
    better: Literal["higher", "lower", ""] = ""


KPIS: MappingProxyType[str, Kpi] = MappingProxyType({
    "total_income": Kpi("Total income", "£", "contract income earned over the whole plan (accrued: including the "
                        "withhold expected back and risk-share settlements)", "higher"),
    "total_ebitda": Kpi("Total EBITDA", "£", "income less running costs, before depreciation, interest and tax",
                        "higher"),
    "total_profit_after_tax": Kpi("Total profit after tax", "£", "profit after depreciation, interest and tax",
                                  "higher"),
    "peak_funding_requirement": Kpi("Peak funding requirement", "£",
                                    "max(0, -lowest cumulative cash flow before financing): the most cash you must "
                                    "find before the venture pays its way", "lower"),
    "peak_funding_month": Kpi("Peak funding requirement: month", "month",
                              "the first month the cumulative cash flow before financing is at its lowest"),
    "lowest_cash": Kpi("Lowest cash", "£", "the lowest month-end bank balance after all funding", "higher"),
    "lowest_cash_month": Kpi("Lowest cash: month", "month", "the first month cash is at its lowest"),
    "funding_shortfall": Kpi("Funding shortfall", "£", "minimum cash less lowest cash, if above zero", "lower"),
    "funding_shortfall_month": Kpi("Funding shortfall: first month", "month",
                                   "the first month cash is below the minimum cash"),
    "peak_facility_drawn": Kpi("Peak facility drawn", "£", "the most drawn on the revolving facility", "lower"),
    "first_receipt_month": Kpi("First contract receipt", "month", "the first month contract money arrives",
                               "lower"),
    "committed_before_first_receipt": Kpi("Paid out before the first receipt", "£",
                                          "staff, supplier and capital payments before the first contract receipt "
                                          "(all of them if none arrives)",
                                          "lower"),
    "peak_exit_cost": Kpi("Peak cost to walk away", "£",
                          "notice pay for committed staff plus unexpired fixed-cost commitments", "lower"),
    "peak_exit_cost_month": Kpi("Peak cost to walk away: month", "month",
                                "the first month the cost to walk away is at its peak"),
    "ebitda_breakeven_month": Kpi("EBITDA break-even from", "month",
                                  "the first month from which EBITDA over the past 12 months (since the start, in "
                                  "the first 11) is never below zero again: a seasonal dip in one month does not "
                                  "undo a profitable year", "lower"),
    "payback_month": Kpi("Payback from", "month", "the first month from which cumulative cash flow before "
                         "financing, with the terminal settlement in the last month, stays at or above zero", "lower"),
    "npv": Kpi("NPV (real, Green Book)", "£", "cash flow before financing plus the terminal settlement, in "
               "first-year prices (divided by (1 + inflation) for each 1 April passed), discounted at the real "
               "discount rate, month m at (m+1)/12 years", "higher"),
    "npv_nominal": Kpi("NPV (nominal, at cost of capital)", "£", "cash flow before financing plus the terminal "
                       "settlement, in cash of the day, discounted at the cost of capital, month m at (m+1)/12 years",
                       "higher"),
    "irr": Kpi("IRR (nominal, annual)", "%", "(1 + monthly IRR of cash flow before financing plus the terminal "
               "settlement)^12 - 1", "higher"),
    "irr_real": Kpi("IRR (real, annual)", "%", "the IRR of the same flows in first-year prices", "higher"),
    "mirr": Kpi("MIRR (annual)", "%", "modified IRR of the same flows as the IRR: outflows financed and inflows "
                "reinvested at the cost of capital; (1 + monthly MIRR)^12 - 1", "higher"),
    "peak_wte": Kpi("Peak WTE (incl. agency)", "WTE", "the most whole-time equivalents at once, counting agency"),
    "final_wte": Kpi("Final WTE (incl. agency)", "WTE", "whole-time equivalents in the last month"),
    "staff_cost_share": Kpi("Staff cost / income", "%", "total pay (incl. agency) / total income"),
})
KPI_NAMES = list(KPIS)
MONTH_KPIS = frozenset(k for k, v in KPIS.items() if v.unit == "month")


def first_true(mask: np.ndarray) -> np.ndarray:
    """Index of the first True in each row, NaN where none."""
    return np.where(mask.any(axis=1), mask.argmax(axis=1), np.nan)


def stays_from(ok: np.ndarray) -> np.ndarray:
    """First month from which `ok` holds in every later month; NaN if the last month fails."""
    holds_after = np.flip(np.logical_and.accumulate(np.flip(ok, axis=1), axis=1), axis=1)
    return first_true(holds_after)


def trailing_year(x: np.ndarray) -> np.ndarray:
    """Each month's total over the 12 months to it (over the months since the start, in the first 11)."""
    total = np.cumsum(x, axis=1)
    before = np.concatenate([np.zeros((x.shape[0], 12)), total[:, :-12]], axis=1)[:, : x.shape[1]]
    return total - before


def npv(cash_flows: np.ndarray, annual_rate) -> np.ndarray:
    """sum(cf_m / (1+r)^((m+1)/12)): month m's flow discounted to the model's start."""
    months = np.arange(cash_flows.shape[1])
    factors = (1.0 + np.asarray(annual_rate, float).reshape(-1, 1)) ** (-(months + 1) / 12.0)
    return (cash_flows * factors).sum(axis=1)


def mirr(cash_flows: np.ndarray, annual_rate) -> np.ndarray:
    """Annualised modified IRR, (1 + monthly MIRR)^12 - 1, for all draws at once.

    Finance and reinvestment rate: the monthly rate c = (1 + annual_rate)^(1/12) - 1. As
    numpy-financial's mirr (and Excel's MIRR) on monthly flows: with PV+ the value at month 0 of the
    inflows and PV- that of the outflows, both at c, monthly MIRR = (PV+ / -PV-)^(1/(n-1)) (1+c) - 1
    over n months. NaN where the flows are not both in and out (or n = 1). `annual_rate` a float or
    (draws, 1)."""
    flows = np.asarray(cash_flows, dtype=float)
    months = flows.shape[1]
    annual = np.asarray(annual_rate, dtype=float).reshape(-1, 1)
    factors = (1.0 + annual) ** (-np.arange(months) / 12.0)     # 1 / (1 + c)^m
    gains = (np.maximum(flows, 0.0) * factors).sum(axis=1)
    costs = -(np.minimum(flows, 0.0) * factors).sum(axis=1)
    ok = (gains > 0) & (costs > 0) & (months > 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # ((PV+/-PV-)^(1/(n-1)) (1+c))^12 = (PV+/-PV-)^(12/(n-1)) (1 + annual)
        annual_mirr = (gains / costs) ** (12.0 / max(months - 1, 1)) * (1.0 + annual[:, 0]) - 1.0
    return np.where(ok, annual_mirr, np.nan)


def _poly(cash_flows: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(value, d value / d rate) of sum(cf_m / (1+rate)^m).

    Few draws: powers of all months at once. Many draws: Horner's rule, one multiply-add a
    month on all draws, which avoids (draws x months) powers per evaluation.
    """
    x = 1.0 / (1.0 + rate)
    months = cash_flows.shape[1]
    if cash_flows.shape[0] <= 64:
        m = np.arange(months)
        powers = x[:, None] ** m
        value = (cash_flows * powers).sum(axis=1)
        slope = (cash_flows * m * powers).sum(axis=1) / x          # d value / d x
    else:
        value = np.zeros_like(rate)
        slope = np.zeros_like(rate)
        for m in range(months - 1, -1, -1):
            slope = slope * x + value
            value = value * x + cash_flows[:, m]
    return value, slope * -(x**2)


# Monthly rates where IRR brackets are sought: a sign change between neighbours brackets a root.
IRR_GRID = np.array([-0.99, -0.5, -0.2, -0.1, -0.05, -0.02, -0.01, -0.005, 0.0, 0.005, 0.01, 0.02, 0.03,
                      0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0])


IRR_BISECTIONS = 6  # halvings of the chosen bracket before Newton (the Excel export repeats them)


IRR_SLACK = 1e-12  # monthly rate: how far past a bracket's end a Newton step may land and be taken as the end


def irr(cash_flows: np.ndarray, bisections: int = IRR_BISECTIONS, newton_steps: int = 8) -> np.ndarray:
    """Annualised IRR, (1 + monthly IRR)^12 - 1, for all draws at once.

    The monthly rate solves sum(cf_m / (1+i)^m) = 0 (month 0 undiscounted, as
    numpy-financial's irr). A grid of rates from -99% to +100% a month (`IRR_GRID`, one
    matrix product) finds the brackets where the value changes sign. A few halvings narrow
    the bracket, then Newton steps that fall back to halving whenever they would leave it
    (rtsafe) polish the root. NaN where the value never changes sign on the grid (no IRR, or
    none between -99% and +100% a month).

    Several roots (cash flows that change sign more than once, e.g. a venture that pays out
    more at the end than it is owed): the root taken is a *falling* one, where the value goes
    from positive to negative as the rate rises (the rate above which the venture loses value),
    in the bracket whose midpoint is nearest 0% a month; only where no root falls, the bracket
    nearest 0% of any. The workbook's IRR sheet takes the same. numpy-financial takes the root
    nearest 0%; the two agree wherever the root is unique (one sign change in the flows).
    `irr_roots` lists every root the grid brackets, so a page can say when the IRR shown is one
    of several. Two roots inside one grid bracket cancel and are not seen.
    """
    values = cash_flows @ _grid_powers(cash_flows.shape[1])        # (draws, grid)
    change = _sign_changes(values)
    valid = change.any(axis=1)
    falling = change & ((values[:, :-1] > 0) | (values[:, 1:] < 0))
    candidates = np.where(falling.any(axis=1)[:, None], falling, change)
    mids = np.abs((IRR_GRID[:-1] + IRR_GRID[1:]) / 2)
    pick = np.where(candidates, mids[None, :], np.inf).argmin(axis=1)
    rate = _polish(cash_flows, pick, values[np.arange(cash_flows.shape[0]), pick], bisections, newton_steps)
    return np.where(valid, (1 + rate) ** 12 - 1, np.nan)


def irr_roots(cash_flows: np.ndarray) -> np.ndarray:
    """Every annualised IRR of one series of monthly cash flows that the grid brackets, ascending.

    Empty where there is none; more than one where the flows change sign more than once, and
    then `irr` shows the falling root nearest 0% a month (see `irr`)."""
    flows = np.asarray(cash_flows, dtype=float).reshape(1, -1)
    values = flows @ _grid_powers(flows.shape[1])
    change = _sign_changes(values)[0]
    change[1:] &= values[0, 1:-1] != 0         # a root on a grid rate is counted once, in the bracket below it
    brackets = np.flatnonzero(change)
    rows = np.repeat(flows, brackets.size, axis=0)
    rate = _polish(rows, brackets, values[0, brackets], IRR_BISECTIONS, 8)
    return np.unique((1 + rate) ** 12 - 1)


def _grid_powers(months: int) -> np.ndarray:
    """(months, grid): 1 / (1 + rate)^m for every rate of `IRR_GRID`."""
    return (1.0 / (1.0 + IRR_GRID))[None, :] ** np.arange(months)[:, None]


def _sign_changes(values: np.ndarray) -> np.ndarray:
    """(draws, grid - 1): the value changes sign (or touches zero) between neighbouring grid rates."""
    change = np.sign(values[:, :-1]) * np.sign(values[:, 1:]) <= 0
    return change & ~((values[:, :-1] == 0) & (values[:, 1:] == 0))


def _polish(cash_flows: np.ndarray, pick: np.ndarray, f_lo: np.ndarray, bisections: int,
            newton_steps: int) -> np.ndarray:
    """The monthly root in grid bracket `pick` of each row (value `f_lo` at its low end):
    halvings, then Newton steps kept inside the bracket."""
    lo, hi = IRR_GRID[pick], IRR_GRID[pick + 1]
    for _ in range(bisections):
        mid = (lo + hi) / 2
        f_mid, _ = _poly(cash_flows, mid)
        same = np.sign(f_mid) == np.sign(f_lo)
        lo, f_lo = np.where(same, mid, lo), np.where(same, f_mid, f_lo)
        hi = np.where(same, hi, mid)
    rate = (lo + hi) / 2
    for _ in range(newton_steps):
        value, slope = _poly(cash_flows, rate)
        same = np.sign(value) == np.sign(f_lo)
        lo, f_lo = np.where(same, rate, lo), np.where(same, value, f_lo)
        hi = np.where(same, hi, rate)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = rate - value / slope
        # a step a rounding error outside the bracket means the root is at its end (e.g. on a grid rate)
        inside = np.isfinite(newton) & (newton >= lo - IRR_SLACK) & (newton <= hi + IRR_SLACK)
        rate = np.where(value == 0, rate, np.where(inside, np.clip(newton, lo, hi), (lo + hi) / 2))
    return rate


def kpis(L: dict, scenario, tl: Timeline, inp: Inputs) -> dict[str, np.ndarray]:
    """Every KPI for every draw."""
    cum_pre = L["cumulative_pre_financing_cf"]
    ap = scenario.appraisal
    flows = L["appraisal_cf"]
    real = flows / deflator(tl, inp.num("appraisal.inflation", ap.inflation))
    cost_of_capital = inp.num("appraisal.cost_of_capital", ap.cost_of_capital)
    requirement = np.maximum(0.0, -cum_pre.min(axis=1))
    minimum = np.broadcast_to(np.asarray(inp.num("funding.minimum_cash", scenario.funding.minimum_cash),
                                         float).reshape(-1), (inp.draws,))
    cash = L["closing_cash"]
    lowest = cash.min(axis=1)
    first_receipt = first_true(np.abs(L["receipts"]) > TOLERANCE)
    before_receipt = tl.m[None, :] < np.where(np.isnan(first_receipt), tl.months, first_receipt)[:, None]
    payments = -(L["staff_payments"] + L["supplier_payments"] + L["capex_paid"])
    pay_total = L["pay"].sum(axis=1)
    income_total = L["income"].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        staff_share = np.where(np.abs(income_total) > TOLERANCE, pay_total / income_total, np.nan)
    return {
        "total_income": income_total,
        "total_ebitda": L["ebitda"].sum(axis=1),
        "total_profit_after_tax": L["profit_after_tax"].sum(axis=1),
        "peak_funding_requirement": requirement,
        "peak_funding_month": np.where(requirement > TOLERANCE,
                                       first_true(cum_pre <= -requirement[:, None] + TOLERANCE), np.nan),
        "lowest_cash": lowest,
        "lowest_cash_month": first_true(cash <= lowest[:, None] + TOLERANCE),
        "funding_shortfall": np.where(minimum - lowest > TOLERANCE, minimum - lowest, 0.0),
        "funding_shortfall_month": first_true(cash < minimum[:, None] - TOLERANCE),
        "peak_facility_drawn": L["facility"].max(axis=1),
        "first_receipt_month": first_receipt,
        "committed_before_first_receipt": (payments * before_receipt).sum(axis=1),
        "peak_exit_cost": L["exit_cost"].max(axis=1),
        "peak_exit_cost_month": first_true(L["exit_cost"] >= L["exit_cost"].max(axis=1)[:, None] - TOLERANCE),
        "ebitda_breakeven_month": stays_from(trailing_year(L["ebitda"]) >= -TOLERANCE),
        "payback_month": stays_from(np.cumsum(flows, axis=1) >= -TOLERANCE),
        "npv": npv(real, inp.num("appraisal.discount_rate", ap.discount_rate)),
        "npv_nominal": npv(flows, cost_of_capital),
        "irr": irr(flows),
        "irr_real": irr(real),
        "mirr": mirr(flows, cost_of_capital),
        "peak_wte": L["wte_total"].max(axis=1),
        "final_wte": L["wte_total"][:, -1],
        "staff_cost_share": staff_share,
    }
