"""The evaluation workbook's Summary sheet: one column per bid, one row per question, the best bid in each
row named in the last column (a formula, so it follows an edited input) and shaded.

Cost rows are formulas reading the bids' sheets; risk, stress and EFS rows are values from the Monte Carlo
and the stress runs (grey), as the bid sheets say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.layout import print_setup
from modeller.review.result import BidReview, ReviewResult
from modeller.review.workbook_bid import VALUES_FILL, BidSheet

FIRST_BID_COL = 3
RIGHT_WRAP = Alignment(horizontal="right", vertical="top", wrap_text=True)
RANK = {"high": 0, "medium": 1, "low": 2, "not rated": 3}


@dataclass(frozen=True)
class Question:
    """A row: a formula key on the bid sheet (`cell`) or a value from the bid's review (`value`)."""

    label: str
    unit: str
    fmt: str | None
    best: str | None = None                                  # "min" / "max": the best bid is named
    cell: str | None = None
    value: Callable[[BidReview], object] | None = None


def _risk_rows(result: ReviewResult) -> list[Question]:
    labels: dict[str, str] = {}
    for b in result.bids:
        for line in b.risk.lines if b.risk else []:
            labels.setdefault(line.risk, line.label)
    out = []
    for risk, label in labels.items():
        for side, stat, attr, best in (("provider", "expected", "provider_expected", None),
                                       ("provider", "P90", "provider_p90", None),
                                       ("commissioner", "expected", "commissioner_expected", None),
                                       ("commissioner", "P90", "commissioner_p90", "min")):
            out.append(Question(f"{label}: {side}, {stat}", "£", S.MONEY, best,
                                value=lambda b, risk=risk, attr=attr: _risk_value(b, risk, attr)))
    return out


def _risk_value(bid: BidReview, risk: str, attr: str) -> float | None:
    line = next((x for x in bid.risk.lines if x.risk == risk), None) if bid.risk else None
    return None if line is None else getattr(line, attr)


def _worst_efs(bid: BidReview, years: list[str]) -> str | None:
    rows = [e for e in bid.efs if e.year in years]
    if not rows:
        return None
    worst = min(rows, key=lambda e: RANK[e.rating])
    count = sum(e.rating == worst.rating for e in rows)
    return f"{worst.rating}: {worst.label} {worst.year}" + (f" and {count - 1} more" if count > 1 else "")


def questions(result: ReviewResult) -> list[tuple[str, list[Question]]]:
    """The Summary's sections and rows, in the order the panel reads them."""
    years = result.review.term.years()
    tests = len(result.review.stress_tests)
    cost = [
        Question("Cost over the term (cash)", "£", S.MONEY, "min", cell="nominal"),
        Question("Cost over the term in real terms", "£", S.MONEY, "min", cell="real"),
        Question("Present value", "£", S.MONEY, "min", cell="present_value"),
        Question("Optimism bias, present value (operating and capital)", "£", S.MONEY, None,
                 cell="optimism_bias_total"),
        Question("Present value with optimism bias", "£", S.MONEY, "min", cell="present_value_with_bias"),
        Question("Saving against today's spend, present value", "£", S.MONEY, "max", cell="saving_present_value"),
        Question("Optimism bias on mobilisation", "months", S.NUMBER, None, cell="optimism_bias_delay_months"),
        Question("First year over budget", "NHS year", None, cell="first_unaffordable_year"),
        Question("First year over budget with optimism bias", "NHS year", None,
                 cell="first_unaffordable_year_with_bias")]
    resilience = [
        Question(f"Stress tests survived (of {tests})", "tests", S.WHOLE, "max",
                 value=lambda b: sum(s.survives for s in b.stress) if b.reviewed else None),
        Question("Extra funding needed in the worst stress test", "£", S.MONEY, "min",
                 value=lambda b: max((s.extra_funding for s in b.stress), default=0.0) if b.reviewed else None),
        Question("Worst EFS rating in the term", "rating", None, value=lambda b: _worst_efs(b, years)),
        Question("Assumptions to check", "inputs", S.WHOLE, "min",
                 value=lambda b: len(b.assumptions) if b.scenario is not None else None)]
    scores = [Question("Weighted score", "%", S.RATE, "max",
                       value=lambda b: "not scored" if b.weighted_score is None else b.weighted_score)]
    return [("Cost to the commissioner (formulas of the bid sheets and the Inputs)", cost),
            ("Risk allocation over the term (Monte Carlo values)", _risk_rows(result)),
            ("Provider resilience (values from the stress runs and the bid's forecast)", resilience),
            ("Panel's scores", scores)]


def write_summary(ws, result: ReviewResult, sheets: dict[str, BidSheet | None]) -> dict[str, int]:
    """Fill the Summary sheet; returns the row of each question's label (for tests)."""
    r = result.review
    n = len(result.bids)
    best_col = FIRST_BID_COL + n
    last = get_column_letter(best_col - 1)
    S.text(ws.cell(1, 1), f"Evaluation of bids: {r.service}").font = S.TITLE_FONT
    S.text(ws.cell(2, 1), f"{r.commissioner}. Best bid in each row named on the right and shaded green. White: "
                          "formulas (change the Inputs sheet); grey: values from the model runs.").font = S.NOTE_FONT
    if result.problems:
        S.text(ws.cell(3, 1), f"The review file has {len(result.problems)} problem(s): listed at the foot of this "
                              "sheet.").font = S.SECTION_FONT
    row = 4
    S.text(ws.cell(row, 1), "Question").font = S.HEADER_FONT
    S.text(ws.cell(row, 2), "Unit").font = S.HEADER_FONT
    for j, b in enumerate(result.bids):
        cell = S.text(ws.cell(row, FIRST_BID_COL + j), b.name)
        cell.font, cell.alignment = S.HEADER_FONT, S.WRAP
    S.text(ws.cell(row, best_col), "Best").font = S.HEADER_FONT
    ws.row_dimensions[row].height = 30
    heads = f"${get_column_letter(FIRST_BID_COL)}${row}:${last}${row}"
    row += 1
    S.text(ws.cell(row, 1), "Reviewed")
    for j, b in enumerate(result.bids):
        S.text(ws.cell(row, FIRST_BID_COL + j), "yes" if b.reviewed else "NO: see its sheet")
    rows: dict[str, int] = {}
    for title, qs in questions(result):
        row += 2
        for col in range(1, best_col + 1):
            ws.cell(row, col).fill = S.SECTION_FILL
        S.text(ws.cell(row, 1), title).font = S.SECTION_FONT
        for q in qs:
            row += 1
            rows[q.label] = row
            _question(ws, row, q, result, sheets)
            if q.best:
                _best(ws, row, q.best, heads, last, best_col)
    row = _problems(ws, result, row + 2, best_col)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 9
    for j in range(n):
        ws.column_dimensions[get_column_letter(FIRST_BID_COL + j)].width = 22
    ws.column_dimensions[get_column_letter(best_col)].width = 30
    ws.freeze_panes = f"{get_column_letter(FIRST_BID_COL)}5"
    ws.print_area = f"A1:{get_column_letter(best_col)}{row}"
    print_setup(ws, title_rows="4:4")
    return rows


def _problems(ws, result: ReviewResult, row: int, last_col: int) -> int:
    """The review file's own problems (a budget year outside the term, ...), one sentence a row."""
    if not result.problems:
        return row - 2
    for col in range(1, last_col + 1):
        ws.cell(row, col).fill = S.SECTION_FILL
    S.text(ws.cell(row, 1), "Problems with the review file").font = S.SECTION_FONT
    for p in result.problems:
        row += 1
        S.text(ws.cell(row, 1), p.line()).alignment = S.WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        ws.row_dimensions[row].height = 15 * (len(p.line()) // 150 + 1)
    return row


def _question(ws, row: int, q: Question, result: ReviewResult, sheets: dict[str, BidSheet | None]) -> None:
    S.text(ws.cell(row, 1), q.label).alignment = S.WRAP
    S.text(ws.cell(row, 2), q.unit).alignment = S.WRAP
    for j, b in enumerate(result.bids):
        cell = ws.cell(row, FIRST_BID_COL + j)
        sheet = sheets.get(b.id)
        if q.cell is not None:
            if sheet is not None and q.cell in sheet.cells:
                cell.value = f"={sheet.cells[q.cell]}"
        else:
            value = q.value(b)
            if isinstance(value, str):
                S.text(cell, value)
                ws.row_dimensions[row].height = 15 * (len(value) // 24 + 1)
            else:
                cell.value = value
            cell.fill = VALUES_FILL
        if q.fmt:
            cell.number_format = q.fmt
        cell.alignment = RIGHT_WRAP


def _best(ws, row: int, how: str, heads: str, last: str, best_col: int) -> None:
    """The best bid's name ("tied" when two share the best figure) and a green shade on the best cells;
    blank when no bid has a figure."""
    first = get_column_letter(FIRST_BID_COL)
    rng = f"${first}{row}:${last}{row}"
    fn = "MIN" if how == "min" else "MAX"
    cell = ws.cell(row, best_col, f'=IF(COUNT({rng})=0,"",IF(COUNTIF({rng},{fn}({rng}))>1,"tied",'
                           f'INDEX({heads},MATCH({fn}({rng}),{rng},0))))')
    cell.alignment = S.WRAP
    ws.conditional_formatting.add(f"{first}{row}:{last}{row}", FormulaRule(
        formula=[f"AND(ISNUMBER({first}{row}),{first}{row}={fn}(${first}{row}:${last}{row}))"], fill=S.OK_FILL))
