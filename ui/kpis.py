"""Headline figures as metric cards, each with one plain-English line saying what it means."""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from modeller.result import Result
from ui import fmt


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str
    kpi: str = ""   # the KPI shown, where a risk run's draws can say how it spreads
    risk: str = ""  # that spread, when there is a risk run for this scenario


def headline_cards(result: Result, mc=None) -> list[Card]:
    """The nine figures a founder or commissioner asks about first, in words.

    With `mc` (a MonteCarloResult of this very scenario), the figures that risk moves also say
    what the draws show, so the base case and the risk run never seem to disagree unexplained."""
    cards = _base_cards(result)
    return cards if mc is None else [with_risk(card, mc) for card in cards]


def _base_cards(result: Result) -> list[Card]:
    k, sc = result.kpis(), result.scenario
    at = lambda name: fmt.month(sc.start, k[name])  # noqa: E731
    minimum = fmt.money(sc.funding.minimum_cash)
    peak = k["peak_funding_requirement"] or 0
    short = k["funding_shortfall"] or 0
    return [
        Card("Peak funding requirement", fmt.money(peak),
             f"The most cash you must find before the venture pays its way, reached in {at('peak_funding_month')}."
             if peak > 0.5 else "The venture never needs cash beyond what it earns.", "peak_funding_requirement"),
        Card("Lowest cash", fmt.money(k["lowest_cash"]),
             f"The lowest bank balance after all funding, in {at('lowest_cash_month')}.", "lowest_cash"),
        Card("Funding shortfall", fmt.money(short) if short > 0.5 else "None",
             f"In the base case cash first falls below your {minimum} minimum in "
             f"{at('funding_shortfall_month')}: more funding is needed." if short > 0.5
             else f"In the base case cash never falls below your {minimum} minimum.", "funding_shortfall"),
        Card("EBITDA break-even", at("ebitda_breakeven_month") if k["ebitda_breakeven_month"] is not None
             else "Not reached", "From this month on, income covers running costs every month."
             if k["ebitda_breakeven_month"] is not None else "Running costs exceed income at the end of the plan."),
        Card("Payback", at("payback_month") if k["payback_month"] is not None else "Not reached",
             "When all the cash put in before financing has come back, for good."
             if k["payback_month"] is not None else "The cash put in has not come back by the end of the plan."),
        Card("NPV", fmt.money(k["npv"]),
             f"Today's value of the cash flows before financing, at {sc.appraisal.discount_rate:.1%} a year.", "npv"),
        Card("IRR", fmt.pct(k["irr"]) if k["irr"] is not None else "n/a", irr_note(k["irr"], peak)),
        Card("Peak WTE", fmt.wte(k["peak_wte"]), "The most staff at once, counting agency cover."),
        Card("Peak cost to walk away", fmt.money(k["peak_exit_cost"]),
             f"Notice pay and committed leases if you stopped in {at('peak_exit_cost_month')}."),
    ]


HIGH_IRR = 0.30  # above this a yearly return needs its reason beside it


def irr_note(irr: float | None, peak_funding: float) -> str:
    """One line on what the IRR means; a very high one says why it is high."""
    if irr is None:
        return "No return can be calculated: the cash flows never change sign."
    if irr > HIGH_IRR:
        stake = f"only {fmt.money(peak_funding)}" if peak_funding > 0.5 else "little cash"
        return (f"The yearly return on the cash put in. It is this high because {stake} goes in before much "
                "larger flows come back: a small stake makes a large percentage. Judge the venture by NPV.")
    return "The yearly return those cash flows earn."


def current_risk(yaml_text: str):
    """This person's Monte Carlo for exactly this scenario text, or None.

    The risk package is imported only once a run exists: the first screen does not pay for it."""
    if st.session_state.get("risk_last") is None:
        return None
    from ui import risk_runs

    run = risk_runs.run_for(yaml_text)
    return None if run is None else run.mc


def with_risk(card: Card, mc) -> Card:
    """The card, with what the risk run's draws say about the same figure (if risk moves it)."""
    if not card.kpi:
        return card
    spread = mc.summary(card.kpi)
    if card.kpi == "funding_shortfall":
        line = (f"Across {mc.draws:,} risk draws: {fmt.pct(mc.probability_of_shortfall, 0)} chance of a shortfall"
                + (f"; 1 in 10 draws short by {fmt.money(spread['p90'])} or more." if spread["p90"] else "."))
    else:
        line = f"Across {mc.draws:,} risk draws: P10 {fmt.money(spread['p10'])} · P90 {fmt.money(spread['p90'])}."
    return replace(card, risk=line)


def show_cards(cards: list[Card], per_row: int = 3, notes: bool = True) -> None:
    """Metric cards; with `notes=False` the explanation moves into the card's help tooltip."""
    for first in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[first:first + per_row], strict=False):
            with col, st.container(border=True, height="stretch"):
                st.metric(card.label, card.value, help=None if notes else card.note)
                if notes:
                    st.caption(card.note)
                if card.risk:
                    st.caption(f":blue[{card.risk}]")
