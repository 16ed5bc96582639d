"""P&L, cash flow and balance sheet line items, and the integrity checks on them (DESIGN §4 "Statements").

Every line is a (draws, months) array. Signs: income and assets positive; costs,
payments and outflows are positive amounts in their own lines and subtracted in totals,
except cash-flow lines, which carry their sign (outflows negative).
"""

from __future__ import annotations

import numpy as np

PNL_LINES = ["income", "pay_employed", "pay_seconded", "pay_agency", "pay", "non_pay_costs", "irrecoverable_vat",
             "recruitment", "non_pay", "ebitda", "depreciation", "ebit", "interest_loans", "interest_facility",
             "interest", "profit_before_tax", "tax_charge", "profit_after_tax"]
CASH_LINES = ["receipts", "staff_payments", "supplier_payments", "vat_reclaimed", "tax_paid", "operating_cf",
              "capex_paid",
              "investing_cf", "pre_financing_cf", "equity_raised", "loans_drawn", "loan_repayments",
              "interest_paid", "facility_movement", "financing_cf", "net_cash_flow", "opening_cash", "closing_cash",
              "terminal_settlement", "appraisal_cf"]   # the appraisal's flows (modeller.appraisal), after the cash
BALANCE_LINES = ["cash", "debtors", "vat_receivable", "fixed_assets", "total_assets", "creditors", "deferred_income",
                 "tax_payable",
                 "loans", "facility", "total_liabilities", "net_assets", "share_capital", "retained_earnings",
                 "total_equity", "balance_check"]

TOLERANCE = 0.005  # half a penny: anything larger is a modelling error, not rounding


class IntegrityError(RuntimeError):
    """The statements do not reconcile: a bug in the engine, never a user error.

    Inputs too large to account for to the penny are refused before a run, with the input named
    (`modeller.scenario_limits.check_magnitude`, called by every loader), so callers report this
    as an internal error, never as advice about the user's figures."""


def cum(x: np.ndarray) -> np.ndarray:
    return np.cumsum(x, axis=1)


def split_balance(balances: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sum per-line balances into (positive part, negative part as a positive amount)."""
    positive, negative = 0.0, 0.0
    for b in balances:
        positive = positive + np.maximum(b, 0.0)
        negative = negative + np.maximum(-b, 0.0)
    return positive, negative


def balance_sheet(lines: dict, contract_balances: list, cost_balances: list, opening_cash, equity_raised) -> dict:
    """Balance sheet lines from the flows; contract balances split into debtors / deferred income,
    supplier balances into creditors / prepayments (prepayments are held with debtors)."""
    debtors, deferred = split_balance(contract_balances)
    creditors, prepaid = split_balance(cost_balances)
    bs = {"cash": lines["closing_cash"], "debtors": debtors + prepaid,
          "vat_receivable": cum(lines["vat_recoverable"] - lines["vat_reclaimed"]),
          "fixed_assets": cum(lines["capex_capitalised"]) - cum(lines["depreciation"])}
    bs["total_assets"] = bs["cash"] + bs["debtors"] + bs["vat_receivable"] + bs["fixed_assets"]
    bs["creditors"] = creditors
    bs["deferred_income"] = deferred
    bs["tax_payable"] = cum(lines["tax_charge"]) - cum(lines["tax_paid"] * -1)
    bs["loans"] = lines["loan_balance"]
    bs["facility"] = lines["facility_balance"]
    bs["total_liabilities"] = (bs["creditors"] + bs["deferred_income"] + bs["tax_payable"]
                               + bs["loans"] + bs["facility"])
    bs["net_assets"] = bs["total_assets"] - bs["total_liabilities"]
    bs["share_capital"] = opening_cash + cum(equity_raised)
    bs["retained_earnings"] = cum(lines["profit_after_tax"])
    bs["total_equity"] = bs["share_capital"] + bs["retained_earnings"]
    bs["balance_check"] = bs["net_assets"] - bs["total_equity"]
    shape = lines["closing_cash"].shape
    return {k: np.broadcast_to(v, shape) for k, v in bs.items()}


def check_balances(lines: dict) -> None:
    """Raise IntegrityError unless the balance sheet balances and cash rolls forward, every month, every draw."""
    worst = np.abs(lines["balance_check"]).max()
    if not worst <= TOLERANCE:  # written so that NaN fails too
        d, m = np.unravel_index(np.abs(lines["balance_check"]).argmax(), lines["balance_check"].shape)
        raise IntegrityError(f"balance sheet out by £{worst:,.2f} in month {m} of draw {d}")
    rolled = lines["opening_cash"] + lines["net_cash_flow"] - lines["closing_cash"]
    if not np.abs(rolled).max() <= TOLERANCE:
        raise IntegrityError(f"cash does not roll forward (out by £{np.abs(rolled).max():,.2f})")
