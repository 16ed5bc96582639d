"""Cover sheet: the scenario, model integrity and business alerts in plain words, headline figures,
cash and commitment, the risk headlines (when the Risk sheet is included) and a guide to the sheets.

Every figure is a live formula on the KPIs, Checks or Risk sheets; the cover prints on one A4 page.
"""

from __future__ import annotations

from datetime import date

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.inputs_sheet import wrapped_lines
from modeller.export.layout import FIRST, FIRST_COL, print_setup
from modeller.metrics import KPIS
from modeller.scenario import Scenario

LEFT = Alignment(horizontal="left")
NOTE = Alignment(horizontal="left", wrap_text=True, vertical="top", indent=1)  # indent needs "left"
LABEL, VALUE = Alignment(vertical="top"), Alignment(horizontal="right", vertical="top")
# LibreOffice prints about 7 pt a unit of width: 100 units fill a portrait A4 page at ~75%
WIDTHS = {"A": 34, "B": 16, "C": 50}
CHARS_PER_WIDTH = 1.2  # characters of italic 11 pt notes a unit of column width holds (measured on the PDF)
# the notes beside figures: what a board may not know (the KPIs sheet defines every KPI)
NOTED = ("funding_shortfall", "committed_before_first_receipt", "peak_exit_cost", "payback_month")
INTEGRITY = [("check_balance", "Balance sheet balances"), ("check_cash", "Cash reconciles"),
             ("check_errors", "No cell shows an error"), ("check_inputs", "Every numeric input holds a number")]
HEADLINE = [*((k, KPIS[k].label, S.MONEY) for k in ("npv", "npv_nominal")),
            *((k, KPIS[k].label, S.RATE) for k in ("irr", "mirr")),
            ("total_income", "Total income", S.MONEY), ("total_ebitda", "Total EBITDA", S.MONEY),
            ("ebitda_breakeven_month", "EBITDA break-even from", S.DATE),
            ("payback_month", "Payback from", S.DATE), ("peak_wte", "Peak WTE", S.WTE)]
CASH = [("peak_funding_requirement", "Peak funding requirement", S.MONEY),
        ("peak_funding_month", "Peak funding requirement reached in", S.DATE),
        ("lowest_cash", "Lowest cash", S.MONEY), ("funding_shortfall", "Funding shortfall", S.MONEY),
        ("peak_facility_drawn", "Peak facility drawn", S.MONEY),
        ("first_receipt_month", "First contract receipt", S.DATE),
        ("committed_before_first_receipt", "Spent before the first contract receipt", S.MONEY),
        ("peak_exit_cost", "Peak cost to walk away", S.MONEY),
        ("peak_exit_cost_month", "Peak cost to walk away reached in", S.DATE)]
RISK = [("probability_of_shortfall", "Chance of a funding shortfall", S.RATE, "share of the draws below the minimum"),
        ("npv_p10", "NPV: P10", S.MONEY, "1 draw in 10 is lower"),
        ("npv_p50", "NPV: P50 (median)", S.MONEY, "half the draws are lower"),
        ("npv_p90", "NPV: P90", S.MONEY, "1 draw in 10 is higher"),
        ("peak_funding_requirement_p90", "Peak funding requirement: P90", S.MONEY, "1 draw in 10 needs more")]
GUIDE = [("Annual", "the statements by NHS financial year"),
         ("KPIs", "the key performance indicators, with their definitions"),
         ("Charts", "cash against the minimum, income by contract, WTE by role"),
         ("Risk", "Monte Carlo and sensitivity results (values, from the modeller)"),
         ("Inputs", "every assumption: type only in the blue-on-yellow cells"),
         ("Timeline", "months, NHS financial years, indexation and discount factors"),
         ("Activity", "demand streams, units a month"),
         ("Workforce", "WTE by role, loaded pay, agency, recruitment, notice"),
         ("Costs", "non-pay cost lines, payments, commitments, capital spend"),
         ("Income", "each contract: earned, withhold, risk share, income and cash"),
         ("Funding", "equity, loans, and the facility, tax and cash month by month"),
         ("Statements", "monthly P&L, cash flow and balance sheet"),
         ("IRR workings", "the search that finds the IRR as the modeller does"),
         ("Checks", "model integrity checks and business alerts, month by month")]


def money_text(name: str) -> str:
    return f'TEXT({name},"£#,##0;(£#,##0)")'


MODEL_BOOK = "every line and KPI is defined in the model book, docs/MODEL.md"


def write_cover(ws, sc: Scenario, risk_refs: dict[str, str] | None = None) -> None:
    """The Cover; `risk_refs` are the Risk sheet's headline cells (None: no Risk sheet)."""
    dates = f"Timeline!${FIRST}$3:${get_column_letter(FIRST_COL + sc.months - 1)}$3"
    S.text(ws.cell(1, 1), "Business case").font = S.TITLE_FONT
    r = _scenario(ws, sc)
    r = _integrity(ws, r + 2)
    r = _alerts(ws, r + 2, dates)
    r = _figures(ws, r + 2, "Headline figures", HEADLINE, dates)
    r = _figures(ws, r + 2, "Cash and commitment", CASH, dates)
    if risk_refs:
        r = _risk(ws, r + 2, risk_refs)
    r = _guide(ws, r + 2, has_risk=bool(risk_refs))
    legend = ws.cell(r + 2, 1)
    S.text(legend, "Input cell")
    S.style_input(legend)
    S.text(ws.cell(r + 2, 2), "the only cells to type in; everything else is a formula").font = S.NOTE_FONT
    S.text(ws.cell(r + 3, 1), "Definitions")
    S.text(ws.cell(r + 3, 2), MODEL_BOOK).font = S.NOTE_FONT
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.print_area = f"A1:C{r + 3}"
    print_setup(ws, portrait=True)
    ws.page_setup.fitToHeight = 1  # the cover is one page, whatever the description's length


def _scenario(ws, sc: Scenario) -> int:
    r = 3
    for label, value in (("Scenario", sc.name), ("Description", sc.description)):
        S.text(ws.cell(r, 1), label).font = S.HEADER_FONT
        ws.cell(r, 1).alignment = S.WRAP
        S.text(ws.cell(r, 2), value).alignment = S.WRAP
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        r += 1
    ws.row_dimensions[4].height = 15 * _lines(sc.description, (WIDTHS["B"] + WIDTHS["C"]) * 0.95)
    S.text(ws.cell(r, 1), "Exported on").font = S.HEADER_FONT
    ws.cell(r, 2, date.today()).number_format = "d mmmm yyyy"
    ws.cell(r, 2).alignment = LEFT
    return r


def _lines(text: str, width: float) -> int:
    return wrapped_lines(text, width * CHARS_PER_WIDTH)


def _note(ws, r: int, text: str) -> None:
    """A note in column C, wrapped and its row tall enough; a formula's texts are kept to one line."""
    cell = ws.cell(r, 3)
    if text.startswith("="):
        cell.value = text
    else:
        S.text(cell, text)
    cell.font, cell.alignment = S.NOTE_FONT, NOTE
    ws.cell(r, 1).alignment = LABEL  # the figure and its label level with the note's first line
    ws.cell(r, 2).alignment = VALUE
    lines = _lines(text, WIDTHS["C"] - 2) if not text.startswith("=") else 1
    if lines > 1:
        ws.row_dimensions[r].height = 15 * lines


def _flag_bad(ws, ref: str, bad: str) -> None:
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{bad}"'], fill=S.BAD_FILL))


def _status(ws, r: int, label: str, formula: str, good: str, note: str) -> None:
    """A bold status line (green when the cell reads `good`, red otherwise) with a note in words."""
    S.text(ws.cell(r, 1), label).font = S.SECTION_FONT
    cell = ws.cell(r, 2, formula)
    cell.font, cell.alignment = S.TOTAL_FONT, S.RIGHT
    ref = f"B{r}"
    ws.conditional_formatting.add(ref, CellIsRule(operator="equal", formula=[f'"{good}"'], fill=S.OK_FILL))
    ws.conditional_formatting.add(ref, FormulaRule(formula=[f'{ref}<>"{good}"'], fill=S.BAD_FILL))
    _note(ws, r, note)


def _integrity(ws, r: int) -> int:
    _status(ws, r, "Model integrity", '=IF(model_integrity="OK","All checks pass","FAIL")', "All checks pass",
            '=IF(model_integrity="OK","the workbook adds up (not a judgement on the plan)",'
            '"do not rely on these figures: see the Checks sheet")')
    for name, label in INTEGRITY:
        r += 1
        S.text(ws.cell(r, 1), "  " + label)
        ws.cell(r, 2, f"={name}").alignment = S.RIGHT
        _flag_bad(ws, f"B{r}", "FAIL")
    return r


def _alerts(ws, r: int, dates: str) -> int:
    _status(ws, r, "Business alerts",
            '=IF(model_integrity<>"OK","cannot tell",'
            'IF(business_alerts=0,"None",business_alerts&IF(business_alerts=1," alert"," alerts")))', "None",
            '=IF(model_integrity<>"OK","the model fails its integrity checks",'
            '"outcomes of the plan, not errors in the model")')
    minimum = money_text("funding_minimum_cash")
    shortfall_month = f'TEXT(INDEX({dates},kpi_funding_shortfall_month+1),"mmm yyyy")'
    payback = f'TEXT(INDEX({dates},kpi_payback_month+1),"mmm yyyy")'
    sentences = [
        ("alert_shortfall", "  Funding shortfall",
         f'IF(alert_shortfall="ALERT",{money_text("kpi_funding_shortfall")}&" below the "&{minimum}'
         f'&" minimum from "&{shortfall_month},"cash stays at or above the "&{minimum}&" minimum")'),
        ("alert_facility", "  Facility drawn to its limit",
         f'"peak drawn "&{money_text("kpi_peak_facility_drawn")}&" of a "&{money_text("funding_facility_limit")}'
         '&" limit"'),
        ("alert_payback", "  No payback within the model",
         f'IF(alert_payback="ALERT","cumulative cash flow still below zero at the end",'
         f'"payback from "&{payback})'),
        ("alert_npv", "  NPV below zero",
         f'"NPV "&{money_text("kpi_npv")}&" at "&TEXT(appraisal_discount_rate,"0.0%")&" a year"'),
    ]
    for name, label, sentence in sentences:
        r += 1
        S.text(ws.cell(r, 1), label)
        ws.cell(r, 2, f"={name}").alignment = S.RIGHT
        _flag_bad(ws, f"B{r}", "ALERT")
        _note(ws, r, f'=IFERROR(IF({name}="cannot tell","",{sentence}),"")')
    return r


def _figures(ws, r: int, title: str, rows: list[tuple[str, str, str]], dates: str) -> int:
    S.text(ws.cell(r, 1), title).font = S.SECTION_FONT
    for key, label, fmt in rows:
        r += 1
        S.text(ws.cell(r, 1), label)
        # a month KPI is a 0-based month number on the KPIs sheet; a board reads it as a date
        formula = (f'=IF(ISNUMBER(kpi_{key}),INDEX({dates},kpi_{key}+1),"never")' if fmt == S.DATE
                   else f"=kpi_{key}")
        ws.cell(r, 2, formula).number_format = fmt
        ws.cell(r, 2).alignment = S.RIGHT
        if key in NOTED:
            _note(ws, r, KPIS[key].explanation)
    return r


def _risk(ws, r: int, refs: dict[str, str]) -> int:
    S.text(ws.cell(r, 1), "Risk (Monte Carlo)").font = S.SECTION_FONT
    ws.cell(r, 2, f"={refs['draws']}").number_format = '#,##0" draws"'
    _note(ws, r, "values from the Risk sheet (not live formulas)")
    for key, label, fmt, note in RISK:
        if key not in refs:
            continue
        r += 1
        S.text(ws.cell(r, 1), label)
        ws.cell(r, 2, f"={refs[key]}").number_format = fmt
        ws.cell(r, 2).alignment = S.RIGHT
        _note(ws, r, note)
    return r


def _guide(ws, r: int, has_risk: bool) -> int:
    S.text(ws.cell(r, 1), "Guide to the sheets (in print order)").font = S.SECTION_FONT
    for sheet, text in GUIDE:
        if sheet == "Risk" and not has_risk:
            continue
        r += 1
        S.text(ws.cell(r, 1), sheet).hyperlink = f"#'{sheet}'!A1"
        S.text(ws.cell(r, 2), text)
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)  # printed within the page
    return r
