"""Cover sheet: the scenario, the date, headline KPIs, the master check and a guide to the sheets."""

from __future__ import annotations

from datetime import date

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.layout import FIRST, FIRST_COL, print_setup
from modeller.scenario import Scenario

LEFT = Alignment(horizontal="left")
HEADLINE = [("npv", "NPV (cash flow before financing)", S.MONEY), ("irr", "IRR (annual)", S.RATE),
            ("peak_funding_requirement", "Peak funding requirement", S.MONEY),
            ("lowest_cash", "Lowest cash", S.MONEY), ("funding_shortfall", "Funding shortfall", S.MONEY),
            ("peak_funding_month", "Peak funding requirement reached in", S.DATE),
            ("ebitda_breakeven_month", "EBITDA break-even from", S.DATE),
            ("payback_month", "Payback from", S.DATE),
            ("total_income", "Total income", S.MONEY), ("peak_wte", "Peak WTE", S.WTE)]
GUIDE = [("Inputs", "every assumption; change the blue-on-yellow cells (named, e.g. tax_corporation_tax_rate)"),
         ("Timeline", "months, NHS financial years, indexation and discount factors"),
         ("Activity", "demand streams, units a month"),
         ("Workforce", "WTE by role, loaded pay, agency, recruitment, notice"),
         ("Costs", "non-pay cost lines, payments, commitments, capital spend"),
         ("Income", "each contract: earned, withhold, risk share, income and cash"),
         ("Funding", "equity, loans, and the facility, tax and cash month by month"),
         ("Statements", "monthly P&L, cash flow and balance sheet"),
         ("Annual", "the statements by NHS financial year"),
         ("KPIs", "the key performance indicators, all formulas"),
         ("Checks", "balance sheet, cash reconciliation, funding; the master check"),
         ("Charts", "cash against the minimum, income by contract, WTE by role"),
         ("Risk", "Monte Carlo and sensitivity results (values, from the modeller)")]


def write_cover(ws, sc: Scenario, has_risk: bool) -> None:
    S.text(ws.cell(1, 1), "Business case").font = S.TITLE_FONT
    rows = [("Scenario", sc.name), ("Description", sc.description)]
    r = 3
    for label, value in rows:
        S.text(ws.cell(r, 1), label).font = S.HEADER_FONT
        ws.cell(r, 1).alignment = S.WRAP
        S.text(ws.cell(r, 2), value).alignment = S.WRAP
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        r += 1
    ws.row_dimensions[4].height = 15 * max(1, len(sc.description) // 110 + 1)
    S.text(ws.cell(r, 1), "Exported on").font = S.HEADER_FONT
    ws.cell(r, 2, date.today()).number_format = "d mmmm yyyy"
    ws.cell(r, 2).alignment = LEFT
    r += 2
    S.text(ws.cell(r, 1), "Master check").font = S.HEADER_FONT
    check = ws.cell(r, 2, "=master_check")
    check.font = S.TOTAL_FONT
    ref = f"B{r}"
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=['"OK"'], fill=S.OK_FILL))
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=['"FAIL"'], fill=S.BAD_FILL))
    for name, label in (("check_balance", "Balance sheet balances"), ("check_cash", "Cash reconciles"),
                        ("check_funding", "No funding shortfall")):
        r += 1
        S.text(ws.cell(r, 1), "  " + label)
        ws.cell(r, 2, f"={name}")
    r += 2
    S.text(ws.cell(r, 1), "Headline KPIs").font = S.SECTION_FONT
    dates = f"Timeline!${FIRST}$3:${get_column_letter(FIRST_COL + sc.months - 1)}$3"
    for key, label, fmt in HEADLINE:
        r += 1
        S.text(ws.cell(r, 1), label)
        # a month KPI is a 0-based month number on the KPIs sheet; a board reads it as a date
        formula = (f'=IF(ISNUMBER(kpi_{key}),INDEX({dates},kpi_{key}+1),"never")' if fmt == S.DATE
                   else f"=kpi_{key}")
        ws.cell(r, 2, formula).number_format = fmt
        ws.cell(r, 2).alignment = S.RIGHT
    r += 2
    S.text(ws.cell(r, 1), "Guide to the sheets").font = S.SECTION_FONT
    for sheet, text in GUIDE:
        if sheet == "Risk" and not has_risk:
            continue
        r += 1
        S.text(ws.cell(r, 1), sheet).hyperlink = f"#'{sheet}'!A1"
        S.text(ws.cell(r, 2), text)
    r += 2
    legend = ws.cell(r, 1)
    S.text(legend, "Input cell")
    S.style_input(legend)
    S.text(ws.cell(r, 2), "the only cells to type in; everything else is a formula").font = S.NOTE_FONT
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 80
    print_setup(ws)
    ws.page_setup.fitToHeight = 1  # the cover is one page, whatever the description's length
