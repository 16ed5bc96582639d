"""Risk sheet: the risk report (`modeller.risk.report.risk_report`) as labelled values with units.

Values from the modeller, not live formulas. Every row says what it holds: KPIs by their
`metrics.KPIS` label, inputs as the scenario names them (`fields.input_label`, the parameter path
beside it on screen); numbers carry their unit in the number format (£, %, months, WTE, from the
registries) and months read as "Apr 2025" from the model's start. Every string goes through
`styles.text`, so a name starting with = + - @ stays text.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.layout import print_setup
from modeller.fields import field_of, input_label
from modeller.formatting import month_label
from modeller.metrics import KPIS, MONTH_KPIS
from modeller.paths import PathError
from modeller.risk.commitment import check_text
from modeller.risk.switching import switching_event
from modeller.scenario import Scenario

MONTHS = '[=1]0" month";#,##0" months"'
WTE_UNIT = '#,##0.0" WTE"'
INPUT_NUMBER = "#,##0.0##"
NONE_IN_RANGE = "none in range"
NEVER = "never"
UNDEFINED = "–"
STATS = ("mean", "p10", "p50", "p90")
STAT_HEADERS = ["Mean", "P10", "P50", "P90"]
WIDTHS = (46, 28, 16, 20, 16, 18, 18)
PATH_COL, PATH_WIDTH = len(WIDTHS) + 1, 44   # an input's parameter path, on screen only (not printed)
PATH_FONT = Font(italic=True, color="595959", size=9)
SENTENCE_COLUMNS = (5, 7)      # the commitment sentence spans E:G
LINE_HEIGHT = 15               # points per line of wrapped text
RIGHT_WRAP = Alignment(horizontal="right", vertical="top", wrap_text=True)
INDENTED = Alignment(horizontal="left", indent=1)
INDENTED_WRAP = Alignment(horizontal="left", vertical="top", indent=1, wrap_text=True)
TOP = Alignment(vertical="top")

COMMITMENT_LABELS = {
    "hire_ahead_months": "Most months every planned hire can be brought forward",
    "pre_receipt_wte": "Largest team before the first contract receipt",
    "minimum_facility_limit": "Smallest revolving facility that keeps cash above the minimum",
    "minimum_opening_cash": "Smallest opening share capital that keeps cash above the minimum",
}
MONEY_ZERO = '£#,##0;(£#,##0);£0'  # an answer of £0 reads "£0", not "-"
UNIT_FORMATS = {"months": MONTHS, "WTE": WTE_UNIT, "£": MONEY_ZERO, "%": S.RATE}
# an input's value by the kind of its schema unit (`fields.InputField.kind`): £ to the penny (a price
# per unit of £8.47), a rate as %, a lag as "2 months"; a plain number shows its decimals
INPUT_FORMATS = {"£": S.MONEY_P, "%": S.RATE, "months": MONTHS, "WTE": WTE_UNIT}
KPI_FORMATS = {"£": S.MONEY, "%": S.RATE, "WTE": WTE_UNIT}


def _input_format(path: str) -> str:
    try:
        return INPUT_FORMATS.get(field_of(path).kind, INPUT_NUMBER)
    except PathError:
        return INPUT_NUMBER


def _kpi_format(key: str) -> str:
    return KPI_FORMATS.get(KPIS[key].unit if key in KPIS else "£", S.MONEY)


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _put(ws, r: int, values: list, fmts: list[str | None] | None = None):
    """One row from column A: numbers with their format, anything else as text (None: empty).

    Text where a number could have been ("Apr 2025", "none in range") is right-aligned with
    the numbers around it."""
    fmts = fmts or [None] * len(values)
    for col, (v, fmt) in enumerate(zip(values, fmts, strict=True), start=1):
        cell = ws.cell(r, col)
        if _is_number(v):
            cell.value = v
            if fmt:
                cell.number_format = fmt
        elif v is not None:
            S.text(cell, str(v))
            if fmt:
                cell.alignment = S.RIGHT
    return ws.cell(r, 1)


def _fit_height(ws, r: int, widths: dict[int, float]) -> None:
    """Row height for its wrapped text: `widths` gives each wrapped column's width in characters."""
    lines = max(math.ceil(len(str(ws.cell(r, c).value or "")) / max(w - 2, 1)) for c, w in widths.items())
    ws.row_dimensions[r].height = LINE_HEIGHT * max(1, lines)


def _header(ws, r: int, values: list[str], numbers_from: int | None = None) -> None:
    """A bold header row; columns from `numbers_from` on hold numbers, so their titles sit right."""
    _put(ws, r, values)
    for col in range(1, len(values) + 1):
        ws.cell(r, col).font = S.HEADER_FONT
        right = numbers_from is not None and col >= numbers_from
        ws.cell(r, col).alignment = RIGHT_WRAP if right else S.WRAP
    _fit_height(ws, r, {c: WIDTHS[c - 1] for c in range(1, len(values) + 1)})


def _section(ws, r: int, title: str) -> None:
    cell = S.text(ws.cell(r, 1), title)
    cell.font = S.SECTION_FONT
    for col in range(1, len(WIDTHS) + 1):
        ws.cell(r, col).fill = S.SECTION_FILL


def _note(ws, r: int, text: str) -> None:
    S.text(ws.cell(r, 1), text).font = S.NOTE_FONT


def month_text(start: str, index, none: str = NEVER) -> str:
    """A model month index as "Apr 2025" (rounded: a mean month may be fractional)."""
    return month_label(start, round(index)) if _is_number(index) else none


def _kpi_cell(key: str, value, column: str, start: str):
    if key in MONTH_KPIS:
        return month_text(start, value, none=UNDEFINED if column == "mean" else NEVER)
    return value if _is_number(value) else UNDEFINED


def _headline(ws, risk: dict, start: str) -> int:
    _put(ws, 2, ["Scenario", risk.get("scenario")])
    _put(ws, 3, ["Draws", risk.get("draws")], [None, S.UNITS])
    _put(ws, 4, ["Seed", risk.get("seed")], [None, S.WHOLE])
    _put(ws, 5, ["Probability of a funding shortfall", risk.get("probability_of_shortfall")], [None, S.RATE])
    first = risk.get("typical_shortfall_month")
    _put(ws, 6, ["Typical first shortfall month (median)", month_text(start, first, none="no shortfall")],
         [None, S.DATE])
    _note(ws, 7, "Latin hypercube sampling: the same draws and seed reproduce every value on this sheet "
                 "(python -m modeller risk FILE --draws N --seed S).")
    return 7


def _kpis(ws, r: int, risk: dict, start: str, refs: dict[str, str]) -> int:
    kpis = risk.get("kpis") or {}
    if not kpis:
        return r
    base = risk.get("deterministic") or {}
    r += 2
    _section(ws, r, "KPIs across the draws (base case: the scenario's own values)")
    r += 1
    _header(ws, r, ["KPI", *STAT_HEADERS, "Base case"], numbers_from=2)
    for key, stats in kpis.items():
        stats = stats or {}
        r += 1
        label = KPIS[key].label if key in KPIS else key
        cells = [_kpi_cell(key, stats.get(c), c, start) for c in STATS] + [_kpi_cell(key, base.get(key), "p50", start)]
        _put(ws, r, [label, *cells], [None] + [_kpi_format(key)] * 5)
        refs.update({f"{key}_{stat}": f"Risk!${col}${r}" for stat, col in zip(STATS, "BCDE", strict=True)})
    for key, label in (("agency_cost_above_plan", "Agency cost for demand above plan"),
                       ("agency_cost_total", "Agency cost in total")):
        extra = risk.get(key)
        if extra:
            r += 1
            base_value = 0.0 if key == "agency_cost_above_plan" else None  # the base case is the plan
            _put(ws, r, [label, *(extra.get(c) for c in STATS), base_value], [None] + [S.MONEY] * 5)
    return r


def _risk_transfer(ws, r: int, risk: dict, contracts: dict[str, str]) -> int:
    transfer = risk.get("risk_transfer")
    if transfer is None:
        return r
    r += 2
    _section(ws, r, "Risk transfer: who carries the risk share, per NHS year")
    if not transfer:
        _note(ws, r + 1, "No contract has a risk share: all demand risk stays with the provider.")
        return r + 1
    _note(ws, r + 1, "Each NHS year's variance against the risk-share target: the provider retains (+ a loss it "
                     "bears, − a gain it keeps); the commissioner settles (+ pays the provider, − claws back).")
    r += 1
    for cid, years in transfer.items():
        r += 2
        _put(ws, r, [f"Contract: {contracts.get(cid, cid)}"]).font = S.HEADER_FONT
        r += 1
        _header(ws, r, ["NHS year", "Who", *STAT_HEADERS], numbers_from=3)
        for y in years:
            for key, who in (("provider_retained", "Provider retains"),
                             ("commissioner_settled", "Commissioner settles")):
                r += 1
                stats = y.get(key) or {}
                _put(ws, r, [y.get("year"), who, *(stats.get(c) for c in STATS)], [None, None] + [S.MONEY] * 4)
    return r


def _input(ws, r: int, scenario: Scenario, path: str) -> str:
    """An input as the scenario names it ("MSK prime contract: start delay (months)"), for column A;
    its parameter path goes in the path column, small, for whoever edits the risk ranges."""
    cell = S.text(ws.cell(r, PATH_COL), path)
    cell.font, cell.alignment = PATH_FONT, TOP
    return input_label(scenario, path)


def _tornado(ws, r: int, risk: dict, scenario: Scenario) -> int:
    rows = risk.get("tornado")
    if rows is None:
        return r
    r += 2
    basis = risk.get("tornado_basis")
    _section(ws, r, "Tornado: NPV and peak funding with each input at its low and high"
             + (f" ({basis})" if basis else ""))
    r += 1
    _header(ws, r, ["Input", "Low", "High", "NPV at low", "NPV at high", "Peak funding at low",
                    "Peak funding at high"], numbers_from=2)
    _path_header(ws, r)
    for row in rows:
        r += 1
        path = str(row.get("parameter"))
        _put(ws, r, [_input(ws, r, scenario, path), row.get("low"), row.get("high"), row.get("npv_low"),
                     row.get("npv_high"), row.get("peak_funding_low"), row.get("peak_funding_high")],
             [None, _input_format(path), _input_format(path)] + [S.MONEY] * 4)
        _wrap_label(ws, r)
    return r


def _path_header(ws, r: int) -> None:
    cell = S.text(ws.cell(r, PATH_COL), "Parameter path")
    cell.font, cell.alignment = S.HEADER_FONT, S.WRAP


def _wrap_label(ws, r: int) -> None:
    """A long input label wraps in column A, its row as tall as it needs."""
    ws.cell(r, 1).alignment = S.WRAP
    _fit_height(ws, r, {1: WIDTHS[0]})


def _checked_text(row: dict) -> str:
    if row["checked"] is None:
        return "nothing to check" if row.get("value") is None else "not checked"
    return "yes" if row["checked"] else "no: the engine run there does not switch"


def _switching(ws, r: int, risk: dict, scenario: Scenario) -> int:
    rows = risk.get("switching_values")
    if rows is None:
        return r
    short_now = ((risk.get("deterministic") or {}).get("funding_shortfall") or 0) > 0
    r += 2
    _section(ws, r, "Switching values: each input's value (others at base) at which NPV reaches zero or "
                    "the funding shortfall switches")
    r += 1
    _header(ws, r, ["Input", "What happens", "Value", "Checked by the engine"])
    _path_header(ws, r)
    for row in rows:
        r += 1
        path, value = str(row.get("parameter")), row.get("value")
        _put(ws, r, [_input(ws, r, scenario, path), switching_event(row.get("target"), short_now)[0],
                     value if _is_number(value) else NONE_IN_RANGE, _checked_text(row)],
             [None, None, _input_format(path), None])
        ws.cell(r, 4).alignment = INDENTED  # clear of the right-aligned value beside it
        _wrap_label(ws, r)
    return r


def _commitment_row(ws, r: int, key: str, answer: dict) -> None:
    value, unit = answer.get("value"), answer.get("unit")
    _put(ws, r, [COMMITMENT_LABELS.get(key, key), value if _is_number(value) else "no answer (see the sentence)",
                 answer.get("basis"), check_text(answer), answer.get("sentence")],
         [None, UNIT_FORMATS.get(unit, S.NUMBER), None, None, None])
    first, last = SENTENCE_COLUMNS
    ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    for col in range(1, last + 1):
        ws.cell(r, col).alignment = S.WRAP
    ws.cell(r, 3).alignment = INDENTED_WRAP  # clear of the right-aligned answer beside it
    widths = {c: WIDTHS[c - 1] for c in range(1, first)}
    widths[first] = sum(WIDTHS[first - 1:last])
    _fit_height(ws, r, widths)


def _commitment(ws, r: int, risk: dict) -> int:
    answers = risk.get("commitment") or {}
    if not answers:
        return r
    r += 2
    _section(ws, r, "How much can I commit before the money arrives?")
    r += 1
    _header(ws, r, ["Question", "Answer", "Basis", "Checked by the engine", "In words"])
    for key, answer in answers.items():
        r += 1
        _commitment_row(ws, r, key, answer)
    return r


def write_risk(wb, risk: dict, scenario: Scenario) -> dict[str, str]:
    """Add the Risk sheet of `scenario`'s risk report: months from its start, contracts and
    inputs by their names.

    Returns references to its headline cells for the Cover: "draws", "probability_of_shortfall"
    and "<kpi>_<mean|p10|p50|p90>" for each KPI across the draws (e.g. "npv_p10")."""
    ws = wb.create_sheet("Risk")
    start = scenario.start
    S.text(ws.cell(1, 1), "Risk analysis (values from the modeller, not live formulas)").font = S.TITLE_FONT
    r = _headline(ws, risk, start)
    refs = {"draws": "Risk!$B$3", "probability_of_shortfall": "Risk!$B$5"}
    r = _kpis(ws, r, risk, start, refs)
    r = _risk_transfer(ws, r, risk, {c.id: c.name for c in scenario.contracts})
    r = _tornado(ws, r, risk, scenario)
    r = _switching(ws, r, risk, scenario)
    r = _commitment(ws, r, risk)
    for i, width in enumerate((*WIDTHS, PATH_WIDTH)):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    print_setup(ws)
    ws.print_area = f"A1:{get_column_letter(len(WIDTHS))}{r}"  # the paths are for the screen
    return refs
