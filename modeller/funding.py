"""Funding and tax: equity, annuity loans, a revolving facility that holds cash at the
minimum, and corporation tax with losses carried forward (DESIGN §4 "Funding", "Tax").

The facility and tax roll forward month by month (each month's draw depends on last
month's balances), so this is the one place with a loop over months; every step works on
all draws at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Loan
from modeller.timeline import Timeline


@dataclass
class LoanLines:
    drawn: np.ndarray
    interest: np.ndarray
    principal: np.ndarray   # repaid
    balance: np.ndarray     # closing


def loan_lines(inp: Inputs, loan: Loan, tl: Timeline) -> LoanLines:
    """Drawn in its month; repaid as a monthly annuity from the next month, interest on last month's balance."""
    base = f"funding.loans.{loan.id}"
    d = inp.draws if inp.overridden(base) else 1
    amount = np.broadcast_to(np.asarray(inp.num(f"{base}.amount", loan.amount), float).reshape(-1), (d,))
    rate = np.broadcast_to(np.asarray(inp.num(f"{base}.annual_rate", loan.annual_rate), float).reshape(-1), (d,)) / 12
    term = inp.whole(f"{base}.term_months", loan.term_months)
    with np.errstate(divide="ignore", invalid="ignore"):
        # expm1/log1p keep the annuity exact for tiny rates, where 1 - (1+r)^-n would round to 0
        annuity = amount * rate / -np.expm1(-term * np.log1p(rate))
        payment = np.where(rate > 0, annuity, amount / term)
    start = tl.clamp(loan.month)
    k = (tl.m - start)[None, :].astype(float)                 # payments made by month m
    term, rate, amount, payment = term[:, None], rate[:, None], amount[:, None], payment[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        n = np.clip(k, 0, term)
        grown = np.expm1(n * np.log1p(rate))                  # (1+r)^n - 1, exact for tiny r
        annuity_balance = amount * (1 + grown) - payment * np.where(rate > 0, grown / rate, n)
    balance = np.where((k >= 0) & (k < term), annuity_balance, 0.0)
    opening = np.concatenate([np.zeros((d, 1)), balance[:, :-1]], axis=1)
    paying = (k >= 1) & (k <= term)
    interest = np.where(paying, opening * rate, 0.0)
    principal = np.where(paying, opening - balance, 0.0)   # the last payment clears the balance exactly
    drawn = np.where(k == 0, amount, 0.0)
    return LoanLines(drawn, interest, principal, balance)


@dataclass
class FundingLines:
    facility_interest: np.ndarray
    facility_movement: np.ndarray  # drawn (+) or repaid (-)
    facility_balance: np.ndarray
    pbt: np.ndarray
    tax_charge: np.ndarray
    tax_paid: np.ndarray
    closing_cash: np.ndarray


def roll_forward(inp: Inputs, tl: Timeline, cash_before: np.ndarray, profit_before: np.ndarray) -> FundingLines:
    """Facility, tax and cash month by month.

    cash_before: each month's net cash flow before facility interest, facility movements and tax.
    profit_before: each month's profit before facility interest and tax.
    """
    s, d, months = inp.scenario, inp.draws, tl.months
    f = s.funding
    limit = np.broadcast_to(np.asarray(inp.num("funding.facility.limit", f.facility.limit), float).reshape(-1), (d,))
    rate = np.asarray(inp.num("funding.facility.annual_rate", f.facility.annual_rate), float).reshape(-1) / 12
    minimum = np.asarray(inp.num("funding.minimum_cash", f.minimum_cash), float).reshape(-1)
    tax_rate = np.asarray(inp.num("tax.corporation_tax_rate", s.tax.corporation_tax_rate), float).reshape(-1)
    tax_lag = np.broadcast_to(inp.whole("tax.payment_lag_months", s.tax.payment_lag_months), (d,))
    out = FundingLines(*(np.zeros((d, months)) for _ in range(7)))
    cash = np.broadcast_to(np.asarray(inp.num("funding.opening_cash", f.opening_cash), float).reshape(-1), (d,)).copy()
    drawn, year_profit, losses = np.zeros(d), np.zeros(d), np.zeros(d)
    rows = np.arange(d)
    for m in range(months):
        interest = drawn * rate
        out.pbt[:, m] = profit_before[:, m] - interest
        year_profit += out.pbt[:, m]
        if tl.year_end[m]:
            relief = np.minimum(losses, np.maximum(year_profit, 0.0))
            charge = tax_rate * (np.maximum(year_profit, 0.0) - relief)
            losses = losses - relief + np.maximum(-year_profit, 0.0)
            out.tax_charge[:, m] = charge
            due = m + tax_lag
            inside = due < months
            out.tax_paid[rows[inside], due[inside]] += charge[inside]
            year_profit = np.zeros(d)
        cash_pre = cash + cash_before[:, m] - interest - out.tax_paid[:, m]
        move = np.clip(minimum - cash_pre, -drawn, limit - drawn)
        drawn = drawn + move
        cash = cash_pre + move
        out.facility_interest[:, m], out.facility_movement[:, m] = interest, move
        out.facility_balance[:, m], out.closing_cash[:, m] = drawn, cash
    return out
