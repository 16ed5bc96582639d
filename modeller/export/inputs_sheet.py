"""The Inputs sheet: every value of the scenario, grouped by section, styled and named.

Scalar inputs get a defined name made from their parameter path (`contracts.msk_prime.
annual_value` -> `contracts_msk_prime_annual_value`); formulas elsewhere use the names.
Dates are real first-of-month dates, each with its model month number (a formula) beside it.
"""

from __future__ import annotations

import textwrap
from datetime import date

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from modeller.date_links import DateLink
from modeller.export import styles
from modeller.export.layout import print_setup

VALUE_COL, UNIT_COL, MONTH_COL, NOTE_COL, NAME_COL = 2, 3, 4, 5, 6
FIRST_ROW = 6  # the first input row, below the column headers
TEXT_UNITS = ("", "choice")  # rows whose value is text (names, choices); every other unit expects a number
# A:E print: LibreOffice prints about 7 pt a unit of width, so ~97 units fill a portrait A4 page at
# ~77% (text at 8.5 pt, not the 4-5 pt of a page widened by a long description). The names (F) are for
# whoever edits formulas on screen; a board reading on paper needs the value, the unit and the note.
# Every numeric row carries its schema help as a note: a wide note column keeps most to one or two lines
# (the labels, a field's label after its item, fit 28).
WIDTHS = {"A": 28, "B": 12, "C": 14, "D": 7, "E": 36, "F": 50}
PRINTED_COLS = NOTE_COL
LINE_HEIGHT = 15  # points per line of wrapped text
# characters a unit of column width holds, measured on LibreOffice's PDF (italic notes run narrower)
CHARS_PER_WIDTH, NOTE_CHARS_PER_WIDTH = 1.2, 1.2
NOTE_ALIGN = Alignment(wrap_text=True, vertical="top", indent=1)  # clear of the month number beside it
NAME_FONT = Font(italic=True, color="595959", size=9)
NAME_ALIGN = Alignment(shrink_to_fit=True, vertical="top")  # a 65-character name shrinks rather than spills
TOP = Alignment(vertical="top")
MONTH_NAMES = "January February March April May June July August September October November December".split()


def wrapped_lines(text: str, chars: float) -> int:
    """Lines `text` takes wrapped at word breaks, `chars` characters a line (at least one)."""
    return max(1, len(textwrap.wrap(text, max(1, int(chars)))))


def excel_name(path: str) -> str:
    """A defined name for a parameter path."""
    return path.replace(".", "_")


def as_date(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


class InputsSheet:
    """Writes labelled input rows and remembers each one's defined name."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.ws = wb.create_sheet("Inputs")
        self.row = 1
        self.names: set[str] = set()
        self.links: dict[str, tuple[DateLink, str]] = {}   # linked dates by path, with their contract's name
        ws = self.ws
        styles.text(ws.cell(1, 1), "Inputs").font = styles.TITLE_FONT
        legend = ws.cell(2, 1)
        styles.text(legend, "Input cell: change these (blue on yellow)")
        styles.style_input(legend)
        styles.text(ws.cell(3, 1), "Calculated or information only: do not type over").font = styles.NOTE_FONT
        self.row = 5
        for col, label in ((1, "Parameter"), (VALUE_COL, "Value"), (UNIT_COL, "Unit"), (MONTH_COL, "Model month"),
                           (NOTE_COL, "Notes"), (NAME_COL, "Name in formulas")):
            cell = styles.text(ws.cell(self.row, col), label)
            cell.font, cell.alignment = styles.HEADER_FONT, styles.WRAP
        for col, width in WIDTHS.items():
            ws.column_dimensions[col].width = width
        ws.row_dimensions[self.row].height = 30  # "Model month" on two lines, on every printed page
        ws.freeze_panes = f"B{FIRST_ROW}"
        print_setup(ws, title_rows="5:5", portrait=True)
        self.row = FIRST_ROW

    def finish(self) -> None:
        """Rows tall enough for their wrapped text; a print area of A:E, so that nothing (a long
        description, the names) widens the page and shrinks the type."""
        for r in range(FIRST_ROW, self.row):
            self._fit_height(r)
        self.ws.print_area = f"A1:{get_column_letter(PRINTED_COLS)}{self.row - 1}"

    def _fit_height(self, r: int) -> None:
        """A row tall enough for its wrapped note or text, its cells aligned to the top."""
        ws = self.ws

        def lines(col: int, width: float, per_width: float = CHARS_PER_WIDTH) -> int:
            return wrapped_lines(str(ws.cell(r, col).value or ""), width * per_width)
        merged = sum(WIDTHS[get_column_letter(c)] for c in range(VALUE_COL, self._info_end(r) + 1))
        wrapped_value = lines(VALUE_COL, merged) if ws.cell(r, VALUE_COL).alignment.wrap_text else 1
        note = lines(NOTE_COL, WIDTHS["E"] - 2, NOTE_CHARS_PER_WIDTH)  # less its indent
        n = max(lines(1, WIDTHS["A"]), lines(UNIT_COL, WIDTHS["C"]), note, wrapped_value)
        if n > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * n
            for col in (VALUE_COL, MONTH_COL):
                if not ws.cell(r, col).alignment.vertical:
                    ws.cell(r, col).alignment = TOP

    def _name(self, name: str, col: int, row: int, rows: int = 1) -> str:
        if name in self.names:
            raise ValueError(f"duplicate input name {name}")
        self.names.add(name)
        letter = "ABCDEF"[col - 1]
        ref = f"Inputs!${letter}${row}" + (f":${letter}${row + rows - 1}" if rows > 1 else "")
        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
        return name

    def section(self, title: str) -> None:
        self.row += 1
        for col in range(1, 7):
            self.ws.cell(self.row, col).fill = styles.SECTION_FILL
        styles.text(self.ws.cell(self.row, 1), title).font = styles.SECTION_FONT
        self.row += 1

    def _label(self, label: str, unit: str, note: str, name: str | None) -> int:
        r = self.row
        self.row += 1
        styles.text(self.ws.cell(r, 1), label).alignment = styles.WRAP
        styles.text(self.ws.cell(r, UNIT_COL), unit).alignment = styles.WRAP
        note_cell = styles.text(self.ws.cell(r, NOTE_COL), note)
        note_cell.font, note_cell.alignment = styles.NOTE_FONT, NOTE_ALIGN
        if name:
            name_cell = styles.text(self.ws.cell(r, NAME_COL), name)
            name_cell.font, name_cell.alignment = NAME_FONT, NAME_ALIGN
        return r

    def number(self, path: str, label: str, value: float | None, unit: str, fmt: str, note: str = "") -> str:
        """A numeric input cell, named after its path."""
        name = excel_name(path)
        r = self._label(label, unit, note, name)
        styles.style_input(self.ws.cell(r, VALUE_COL, value), fmt)
        return self._name(name, VALUE_COL, r)

    def month(self, path: str, label: str, value: str | None, note: str = "", blank_means: str = "") -> str:
        """A month input (a date); `<name>_m` is its model month number, or the last month if blank."""
        name = excel_name(path)
        if path in self.links:
            return self._linked_month(path, label, name)
        r = self._label(label, "month", note, name)
        styles.style_input(self.ws.cell(r, VALUE_COL, as_date(value) if value else None), styles.DATE)
        return self._month_number(name, r, blank_means)

    def _linked_month(self, path: str, label: str, name: str) -> str:
        """A date linked to a contract: a formula of the contract's date and start delay, so it moves with them
        (model book, "Linked dates")."""
        link, contract_name = self.links[path]
        delay = excel_name(f"contracts.{link.contract}.start_delay_months")
        r = self._label(label, "month", f"Linked: {link.describe(contract_name)}, with its start delay; "
                                         "change that date, not this one", name)
        self.ws.cell(r, VALUE_COL, f"=EDATE({excel_name(link.anchor)},{link.months}+{delay})").number_format = \
            styles.DATE
        return self._month_number(name, r)

    def _month_number(self, name: str, r: int, blank_means: str = "") -> str:
        self._name(name, VALUE_COL, r)
        v = f"B{r}"
        formula = f"(YEAR({v})-YEAR(model_start))*12+MONTH({v})-MONTH(model_start)"
        if blank_means:
            formula = f"IF(ISBLANK({v}),{blank_means},{formula})"
        self.ws.cell(r, MONTH_COL, "=" + formula).number_format = styles.WHOLE
        self._name(name + "_m", MONTH_COL, r)
        return name

    def choice(self, path: str, label: str, value: str, note: str = "") -> str:
        """A text input from a fixed list (e.g. direct / seconded), written as text."""
        name = excel_name(path)
        r = self._label(label, "choice", note, name)
        styles.style_input(styles.text(self.ws.cell(r, VALUE_COL), value))
        return self._name(name, VALUE_COL, r)

    def info(self, label: str, value: str, note: str = "") -> None:
        """User text (names, descriptions): shown, never a formula."""
        r = self._label(label, "", note, None)
        # wrapped across Value to Model month (or Notes, if none): overflowing to the right, a long
        # description widened the printed page and shrank the Inputs to 4-5 pt
        styles.text(self.ws.cell(r, VALUE_COL), value).alignment = styles.WRAP
        self.ws.merge_cells(start_row=r, start_column=VALUE_COL, end_row=r, end_column=self._info_end(r))

    def _info_end(self, r: int) -> int:
        """Last column of an information row's merged text: up to the note, or over its empty cell."""
        return MONTH_COL if self.ws.cell(r, NOTE_COL).value else NOTE_COL

    def derived(self, name: str, label: str, formula: str, unit: str, fmt: str, note: str = "") -> str:
        """A calculated cell on the Inputs sheet (not an input), named."""
        r = self._label(label, unit, note, name)
        self.ws.cell(r, VALUE_COL, "=" + formula).number_format = fmt
        return self._name(name, VALUE_COL, r)

    def series(self, path: str, label: str, values: list[float], unit: str, fmt: str, note: str = "") -> str:
        """Twelve inputs in a column (seasonality), named as one range."""
        name = excel_name(path)
        first = self.row
        for i, v in enumerate(values):
            r = self._label(f"{label}: {MONTH_NAMES[i]}", unit, note if i == 0 else "", None)
            styles.style_input(self.ws.cell(r, VALUE_COL, v), fmt)
        cell = styles.text(self.ws.cell(first, NAME_COL), name)
        cell.font, cell.alignment = NAME_FONT, NAME_ALIGN
        return self._name(name, VALUE_COL, first, rows=len(values))
