"""Statements sheet: monthly P&L, cash flow and balance sheet, plus the rows the KPIs read.

Row keys are the engine's line names (statements.PNL_LINES, CASH_LINES, BALANCE_LINES),
so every row can be checked against result.lines.
"""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.layout import FIRST, MONTH_ROW, Sheet, new_sheet
from modeller.export.timeline_sheet import tref


def _pnl(s: Sheet, inc: Sheet, wf: Sheet, costs: Sheet, fund: Sheet) -> None:
    r = s.ref
    s.section("Profit and loss")
    s.row("income", "Income", "£", inc.ref("_total.income"), bold=True)
    s.row("pay_employed", "Pay: employed staff", "£", wf.ref("_total.employed_pay"))
    s.row("pay_seconded", "Pay: seconded staff", "£", wf.ref("_total.seconded_pay"))
    s.row("pay_agency", "Pay: agency cover", "£", wf.ref("_total.agency_cost"))
    s.row("pay", "Pay", "£", f"{r('pay_employed')}+{r('pay_seconded')}+{r('pay_agency')}", bold=True)
    s.row("non_pay_costs", "Non-pay costs before VAT", "£", costs.ref("_total.cost"))
    s.row("irrecoverable_vat", "Irrecoverable VAT on non-pay costs", "£", costs.ref("_total.vat"))
    s.row("recruitment", "Recruitment", "£", wf.ref("_total.recruitment"))
    s.row("non_pay", "Non-pay", "£", f"{r('non_pay_costs')}+{r('irrecoverable_vat')}+{r('recruitment')}", bold=True)
    s.row("ebitda", "EBITDA", "£", f"{r('income')}-{r('pay')}-{r('non_pay')}", bold=True)
    s.row("depreciation", "Depreciation", "£", costs.ref("_total.depreciation"))
    s.row("ebit", "Operating profit (EBIT)", "£", f"{r('ebitda')}-{r('depreciation')}", bold=True)
    s.row("interest_loans", "Interest: loans", "£", fund.ref("loans.interest"))
    s.row("interest_facility", "Interest: facility", "£", fund.ref("fac_interest"))
    s.row("interest", "Interest", "£", f"{r('interest_loans')}+{r('interest_facility')}")
    s.row("profit_before_tax", "Profit before tax", "£", f"{r('ebit')}-{r('interest')}", bold=True)
    s.row("tax_charge", "Tax charge", "£", fund.ref("tax_charge"))
    s.row("profit_after_tax", "Profit after tax", "£", f"{r('profit_before_tax')}-{r('tax_charge')}", bold=True)


def _cash(s: Sheet, inc: Sheet, wf: Sheet, costs: Sheet, fund: Sheet) -> None:
    r = s.ref
    s.section("Cash flow (outflows negative)")
    s.row("receipts", "Receipts from commissioners", "£", inc.ref("_total.receipts"))
    s.row("staff_payments", "Staff payments", "£", f"-({wf.ref('_total.staff_paid')}+{wf.ref('_total.agency_cost')})")
    s.row("supplier_payments", "Supplier payments (incl. recruitment)", "£",
          f"-({costs.ref('_total.paid')}+{wf.ref('_total.recruitment')})")
    s.row("vat_reclaimed", "VAT reclaimed from HMRC", "£", costs.ref("_total.vat_reclaimed"))
    s.row("tax_paid", "Tax paid", "£", f"-{fund.ref('tax_paid')}")
    s.row("operating_cf", "Operating cash flow", "£",
          f"{r('receipts')}+{r('staff_payments')}+{r('supplier_payments')}+{r('vat_reclaimed')}+{r('tax_paid')}",
          bold=True)
    s.row("capex_paid", "Capital spend (with its VAT)", "£", f"-{costs.ref('_total.capex_paid')}")
    s.row("investing_cf", "Investing cash flow", "£", r("capex_paid"), bold=True)
    s.row("pre_financing_cf", "Cash flow before financing", "£", f"{r('operating_cf')}+{r('investing_cf')}",
          bold=True)
    s.row("equity_raised", "Equity raised", "£", fund.ref("equity"))
    s.row("loans_drawn", "Loans drawn", "£", fund.ref("loans.drawn"))
    s.row("loan_repayments", "Loans repaid", "£", f"-{fund.ref('loans.principal')}")
    s.row("interest_paid", "Interest paid", "£", f"-{r('interest')}")
    s.row("facility_movement", "Facility drawn (+) / repaid (-)", "£", fund.ref("fac_move"))
    s.row("financing_cf", "Financing cash flow", "£",
          f"{r('equity_raised')}+{r('loans_drawn')}+{r('loan_repayments')}+{r('interest_paid')}"
          f"+{r('facility_movement')}", bold=True)
    s.row("net_cash_flow", "Net cash flow", "£", f"{r('operating_cf')}+{r('investing_cf')}+{r('financing_cf')}",
          bold=True)
    s.row("opening_cash", "Opening cash", "£", fund.ref("opening_cash"), total=False)
    s.row("closing_cash", "Closing cash", "£", fund.ref("closing_cash"), total=False, bold=True)


def _sumif(sheet: Sheet, prefix: str, sign: str) -> str | None:
    """Sum of this month's balances on a block of rows that are above (">0") or below ("<0") zero."""
    rows = [v for k, v in sheet.rows.items() if k.startswith(prefix)]
    if not rows:
        return None
    return f"SUMIF('{sheet.name}'!{{c}}{min(rows)}:{{c}}{max(rows)},\"{sign}\")"


def _balance(s: Sheet, inc: Sheet, wf: Sheet, costs: Sheet, fund: Sheet) -> None:
    r = s.ref
    s.section("Balance sheet")
    s.row("cash", "Cash", "£", r("closing_cash"), total=False)
    receivable = [_sumif(inc, "_balance.", ">0")]
    prepaid = [_sumif(costs, "_balance.", "<0"), _sumif(wf, "_balance.", "<0")]
    debtors = "+".join(x for x in receivable if x) + "".join(f"-{x}" for x in prepaid if x)
    s.row("debtors", "Debtors and prepayments", "£", debtors or "0", total=False)
    s.row("vat_receivable", "VAT receivable", "£", costs.ref("vat_receivable"), total=False)
    s.row("fixed_assets", "Fixed assets", "£",
          f"{{p}}{s.next_row}+{costs.ref('_total.spend')}-{r('depreciation')}", total=False)
    s.row("total_assets", "Total assets", "£", f"{r('cash')}+{r('debtors')}+{r('vat_receivable')}+{r('fixed_assets')}",
          total=False, bold=True)
    owed = [_sumif(costs, "_balance.", ">0"), _sumif(wf, "_balance.", ">0")]
    s.row("creditors", "Creditors", "£", "+".join(x for x in owed if x) or "0", total=False)
    deferred = _sumif(inc, "_balance.", "<0")
    s.row("deferred_income", "Deferred income", "£", f"-{deferred}" if deferred else "0", total=False)
    s.row("tax_payable", "Tax payable", "£", f"{{p}}{s.next_row}+{r('tax_charge')}+{r('tax_paid')}", total=False)
    s.row("loans", "Loans", "£", fund.ref("loans.closing"), total=False)
    s.row("facility", "Facility", "£", fund.ref("fac_closing"), total=False)
    s.row("total_liabilities", "Total liabilities", "£",
          "+".join(r(k) for k in ("creditors", "deferred_income", "tax_payable", "loans", "facility")),
          total=False, bold=True)
    s.row("net_assets", "Net assets", "£", f"{r('total_assets')}-{r('total_liabilities')}", total=False, bold=True)
    s.row("share_capital", "Share capital", "£",
          f"IF({{c}}$2=0,funding_opening_cash,{{p}}{s.next_row})+{r('equity_raised')}", total=False)
    s.row("retained_earnings", "Retained earnings", "£", f"{{p}}{s.next_row}+{r('profit_after_tax')}", total=False)
    s.row("total_equity", "Total equity", "£", f"{r('share_capital')}+{r('retained_earnings')}", total=False,
          bold=True)
    s.row("balance_check", "Balance check (net assets less equity)", "£", f"{r('net_assets')}-{r('total_equity')}",
          S.MONEY_P, total=False)


def _appraisal(s: Sheet, t: Sheet) -> None:
    """The appraisal's flows (modeller.appraisal): cash flow before financing plus the terminal settlement,
    the net operating assets left in the last month, from the balance-sheet totals."""
    r = s.ref
    s.section("Appraisal (cash flow before financing and the terminal settlement)")
    operating_liabilities = f"({r('total_liabilities')}-{r('loans')}-{r('facility')})"
    equipment = f'IF(appraisal_residual_value="none",{r("fixed_assets")},0)'
    s.row("terminal_settlement", "Terminal settlement: net operating assets left (last month)", "£",
          f"IF({{c}}$2=model_last_month,{r('total_assets')}-{r('cash')}-{operating_liabilities}-{equipment},0)")
    s.row("appraisal_cf", "Appraisal cash flow (before financing, with the settlement)", "£",
          f"{r('pre_financing_cf')}+{r('terminal_settlement')}", bold=True)
    s.row("real_cf", "Appraisal cash flow in first-year prices", "£", f"{r('appraisal_cf')}/{tref(t, 'deflator')}")


def _other(s: Sheet, wf: Sheet, costs: Sheet, fund: Sheet, t: Sheet) -> None:
    r, last = s.ref, s.last
    s.section("Staff, commitments and balances")
    for key, label in (("wte_target", "target"), ("wte_in_post", "in_post"), ("wte_agency", "agency"),
                       ("wte_total", "wte")):
        s.row(key, f"WTE: {label.replace('_', ' ')}" if key != "wte_total" else "WTE: in post and agency", "WTE",
              wf.ref("_total." + label), S.WTE, total=False)
    s.row("exit_cost", "Cost to walk away (notice pay and unexpired commitments)", "£",
          f"{wf.ref('_total.exit_cost')}+{costs.ref('_total.exit_cost')}", total=False)
    s.row("capex_capitalised", "Capital spend capitalised (with its irrecoverable VAT)", "£", costs.ref("_total.spend"))
    s.row("capex_vat", "of which irrecoverable VAT", "£", costs.ref("_total.capex_vat"))
    s.row("vat_recoverable", "Recoverable VAT paid or invoiced (costs and capital)", "£",
          costs.ref("_total.vat_recoverable"))
    s.row("loan_balance", "Loan balances", "£", fund.ref("loans.closing"), total=False)
    s.row("facility_balance", "Facility balance", "£", fund.ref("fac_closing"), total=False)
    s.section("For the KPIs")
    s.row("cumulative_pre_financing_cf", "Cumulative cash flow before financing", "£", f"{{p}}{s.next_row}+{r('pre_financing_cf')}",
          total=False)
    s.row("cumulative_appraisal_cf", "Cumulative appraisal cash flow", "£", f"{{p}}{s.next_row}+{r('appraisal_cf')}",
          total=False)
    s.row("discounted_real", "Appraisal cash flow in first-year prices, discounted at the discount rate", "£",
          f"{r('real_cf')}*{tref(t, 'discount')}")
    s.row("discounted_nominal", "Appraisal cash flow discounted at the cost of capital", "£",
          f"{r('appraisal_cf')}*{tref(t, 'discount_nominal')}")
    s.row("minimum_cash", "Minimum cash", "£", "funding_minimum_cash", total=False)
    s.row("below_minimum", "Cash below the minimum (1 = yes)", "flag",
          f"IF({r('closing_cash')}<funding_minimum_cash-tolerance,1,0)", S.FLAG)
    s.row("receipt_flag", "Contract cash received (1 = yes)", "flag", f"IF(ABS({r('receipts')})>tolerance,1,0)",
          S.FLAG)
    s.row("payments", "Operating and capital payments", "£",
          f"-({r('staff_payments')}+{r('supplier_payments')}+{r('capex_paid')})")
    for key, line, label, test in (("at_peak_funding", "cumulative_pre_financing_cf", "At the lowest cumulative cash flow", "<=MIN"),
                                   ("at_lowest_cash", "closing_cash", "At the lowest cash", "<=MIN"),
                                   ("at_peak_exit", "exit_cost", "At the peak cost to walk away", ">=MAX")):
        bound = f"{test[2:]}({s.rng(line)}){'+' if test[0] == '<' else '-'}tolerance"
        s.row(key, f"{label} (1 = yes, to the tolerance)", "flag", f"IF({r(line)}{test[:2]}{bound},1,0)", S.FLAG,
              total=False)
    e = s.rows["ebitda"]
    s.row("ebitda_12m", "EBITDA over the past 12 months (since the start, in the first 11)", "£",
          f"SUM(INDEX(${FIRST}{e}:${last}{e},MAX(1,{{c}}${MONTH_ROW}+2-12)):{{c}}{e})", total=False)
    s.row("ebitda_fail", "EBITDA over the past 12 months below zero (1 = yes)", "flag",
          f"IF({r('ebitda_12m')}<-tolerance,1,0)", S.FLAG)
    fail = s.rows["ebitda_fail"]
    s.row("ebitda_fails_ahead", "Months from here on with 12-month EBITDA below zero", "months",
          f"SUM({{c}}{fail}:${last}{fail})", S.WHOLE, total=False)
    s.row("cum_fail", "Cumulative appraisal cash flow below zero (1 = yes)", "flag",
          f"IF({r('cumulative_appraisal_cf')}<-tolerance,1,0)", S.FLAG)
    cf = s.rows["cum_fail"]
    s.row("cum_fails_ahead", "Months from here on with cumulative appraisal cash flow below zero", "months",
          f"SUM({{c}}{cf}:${last}{cf})", S.WHOLE, total=False)


def write_statements(wb, sc, t: Sheet, inc: Sheet, wf: Sheet, costs: Sheet, fund: Sheet) -> Sheet:
    s = new_sheet(wb, "Statements", sc.months, t, "monthly P&L, cash flow and balance sheet")
    _pnl(s, inc, wf, costs, fund)
    _cash(s, inc, wf, costs, fund)
    _balance(s, inc, wf, costs, fund)
    _appraisal(s, t)
    _other(s, wf, costs, fund, t)
    return s
