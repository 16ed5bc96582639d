"""KPIs sheet: every KPI of DESIGN §5 as a formula on the Statements rows, each a named cell."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.workbook.defined_name import DefinedName

from modeller import metrics
from modeller.export import styles as S
from modeller.export.layout import Sheet, print_setup
from modeller.formatting import KPI_LABELS
from modeller.metrics import KPI_NAMES, MONTH_KPIS

DEFINITIONS = {
    "peak_funding_requirement": "max(0, -lowest cumulative cash flow before financing)",
    "funding_shortfall": "minimum cash less lowest cash, if above zero",
    "committed_before_first_receipt": "operating and capital payments before the first contract receipt",
    "peak_exit_cost": "notice pay for committed staff plus unexpired fixed-cost commitments",
    "ebitda_breakeven_month": "first month from which EBITDA is never below zero again",
    "payback_month": "first month from which cumulative cash flow before financing stays at or above zero",
    "npv": "cash flow before financing discounted at the discount rate, month m at (m+1)/12 years",
    "irr": "(1 + monthly IRR of cash flow before financing)^12 - 1",
    "staff_cost_share": "total pay (incl. agency) / total income",
}
# the engine's own search settings, so the workbook finds the same root
IRR_GRID = metrics.IRR_GRID
BISECTIONS = metrics.IRR_BISECTIONS
DEF_COL = 7
BIG = "0.000E+00"  # values of the cash flow at extreme rates reach 1e120
RIGHT = Alignment(horizontal="right")
MONTH_LABELS = {"peak_funding_month": "Peak funding requirement: month", "lowest_cash_month": "Lowest cash: month",
                "funding_shortfall_month": "Funding shortfall: first month below the minimum",
                "peak_exit_cost_month": "Peak cost to walk away: month"}
UNITS = {"irr": ("a year", S.RATE), "staff_cost_share": ("share", S.RATE), "peak_wte": ("WTE", S.WTE),
         "final_wte": ("WTE", S.WTE)}


def kpi_label(key: str) -> str:
    """A KPI's label that reads on its own (the CLI's labels lean on the line above)."""
    return MONTH_LABELS.get(key) or KPI_LABELS[key].strip()


def kpi_formulas(st: Sheet) -> dict[str, str]:
    """The formula of each KPI (without '='), reading whole Statements rows."""
    def g(key):
        return st.xrng(key)
    last = f"'Statements'!${st.last}${st.rows['wte_total']}"
    month = "'Statements'!" + st.rng(2)
    first_match = 'IFERROR(MATCH({v},{rng},0)-1,"none")'
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
        "npv": f"SUM({g('discounted_pre')})",
        "irr": 'IF(irr_bracketed,(1+IFERROR(IRR({cf},irr_guess),irr_guess))^12-1,"none")'.format(
            cf=g("pre_financing_cf")),
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
    formulas, refs = kpi_formulas(st), {}
    dates = f"Timeline!$E$3:${st.last}$3"
    for i, key in enumerate(KPI_NAMES):
        r = 5 + i
        S.text(ws.cell(r, 1), kpi_label(key))
        cell = ws.cell(r, 2, "=" + formulas[key])
        if key in MONTH_KPIS:
            unit, fmt = "month number", S.WHOLE
            ws.cell(r, 4, f'=IF(ISNUMBER(B{r}),INDEX({dates},B{r}+1),"never")').number_format = S.DATE
        else:
            unit, fmt = UNITS.get(key, ("£", S.MONEY))
        cell.number_format = fmt
        S.text(ws.cell(r, 3), unit)
        cell.alignment = RIGHT
        S.text(ws.cell(r, DEF_COL), DEFINITIONS.get(key, "")).font = S.NOTE_FONT
        wb.defined_names[f"kpi_{key}"] = DefinedName(f"kpi_{key}", attr_text=f"KPIs!$B${r}")
        refs[key] = f"KPIs!$B${r}"
    _irr_search(wb, ws, st, 7 + len(KPI_NAMES))
    for col, width in (("A", 44), ("B", 16), ("C", 18), ("D", 18), ("E", 18), ("F", 18), ("G", 80)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    print_setup(ws, title_rows="4:4")
    return refs


def _irr_search(wb, ws, st: Sheet, top: int) -> None:
    """The monthly IRR found as metrics.irr finds it, so that both pick the same root when there are several.

    A grid of monthly rates brackets the roots; the bracket nearest zero is narrowed by
    bisection, and Excel's IRR polishes the bisection's rate (Newton from there).
    """
    cf, months = st.xrng("pre_financing_cf"), "'Statements'!" + st.rng(2)

    def value(rate: str) -> str:
        return f"SUMPRODUCT({cf},(1+{rate})^(-{months}))"

    g0, pick, top = _irr_grid(wb, ws, top, value)
    _irr_bisection(wb, ws, top, g0, pick, value)


def _irr_grid(wb, ws, top: int, value) -> tuple[int, str, int]:
    """Grid rows and the bracket nearest zero; returns (first grid row, the pick's cell, next free row)."""
    S.text(ws.cell(top, 1), "IRR search: a grid of monthly rates, then bisection").font = S.SECTION_FONT
    heads = ("Grid point", "Monthly rate", "Value of the cash flow", "Sign changes to the next",
             "Distance of the bracket from zero")
    for col, label in enumerate(heads, start=1):
        S.text(ws.cell(top + 1, col), label).font = S.HEADER_FONT
    g0, n = top + 2, len(IRR_GRID)
    for i, rate in enumerate(IRR_GRID):
        r = g0 + i
        ws.cell(r, 1, i + 1)
        S.style_input(ws.cell(r, 2, float(rate)), "0.0%")
        ws.cell(r, 3, "=" + value(f"B{r}")).number_format = BIG
        if i < n - 1:
            ws.cell(r, 4, f"=IF(AND(SIGN(C{r})*SIGN(C{r + 1})<=0,NOT(AND(C{r}=0,C{r + 1}=0))),1,0)")
            ws.cell(r, 5, f'=IF(D{r}=1,ABS((B{r}+B{r + 1})/2),"none")').number_format = "0.000%"
    mids = f"$E${g0}:$E${g0 + n - 2}"
    r = g0 + n + 1
    S.text(ws.cell(r, 1), "A root lies in the grid (value changes sign)")
    ws.cell(r, 2, f"=SUM($D${g0}:$D${g0 + n - 2})>0")
    wb.defined_names["irr_bracketed"] = DefinedName("irr_bracketed", attr_text=f"KPIs!$B${r}")
    S.text(ws.cell(r + 1, 1), "Bracket nearest zero (grid point)")
    ws.cell(r + 1, 2, f"=IFERROR(MATCH(MIN({mids}),{mids},0),1)")
    return g0, f"$B${r + 1}", r + 3


def _irr_bisection(wb, ws, top: int, g0: int, pick: str, value) -> None:
    """Bisection rows from the picked bracket; the last middle is the guess Excel's IRR polishes."""
    n = len(IRR_GRID)
    heads = ("Bisection step", "Low rate", "High rate", "Middle", "Value at low", "Value at middle")
    for col, label in enumerate(heads, start=1):
        S.text(ws.cell(top, col), label).font = S.HEADER_FONT
    first = top + 1
    rates, values = f"$B${g0}:$B${g0 + n - 1}", f"$C${g0}:$C${g0 + n - 1}"
    for step in range(BISECTIONS + 1):
        r, p = first + step, first + step - 1
        ws.cell(r, 1, step)
        if step == 0:
            ws.cell(r, 2, f"=INDEX({rates},{pick})")
            ws.cell(r, 3, f"=INDEX({rates},{pick}+1)")
            ws.cell(r, 5, f"=INDEX({values},{pick})")
        else:
            same = f"SIGN(F{p})=SIGN(E{p})"
            ws.cell(r, 2, f"=IF({same},D{p},B{p})")
            ws.cell(r, 3, f"=IF({same},C{p},D{p})")
            ws.cell(r, 5, f"=IF({same},F{p},E{p})")
        ws.cell(r, 4, f"=(B{r}+C{r})/2")
        ws.cell(r, 6, "=" + value(f"D{r}"))
        for col in (2, 3, 4):
            ws.cell(r, col).number_format = "0.000000%"
        for col in (5, 6):
            ws.cell(r, col).number_format = BIG
    r = first + BISECTIONS + 2
    S.text(ws.cell(r, 1), "Monthly rate found by bisection (the guess for IRR)")
    ws.cell(r, 2, f"=D{first + BISECTIONS}").number_format = "0.000000%"
    wb.defined_names["irr_guess"] = DefinedName("irr_guess", attr_text=f"KPIs!$B${r}")
