"""Timeline sheets: the same month columns on every sheet, one formula per row copied across.

Columns: A line item, B unit, C total over the horizon, D an empty spacer (so that a
"previous month" reference in the first month reads a blank, i.e. zero), E.. one column
per model month. Rows 1-4 are the title and the month headers; line items start at row 6.
A row's formula is a template where `{c}` is the month's column and `{p}` the previous one.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from modeller.export import styles

FIRST_COL = 5  # column E
FIRST = get_column_letter(FIRST_COL)
HEADER_ROWS = 5
MONTH_ROW = 2   # month number 0.. on every timeline sheet
DATE_ROW = 3
YEAR_ROW = 4


@dataclass
class Sheet:
    """A timeline sheet being written; `rows` maps line keys to row numbers."""

    ws: Worksheet
    months: int
    rows: dict[str, int] = field(default_factory=dict)
    next_row: int = HEADER_ROWS + 1

    @property
    def cols(self) -> list[str]:
        return [get_column_letter(FIRST_COL + i) for i in range(self.months)]

    @property
    def last(self) -> str:
        return get_column_letter(FIRST_COL + self.months - 1)

    @property
    def name(self) -> str:
        return self.ws.title

    def rng(self, key_or_row, expanding: bool = False) -> str:
        """Absolute range of a row across all months (or, expanding, from month 0 to this month)."""
        r = self.rows[key_or_row] if isinstance(key_or_row, str) else key_or_row
        return f"${FIRST}${r}:{{c}}${r}" if expanding else f"${FIRST}${r}:${self.last}${r}"

    def ref(self, key: str, sheet: Sheet | None = None) -> str:
        """Reference to this month's cell of a row, from `sheet` (or this one)."""
        prefix = "" if sheet is self else f"'{self.name}'!"
        return f"{prefix}{{c}}{self.rows[key]}"

    def xrng(self, key: str, expanding: bool = False) -> str:
        """Range of a row as seen from another sheet."""
        return f"'{self.name}'!{self.rng(key, expanding)}"

    def section(self, title: str) -> None:
        self.next_row += 1
        cell = self.ws.cell(self.next_row, 1)
        styles.text(cell, title)
        cell.font = styles.SECTION_FONT
        self.next_row += 1

    def row(self, key: str, label: str, unit: str, template: str, fmt: str = styles.MONEY,
            total: bool = True, bold: bool = False) -> int:
        """Write one line item: the same formula in every month column."""
        r = self.next_row
        self.next_row += 1
        if key in self.rows:
            raise ValueError(f"duplicate row key {key!r} on {self.name}")
        self.rows[key] = r
        ws = self.ws
        styles.text(ws.cell(r, 1), label)
        styles.text(ws.cell(r, 2), unit)
        if total:
            c = ws.cell(r, 3, f"=SUM({FIRST}{r}:{self.last}{r})")
            c.number_format = fmt
        prev = get_column_letter(FIRST_COL - 1)
        first = None
        for i, col in enumerate(self.cols):
            formula = "=" + template.replace("{c}", col).replace("{p}", prev)
            cell = ws.cell(r, FIRST_COL + i, formula)
            if first is None:
                first = cell
                cell.number_format = fmt
                if bold:
                    cell.font = styles.TOTAL_FONT
            else:
                # the first month's style, copied: setting a format or font looks the style up in the
                # workbook's tables each time, a quarter of the cost of a cell (openpyxl's own sheet copy
                # does the same)
                cell._style = copy(first._style)
            prev = col
        if bold:
            ws.cell(r, 1).font = styles.TOTAL_FONT
            ws.cell(r, 3).font = styles.TOTAL_FONT
        return r


def shift(source: Sheet, key: str, lag: str, here: Sheet, expanding: bool = False) -> str:
    """Formula moving a row `lag` months later (negative: earlier), as timeline.delay does.

    Amounts due before month 0 fall in month 0; those due after the horizon drop out.
    Inside the funding loop the ranges expand only to this month, so no cell depends on a
    later one (which would be a circular reference).
    """
    src = source.rng(key, expanding) if source is here else source.xrng(key, expanding)
    end = "{c}" if expanding else f"${here.last}"
    months = f"${FIRST}${MONTH_ROW}:{end}${MONTH_ROW}"
    m = f"{{c}}${MONTH_ROW}"
    return (f'IF({m}=0,SUMIFS({src},{months},"<="&({m}-({lag}))),'
            f"SUMIFS({src},{months},{m}-({lag})))")


def new_sheet(wb, title: str, months: int, timeline: Sheet | None, subtitle: str = "") -> Sheet:
    """A timeline sheet with its title and month headers (linked to the Timeline sheet)."""
    ws = wb.create_sheet(title)
    sheet = Sheet(ws, months)
    styles.text(ws.cell(1, 1), title).font = styles.TITLE_FONT
    if subtitle:
        styles.text(ws.cell(1, 3), subtitle).font = styles.NOTE_FONT
    labels = {MONTH_ROW: "Month number", DATE_ROW: "Month", YEAR_ROW: "NHS financial year"}
    for r, label in labels.items():
        styles.text(ws.cell(r, 1), label).font = styles.HEADER_FONT
    for h, label in ((1, "Line item"), (2, "Unit"), (3, "Total")):
        styles.text(ws.cell(HEADER_ROWS, h), label).font = styles.HEADER_FONT
    if timeline is not None:
        tl = timeline.rows
        for i, col in enumerate(sheet.cols):
            ws.cell(MONTH_ROW, FIRST_COL + i, f"=Timeline!{col}${tl['m']}").number_format = styles.WHOLE
            ws.cell(DATE_ROW, FIRST_COL + i, f"=Timeline!{col}${tl['date']}").number_format = styles.DATE
            ws.cell(YEAR_ROW, FIRST_COL + i, f"=Timeline!{col}${tl['fy_label']}")
    finish(sheet)
    return sheet


def finish(sheet: Sheet) -> None:
    """Freeze panes, widths and print set-up shared by every timeline sheet."""
    ws = sheet.ws
    ws.freeze_panes = f"{FIRST}{HEADER_ROWS + 1}"
    ws.column_dimensions["A"].width = 46
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 2
    for col in sheet.cols:
        ws.column_dimensions[col].width = 12
    for r in (MONTH_ROW, DATE_ROW, YEAR_ROW):
        for i in range(sheet.months):
            ws.cell(r, FIRST_COL + i).font = styles.HEADER_FONT
            ws.cell(r, FIRST_COL + i).alignment = styles.RIGHT
    # a year of months a page across: one page wide would shrink ten years to a blur
    print_setup(ws, title_rows=f"1:{HEADER_ROWS}", title_cols="A:C", pages_wide=max(1, sheet.months // 12))


def print_setup(ws, title_rows: str | None = None, title_cols: str | None = None,
                pages_wide: int = 1, portrait: bool = False) -> None:
    """A4, fit to `pages_wide` pages across (as many down as needed), titles repeated on every page.

    Narrow margins and a footer naming the sheet and the page: a board pack is read on paper.
    """
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
