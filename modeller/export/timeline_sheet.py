"""The Timeline sheet: month number, dates, NHS financial years, year ends, indexation and discounting."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.layout import DATE_ROW, FIRST_COL, MONTH_ROW, YEAR_ROW, Sheet, new_sheet


def write_timeline(wb, months: int) -> Sheet:
    """One column per month; every other timeline sheet links its headers here."""
    t = new_sheet(wb, "Timeline", months, None, "the months, years and factors every sheet shares")
    t.rows.update(m=MONTH_ROW, date=DATE_ROW, fy_label=YEAR_ROW)
    t.section("Calendar")
    cm = t.row("cal_month", "Calendar month (1 = January)", "1-12", "MONTH({c}$3)", S.WHOLE, total=False)
    fs = t.row("fy_start", "Year in which the NHS financial year starts", "year", f"YEAR({{c}}$3)-({{c}}{cm}<4)",
               S.WHOLE, total=False)
    fy = t.row("fy", "Financial year number (0 = the first)", "year", f"{{c}}{fs}-$E${fs}", S.WHOLE, total=False)
    t.row("year_end", "Year end (1 = last model month of the year)", "flag",
          f"IF(OR({{c}}{cm}=3,{{c}}$2=model_last_month),1,0)", S.FLAG, total=False)
    t.row("march", "Month number of the 31 March ending the year", "month", f"{{c}}$2+MOD(3-{{c}}{cm},12)",
          S.WHOLE, total=False)
    t.section("Indexation from each later 1 April")
    t.row("pay_index", "Pay index", "factor", f"(1+indexation_pay)^{{c}}{fy}", S.FACTOR, total=False)
    t.row("non_pay_index", "Non-pay index", "factor", f"(1+indexation_non_pay)^{{c}}{fy}", S.FACTOR, total=False)
    t.row("price_index", "Price index", "factor", f"(1+indexation_prices)^{{c}}{fy}", S.FACTOR, total=False)
    t.section("Appraisal")
    t.row("deflator", "Deflator: first-year prices from each later 1 April (general inflation)", "factor",
          f"(1+appraisal_inflation)^{{c}}{fy}", S.FACTOR, total=False)
    t.row("discount", "Discount factor to the start: real, at the discount rate", "factor",
          "(1+appraisal_discount_rate)^(-({c}$2+1)/12)", S.FACTOR, total=False)
    t.row("discount_nominal", "Discount factor to the start: nominal, at the cost of capital", "factor",
          "(1+appraisal_cost_of_capital)^(-({c}$2+1)/12)", S.FACTOR, total=False)
    ws = t.ws
    for i, col in enumerate(t.cols):
        ws.cell(MONTH_ROW, FIRST_COL + i, "=COLUMN()-COLUMN($E$2)").number_format = S.WHOLE
        ws.cell(DATE_ROW, FIRST_COL + i, f"=EDATE(model_start,{col}$2)").number_format = S.DATE
        ws.cell(YEAR_ROW, FIRST_COL + i, f'={col}{fs}&"/"&RIGHT({col}{fs}+1,2)')
    return t


def tref(t: Sheet, key: str) -> str:
    """This month's Timeline cell of a row, row-absolute, for formulas on other sheets."""
    return f"Timeline!{{c}}${t.rows[key]}"
