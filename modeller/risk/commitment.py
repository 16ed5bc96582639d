""""How much can I commit before resources are available?": four goal seeks, answered in sentences.

1. hire_ahead_months: the most months every planned hire can be brought forward.
2. pre_receipt_wte: the largest team (planned WTE before the first receipt, scaled) carried.
3. minimum_facility_limit: the smallest revolving facility that keeps cash at the minimum.
4. minimum_opening_cash: the smallest opening share capital that does, with the facility as it is.

Each keeps cash at or above the minimum in the base case, or with P(shortfall) at most a
chosen level. Each answer is checked by running the engine at it (goal met) and just
beyond it (goal missed), and the checks are reported with the answer.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from modeller.engine import run, run_batch
from modeller.formatting import money, month_label
from modeller.risk.goalseek import Judge, frontier
from modeller.scenario import Scenario, month_number
from modeller.scenario_io import scenario_from_data, scenario_to_data
from modeller.timeline import Timeline

MAX_HIRE_AHEAD_MONTHS = 24
MAX_TEAM_SCALE = 10.0
TEAM_SCALE_STEP = 0.01
MONEY_STEP = 1000.0
UNLIMITED = 1e12


@dataclass
class Answer:
    question: str
    value: float | None
    unit: str
    sentence: str
    basis: str
    holds_at_answer: bool | None = None      # engine at the answer: goal met
    fails_beyond: bool | None = None         # engine just beyond it: goal missed

    def to_dict(self) -> dict:
        return asdict(self)


def _month_text(start: str, months_from_start: int) -> str:
    return month_label(start, months_from_start)


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def shift_hiring(scenario: Scenario, months: int) -> Scenario:
    """The scenario with every role's plan steps `months` earlier."""
    data = scenario_to_data(scenario)
    for role in data.get("workforce", {}).get("roles", []):
        for step in role.get("plan") or []:
            n = month_number(step["from"]) - months
            step["from"] = f"{n // 12:04d}-{n % 12 + 1:02d}"
    return scenario_from_data(data, "hire-ahead candidate")


def _plan_steps(scenario: Scenario) -> list[tuple[str, int, float, str]]:
    """(path of wte, role id, wte, from) for every plan step."""
    return [(f"workforce.roles.{r.id}.plan.{i}.wte", r.id, s.wte, s.from_)
            for r in scenario.workforce.roles if r.plan for i, s in enumerate(r.plan)]


def _first_contract_start(scenario: Scenario, tl: Timeline) -> int | None:
    starts = [tl.index(c.start) + c.start_delay_months for c in scenario.contracts]
    return min(starts) if starts else None


def hire_ahead(scenario: Scenario, judge: Judge) -> Answer:
    """The most months (0..24) all plan hiring can move earlier with the goal still met."""
    q, tl = "hire_ahead_months", Timeline(scenario.start, scenario.months)
    steps = _plan_steps(scenario)
    if not steps:
        return Answer(q, None, "months", "No role has a hiring plan to bring forward (staff follow activity).",
                      judge.basis)

    def evaluate(ks: np.ndarray) -> np.ndarray:
        return np.array([judge.ok(shift_hiring(scenario, int(k)), {})[0] for k in ks])

    # a step moved before the model's first month starts there, so the latest step bounds the search
    furthest = min(MAX_HIRE_AHEAD_MONTHS, max(tl.index(f) for *_, f in steps))
    if furthest <= 0:
        return Answer(q, None, "months", "All planned hiring already starts in the model's first month: "
                      "there is nothing to bring forward.", judge.basis)
    if not evaluate(np.array([0]))[0]:
        return Answer(q, None, "months", "Even hiring to plan takes cash below the minimum: find more "
                      "funding before hiring ahead.", judge.basis, holds_at_answer=False)
    good, bad = frontier(evaluate, 0, furthest + 1, 1)
    good = int(good)
    beyond = None if bad > furthest else not evaluate(np.array([good + 1]))[0]
    if good == 0:
        return Answer(q, 0.0, "months", "You cannot bring hiring forward: even one month earlier than planned "
                      f"takes cash below the {money(scenario.funding.minimum_cash)} minimum.", judge.basis,
                      True, beyond)
    first_hire = min(tl.index(f) for *_, f in steps) - good
    start = _first_contract_start(scenario, tl)
    when = _month_text(scenario.start, first_hire) if first_hire >= 0 else "the model's first month"
    lead = "" if start is None or start <= max(first_hire, 0) else \
        f", {_months(start - max(first_hire, 0))} before the first contract starts in {_month_text(scenario.start, start)}"
    limit = f"at {_months(good + 1)} cash falls below the minimum" if beyond is not None else \
        f"{_months(furthest)} earlier puts every hire in the model's first month"
    sentence = (f"You can bring every planned hire forward by up to {_months(good)} (first staff in post "
                f"from {when}{lead}) and keep cash at or above the {money(scenario.funding.minimum_cash)} "
                f"minimum; {limit}.")
    return Answer(q, float(good), "months", sentence, judge.basis, True, beyond)


def pre_receipt_team(scenario: Scenario, judge: Judge) -> Answer:
    """The largest scale of the WTE planned before the first receipt that still meets the goal."""
    q, base = "pre_receipt_wte", run(scenario)
    first = base.kpis()["first_receipt_month"]
    tl = base.timeline
    receipt = tl.months if first is None else first
    steps = [(p, w) for p, _, w, f in _plan_steps(scenario) if tl.index(f) < receipt and w > 0]
    planned = float(base.lines["wte_target"][0, :receipt].max()) if receipt > 0 else 0.0
    if not steps or planned <= 0:
        return Answer(q, None, "WTE", "No staff are planned before the first contract receipt.", judge.basis)

    def overrides(scales: np.ndarray) -> dict[str, np.ndarray]:
        return {p: w * np.asarray(scales, float) for p, w in steps}

    def evaluate(scales: np.ndarray) -> np.ndarray:
        return judge.ok(scenario, overrides(scales))

    if not evaluate(np.array([0.0]))[0]:
        return Answer(q, None, "WTE", "Even with no staff before the first receipt cash falls below the minimum.",
                      judge.basis, holds_at_answer=False)
    good, bad = frontier(evaluate, 0.0, MAX_TEAM_SCALE + TEAM_SCALE_STEP, TEAM_SCALE_STEP)
    beyond = None if bad > MAX_TEAM_SCALE else bool(not evaluate(np.array([good + TEAM_SCALE_STEP]))[0])
    receipt_text = "the first contract receipt" if first is None else \
        f"the first contract receipt in {_month_text(scenario.start, first)}"
    sentence = (f"You can take on up to {good * planned:,.1f} WTE before {receipt_text} "
                f"({good:.2f} × the {planned:,.1f} WTE planned) and keep cash at or above the minimum"
                + ("." if beyond is not None else f"; {MAX_TEAM_SCALE:g} × the plan is as far as this looks."))
    return Answer(q, good * planned, "WTE", sentence, judge.basis, True, beyond)


def minimum_facility(scenario: Scenario, judge: Judge) -> Answer:
    """The smallest facility limit: with an unlimited facility each draw's peak drawn is exactly the
    limit it needs (a larger limit changes nothing), so the answer is that peak's quantile."""
    q, path = "minimum_facility_limit", "funding.facility.limit"
    over = {k: v for k, v in judge.sample.items()}
    draws = judge.draws if over else 1
    over[path] = np.full(draws, UNLIMITED)
    peak = run_batch(scenario, over, draws=draws).kpi_arrays["peak_facility_drawn"]
    need = np.percentile(peak, 100 * (1 - (judge.level or 0.0)), method="inverted_cdf")
    value = math.ceil(need / MONEY_STEP - 1e-9) * MONEY_STEP
    checks = judge.ok(scenario, {path: np.array([value, value - MONEY_STEP])}) if value > 0 else [True, None]
    have = scenario.funding.facility.limit
    sentence = (f"The smallest revolving facility that keeps cash at or above the "
                f"{money(scenario.funding.minimum_cash)} minimum is {money(value)} (the scenario has {money(have)})."
                if value > 0 else "You need no facility: cash stays at or above the minimum without one.")
    return Answer(q, value, "£", sentence, judge.basis, bool(checks[0]),
                  None if checks[1] is None else bool(not checks[1]))


def minimum_opening_cash(scenario: Scenario, judge: Judge) -> Answer:
    """The smallest opening share capital that meets the goal with the facility as it is."""
    q, path = "minimum_opening_cash", "funding.opening_cash"

    def evaluate(values: np.ndarray) -> np.ndarray:
        return judge.ok(scenario, {path: np.asarray(values, float)})

    high = math.ceil(max(scenario.funding.opening_cash, MONEY_STEP) / MONEY_STEP) * MONEY_STEP
    while not evaluate(np.array([high]))[0]:
        high *= 4
        if high > UNLIMITED:
            return Answer(q, None, "£", "No amount of opening cash keeps cash above the minimum.", judge.basis)
    if evaluate(np.array([0.0]))[0]:
        return Answer(q, 0.0, "£", "You need no opening share capital beyond the funding already planned.",
                      judge.basis, True, None)
    good, _ = frontier(evaluate, high, 0.0, MONEY_STEP)
    checks = evaluate(np.array([good, good - MONEY_STEP]))
    sentence = (f"You need at least {money(good)} of opening share capital (the scenario has "
                f"{money(scenario.funding.opening_cash)}) to keep cash at or above the minimum with the "
                f"{money(scenario.funding.facility.limit)} facility.")
    return Answer(q, good, "£", sentence, judge.basis, bool(checks[0]), bool(not checks[1]))


def commitment(scenario: Scenario, shortfall_probability: float | None = None,
               draws: int | None = None, seed: int | None = None) -> dict[str, Answer]:
    """All four answers, for the base case or with P(shortfall) ≤ `shortfall_probability`."""
    judge = Judge(scenario, shortfall_probability, draws or 1000, seed)
    answers = [hire_ahead(scenario, judge), pre_receipt_team(scenario, judge),
               minimum_facility(scenario, judge), minimum_opening_cash(scenario, judge)]
    return {a.question: a for a in answers}
