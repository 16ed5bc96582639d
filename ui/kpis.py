"""Headline figures as metric cards, each with one plain-English line saying what it means."""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from modeller.metrics import KPIS
from modeller.result import Result
from ui import book, fmt

KPI_ANCHOR = "kpi-formulas"   # the model book's section defining every KPI


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str
    kpi: str = ""   # the KPI shown: its label (`metrics.KPIS`) is the card's title, its value written in its unit
    risk: str = ""  # how a risk run's draws spread it, for the figures in SPREAD_KPIS


# the four headline cards the Scenario page shows above the editor
SCENARIO_KPIS = ("peak_funding_requirement", "funding_shortfall", "ebitda_breakeven_month", "npv")
# the money figures risk moves most: with a risk run, their cards say what the draws show
SPREAD_KPIS = ("peak_funding_requirement", "lowest_cash", "funding_shortfall", "npv")


def kpi_card(result: Result, name: str, note: str) -> Card:
    """A card showing one KPI, titled and written as every layer writes it (`metrics.KPIS`, `fmt.kpi_value`)."""
    return Card(KPIS[name].label, fmt.kpi_value(name, result.kpis()[name], result.scenario.start), note, name)


def headline_cards(result: Result, mc=None) -> list[Card]:
    """The twelve figures a founder or commissioner asks about first, in words: cash, then the appraisal
    (NPV real and nominal, IRR real and nominal, and MIRR beside them).

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
    reached = {name: k[name] is not None for name in ("ebitda_breakeven_month", "payback_month")}
    return [
        kpi_card(result, "peak_funding_requirement",
                 f"The most cash you must find before the venture pays its way, reached in {at('peak_funding_month')}."
                 if peak > 0.5 else "The venture never needs cash beyond what it earns."),
        kpi_card(result, "lowest_cash", f"The lowest bank balance after all funding, in {at('lowest_cash_month')}."),
        kpi_card(result, "funding_shortfall",
                 f"In the base case cash first falls below your {minimum} minimum in "
                 f"{at('funding_shortfall_month')}: more funding is needed." if short > 0.5
                 else f"In the base case cash never falls below your {minimum} minimum."),
        kpi_card(result, "ebitda_breakeven_month",
                 "From this month on, income covers running costs every month." if reached["ebitda_breakeven_month"]
                 else "Running costs exceed income at the end of the plan."),
        kpi_card(result, "payback_month",
                 "When all the cash put in before financing has come back, for good." if reached["payback_month"]
                 else "The cash put in has not come back by the end of the plan."),
        kpi_card(result, "peak_exit_cost",
                 f"Notice pay and committed leases if you stopped in {at('peak_exit_cost_month')}."),
        kpi_card(result, "npv",
                 f"Today's value of the cash flows before financing and what is left at the end, in first-year "
                 f"prices, at the {fmt.pct(sc.appraisal.discount_rate)} real discount rate (Green Book)."),
        kpi_card(result, "npv_nominal",
                 f"The same cash of the day at your {fmt.pct(sc.appraisal.cost_of_capital)} cost of capital: "
                 "above zero, the venture earns more than it costs to fund."),
        kpi_card(result, "peak_wte", "The most staff at once, counting agency cover."),
        kpi_card(result, "irr", irr_note(k["irr"], peak)),
        kpi_card(result, "irr_real", "The same return in first-year prices: what is left after inflation."),
        kpi_card(result, "mirr", f"The return if money in is reinvested, and money out financed, at your "
                                 f"{fmt.pct(sc.appraisal.cost_of_capital)} cost of capital: the rate to quote."),
    ]


HIGH_IRR = 0.30  # above this a yearly return needs its reason beside it


def irr_note(irr: float | None, peak_funding: float) -> str:
    """One line on what the IRR means; a very high one says why it is high."""
    if irr is None:
        return "No return can be calculated: the cash flows never change sign."
    if irr > HIGH_IRR:
        stake = f"only {fmt.money(peak_funding)}" if peak_funding > 0.5 else "little cash"
        return (f"The yearly return on the cash put in. It is this high because {stake} goes in before much "
                "larger flows come back: a small stake makes a large percentage. Judge the venture by NPV "
                "and the MIRR.")
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
    if card.kpi not in SPREAD_KPIS:
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
                where = book.link(KPI_ANCHOR, "How it is worked out: the model book")
                st.metric(card.label, card.value, help=where if notes else f"{card.note}\n\n{where}")
                if notes:
                    st.caption(card.note)
                if card.risk:
                    st.caption(f":blue[{card.risk}]")
