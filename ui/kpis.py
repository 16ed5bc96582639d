"""Headline figures as metric cards, each with one plain-English line saying what it means."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

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
