"""The bids side by side: one line per question, each figure in its unit, the best bid on each line marked.

No Streamlit here: `lines(result)` returns plain rows, `frame(rows, names)` the table the page shows.
A line marks its best only where "best" has one meaning for the commissioner (lower cost, fewer failed
stress tests, less risk left with the commissioner, a better rating, a higher score) and the bids differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from modeller.review.efs import ORDER, worst_by_ratio
from modeller.review.result import BidReview, ReviewResult
from ui import fmt

BEST = "★ "
NOT_REVIEWED = "not reviewed"
_RATING_RANK = {"low": 0, "medium": 1, "high": 2}   # "not rated" is left out of the comparison


@dataclass
class Line:
    """One question's figure for every bid: text shown, and the number compared (None: not compared)."""
    question: str
    measure: str
    texts: list[str]
    scores: list[float | None] = field(default_factory=list)
    better: str = ""          # "lower", "higher" or "" (no best marked)

    def best(self) -> set[int]:
        """The bids (by position) best on this line; none when fewer than two compare or all are equal."""
        got = [(i, s) for i, s in enumerate(self.scores) if s is not None]
        if self.better not in ("lower", "higher") or len(got) < 2:
            return set()
        pick = min if self.better == "lower" else max
        top = pick(s for _, s in got)
        winners = {i for i, s in got if abs(s - top) < 0.5e-2}
        return set() if len(winners) == len(got) else winners

    def marked(self) -> list[str]:
        best = self.best()
        return [BEST + t if i in best else t for i, t in enumerate(self.texts)]


def _line(bids: list[BidReview], question: str, measure: str, cell, better: str = "") -> Line:
    """A line from `cell(bid) -> (text, score)` over the reviewed bids; unreviewed ones say so."""
    texts, scores = [], []
    for b in bids:
        text, score = cell(b) if b.reviewed else (NOT_REVIEWED, None)
        texts.append(text)
        scores.append(score)
    return Line(question, measure, texts, scores, better)


def _money(value: float | None) -> tuple[str, float | None]:
    return fmt.money(value), value


def cost_lines(result: ReviewResult) -> list[Line]:
    r, bids = result.review, result.bids
    years = r.term.years()
    first = years[0]
    q = "Cost to the commissioner"

    def year_rank(year: str | None) -> tuple[str, float]:
        # later is better; never over budget is best of all
        return (year or "never", float(len(years) if year is None else years.index(year)))

    out = [
        _line(bids, q, "Paid over the term, cash (£)", lambda b: _money(b.cost.nominal), "lower"),
        _line(bids, q, f"Paid over the term in {first} prices (£)", lambda b: _money(b.cost.real), "lower"),
        _line(bids, q, f"Present value at {fmt.pct(r.discount_rate)} a year (£)",
              lambda b: _money(b.cost.present_value), "lower"),
        _line(bids, q, "Present value with optimism bias (£)",
              lambda b: _money(b.cost.present_value_with_bias), "lower"),
        _line(bids, q, "First NHS year over budget", lambda b: year_rank(b.cost.first_unaffordable_year),
              "higher"),
        _line(bids, q, "First NHS year over budget with optimism bias",
              lambda b: year_rank(b.cost.first_unaffordable_year_with_bias), "higher"),
    ]
    if r.baseline:
        out.append(_line(bids, q, "Saving against today's spend, present value (£; negative: costs more)",
                         lambda b: _money(b.cost.saving_present_value), "higher"))
    return out


def risk_lines(result: ReviewResult) -> list[Line]:
    """Each risk, each side, expected and P90 (£ over the term; a cost to that side). The commissioner's lines
    mark the least risk left with the commissioner; the provider's are shown for the reader to weigh."""
    labels = {}
    for b in result.bids:
        for ln in b.risk.lines if b.risk else ():
            labels.setdefault(ln.risk, ln.label)
    out = []
    for risk, label in labels.items():
        for side, better in (("commissioner", "lower"), ("provider", "")):
            for stat, name in (("expected", "expected"), ("p90", "P90")):
                def cell(b, risk=risk, attr=f"{side}_{stat}"):
                    ln = next((x for x in b.risk.lines if x.risk == risk), None)
                    return ("not applicable", None) if ln is None else _money(getattr(ln, attr))
                out.append(_line(result.bids, "Risk allocation", f"{label}: {side}, {name} (£)", cell, better))
    return out


def stress_lines(result: ReviewResult) -> list[Line]:
    q = "Stress tests"
    count = len(result.review.stress_tests)
    out = [_line(result.bids, q, "Stress tests survived (cash stays at or above the bid's minimum)",
                 lambda b: (f"{sum(s.survives for s in b.stress)} of {count}", sum(s.survives for s in b.stress)),
                 "higher")]
    for i, test in enumerate(result.review.stress_tests):
        def cell(b, i=i):
            s = b.stress[i]
            if s.survives:
                return ("survives" if s.applied else "nothing to stress"), 0.0
            return f"fails {s.fails_month_label}, {fmt.money(s.extra_funding)} short", s.extra_funding
        out.append(_line(result.bids, q, f"{test.name} (month it fails, £ short)", cell, "lower"))
    return out


def efs_lines(result: ReviewResult) -> list[Line]:
    """Each EFS ratio's worst rating over the term's NHS years, with its value and year."""
    years = set(result.review.term.years())
    worst = {b.id: worst_by_ratio([r for r in b.efs if r.year in years]) for b in result.bids}
    labels = {}
    for rows in worst.values():
        for key, row in rows.items():
            labels.setdefault(key, f"{row.label} ({row.unit})")
    out = []
    for key in (k for k in ORDER if k in labels):
        def cell(b, key=key):
            row = worst[b.id].get(key)
            if row is None:
                return fmt.MISSING, None
            return f"{row.rating}: {row.value_text} in {row.year}", _RATING_RANK.get(row.rating)
        out.append(_line(result.bids, "Financial standing (EFS)", f"{labels[key]}: worst year", cell, "lower"))
    return out


def other_lines(result: ReviewResult) -> list[Line]:
    r = result.review
    out = [_line(result.bids, "Assumptions to check", "Inputs outside the reference ranges (number)",
                 lambda b: (f"{len(b.assumptions)}", len(b.assumptions)), "lower")]

    def score(b: BidReview):
        return fmt.pct(b.weighted_score, 0), None if b.weighted_score is None else b.weighted_score * 100
    # a bid's score stands even when its figures could not be computed
    texts = [score(b)[0] for b in result.bids]
    out.append(Line("Panel score", "Weighted score (% of the highest possible)", texts,
                    [score(b)[1] for b in result.bids], "higher"))
    bids_spec = {b.id: b for b in r.bids}
    for c in r.criteria:
        texts, scores = [], []
        for b in result.bids:
            got = [s.score for s in bids_spec[b.id].scores if s.criterion == c.id]
            mean = sum(got) / len(got) if got else None
            texts.append(fmt.MISSING if mean is None else f"{mean:g} of {c.max_score}")
            scores.append(mean)
        if any(s is not None for s in scores):
            out.append(Line("Panel score", f"{c.name} (points; weight {fmt.pct(c.weight, 0)})", texts, scores,
                            "higher"))
    return out


def lines(result: ReviewResult) -> list[Line]:
    """Every line of the side-by-side table, in the order of the questions."""
    return cost_lines(result) + risk_lines(result) + stress_lines(result) + efs_lines(result) + other_lines(result)


def names(result: ReviewResult) -> list[str]:
    """Column headings: each bid's name, with its id where two bids share a name."""
    plain = [b.name for b in result.bids]
    return [f"{b.name} ({b.id})" if plain.count(b.name) > 1 else b.name for b in result.bids]


def frame(result: ReviewResult) -> pd.DataFrame:
    """The table: Measure, then one column per bid (text, the best marked ★); each question a heading line
    (its name under Measure, the bids' cells empty) above its measures."""
    heads, rows, last = names(result), [], None
    for ln in lines(result):
        if ln.question != last:
            rows.append({"Measure": ln.question.upper(), **dict.fromkeys(heads, "")})
            last = ln.question
        rows.append({"Measure": ln.measure, **dict(zip(heads, ln.marked(), strict=True))})
    return pd.DataFrame(rows, columns=["Measure", *heads])


def cell_style(value) -> str:
    """CSS for a cell: the best on its line on green, a high EFS risk in red, medium in amber (the words say it too)."""
    text = str(value)
    if text.startswith(BEST):
        return "background-color: #e6f4ea; font-weight: 600"
    if text.startswith("high:") or text.endswith("(high)") or text.startswith("fails"):
        return "color: #b3261e"
    if text.startswith("medium:") or text.endswith("(medium)"):
        return "color: #8a5300"
    return ""


def _heading(row: pd.Series) -> list[str]:
    heading = len(row) > 1 and all(v == "" for v in row.iloc[1:])
    return ["font-weight: 700; background-color: #f0f2f6" if heading else ""] * len(row)


def styled(table: pd.DataFrame):
    """The table with `cell_style` applied and heading lines in bold (Streamlit shows a pandas Styler's colours)."""
    return table.style.map(cell_style).apply(_heading, axis=1)
