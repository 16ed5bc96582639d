"""Annual sheet: the monthly statements summed by NHS financial year (April to March)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.layout import Sheet, print_setup

FLOWS = [("income", "Income"), ("pay", "Pay"), ("non_pay", "Non-pay"), ("ebitda", "EBITDA"),
         ("depreciation", "Depreciation"), ("interest", "Interest"), ("profit_before_tax", "Profit before tax"),
         ("tax_charge", "Tax charge"), ("profit_after_tax", "Profit after tax"), ("receipts", "Receipts"),
         ("operating_cf", "Operating cash flow"), ("pre_financing_cf", "Cash flow before financing"),
         ("financing_cf", "Financing cash flow")]
AT_YEAR_END = [("closing_cash", "Closing cash", S.MONEY), ("facility", "Facility drawn", S.MONEY),
               ("net_assets", "Net assets", S.MONEY), ("wte_total", "WTE at year end", S.WTE)]


def annual_rows() -> dict[str, int]:
    """Row of each line on the Annual sheet (flows from row 6, then a gap, then year-end values)."""
    rows = {key: 6 + i for i, (key, _) in enumerate(FLOWS)}
    rows.update({key: 7 + len(FLOWS) + i for i, (key, _, _) in enumerate(AT_YEAR_END)})
    return rows


def write_annual(wb, st: Sheet, t: Sheet, years: int) -> dict[str, int]:
    """One column per NHS financial year; returns the row of each line."""
    ws = wb.create_sheet("Annual")
    S.text(ws.cell(1, 1), "Annual summary by NHS financial year").font = S.TITLE_FONT
    S.text(ws.cell(2, 1), "A year cut by the model's start or end covers only its months in the model."
           ).font = S.NOTE_FONT
    fy = f"Timeline!$E${t.rows['fy']}:${st.last}${t.rows['fy']}"
    ye = f"Timeline!$E${t.rows['year_end']}:${st.last}${t.rows['year_end']}"
    labels = f"Timeline!$E${t.rows['fy_label']}:${st.last}${t.rows['fy_label']}"
    S.text(ws.cell(3, 1), "Year number").font = S.HEADER_FONT
    S.text(ws.cell(4, 1), "NHS financial year").font = S.HEADER_FONT
    cols = [get_column_letter(3 + y) for y in range(years)]
    for col in cols:
        ws[f"{col}3"] = "=COLUMN()-COLUMN($C$3)"
        ws[f"{col}4"] = f"=INDEX({labels},MATCH({col}$3,{fy},0))"
        ws[f"{col}4"].font = S.HEADER_FONT
        ws.column_dimensions[col].width = 14
    rows, r = {}, 6
    for key, label in FLOWS:
        S.text(ws.cell(r, 1), label)
        for col in cols:
            ws[f"{col}{r}"] = f"=SUMIFS({st.xrng(key)},{fy},{col}$3)"
            ws[f"{col}{r}"].number_format = S.MONEY
        rows[key], r = r, r + 1
    r += 1
    for key, label, fmt in AT_YEAR_END:
        S.text(ws.cell(r, 1), label)
        for col in cols:
            ws[f"{col}{r}"] = f"=SUMIFS({st.xrng(key)},{fy},{col}$3,{ye},1)"
            ws[f"{col}{r}"].number_format = fmt
        rows[key], r = r, r + 1
    assert rows == annual_rows()
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 2
    ws.freeze_panes = "C5"
    print_setup(ws, title_rows="3:4", title_cols="A:A")
    return rows
