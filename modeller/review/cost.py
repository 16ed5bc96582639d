"""Cost to the commissioner: every payment for the bid's contracts over the term, by NHS year, nominal, real
and as a Green Book present value, against budget and the do-nothing baseline, with optimism bias shown
separately (model book, "Commissioner's review")."""

from __future__ import annotations

import numpy as np

from modeller.result import Result
from modeller.review.result import CommissionerCost, YearCost
from modeller.review.schema import Review
from modeller.scenario import month_number
from modeller.statements import TOLERANCE


def term_slice(review: Review, result: Result) -> slice:
    """The bid's model months that fall in the term (the bid's horizon covers it: `check_bid`)."""
    first = month_number(review.term.start) - month_number(result.scenario.start)
    return slice(first, first + review.term.months)


def payment_lines(result: Result, contracts: list[str], draw: int = 0) -> dict[str, np.ndarray]:
    """The commissioner's monthly payments for the chosen contracts, by kind, from the engine's own lines:
    contract payments (earned less the withhold), CQUIN (withhold earned back), risk-share settlement."""
    lines = [result.detail["contracts"][c] for c in contracts]
    cquin = sum((c.withhold_income[draw] for c in lines), np.zeros(result.timeline.months))
    settle = sum((c.risk_share[draw] for c in lines), np.zeros(result.timeline.months))
    income = sum((c.income[draw] for c in lines), np.zeros(result.timeline.months))
    return {"contract_payments": income - cquin - settle, "cquin": cquin, "risk_share": settle}


def deflators(review: Review, years: int) -> tuple[np.ndarray, np.ndarray]:
    """(price factor, discount factor) for the term's years 0, 1, ...: cash of year k is divided by
    (1 + inflation)^k to be in first-year prices and multiplied by 1 / (1 + discount rate)^k."""
    k = np.arange(years)
    return (1 + review.inflation) ** k, 1 / (1 + review.discount_rate) ** k


def _by_year(series: np.ndarray, labels: np.ndarray, years: list[str]) -> np.ndarray:
    return np.array([series[labels == y].sum() for y in years])


def commissioner_cost(review: Review, result: Result, contracts: list[str]) -> CommissionerCost:
    """The commissioner's cost of one bid (the engine's deterministic run) over the review's term."""
    term = term_slice(review, result)
    tl = result.timeline
    labels = np.array(tl.fy_labels)[tl.fy_number[term]]
    years = review.term.years()
    parts = {k: _by_year(v[term], labels, years) for k, v in payment_lines(result, contracts).items()}
    nominal = parts["contract_payments"] + parts["cquin"] + parts["risk_share"]
    prices, discount = deflators(review, len(years))
    real = nominal / prices
    pv = real * discount
    ob = review.optimism_bias
    bias = nominal * ob.opex
    capex = _by_year(result.lines["capex_capitalised"][0, term], labels, years)
    rows = []
    for i, y in enumerate(years):
        budget, baseline = review.budget.get(y), review.baseline.get(y)
        rows.append(YearCost(
            year=y, months=int((labels == y).sum()), contract_payments=float(parts["contract_payments"][i]),
            cquin=float(parts["cquin"][i]), risk_share=float(parts["risk_share"][i]), nominal=float(nominal[i]),
            real=float(real[i]), discount_factor=float(discount[i]), present_value=float(pv[i]),
            optimism_bias=float(bias[i]), budget=budget,
            headroom=None if budget is None else budget - float(nominal[i]),
            headroom_with_bias=None if budget is None else budget - float(nominal[i] + bias[i]),
            baseline=baseline, against_baseline=None if baseline is None else float(nominal[i]) - baseline))
    ob_pv = float((bias / prices * discount).sum())
    ob_capex = float((capex / prices * discount).sum() * ob.capex)
    has_baseline = all(y in review.baseline for y in years)
    baseline_pv = (float(sum(review.baseline[y] / prices[i] * discount[i] for i, y in enumerate(years)))
                   if has_baseline else None)
    return CommissionerCost(
        years=rows, nominal=float(nominal.sum()), real=float(real.sum()), present_value=float(pv.sum()),
        optimism_bias_present_value=ob_pv, optimism_bias_capex=ob_capex,
        optimism_bias_delay_months=mobilisation_months(result, contracts) * ob.duration,
        present_value_with_bias=float(pv.sum()) + ob_pv + ob_capex,
        baseline_present_value=baseline_pv,
        saving_present_value=None if baseline_pv is None else baseline_pv - float(pv.sum()),
        first_unaffordable_year=_first_short(rows, "headroom"),
        first_unaffordable_year_with_bias=_first_short(rows, "headroom_with_bias"),
        contracts=list(contracts))


def mobilisation_months(result: Result, contracts: list[str]) -> int:
    """Months from the bid's first month to the first month any of the commissioner's contracts runs."""
    active = sum((result.detail["contracts"][c].active[0] for c in contracts), np.zeros(result.timeline.months))
    running = np.flatnonzero(active > 0)
    return int(running[0]) if running.size else result.timeline.months


def _first_short(rows: list[YearCost], key: str) -> str | None:
    """The first year whose headroom is below zero (by more than the engine's penny tolerance)."""
    return next((r.year for r in rows if getattr(r, key) is not None and getattr(r, key) < -TOLERANCE), None)
