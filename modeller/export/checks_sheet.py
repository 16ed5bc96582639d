"""Checks sheet: the balance sheet balances, cash reconciles, no funding shortfall; the master check."""

from __future__ import annotations

from openpyxl.workbook.defined_name import DefinedName

from modeller.export import styles as S
from modeller.export.layout import Sheet, new_sheet

CHECKS = [("check_balance", "Balance sheet balances"), ("check_cash", "Cash reconciles"),
          ("check_funding", "No funding shortfall (cash never below the minimum)")]


def write_checks(wb, sc, t: Sheet, st: Sheet) -> Sheet:
    s = new_sheet(wb, "Checks", sc.months, t, "1 = the check passes in the month")
    r = st.ref
    s.section("Monthly checks (1 = OK)")
    s.row("balance_ok", "Balance sheet balances (net assets = equity, to the tolerance)", "flag",
          f"IF(ABS({r('balance_check')})<=tolerance,1,0)", S.FLAG, total=False)
    s.row("cash_diff", "Opening cash + net cash flow - closing cash", "£",
          f"{r('opening_cash')}+{r('net_cash_flow')}-{r('closing_cash')}", S.MONEY_P, total=False)
    s.row("cash_bs", "Balance sheet cash - cash flow closing cash", "£", f"{r('cash')}-{r('closing_cash')}",
          S.MONEY_P, total=False)
    s.row("cash_ok", "Cash reconciles", "flag",
          f"IF(AND(ABS({s.ref('cash_diff')})<=tolerance,ABS({s.ref('cash_bs')})<=tolerance),1,0)", S.FLAG,
          total=False)
    s.row("funding_ok", "Cash at or above the minimum", "flag", f"1-{r('below_minimum')}", S.FLAG, total=False)
    s.section("Summary")
    for (name, label), key in zip(CHECKS, ("balance_ok", "cash_ok", "funding_ok"), strict=True):
        row = s.next_row
        s.next_row += 1
        S.text(s.ws.cell(row, 1), label)
        s.ws.cell(row, 3, f'=IF(COUNTIF({s.rng(key)},0)=0,"OK","FAIL")')
        wb.defined_names[name] = DefinedName(name, attr_text=f"Checks!$C${row}")
    row = s.next_row
    S.text(s.ws.cell(row, 1), "Master check").font = S.TOTAL_FONT
    cell = s.ws.cell(row, 3, '=IF(AND(check_balance="OK",check_cash="OK",check_funding="OK"),"OK","FAIL")')
    cell.font = S.TOTAL_FONT
    wb.defined_names["master_check"] = DefinedName("master_check", attr_text=f"Checks!$C${row}")
    s.rows["master_check"] = row
    return s
