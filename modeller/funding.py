"""Funding and tax: equity, annuity loans, a revolving facility that holds cash at the
minimum, and corporation tax with losses carried forward, paid nine months after the year or
by quarterly instalments (model book, "Funding" and "Corporation tax"; the rates are in tax.py).

The facility and tax roll forward month by month (each month's draw depends on last
month's balances), so this is the one place with a loop over months; every step works on
all draws at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Loan
from modeller.tax import INSTALMENT_MONTHS, TaxRates, corporation_tax, is_large, tax_rates
from modeller.timeline import Timeline, year_sums


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
    start = inp.month(f"{base}.month", loan.month)
    d = max(d, start.size)
    k = (tl.m[None, :] - start[:, None]).astype(float)        # payments made by month m
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


def roll_forward(inp: Inputs, tl: Timeline, cash_before: np.ndarray, profit_before: np.ndarray,
                 tax_adjustment: np.ndarray | float = 0.0) -> FundingLines:
    """Facility, tax and cash month by month.

    cash_before: each month's net cash flow before facility interest, facility movements and tax.
    profit_before: each month's profit before facility interest and tax.
    tax_adjustment: what turns profit before tax into taxable profit (capital allowances, tax.py).
    """
    s, d, months = inp.scenario, inp.draws, tl.months
    f = s.funding
    limit = np.broadcast_to(np.asarray(inp.num("funding.facility.limit", f.facility.limit), float).reshape(-1), (d,))
    rate = np.asarray(inp.num("funding.facility.annual_rate", f.facility.annual_rate), float).reshape(-1) / 12
    minimum = np.asarray(inp.num("funding.minimum_cash", f.minimum_cash), float).reshape(-1)
    rates = tax_rates(inp)
    adjustment = np.broadcast_to(tax_adjustment, (d, months))
    # each year's taxable profit before facility interest and losses: the estimate instalments are paid on
    estimate = year_sums(np.broadcast_to(profit_before, (d, months)) + adjustment, tl)
    out = FundingLines(*(np.zeros((d, months)) for _ in range(7)))
    cash = np.broadcast_to(np.asarray(inp.num("funding.opening_cash", f.opening_cash), float).reshape(-1), (d,)).copy()
    drawn, year_profit, losses = np.zeros(d), np.zeros(d), np.zeros(d)
    year = _TaxYear(d)
    for m in range(months):
        y = tl.fy_number[m]
        if m == 0 or y != tl.fy_number[m - 1]:
            year.start(m, int((tl.fy_number == y).sum()), estimate[:, y], losses, rates, out.tax_paid)
        interest = drawn * rate
        out.pbt[:, m] = profit_before[:, m] - interest
        year_profit += out.pbt[:, m] + adjustment[:, m]
        if tl.year_end[m]:
            relief = np.minimum(losses, np.maximum(year_profit, 0.0))
            charge = corporation_tax(np.maximum(year_profit, 0.0) - relief, year.months, rates)
            losses = losses - relief + np.maximum(-year_profit, 0.0)
            out.tax_charge[:, m] = charge
            year.settle(m, charge, rates, out.tax_paid)
            year_profit = np.zeros(d)
        cash_pre = cash + cash_before[:, m] - interest - out.tax_paid[:, m]
        move = np.clip(minimum - cash_pre, -drawn, limit - drawn)
        drawn = drawn + move
        cash = cash_pre + move
        out.facility_interest[:, m], out.facility_movement[:, m] = interest, move
        out.facility_balance[:, m], out.closing_cash[:, m] = drawn, cash
    return out


class _TaxYear:
    """One accounting period's payments: nine months after its charge, or, for a large company, four
    quarterly instalments from its first month. Instalments due within the period are a quarter of the
    tax estimated at its start on the year's profit before facility interest (which depends on the cash
    those instalments take: the estimate breaks that circularity); those due after it pay the rest."""

    def __init__(self, draws: int):
        self.rows = np.arange(draws)
        self.large = np.zeros(draws, bool)
        self.paid_on_estimate = np.zeros(draws)

    def start(self, m: int, months: int, estimate: np.ndarray, losses: np.ndarray, rates: TaxRates,
              paid: np.ndarray) -> None:
        self.first, self.months = m, months
        self.large[:] = False
        self.paid_on_estimate[:] = 0.0
        if not rates.instalments:
            return
        taxable = np.maximum(estimate - losses, 0.0)
        self.large = is_large(taxable, months)
        quarter = np.where(self.large, corporation_tax(taxable, months, rates) / 4, 0.0)
        for due in self._due(inside=True):
            self.paid_on_estimate += quarter
            if due < paid.shape[1]:
                paid[:, due] += quarter

    def settle(self, m: int, charge: np.ndarray, rates: TaxRates, paid: np.ndarray) -> None:
        after = self._due(inside=False)
        rest = (charge - self.paid_on_estimate) / len(after)
        for due in after:
            if due < paid.shape[1]:
                paid[self.large, due] += rest[self.large]
        due = m + np.broadcast_to(rates.lag, self.rows.shape)
        at_lag = ~self.large & (due < paid.shape[1])
        paid[self.rows[at_lag], due[at_lag]] += charge[at_lag]

    def _due(self, inside: bool) -> list[int]:
        """Instalment months within the period (on or before its last month) or after it."""
        last = self.first + self.months - 1
        return [self.first + k for k in INSTALMENT_MONTHS if (self.first + k <= last) == inside]
