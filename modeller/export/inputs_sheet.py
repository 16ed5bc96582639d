"""The Inputs sheet: every value of the scenario, grouped by section, styled and named.

Scalar inputs get a defined name made from their parameter path (`contracts.msk_prime.
annual_value` -> `contracts_msk_prime_annual_value`); formulas elsewhere use the names.
Dates are real first-of-month dates, each with its model month number (a formula) beside it.
"""

from __future__ import annotations

from datetime import date

from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from modeller.export import styles
from modeller.export.layout import print_setup

VALUE_COL, UNIT_COL, MONTH_COL, NAME_COL, NOTE_COL = 2, 3, 4, 5, 6
MONTH_NAMES = "January February March April May June July August September October November December".split()


def excel_name(path: str) -> str:
    """A defined name for a parameter path."""
    return path.replace(".", "_")


def as_date(month: str) -> date:
    year, mon = month.split("-")
    return date(int(year), int(mon), 1)


def field_note(model, name: str) -> str:
    info = type(model).model_fields.get(name)
    return (info.description or "") if info else ""


class InputsSheet:
    """Writes labelled input rows and remembers each one's defined name."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self.ws = wb.create_sheet("Inputs")
        self.row = 1
        self.names: set[str] = set()
        ws = self.ws
        styles.text(ws.cell(1, 1), "Inputs").font = styles.TITLE_FONT
        legend = ws.cell(2, 1)
        styles.text(legend, "Input cell: change these (blue on yellow)")
        styles.style_input(legend)
        styles.text(ws.cell(3, 1), "Calculated or information only: do not type over").font = styles.NOTE_FONT
        self.row = 5
        for col, label in ((1, "Parameter"), (2, "Value"), (3, "Unit"), (4, "Model month"),
                           (5, "Name in formulas"), (6, "Notes")):
            styles.text(ws.cell(self.row, col), label).font = styles.HEADER_FONT
        for col, width in (("A", 58), ("B", 16), ("C", 16), ("D", 12), ("E", 44), ("F", 70)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "B6"
        print_setup(ws, title_rows="5:5")
        self.row = 6

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
        styles.text(self.ws.cell(r, 1), label)
        styles.text(self.ws.cell(r, UNIT_COL), unit)
        styles.text(self.ws.cell(r, NOTE_COL), note).font = styles.NOTE_FONT
        if name:
            styles.text(self.ws.cell(r, NAME_COL), name).font = styles.NOTE_FONT
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
        r = self._label(label, "month", note, name)
        styles.style_input(self.ws.cell(r, VALUE_COL, as_date(value) if value else None), styles.DATE)
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
        styles.text(self.ws.cell(r, VALUE_COL), value)  # overflows into the empty cells to its right

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
        styles.text(self.ws.cell(first, NAME_COL), name).font = styles.NOTE_FONT
        return self._name(name, VALUE_COL, first, rows=len(values))
