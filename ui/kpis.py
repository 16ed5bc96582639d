"""Headline figures as metric cards, each with one plain-English line saying what it means."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from modeller.formatting import KPI_LABELS
from modeller.metrics import KPI_NAMES, MONTH_KPIS
from modeller.result import Result
from ui import fmt


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str


def headline_cards(result: Result) -> list[Card]:
    """The nine figures a founder or commissioner asks about first, in words."""
    k, sc = result.kpis(), result.scenario
    at = lambda name: fmt.month(sc.start, k[name])  # noqa: E731
    minimum = fmt.money(sc.funding.minimum_cash)
    peak = k["peak_funding_requirement"] or 0
    short = k["funding_shortfall"] or 0
    return [
        Card("Peak funding requirement", fmt.money(peak),
             f"The most cash you must find before the venture pays its way, reached in {at('peak_funding_month')}."
             if peak > 0.5 else "The venture never needs cash beyond what it earns."),
        Card("Lowest cash", fmt.money(k["lowest_cash"]),
             f"The lowest bank balance after all funding, in {at('lowest_cash_month')}."),
        Card("Funding shortfall", fmt.money(short) if short > 0.5 else "None",
             f"Cash first falls below your {minimum} minimum in {at('funding_shortfall_month')}: "
             "more funding is needed." if short > 0.5 else f"Cash never falls below your {minimum} minimum."),
        Card("EBITDA break-even", at("ebitda_breakeven_month") if k["ebitda_breakeven_month"] is not None
             else "Not reached", "From this month on, income covers running costs every month."
             if k["ebitda_breakeven_month"] is not None else "Running costs exceed income at the end of the plan."),
        Card("Payback", at("payback_month") if k["payback_month"] is not None else "Not reached",
             "When all the cash put in before financing has come back, for good."
             if k["payback_month"] is not None else "The cash put in has not come back by the end of the plan."),
        Card("NPV", fmt.money(k["npv"]),
             f"Today's value of the cash flows before financing, at {sc.appraisal.discount_rate:.1%} a year."),
        Card("IRR", fmt.pct(k["irr"]) if k["irr"] is not None else "n/a",
             "The yearly return those cash flows earn." if k["irr"] is not None
             else "No return can be calculated: the cash flows never change sign."),
        Card("Peak WTE", fmt.wte(k["peak_wte"]), "The most staff at once, counting agency cover."),
        Card("Peak cost to walk away", fmt.money(k["peak_exit_cost"]),
             f"Notice pay and committed leases if you stopped in {at('peak_exit_cost_month')}."),
    ]


def show_cards(cards: list[Card], per_row: int = 3, notes: bool = True) -> None:
    """Metric cards; with `notes=False` the explanation moves into the card's help tooltip."""
    for first in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[first:first + per_row], strict=False):
            with col, st.container(border=True, height="stretch"):
                st.metric(card.label, card.value, help=None if notes else card.note)
                if notes:
                    st.caption(card.note)


def kpi_value(name: str, value, start: str) -> str:
    if name in MONTH_KPIS:
        return fmt.month(start, value, never="–")
    if name in ("irr", "staff_cost_share"):
        return fmt.pct(value)
    if name in ("peak_wte", "final_wte"):
        return fmt.wte(value)
    return fmt.money(value)


def kpi_difference(name: str, value, base) -> str:
    if value is None or base is None:
        return "–"
    if name in MONTH_KPIS:
        d = int(value) - int(base)
        return "same" if d == 0 else f"{d:+d} months"
    if name in ("irr", "staff_cost_share"):
        return f"{(value - base) * 100:+.1f} pts"
    if name in ("peak_wte", "final_wte"):
        return f"{value - base:+,.1f} WTE"
    return fmt.signed_money(value - base)


def comparison_table(results: dict[str, Result]) -> pd.DataFrame:
    """KPIs of several scenarios in columns, with each later one's difference from the first."""
    names = list(results)
    kpis = {n: r.kpis() for n, r in results.items()}
    rows = []
    for k in KPI_NAMES:
        row = {"Figure": figure_label(k)}
        for n in names:
            row[n] = kpi_value(k, kpis[n][k], results[n].scenario.start)
        for n in names[1:]:
            row[f"Δ {n}"] = kpi_difference(k, kpis[n][k], kpis[names[0]][k])
        rows.append(row)
    return pd.DataFrame(rows)


_MONTH_LABELS = {
    "peak_funding_month": "Peak funding reached in", "lowest_cash_month": "Lowest cash in",
    "funding_shortfall_month": "First below minimum cash in", "peak_exit_cost_month": "Peak cost to walk away in",
}


def short_label(label: str, limit: int = 30) -> str:
    """A column header that fits a 1366-pixel screen; the full name goes in its tooltip."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def figure_label(name: str) -> str:
    """A KPI's name that reads on its own in a table row ("Lowest cash in", not "in")."""
    return _MONTH_LABELS.get(name, KPI_LABELS[name])
