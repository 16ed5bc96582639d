"""Checks sheet: model integrity (does the workbook add up?) kept apart from business alerts (does the plan?).

Integrity: the balance sheet balances, cash reconciles, no checked cell shows an error and every
numeric input holds a number; any failure means the figures cannot be trusted. Business alerts
(a funding shortfall, the facility drawn to its limit, no payback, a negative NPV) are outcomes of
a sound model that a board must see, never a failed check.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from modeller.export import styles as S
from modeller.export.inputs_sheet import FIRST_ROW, TEXT_UNITS, UNIT_COL, VALUE_COL
from modeller.export.layout import HEADER_ROWS, Sheet, new_sheet, print_setup

MONTHS_FAILING = '0" months"'
INTEGRITY = [("check_balance", "Balance sheet balances in every month"),
             ("check_cash", "Cash reconciles in every month"),
             ("check_errors", "No cell shows an error (#VALUE!, #REF!, #DIV/0! ...)"),
             ("check_inputs", "Every numeric input holds a number (not text such as 500k)")]
ALERTS = [("alert_shortfall", "Funding shortfall: cash falls below the minimum",
           'IF(kpi_funding_shortfall>0,"ALERT","none")'),
          ("alert_facility", "Facility drawn to its limit",
           'IF(AND(funding_facility_limit>tolerance,kpi_peak_facility_drawn>=funding_facility_limit-tolerance),'
           '"ALERT","none")'),
          ("alert_payback", "No payback within the model's months",
           'IF(ISNUMBER(kpi_payback_month),"none",IF(kpi_payback_month="none","ALERT","cannot tell"))'),
          ("alert_npv", "NPV below zero at the discount rate", 'IF(kpi_npv<-tolerance,"ALERT","none")')]


def write_checks(wb, sc, t: Sheet, st: Sheet, scanned: dict[str, str], inputs_last_row: int) -> Sheet:
    """Checks sheet. `scanned` maps each checked sheet's name to the range searched for error cells."""
    s = new_sheet(wb, "Checks", sc.months, t)
    _monthly(s, st)
    s.section("Model integrity: the workbook adds up (any FAIL: do not rely on the figures)")
    rows = {"check_balance": _all_ones(s, "balance_ok"), "check_cash": _all_ones(s, "cash_ok")}
    first = s.next_row
    for name, ref in scanned.items():
        _summary_row(s, f"Cells showing an error on {name}", f"SUMPRODUCT(--ISERROR({ref}))", S.WHOLE)
    counts = f"$C${first}:$C${s.next_row - 1}"
    rows["check_errors"] = f'IF(SUM({counts})=0,"OK","FAIL")'
    rows["check_inputs"] = f'IF({_text_in_numeric_inputs(inputs_last_row)}=0,"OK","FAIL")'
    for name, label in INTEGRITY:
        _named(wb, s, name, label, rows[name])
    cell = _named(wb, s, "model_integrity", "Model integrity",
                  "IF(AND(" + ",".join(f'{n}="OK"' for n, _ in INTEGRITY) + '),"OK","FAIL")')
    cell.font = S.TOTAL_FONT
    s.rows["model_integrity"] = cell.row
    s.section("Business alerts: outcomes of the plan, not errors in the model")
    for name, label, formula in ALERTS:
        # a KPI read from a broken model may look sound (IFERROR turns a failed search into "none")
        _named(wb, s, name, label, f'IF(model_integrity<>"OK","cannot tell",IFERROR({formula},"cannot tell"))')
    alerts = f"$C${s.rows['alert_shortfall']}:$C${s.next_row - 1}"
    cell = _named(wb, s, "business_alerts", "Business alerts raised", f'COUNTIF({alerts},"ALERT")')
    cell.font = S.TOTAL_FONT
    s.rows["business_alerts"] = cell.row
    _print_summary(s)
    return s


def _print_summary(s: Sheet) -> None:
    """Printed, columns A:C on one portrait page: each check's failing months and the summaries (the
    monthly flags, all 1 in a sound model, stay on screen rather than fill five pages)."""
    ws = s.ws
    ws.print_area = f"A1:C{s.next_row - 1}"
    print_setup(ws, title_rows=f"1:{HEADER_ROWS}", portrait=True)
    S.text(ws.cell(HEADER_ROWS, 3), "Months failing / result").font = S.HEADER_FONT
    ws.cell(HEADER_ROWS, 3).alignment = S.WRAP


def _monthly(s: Sheet, st: Sheet) -> None:
    r = st.ref
    s.section("Monthly checks (1 = OK in the month)")
    s.row("balance_ok", "Balance sheet balances (to the tolerance)", "flag",
          f"IF(ABS({r('balance_check')})<=tolerance,1,0)", S.FLAG, total=False)
    s.row("cash_diff", "Opening cash + net cash flow - closing cash", "£",
          f"{r('opening_cash')}+{r('net_cash_flow')}-{r('closing_cash')}", S.MONEY_P, total=False)
    s.row("cash_bs", "Balance sheet cash - cash flow closing cash", "£", f"{r('cash')}-{r('closing_cash')}",
          S.MONEY_P, total=False)
    s.row("cash_ok", "Cash reconciles", "flag",
          f"IF(AND(ABS({s.ref('cash_diff')})<=tolerance,ABS({s.ref('cash_bs')})<=tolerance),1,0)", S.FLAG,
          total=False)
    s.row("funding_ok", "Cash at or above the minimum (a business alert)", "flag",
          f"1-{r('below_minimum')}", S.FLAG, total=False)
    for key in ("balance_ok", "cash_ok", "funding_ok"):
        rng = s.rng(key)
        cell = s.ws.cell(s.rows[key], 3, f"=COUNTIF({rng},0)+SUMPRODUCT(--ISERROR({rng}))")
        cell.number_format = MONTHS_FAILING


def _all_ones(s: Sheet, key: str) -> str:
    """OK when every month's flag is 1; an error in any month fails (COUNTIF alone would skip it)."""
    rng = s.rng(key)
    return f'IF(AND(SUMPRODUCT(--ISERROR({rng}))=0,COUNTIF({rng},0)=0),"OK","FAIL")'


def _text_in_numeric_inputs(last: int) -> str:
    """Count of input cells holding text where the unit says a number (or a month) belongs."""
    value, unit = get_column_letter(VALUE_COL), get_column_letter(UNIT_COL)
    units = f"Inputs!${unit}${FIRST_ROW}:${unit}${last}"
    not_text = "*".join(f'({units}<>"{u}")' for u in TEXT_UNITS)
    return f"SUMPRODUCT(ISTEXT(Inputs!${value}${FIRST_ROW}:${value}${last})*{not_text})"


def _summary_row(s: Sheet, label: str, formula: str, fmt: str | None = None):
    row = s.next_row
    s.next_row += 1
    S.text(s.ws.cell(row, 1), label)
    cell = s.ws.cell(row, 3, "=" + formula)
    cell.alignment = S.RIGHT
    if fmt:
        cell.number_format = fmt
    return cell


def _named(wb, s: Sheet, name: str, label: str, formula: str):
    cell = _summary_row(s, label, formula)
    wb.defined_names[name] = DefinedName(name, attr_text=f"Checks!$C${cell.row}")
    s.rows[name] = cell.row
    return cell
