"""Cell styles, number formats and the safe writer for user text (never a formula)."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

MONEY = '£#,##0;(£#,##0);"-"'
MONEY_P = '£#,##0.00;(£#,##0.00);"-"'
RATE = "0.00%"
WTE = '#,##0.0;(#,##0.0);"-"'
UNITS = '#,##0;(#,##0);"-"'
NUMBER = "#,##0.00"
WHOLE = "0"
FACTOR = "0.0000"
DATE = "mmm yyyy"
FLAG = "0"

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
INPUT_FONT = Font(color="0000CC")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, color="1F3864")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_FONT = Font(bold=True)
TOTAL_FONT = Font(bold=True)
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
NOTE_FONT = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
RIGHT = Alignment(horizontal="right")
THIN_TOP = Border(top=Side(style="thin"))

_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def text(cell: Cell, value: str | None) -> Cell:
    """Write user text as a string cell: it can never become a formula, even if it starts with '='."""
    value = "" if value is None else str(value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_RISKY_START):
        cell.quotePrefix = True
    return cell


def style_input(cell: Cell, number_format: str | None = None) -> Cell:
    """The one input style: blue text on pale yellow."""
    cell.fill = INPUT_FILL
    cell.font = INPUT_FONT
    if number_format:
        cell.number_format = number_format
    return cell
