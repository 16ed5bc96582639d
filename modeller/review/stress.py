"""Stress tests: the review's stresses applied in the same way to every bid, each as a set of input
overrides on one draw of one engine batch (model book, "Commissioner's review")."""

from __future__ import annotations

import numpy as np

from modeller.engine import run_batch
from modeller.formatting import month_label
from modeller.paths import get_number
from modeller.result import Result
from modeller.review.cost import term_slice
from modeller.review.result import StressOutcome
from modeller.review.schema import Review, StressTest
from modeller.risk.sampling import to_field
from modeller.scenario import PRICE_FIELD, Contract, Scenario
from modeller.statements import TOLERANCE


def _annual_value(scenario: Scenario, c: Contract, price: float, population: float | None) -> float:
    """A contract step's value a year at plan, to find the change that adds the most."""
    if c.mechanism == "block":
        return price
    if c.mechanism == "capitation":
        return price * (population or 0.0)
    stream = next((a for a in scenario.activity if a.id == c.activity), None)
    return price * c.share * 12 * (stream.per_month if stream else 0.0)


def largest_change(scenario: Scenario, contracts: list[str]) -> dict[str, float]:
    """Overrides that undo the contract change adding the most value a year (its fields set back to the
    values in force before it); {} if no change adds value."""
    best, undo = 0.0, {}
    for c in scenario.contracts:
        if c.id not in contracts:
            continue
        field = PRICE_FIELD[c.mechanism]
        price, population = getattr(c, field), c.population
        for i, ch in sorted(enumerate(c.changes), key=lambda p: p[1].from_):
            new_price = getattr(ch, field) if getattr(ch, field) is not None else price
            new_pop = ch.population if ch.population is not None else population
            gain = _annual_value(scenario, c, new_price, new_pop) - _annual_value(scenario, c, price, population)
            if gain > best + TOLERANCE:
                best = gain
                undo = {f"contracts.{c.id}.changes.{i}.{field}": price} if getattr(ch, field) is not None else {}
                if ch.population is not None and c.mechanism == "capitation":
                    undo[f"contracts.{c.id}.changes.{i}.population"] = population
            price, population = new_price, new_pop
    return undo


def stress_overrides(test: StressTest, scenario: Scenario, contracts: list[str]) -> dict[str, float]:
    """The input paths a stress test changes in this bid and their stressed values."""
    if test.kind == "demand":
        paths = [(f"activity.{a.id}.per_month", a.per_month * (1 + test.size)) for a in scenario.activity]
    elif test.kind == "pay_award":
        paths = [("indexation.pay", scenario.indexation.pay + test.size)]
    elif test.kind == "start_delay":
        paths = [(f"contracts.{c.id}.start_delay_months", c.start_delay_months + test.size)
                 for c in scenario.contracts if c.id in contracts]
    elif test.kind == "vacancies":
        paths = [(f"workforce.roles.{r.id}.fill_rate", min(r.fill_rate, 1 - test.size))
                 for r in scenario.workforce.roles]
    else:
        paths = list(largest_change(scenario, contracts).items())
    out = {p: float(to_field(p, np.array([v]))[0]) for p, v in paths}
    return {p: v for p, v in out.items() if abs(v - get_number(scenario, p)) > 1e-12}


def stress_batch(scenario: Scenario, tests: list[dict[str, float]]) -> Result:
    """One engine batch: draw 0 the bid as it is, draw k the k-th stress test's overrides."""
    paths = sorted({p for t in tests for p in t})
    over = {p: np.array([get_number(scenario, p)] + [t.get(p, get_number(scenario, p)) for t in tests])
            for p in paths}
    return run_batch(scenario, over, draws=len(tests) + 1)


def stress_tests(review: Review, scenario: Scenario, contracts: list[str]) -> list[StressOutcome]:
    """Every review stress test on this bid: does cash stay at or above the bid's own minimum?"""
    tests = [stress_overrides(t, scenario, contracts) for t in review.stress_tests]
    result = stress_batch(scenario, tests)
    k = result.kpi_arrays
    term = term_slice(review, result)
    paid = sum((result.detail["contracts"][c].income[:, term].sum(axis=1) for c in contracts), np.zeros(result.draws))
    lowest = result.lines["closing_cash"].min(axis=1)
    out = []
    for i, (test, over) in enumerate(zip(review.stress_tests, tests, strict=True), start=1):
        month = k["funding_shortfall_month"][i]
        fails = None if np.isnan(month) else int(month)
        out.append(StressOutcome(
            test=test.id, name=test.name, applied=bool(over), overrides=over,
            survives=fails is None, lowest_cash=float(lowest[i]), minimum_cash=float(scenario.funding.minimum_cash),
            extra_funding=float(k["funding_shortfall"][i]), fails_month=fails,
            fails_month_label=None if fails is None else month_label(scenario.start, fails),
            commissioner_cost_change=float(paid[i] - paid[0])))
    return out
