"""One bid's sheet of the evaluation workbook: cost by NHS year as live formulas of the review's inputs,
then the Monte Carlo and stress-test results (values, marked as such), the EFS ratios and the assumptions
to check. The bid's monthly payments sit to the right of the printed area, as values from its engine run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from modeller.export import styles as S
from modeller.export.layout import print_setup
from modeller.formatting import month_label
from modeller.result import Result
from modeller.review.cost import mobilisation_months, payment_lines, term_slice
from modeller.review.result import BidReview
from modeller.review.schema import Review
from modeller.review.workbook_inputs import input_name

# the cost table: (key, heading, number format); the keys are YearCost's fields where it has them
COST_COLS = [
    ("year", "NHS year", None), ("months", "Months", S.WHOLE), ("k", "Years after the first", S.WHOLE),
    ("contract_payments", "Contract payments", S.MONEY), ("cquin", "CQUIN earned back", S.MONEY),
    ("risk_share", "Risk-share settlement", S.MONEY), ("nominal", "Cost (cash)", S.MONEY),
    ("prices", "Price index", S.FACTOR), ("real", "Real terms (first-year prices)", S.MONEY),
    ("discount_factor", "Discount factor", S.FACTOR), ("present_value", "Present value", S.MONEY),
    ("optimism_bias", "Optimism bias (operating)", S.MONEY), ("budget", "Budget", S.MONEY),
    ("headroom", "Headroom", S.MONEY), ("headroom_with_bias", "Headroom with optimism bias", S.MONEY),
    ("baseline", "Today's spend", S.MONEY), ("against_baseline", "Against today's spend", S.MONEY),
    ("capex", "Bid's capital spending", S.MONEY)]
FORMATS = {key: fmt for key, _, fmt in COST_COLS}
COL = {key: get_column_letter(i + 1) for i, (key, _, _) in enumerate(COST_COLS)}
PRINT_LAST = COL["capex"]
FLAG_COL, FLAG_BIAS_COL = "S", "T"         # 1 where a year is over budget (helpers, not printed)
CALC_FIRST = 22                            # column V: the monthly payments, values from the engine
CALC = [("month", "Month", S.DATE), ("year", "NHS year", None), ("contract_payments", "Contract payments", S.MONEY),
        ("cquin", "CQUIN earned back", S.MONEY), ("risk_share", "Risk-share settlement", S.MONEY),
        ("capex", "Capital spending", S.MONEY)]
CALC_COL = {key: get_column_letter(CALC_FIRST + i) for i, (key, _, _) in enumerate(CALC)}
HEADER_ROW = 6
VALUES_FILL = PatternFill("solid", fgColor="EDEDED")   # grey: a value from the model run, not a formula
RATING_FILL = {"high": S.BAD_FILL, "medium": PatternFill("solid", fgColor="FFEB9C")}
WIDTHS = {"A": 30, "B": 8, "C": 9}


@dataclass
class BidSheet:
    """Where a bid's figures are: `cells[key]` is an absolute reference ('Sheet'!$D$30) for the summary."""

    title: str
    year_rows: dict[str, int] = field(default_factory=dict)
    total_row: int = 0
    cells: dict[str, str] = field(default_factory=dict)

    def ref(self, addr: str) -> str:
        quoted = self.title.replace("'", "''")
        return f"'{quoted}'!{addr}"


def write_bid_sheet(wb: Workbook, title: str, review: Review, bid: BidReview, result: Result | None) -> BidSheet:
    """The bid's sheet; `result` is its deterministic engine run (None for a bid that could not be costed)."""
    ws = wb.create_sheet(title)
    sheet = BidSheet(title)
    S.text(ws.cell(1, 1), bid.name).font = S.TITLE_FONT
    S.text(ws.cell(2, 1), _status(bid)).font = S.NOTE_FONT
    row = 3
    for p in bid.problems:
        S.text(ws.cell(row, 1), f"Problem: {p.field}: {p.message}").font = S.NOTE_FONT
        row += 1
    if bid.reviewed and result is not None:
        row = _cost(ws, sheet, review, bid, result, row + 1)
        row = _risk(ws, bid, row + 1)
        row = _stress(ws, bid, review, row + 1)
        row = _efs(ws, bid, review, row + 1)
    row = _assumptions(ws, bid, row + 1)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    for key, _, _ in COST_COLS[3:]:
        ws.column_dimensions[COL[key]].width = 13
    for key, _, _ in CALC:
        ws.column_dimensions[CALC_COL[key]].width = 13
    ws.print_area = f"A1:{PRINT_LAST}{row}"
    print_setup(ws)
    return sheet


def _status(bid: BidReview) -> str:
    if not bid.reviewed:
        return "Not reviewed: see the problems below."
    return (f"Contracts paid by the commissioner: {', '.join(bid.cost.contracts)}. White cells are formulas of the "
            "Inputs sheet; grey cells are values from the bid's own model run.")


def _section(ws, row: int, title: str, note: str = "") -> int:
    for col in range(1, len(COST_COLS) + 1):
        ws.cell(row, col).fill = S.SECTION_FILL
    S.text(ws.cell(row, 1), title).font = S.SECTION_FONT
    if note:
        S.text(ws.cell(row, 5), note).font = S.NOTE_FONT
    return row + 1


def _headings(ws, row: int, labels: list[str], first: int = 1) -> None:
    for i, label in enumerate(labels):
        cell = S.text(ws.cell(row, first + i), label)
        cell.font, cell.alignment = S.HEADER_FONT, S.WRAP
    ws.row_dimensions[row].height = 45


def _label(ws, row: int, label: str) -> None:
    """A row's label across A:C (the cost table's year, months and year-number columns)."""
    S.text(ws.cell(row, 1), label).alignment = S.WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)


def _value(ws, row: int, col: int, value, fmt: str | None = None):
    """A figure from the model run or the Monte Carlo: a value in a grey cell, never a formula."""
    cell = ws.cell(row, col, value) if not isinstance(value, str) else S.text(ws.cell(row, col), value)
    cell.fill = VALUES_FILL
    if fmt:
        cell.number_format = fmt
    return cell


def _calc_area(ws, review: Review, bid: BidReview, result: Result) -> tuple[str, str]:
    """The bid's monthly payments over the term, as values; returns (first row, last row) of the values."""
    _headings(ws, HEADER_ROW, [label for _, label, _ in CALC], CALC_FIRST)
    S.text(ws.cell(HEADER_ROW - 1, CALC_FIRST), "Monthly payments from the bid's model run (values)").font = \
        S.SECTION_FONT
    term = term_slice(review, result)
    lines = {k: v[term] for k, v in payment_lines(result, bid.cost.contracts).items()}
    lines["capex"] = result.lines["capex_capitalised"][0, term]
    tl = result.timeline
    years = np.array(tl.fy_labels)[tl.fy_number[term]]
    first_month = term.start
    for i in range(review.term.months):
        r = HEADER_ROW + 1 + i
        _value(ws, r, CALC_FIRST, month_label(result.scenario.start, first_month + i))
        _value(ws, r, CALC_FIRST + 1, str(years[i]))
        for j, key in enumerate(("contract_payments", "cquin", "risk_share", "capex")):
            _value(ws, r, CALC_FIRST + 2 + j, float(lines[key][i]), S.MONEY_P)
    return str(HEADER_ROW + 1), str(HEADER_ROW + review.term.months)


def _cost(ws, sheet: BidSheet, review: Review, bid: BidReview, result: Result, row: int) -> int:
    """The cost table by NHS year and its totals, every figure a formula of the payments and the inputs."""
    a, b = _calc_area(ws, review, bid, result)
    rng = {k: f"${c}${a}:${c}${b}" for k, c in CALC_COL.items()}
    head = _section(ws, row, "Cost to the commissioner by NHS year", "cash of each year unless said; £")
    _headings(ws, head, [h for _, h, _ in COST_COLS])
    years = review.term.years()
    for i, y in enumerate(years):
        r = head + 1 + i
        sheet.year_rows[y] = r
        f = _year_formulas(r, i, y, rng)
        for j, (key, _, fmt) in enumerate(COST_COLS):
            cell = S.text(ws.cell(r, j + 1), y) if key == "year" else ws.cell(r, j + 1, f[key])
            if fmt:
                cell.number_format = fmt
        ws[f"{FLAG_COL}{r}"] = f"=IF(ISNUMBER({COL['headroom']}{r}),IF({COL['headroom']}{r}<-tolerance,1,0),0)"
        ws[f"{FLAG_BIAS_COL}{r}"] = (f"=IF(ISNUMBER({COL['headroom_with_bias']}{r}),"
                                     f"IF({COL['headroom_with_bias']}{r}<-tolerance,1,0),0)")
    first, last = head + 1, head + len(years)
    sheet.total_row = t = last + 1
    S.text(ws.cell(t, 1), "Term").font = S.TOTAL_FONT
    for key in ("months", "contract_payments", "cquin", "risk_share", "nominal", "real", "present_value",
                "optimism_bias", "budget", "headroom", "headroom_with_bias", "baseline", "against_baseline", "capex"):
        c = COL[key]
        cell = ws[f"{c}{t}"]
        cell.value = f"=SUM({c}{first}:{c}{last})"
        cell.number_format, cell.font, cell.border = FORMATS[key], S.TOTAL_FONT, S.THIN_TOP
    for key in ("nominal", "real", "present_value"):
        sheet.cells[key] = sheet.ref(f"${COL[key]}${t}")
    return _cost_lines(ws, sheet, result, bid, first, last, t + 2)


def _year_formulas(r: int, i: int, year: str, rng: dict[str, str]) -> dict[str, str | int]:
    c = COL
    budget, baseline = input_name("budget", year), input_name("baseline", year)
    by_year = {k: f"=SUMIFS({rng[k]},{rng['year']},$A{r})" for k in ("contract_payments", "cquin", "risk_share",
                                                                      "capex")}
    return by_year | {
        "months": f"=COUNTIF({rng['year']},$A{r})", "k": i,
        "nominal": f"={c['contract_payments']}{r}+{c['cquin']}{r}+{c['risk_share']}{r}",
        "prices": f"=(1+inflation)^{c['k']}{r}", "real": f"={c['nominal']}{r}/{c['prices']}{r}",
        "discount_factor": f"=1/(1+discount_rate)^{c['k']}{r}",
        "present_value": f"={c['real']}{r}*{c['discount_factor']}{r}",
        "optimism_bias": f"={c['nominal']}{r}*optimism_bias_opex",
        "budget": f'=IF(ISBLANK({budget}),"",{budget})',
        "headroom": f'=IF(ISNUMBER({c["budget"]}{r}),{c["budget"]}{r}-{c["nominal"]}{r},"")',
        "headroom_with_bias": (f'=IF(ISNUMBER({c["budget"]}{r}),{c["budget"]}{r}-{c["nominal"]}{r}'
                               f'-{c["optimism_bias"]}{r},"")'),
        "baseline": f'=IF(ISBLANK({baseline}),"",{baseline})',
        "against_baseline": f'=IF(ISNUMBER({c["baseline"]}{r}),{c["nominal"]}{r}-{c["baseline"]}{r},"")'}


def _cost_lines(ws, sheet: BidSheet, result: Result, bid: BidReview, first: int, last: int, row: int) -> int:
    """Totals over the term with optimism bias, the baseline and the first year over budget (formulas)."""
    def col(key: str) -> str:
        return f"${COL[key]}${first}:${COL[key]}${last}"
    t = sheet.total_row
    pv_total = f"${COL['present_value']}${t}"
    n = last - first + 1
    lines = [
        ("optimism_bias_present_value", "Optimism bias on operating cost, present value", "£",
         f"=SUMPRODUCT({col('optimism_bias')}/{col('prices')}*{col('discount_factor')})", S.MONEY),
        ("capex_present_value", "Bid's capital spending in the term, present value", "£",
         f"=SUMPRODUCT({col('capex')}/{col('prices')}*{col('discount_factor')})", S.MONEY),
        ("optimism_bias_capex", "Optimism bias on capital spending", "£", "={capex_present_value}*optimism_bias_capex",
         S.MONEY),
        ("optimism_bias_total", "Optimism bias, present value (operating and capital)", "£",
         "={optimism_bias_present_value}+{optimism_bias_capex}", S.MONEY),
        ("present_value_with_bias", "Present value with optimism bias", "£",
         f"={pv_total}+{{optimism_bias_total}}", S.MONEY),
        ("mobilisation_months", "Mobilisation (first month to the first paid month)", "months",
         mobilisation_months(result, bid.cost.contracts), S.WHOLE),
        ("optimism_bias_delay_months", "Optimism bias on mobilisation", "months",
         "={mobilisation_months}*optimism_bias_duration", S.NUMBER),
        ("baseline_present_value", "Today's spend over the term, present value", "£",
         f'=IF(COUNT({col("baseline")})={n},SUMPRODUCT({col("baseline")}/{col("prices")}*{col("discount_factor")}),"")',
         S.MONEY),
        ("saving_present_value", "Saving against today's spend, present value", "£",
         f'=IF(ISNUMBER({{baseline_present_value}}),{{baseline_present_value}}-{pv_total},"")', S.MONEY),
        ("first_unaffordable_year", "First year over budget", "NHS year",
         f'=IFERROR(INDEX($A${first}:$A${last},MATCH(1,${FLAG_COL}${first}:${FLAG_COL}${last},0)),"none")', None),
        ("first_unaffordable_year_with_bias", "First year over budget with optimism bias", "NHS year",
         f'=IFERROR(INDEX($A${first}:$A${last},MATCH(1,${FLAG_BIAS_COL}${first}:${FLAG_BIAS_COL}${last},0)),"none")',
         None)]
    local: dict[str, str] = {}
    for key, label, unit, formula, fmt in lines:
        _label(ws, row, label)
        S.text(ws.cell(row, 5), unit)
        if isinstance(formula, str):
            cell = ws.cell(row, 4, formula.format(**local))
        else:
            cell = _value(ws, row, 4, formula)
        if fmt:
            cell.number_format = fmt
        cell.alignment = S.RIGHT
        if key == "present_value_with_bias":
            ws.cell(row, 1).font = cell.font = S.TOTAL_FONT
        local[key] = f"$D${row}"
        sheet.cells[key] = sheet.ref(f"$D${row}")
        row += 1
    return row


def _risk(ws, bid: BidReview, row: int) -> int:
    risk = bid.risk
    note = (f"Monte Carlo values ({risk.draws:,} draws, seed {risk.seed}): re-run the review to change them; "
            "£ over the term, positive = a cost to that side")
    row = _section(ws, row, "Risk allocation", note)
    _headings(ws, row, ["Risk", "", "", "Provider: expected", "Provider: P90", "Commissioner: expected",
                        "Commissioner: P90", "Who carries it under this bid's contract"])
    ws.row_dimensions[row].height = 30
    ws.merge_cells(start_row=row, start_column=8, end_row=row, end_column=len(COST_COLS))
    for line in risk.lines:
        row += 1
        _label(ws, row, line.label)
        for j, v in enumerate((line.provider_expected, line.provider_p90, line.commissioner_expected,
                               line.commissioner_p90)):
            _value(ws, row, 4 + j, v, S.MONEY)
        S.text(ws.cell(row, 8), line.rule).alignment = S.WRAP
        ws.merge_cells(start_row=row, start_column=8, end_row=row, end_column=len(COST_COLS))
        ws.row_dimensions[row].height = 15 * (len(line.rule) // 120 + 1)
    if not risk.uncertain_inputs:
        row += 1
        S.text(ws.cell(row, 1), "The bid has no uncertainty section: every draw is its base case.").font = S.NOTE_FONT
    return row + 1


def _stress(ws, bid: BidReview, review: Review, row: int) -> int:
    row = _section(ws, row, "Stress tests", "values from the bid's model run under each stress; £")
    _headings(ws, row, ["Stress test", "", "", "Cash stays above the minimum", "Lowest cash", "Minimum cash",
                        "Extra funding needed", "First month below the minimum", "Change in the commissioner's cost"])
    for s in bid.stress:
        row += 1
        _label(ws, row, s.name)
        survives = "nothing to stress" if not s.applied else "yes" if s.survives else "NO"
        cell = _value(ws, row, 4, survives)
        if s.applied and not s.survives:
            cell.fill = S.BAD_FILL
        for j, v in enumerate((s.lowest_cash, s.minimum_cash, s.extra_funding)):
            _value(ws, row, 5 + j, v, S.MONEY)
        _value(ws, row, 8, s.fails_month_label or "never")
        _value(ws, row, 9, s.commissioner_cost_change, S.MONEY)
    return row + 1


def _efs(ws, bid: BidReview, review: Review, row: int) -> int:
    years = review.term.years()
    row = _section(ws, row, "Provider financial standing (EFS ratios from the bid's own forecast)",
                   "values, rated low / medium / high risk; thresholds and sources: model book, EFS ratios")
    _headings(ws, row, ["Ratio", "", "", *years])
    ws.row_dimensions[row].height = 15
    by_ratio: dict[str, dict[str, object]] = {}
    for e in bid.efs:
        if e.year in years:
            by_ratio.setdefault(e.label, {})[e.year] = e
    for label, cells in by_ratio.items():
        row += 1
        _label(ws, row, label)
        ws.row_dimensions[row].height = 30
        for j, y in enumerate(years):
            e = cells.get(y)
            if e is not None:
                cell = _value(ws, row, 4 + j, f"{e.value_text} ({e.rating})")
                cell.alignment = S.WRAP
                if e.rating in RATING_FILL:
                    cell.fill = RATING_FILL[e.rating]
    return row + 1


def _source(item) -> str:
    """The range's source, "[check]" after it when it was not read in a primary source (once)."""
    return item.source if item.confirmed or "[check]" in item.source else f"{item.source} [check]"


def _assumptions(ws, bid: BidReview, row: int) -> int:
    row = _section(ws, row, "Assumptions to check", "the bid's values outside the reference ranges; never changed")
    if not bid.assumptions:
        S.text(ws.cell(row, 1), "None: every checked assumption is inside its reference range.")
        return row
    _headings(ws, row, ["Input", "", "", "Bid's value", "Reference", "", "", "Why", "", "", "", "Source"])
    ws.row_dimensions[row].height = 15
    for item in bid.assumptions:
        row += 1
        for col, span, value in ((1, 3, item.input), (4, 1, item.value_text), (5, 3, item.reference),
                                 (8, 4, item.why), (12, 7, _source(item))):
            S.text(ws.cell(row, col), value).alignment = S.WRAP
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
        ws.row_dimensions[row].height = 15 * max(3, len(item.source) // 90 + 1, len(item.why) // 50 + 1)
    return row


__all__ = ["BidSheet", "write_bid_sheet"]
