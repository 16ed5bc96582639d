"""IRR workings sheet: the search that finds the monthly IRR as `metrics.irr` does (grid, then bisection).

Kept off the KPIs sheet: its values reach 1e120 at extreme rates and mean nothing to a board.
The KPIs sheet reads named cells from here: `irr_bracketed` and `irr_guess` for the nominal IRR,
`irr_real_bracketed` and `irr_real_guess` for the real.
"""

from __future__ import annotations

from openpyxl.workbook.defined_name import DefinedName

from modeller import metrics
from modeller.export import styles as S
from modeller.export.layout import Sheet, print_setup

TITLE = "IRR workings"
# the engine's own search settings, so the workbook finds the same root
IRR_GRID = metrics.IRR_GRID
BISECTIONS = metrics.IRR_BISECTIONS
BIG = "0.000E+00"  # values of the cash flow at extreme rates reach 1e120


# the IRRs searched for: (KPI, Statements row of its flows, name prefix of its named cells, title)
SEARCHES = (("irr", "appraisal_cf", "irr", "the appraisal cash flow (nominal)"),
            ("irr_real", "real_cf", "irr_real", "the appraisal cash flow in first-year prices (real)"))


def write_irr_workings(wb, st: Sheet) -> None:
    """The monthly IRRs found as metrics.irr finds them, so that both pick the same root when there are several.

    For each of the nominal and the real appraisal flows: a grid of monthly rates brackets the roots;
    the falling bracket nearest zero (any bracket nearest zero if none falls) is narrowed by bisection,
    and Excel's IRR (on the KPIs sheet) polishes the bisection's rate (Newton from there).
    """
    ws = wb.create_sheet(TITLE)
    S.text(ws.cell(1, 1), "IRR workings: how the KPIs sheet finds the IRRs").font = S.TITLE_FONT
    note = S.text(ws.cell(2, 1), "A grid of monthly rates brackets the rates where the value of the appraisal "
                  "cash flow is zero; the bracket nearest zero where the value falls through zero as the rate "
                  "rises (any bracket, if none falls) is halved six times and IRR() on the KPIs sheet polishes "
                  "the middle. Once for the nominal flows, once for the real.")
    note.font, note.alignment = S.NOTE_FONT, S.WRAP
    ws.merge_cells("A2:F2")  # wrapped within the printed columns: overflowing, it shrank the page
    ws.row_dimensions[2].height = 45
    months = "'Statements'!" + st.rng(2)
    top = 4
    for _kpi, row, prefix, title in SEARCHES:
        cf = st.xrng(row)

        def value(rate: str, cf: str = cf) -> str:
            return f"SUMPRODUCT({cf},(1+{rate})^(-{months}))"

        S.text(ws.cell(top, 1), f"IRR of {title}").font = S.TITLE_FONT
        g0, pick, top = _irr_grid(wb, ws, top + 1, value, prefix)
        top = _irr_bisection(wb, ws, top, g0, pick, value, prefix) + 2
    for col, width in (("A", 50), ("B", 16), ("C", 16), ("D", 16), ("E", 16), ("F", 18)):
        ws.column_dimensions[col].width = width
    print_setup(ws)
    ws.page_setup.fitToHeight = 2  # a landscape page for each search


def _header(ws, r: int, heads: tuple[str, ...]) -> None:
    for col, label in enumerate(heads, start=1):
        cell = S.text(ws.cell(r, col), label)
        cell.font, cell.alignment = S.HEADER_FONT, S.WRAP
    ws.row_dimensions[r].height = 30  # two lines


def _irr_grid(wb, ws, top: int, value, prefix: str) -> tuple[int, str, int]:
    """Grid rows and the bracket taken; returns (first grid row, the pick's cell, next free row)."""
    S.text(ws.cell(top, 1), "A grid of monthly rates").font = S.SECTION_FONT
    heads = ("Grid point", "Monthly rate", "Value of the cash flow", "Sign changes to the next",
             "Falls through zero to the next", "Distance of the bracket from zero")
    _header(ws, top + 1, heads)
    g0, n = top + 2, len(IRR_GRID)
    falls = f"$E${g0}:$E${g0 + n - 2}"
    for i, rate in enumerate(IRR_GRID):
        r = g0 + i
        ws.cell(r, 1, i + 1)
        S.style_input(ws.cell(r, 2, float(rate)), "0.0%")
        ws.cell(r, 3, "=" + value(f"B{r}")).number_format = BIG
        if i < n - 1:
            ws.cell(r, 4, f"=IF(AND(SIGN(C{r})*SIGN(C{r + 1})<=0,NOT(AND(C{r}=0,C{r + 1}=0))),1,0)")
            ws.cell(r, 5, f"=IF(AND(D{r}=1,OR(C{r}>0,C{r + 1}<0)),1,0)")
            ws.cell(r, 6, f'=IF(AND(D{r}=1,OR(E{r}=1,SUM({falls})=0)),ABS((B{r}+B{r + 1})/2),"none")'
                    ).number_format = "0.000%"
    mids = f"$F${g0}:$F${g0 + n - 2}"
    r = g0 + n + 1
    S.text(ws.cell(r, 1), "A root lies in the grid (value changes sign)")
    ws.cell(r, 2, f"=SUM($D${g0}:$D${g0 + n - 2})>0")
    wb.defined_names[f"{prefix}_bracketed"] = DefinedName(f"{prefix}_bracketed", attr_text=f"'{TITLE}'!$B${r}")
    S.text(ws.cell(r + 1, 1), "Bracket taken (grid point): falling, nearest zero")
    ws.cell(r + 1, 2, f"=IFERROR(MATCH(MIN({mids}),{mids},0),1)")
    return g0, f"$B${r + 1}", r + 3


def _irr_bisection(wb, ws, top: int, g0: int, pick: str, value, prefix: str) -> int:
    """Bisection rows from the picked bracket; the last middle is the guess Excel's IRR polishes.
    Returns the last row written."""
    n = len(IRR_GRID)
    S.text(ws.cell(top, 1), "Bisection of the bracket taken").font = S.SECTION_FONT
    top += 1
    heads = ("Bisection step", "Low rate", "High rate", "Middle", "Value at low", "Value at middle")
    _header(ws, top, heads)
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
    wb.defined_names[f"{prefix}_guess"] = DefinedName(f"{prefix}_guess", attr_text=f"'{TITLE}'!$B${r}")
    return r
