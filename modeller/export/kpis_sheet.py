"""KPIs sheet: every KPI of DESIGN §5 as a formula on the Statements rows, each a named cell.

Labels, units and definitions are `metrics.KPIS`'s, as in the app and on the command line; only
the formulas, and a note where the workbook works a KPI out somewhere else, belong here.
"""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName

from modeller.export import styles as S
from modeller.export.inputs_sheet import wrapped_lines
from modeller.export.layout import Sheet, print_setup
from modeller.metrics import KPI_NAMES, KPIS, MONTH_KPIS

# where the workbook works a KPI out beyond its formula here (added to the registry's explanation)
WORKBOOK_NOTES = {"irr": "the search is on the IRR workings sheet", "irr_real": "the search is on the IRR workings sheet",
                  "mirr": "Excel's MIRR at the monthly cost of capital, (1 + cost of capital)^(1/12) - 1"}
# each KPI unit of the registry as written on the sheet: (unit column, number format); a month KPI is
# a month number here, its date in the Month column
UNIT_CELLS = {"£": ("£", S.MONEY), "%": ("%", S.RATE), "WTE": ("WTE", S.WTE), "month": ("month number", S.WHOLE)}
DEF_COL = 5
DEF_WIDTH = 66
RIGHT = Alignment(horizontal="right", vertical="top")
UNIT = Alignment(horizontal="left", vertical="top", indent=1)  # clear of the value to its left
DEFINITION = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
TOP = Alignment(vertical="top")


def definition(key: str) -> str:
    """A KPI's definition on the sheet: the registry's explanation, and where the workbook works it out."""
    note = WORKBOOK_NOTES.get(key)
    return KPIS[key].explanation + (f"; {note}" if note else "")


def kpi_formulas(st: Sheet) -> dict[str, str]:
    """The formula of each KPI (without '='), reading whole Statements rows."""
    def g(key):
        return st.xrng(key)
    last = f"'Statements'!${st.last}${st.rows['wte_total']}"
    month = "'Statements'!" + st.rng(2)
    first_match = 'IFERROR(MATCH({v},{rng},0)-1,"none")'
    monthly = "((1+appraisal_cost_of_capital)^(1/12)-1)"

    def irr(prefix: str, cf: str) -> str:
        return f'IF({prefix}_bracketed,(1+IFERROR(IRR({cf},{prefix}_guess),{prefix}_guess))^12-1,"none")'

    return {
        "total_income": f"SUM({g('income')})",
        "total_ebitda": f"SUM({g('ebitda')})",
        "total_profit_after_tax": f"SUM({g('profit_after_tax')})",
        "peak_funding_requirement": f"MAX(0,-MIN({g('cumulative_pre_financing_cf')}))",
        "peak_funding_month": f'IF(kpi_peak_funding_requirement>tolerance,MATCH(1,{g("at_peak_funding")},0)-1,"none")',
        "lowest_cash": f"MIN({g('closing_cash')})",
        "lowest_cash_month": f"MATCH(1,{g('at_lowest_cash')},0)-1",
        "funding_shortfall": "IF(funding_minimum_cash-kpi_lowest_cash>tolerance,funding_minimum_cash-kpi_lowest_cash,0)",
        "funding_shortfall_month": first_match.format(v=1, rng=g("below_minimum")),
        "peak_facility_drawn": f"MAX({g('facility')})",
        "first_receipt_month": first_match.format(v=1, rng=g("receipt_flag")),
        "committed_before_first_receipt":
            f'SUMIFS({g("payments")},{month},"<"&IF(ISNUMBER(kpi_first_receipt_month),kpi_first_receipt_month,model_months))',
        "peak_exit_cost": f"MAX({g('exit_cost')})",
        "peak_exit_cost_month": f"MATCH(1,{g('at_peak_exit')},0)-1",
        "ebitda_breakeven_month": first_match.format(v=0, rng=g("ebitda_fails_ahead")),
        "payback_month": first_match.format(v=0, rng=g("cum_fails_ahead")),
        "npv": f"SUM({g('discounted_real')})",
        "npv_nominal": f"SUM({g('discounted_nominal')})",
        "irr": irr("irr", g("appraisal_cf")),
        "irr_real": irr("irr_real", g("real_cf")),
        "mirr": f'IFERROR((1+MIRR({g("appraisal_cf")},{monthly},{monthly}))^12-1,"none")',
        "peak_wte": f"MAX({g('wte_total')})",
        "final_wte": last,
        "staff_cost_share": f'IF(ABS(kpi_total_income)>tolerance,SUM({g("pay")})/kpi_total_income,"none")',
    }


def write_kpis(wb, st: Sheet) -> dict[str, str]:
    """KPIs sheet; returns {kpi name: cell reference} for the Cover."""
    ws = wb.create_sheet("KPIs")
    S.text(ws.cell(1, 1), "Key performance indicators").font = S.TITLE_FONT
    S.text(ws.cell(2, 1), "All formulas on the Statements sheet; month numbers count from 0 (the first model month)."
           ).font = S.NOTE_FONT
    for col, label in ((1, "KPI"), (2, "Value"), (3, "Unit"), (4, "Month"), (DEF_COL, "Definition")):
        S.text(ws.cell(4, col), label).font = S.HEADER_FONT
        ws.cell(4, col).alignment = RIGHT if col in (2, 4) else UNIT if col == 3 else TOP
    formulas, refs = kpi_formulas(st), {}
    dates = f"Timeline!$E$3:${st.last}$3"
    for i, key in enumerate(KPI_NAMES):
        r = 5 + i
        S.text(ws.cell(r, 1), KPIS[key].label)
        unit, fmt = UNIT_CELLS[KPIS[key].unit]
        ws.cell(r, 2, "=" + formulas[key]).number_format = fmt
        if key in MONTH_KPIS:
            ws.cell(r, 4, f'=IF(ISNUMBER(B{r}),INDEX({dates},B{r}+1),"never")').number_format = S.DATE
        S.text(ws.cell(r, 3), unit)
        text = S.text(ws.cell(r, DEF_COL), definition(key))
        text.font = S.NOTE_FONT
        for col, align in ((1, TOP), (2, RIGHT), (3, UNIT), (4, RIGHT), (DEF_COL, DEFINITION)):
            ws.cell(r, col).alignment = align
        lines = wrapped_lines(text.value, (DEF_WIDTH - 2) * 1.2)  # italic notes: ~1.2 characters a unit of width
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
        wb.defined_names[f"kpi_{key}"] = DefinedName(f"kpi_{key}", attr_text=f"KPIs!$B${r}")
        refs[key] = f"KPIs!$B${r}"
    for col, width in (("A", 44), ("B", 16), ("C", 14), ("D", 12), ("E", DEF_WIDTH)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    print_setup(ws, title_rows="4:4")
    return refs
