"""Comparison tables as display text: headline figures side by side, calendar differences, spans, risk results.

Builders only (no widgets). Scenarios are keyed by a letter (A is the baseline) so four of them
fit a 1366-pixel screen; the page shows each letter's full name beside it.

Month KPIs are 0-based indices from each scenario's own `start`, so two bids are compared on
calendar dates (`pd.Period(start, "M") + index`), never on plan months: month 17 of a bid
starting Apr 2015 (Sep 2016) is 115 months before month 0 of one starting Apr 2026.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from modeller.formatting import kpi_change, kpi_value
from modeller.metrics import KPI_NAMES, KPIS
from modeller.result import Result
from ui import fmt

LETTERS = "ABCD"
# totals that grow with the length of the plan: per-year and common-window rows are added for them
SPAN_TOTALS = {"total_income": ("income", "Income"), "total_ebitda": ("ebitda", "EBITDA"),
               "total_profit_after_tax": ("profit_after_tax", "Profit after tax")}
RISK_KPIS = ("npv", "peak_funding_requirement")
MIN_WINDOW_MONTHS = 12  # a common window shorter than a year says little about a year-round service

def lettered(names: list[str]) -> dict[str, str]:
    """Letter -> name, in order: A is the baseline."""
    return dict(zip(LETTERS, names, strict=False))


@dataclass(frozen=True)
class Span:
    """The calendar months a plan covers: `first` is its month 0, `months` its length."""
    first: pd.Period
    months: int

    @classmethod
    def of(cls, result: Result) -> Span:
        return cls(pd.Period(result.scenario.start, "M"), result.scenario.months)

    @property
    def last(self) -> pd.Period:
        return self.first + (self.months - 1)

    def text(self) -> str:
        """"Apr 2015 – Mar 2020 (60 months)"."""
        return f"{self.first:%b %Y} – {self.last:%b %Y} ({self.months} months)"


def months_between(later: pd.Period, earlier: pd.Period) -> int:
    """Calendar months from `earlier` to `later` (negative if `later` is earlier)."""
    return (later - earlier).n


def _minus(text: str) -> str:
    """A typographic minus, as in money differences (−£1.08m), so every Δ column reads alike."""
    return text.replace("-", "−")


def signed_short_money(x: float) -> str:
    """A difference to three figures, so four scenarios' columns fit: +£209k, −£1.60m, −£222m."""
    if abs(x) < 0.5:
        return "£0"
    sign, x = ("+" if x > 0 else "−"), abs(x)
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if x >= size * 0.9995:
            rounded = float(f"{x / size:.3g}")
            return f"{sign}£{rounded:,.{max(0, 2 - math.floor(math.log10(rounded)))}f}{suffix}"
    return f"{sign}£{x:,.0f}"


def kpi_difference(name: str, value, base, start: str, base_start: str) -> str:
    """`value` minus `base` as display text; months are counted on the calendar, not in plan months.

    Money differences are rounded to three figures (the values beside them are exact)."""
    if value is None or base is None:
        return fmt.MISSING
    unit, d = KPIS[name].unit, kpi_change(name, base, value, base_start, start)  # the CLI's rule, in one place
    if unit == "month":
        return "same month" if d == 0 else _minus(f"{d:+d} month" + ("" if abs(d) == 1 else "s"))
    if unit == "%":
        return _minus(f"{d * 100:+.1f} pts")
    if unit == "WTE":
        return _minus(f"{d:+,.1f} WTE")
    return signed_short_money(d)


def spans_differ(results: dict[str, Result]) -> bool:
    """True when the plans cover different calendar months (different start or length)."""
    return len({Span.of(r) for r in results.values()}) > 1


def lengths_differ(results: dict[str, Result]) -> bool:
    return len({r.scenario.months for r in results.values()}) > 1


def common_window(results: dict[str, Result]) -> Span | None:
    """The calendar months every plan covers, if at least a year; else None."""
    spans = [Span.of(r) for r in results.values()]
    first, last = max(s.first for s in spans), min(s.last for s in spans)
    n = months_between(last, first) + 1
    return Span(first, n) if n >= MIN_WINDOW_MONTHS else None


def per_year(result: Result, kpi: str) -> float:
    """A plan total as an average per 12 months of that plan."""
    return result.kpis()[kpi] * 12 / result.scenario.months


def window_total(result: Result, line: str, window: Span) -> float:
    """Sum of a monthly engine line over the calendar months of `window`."""
    offset = months_between(window.first, pd.Period(result.scenario.start, "M"))
    return float(result.lines[line][0][offset:offset + window.months].sum())


def _row(label: str, values: dict[str, float | str], differences: dict[str, str]) -> dict:
    row = {"Figure": label}
    letters = list(values)
    for i, letter in enumerate(letters):
        row[letter] = values[letter]
        if i:
            row[f"Δ {letter} vs A"] = differences[letter]
    return row


def _money_row(label: str, amounts: dict[str, float]) -> dict:
    base = amounts["A"]
    return _row(label, {k: fmt.money(v) for k, v in amounts.items()},
                {k: signed_short_money(v - base) for k, v in amounts.items()})


def comparison_table(results: dict[str, Result]) -> pd.DataFrame:
    """KPIs of two to four scenarios in lettered columns, each followed by its difference from A.

    When plan lengths differ, a difference of totals mixes the size of the business with the
    length of the plan: those cells say "spans differ", and rows per year (and over the calendar
    months every plan covers, when that is at least a year) follow each total.
    """
    by_letter = dict(zip(LETTERS, results.values(), strict=False))
    kpis = {k: r.kpis() for k, r in by_letter.items()}
    starts = {k: r.scenario.start for k, r in by_letter.items()}
    base_len = by_letter["A"].scenario.months
    window = common_window(results) if spans_differ(results) else None
    rows = []
    for name in KPI_NAMES:
        values = {k: kpi_value(name, kpis[k][name], starts[k]) for k in by_letter}
        diffs = {k: kpi_difference(name, kpis[k][name], kpis["A"][name], starts[k], starts["A"]) for k in by_letter}
        if name in SPAN_TOTALS:
            diffs = {k: ("spans differ" if r.scenario.months != base_len else diffs[k]) for k, r in by_letter.items()}
        rows.append(_row(KPIS[name].label, values, diffs))
        if name in SPAN_TOTALS and lengths_differ(results):
            rows.append(_money_row(f"{SPAN_TOTALS[name][1]}, per year",
                                   {k: per_year(r, name) for k, r in by_letter.items()}))
        if name in SPAN_TOTALS and window is not None:
            rows.append(_money_row(f"{SPAN_TOTALS[name][1]}, {window.first:%b %y}–{window.last:%b %y}",
                                   {k: window_total(r, SPAN_TOTALS[name][0], window) for k, r in by_letter.items()}))
    return pd.DataFrame(rows)


def span_note(results: dict[str, Result]) -> str | None:
    """What a reviewer must know when the plans cover different months (Markdown bullets), or None.

    Only letters, dates and fixed words go in: never a scenario's name (user text)."""
    if not spans_differ(results):
        return None
    spans = "; ".join(f"{k}: {Span.of(r).text()}" for k, r in zip(LETTERS, results.values(), strict=False))
    parts = [f"**These plans cover different periods** ({spans})."]
    if lengths_differ(results):
        parts.append("Totals cover each plan's own length: where a plan is longer or shorter than A, the "
                     "difference says “spans differ”. Compare the per-year rows (total × 12 ÷ the plan's months).")
    window = common_window(results)
    if window is not None:
        parts.append(f"Rows marked {window.first:%b %y}–{window.last:%b %y} add up {window.first:%b %Y} to "
                     f"{window.last:%b %Y}, the calendar months every plan covers.")
    else:
        parts.append("They share less than a year of calendar months, so there is no common window to total over.")
    parts.append("Dates are calendar months, and so are their differences.")
    parts.append("NPV covers each plan's own length, discounted to its own start; each plan's money is in its own "
                 "first-year prices.")
    return parts[0] + "\n\n" + "\n".join(f"- {p}" for p in parts[1:])


def risk_table(results: dict[str, Result], runs: dict[str, object | None]) -> pd.DataFrame:
    """Base case beside P10/P50/P90 of NPV and peak funding, and the chance of a shortfall, by letter.

    `runs` maps a scenario's name (as in `results`) to its Monte Carlo result (`.summary`,
    `.probability_of_shortfall`, `.draws`, `.seed`) or None when it has not been run.
    """
    columns: dict[str, list[str]] = {}
    for letter, (name, result) in zip(LETTERS, results.items(), strict=False):
        mc, k, start = runs.get(name), result.kpis(), result.scenario.start
        cells = []
        for kpi in RISK_KPIS:
            s = mc.summary(kpi) if mc is not None else {}
            cells += [kpi_value(kpi, k[kpi], start)] + [kpi_value(kpi, s[p], start) if mc is not None else "not run"
                                                         for p in ("p10", "p50", "p90")]
        cells += [fmt.pct(mc.probability_of_shortfall, 0) if mc is not None else "not run",
                  f"{mc.draws:,} draws, seed {mc.seed}" if mc is not None else "not run"]
        columns[letter] = cells
    labels = [f"{KPIS[kpi].label}{part}" for kpi in RISK_KPIS
              for part in (": base case", ", P10", ", P50", ", P90")]
    return pd.DataFrame({"Figure": [*labels, "Chance of a funding shortfall", "Risk run"], **columns})
