"""Statements and summaries as tables: line items down, months or NHS years across; CSV bytes."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from modeller.result import Result
from modeller.statements import BALANCE_LINES, CASH_LINES, PNL_LINES
from ui import fmt

LABELS = {
    "income": "Income", "pay_employed": "Pay: employed staff", "pay_seconded": "Pay: seconded staff",
    "pay_agency": "Pay: agency cover", "pay": "Total pay", "non_pay_costs": "Non-pay costs (before VAT)",
    "recruitment": "Recruitment", "non_pay": "Total non-pay", "ebitda": "EBITDA", "depreciation": "Depreciation",
    "ebit": "Operating profit (EBIT)", "interest_loans": "Interest: loans", "interest_facility": "Interest: facility",
    "interest": "Total interest", "profit_before_tax": "Profit before tax", "tax_charge": "Tax charge",
    "profit_after_tax": "Profit after tax",
    "receipts": "Receipts from commissioners", "staff_payments": "Staff payments",
    "supplier_payments": "Supplier payments", "tax_paid": "Tax paid", "operating_cf": "Operating cash flow",
    "capex_paid": "Capital spending", "investing_cf": "Investing cash flow",
    "pre_financing_cf": "Cash flow before financing", "equity_raised": "Equity raised", "loans_drawn": "Loans drawn",
    "loan_repayments": "Loan repayments", "interest_paid": "Interest paid",
    "facility_movement": "Facility drawn (+) / repaid (−)", "financing_cf": "Financing cash flow",
    "net_cash_flow": "Net cash flow", "opening_cash": "Opening cash", "closing_cash": "Closing cash",
    "terminal_settlement": "Terminal settlement (net operating assets left)",
    "appraisal_cf": "Appraisal cash flow (before financing, with the settlement)",
    "cash": "Cash", "debtors": "Debtors", "fixed_assets": "Fixed assets", "total_assets": "Total assets",
    "creditors": "Creditors", "deferred_income": "Deferred income", "tax_payable": "Tax payable", "loans": "Loans",
    "facility": "Facility", "total_liabilities": "Total liabilities", "net_assets": "Net assets",
    "share_capital": "Share capital", "retained_earnings": "Retained earnings", "total_equity": "Total equity",
    "balance_check": "Check (assets − liabilities − equity)",
    "irrecoverable_vat": "Irrecoverable VAT on non-pay costs", "vat_reclaimed": "VAT reclaimed",
    "vat_receivable": "VAT receivable", "capex_capitalised": "Capital spending capitalised (with its VAT)",
    "capex_vat": "of which irrecoverable VAT", "vat_recoverable": "Recoverable VAT paid (reclaimed a month later)",
}
TOTALS = {"pay", "non_pay", "ebitda", "ebit", "profit_before_tax", "profit_after_tax", "operating_cf",
          "investing_cf", "pre_financing_cf", "financing_cf", "net_cash_flow", "closing_cash", "appraisal_cf",
          "total_assets",
          "total_liabilities", "net_assets", "total_equity"}
# where the money goes before and after VAT: running costs (as in the P&L), capital and the VAT reclaimed
COST_BUILD_UP = ["non_pay_costs", "irrecoverable_vat", "recruitment", "non_pay", "capex_capitalised", "capex_vat",
                 "vat_recoverable", "vat_reclaimed", "vat_receivable"]
STATEMENTS = {"Profit and loss": PNL_LINES, "Cash flow": CASH_LINES, "Balance sheet": BALANCE_LINES,
              "Costs and VAT": COST_BUILD_UP}


def statement(result: Result, which: str, by_year: bool) -> pd.DataFrame:
    """Line items (rows, by label) by month ("Apr 2025") or NHS year ("2025/26"), in £."""
    names = STATEMENTS[which]
    tl, start = result.timeline, result.scenario.start
    if by_year:
        table = result.by_year(names)
    else:
        table = pd.DataFrame({n: result.lines[n][0] for n in names})
        table.index = [fmt.month(start, i) for i in range(tl.months)]
    out = table.T
    out.index = [LABELS.get(n, n) for n in names]
    out.index.name = "Line"
    return out


def styled(table: pd.DataFrame) -> Styler:
    """£ with thousands separators and brackets for negatives; totals in bold."""
    totals = {LABELS[n] for n in TOTALS}
    bold = lambda row: ["font-weight: bold" if row.name in totals else "" for _ in row]  # noqa: E731
    return table.style.format(fmt.money).apply(bold, axis=1)


def years_summary(result: Result) -> pd.DataFrame:
    """The NHS-year summary: income, pay, non-pay, EBITDA, profit, closing cash, WTE."""
    df = result.yearly().rename(columns={
        "income": "Income", "pay": "Pay", "non_pay": "Non-pay", "ebitda": "EBITDA",
        "profit_after_tax": "Profit after tax", "closing_cash": "Closing cash", "wte_at_year_end": "WTE at year end"})
    df.index.name = "NHS year"
    return df


def styled_years(df: pd.DataFrame) -> Styler:
    money_cols = [c for c in df.columns if c != "WTE at year end"]
    return df.style.format(fmt.money, subset=money_cols).format("{:,.1f}", subset=["WTE at year end"])


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet: plain numbers (pence kept), labels as the first column."""
    return df.to_csv(float_format="%.2f").encode("utf-8")


def monthly_csv(result: Result, names: list[str]) -> bytes:
    """Engine lines by month with ISO dates, for people who want to chart it themselves."""
    df = pd.DataFrame({LABELS.get(n, n): result.lines[n][0] for n in names},
                      index=pd.Index([f"{d:%Y-%m}" for d in result.timeline.dates], name="month"))
    return csv_bytes(df)
