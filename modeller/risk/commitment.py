""""How much can I commit before resources are available?": four goal seeks, answered in sentences.

1. hire_ahead_months: the most months every planned hire can be brought forward.
2. pre_receipt_wte: the largest team before the first receipt (the plan's WTE before it, scaled;
   staff from the receipt on stay as planned).
3. minimum_facility_limit: the smallest revolving facility that keeps cash at the minimum.
4. minimum_opening_cash: the smallest opening share capital that does, with the facility as it is.

Each keeps cash at or above the minimum in the base case, or with P(shortfall) at most a
chosen level. Candidates are parameter overrides on one scenario (hiring ahead on a grid of
plan steps, the team on a plan restated at the first receipt), so every seek runs them as
draws of engine batches. Each answer is checked by running the engine at it (goal met) and
just beyond it (goal missed), and the checks are reported with the answer.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from modeller.engine import run
from modeller.formatting import money, month_label
from modeller.risk.goalseek import GOAL_DRAWS, Judge, Overrides, seek
from modeller.risk.replay import replay_peak_drawn
from modeller.scenario import Role, Scenario
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
    level: float | None = None               # the shortfall risk accepted (None: the base case)

    def to_dict(self) -> dict:
        return asdict(self)


def check_text(answer: dict) -> str:
    """How the engine confirmed an answer (as `Answer.to_dict` gives it), in words."""
    held, fails = answer.get("holds_at_answer"), answer.get("fails_beyond")
    if held is None:
        return "n/a"
    if not held:
        return "goal not met at the answer"
    if fails is None:
        return "goal met at the answer (nothing beyond to try)"
    return "goal met at the answer, missed just beyond" if fails else "goal also met just beyond"


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def _month_string(month: str, later: int) -> str:
    """The "YYYY-MM" month `later` months after `month` (negative: before it)."""
    return str(pd.Period(month, "M") + later)


def shift_hiring(scenario: Scenario, months: int) -> Scenario:
    """The scenario with every role's plan steps `months` earlier, none before the first month (where the
    engine would have to count them). A step linked to a contract becomes its month: the candidate is a
    what-if for the plan as it stands."""
    data = scenario_to_data(scenario)
    for role, role_data in zip(scenario.workforce.roles, data.get("workforce", {}).get("roles", []), strict=True):
        for step, step_data in zip(role.plan or (), role_data.get("plan") or [], strict=True):
            step_data["from"] = max(scenario.start, _month_string(step.from_, -months))  # "YYYY-MM" sorts as dates
    return scenario_from_data(data, "hire-ahead candidate")


def _wte_path(role_id: str, step: int) -> str:
    return f"workforce.roles.{role_id}.plan.{step}.wte"


def _plan_steps(scenario: Scenario) -> list[tuple[str, int, float, str]]:
    """(path of wte, role id, wte, from) for every plan step."""
    return [(_wte_path(r.id, i), r.id, s.wte, s.from_)
            for r in scenario.workforce.roles if r.plan for i, s in enumerate(r.plan)]


@dataclass
class _ShiftedRole:
    """One role's plan on the hire-ahead grid: which of its steps is in force at each grid month
    under each shift."""

    role: str
    paths: list[str]            # its plan steps' WTE paths, in the order the engine applies them
    wte: list[float]            # their planned WTE
    started: np.ndarray         # (shifts, grid months): some step has started
    latest: np.ndarray          # (shifts, grid months): position in `paths` of the step in force

    def overrides(self, shifts: np.ndarray, sampled: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Grid-step WTE for each row's shift, from the row's sampled step WTE where it has one."""
        step_wte = np.stack([np.broadcast_to(np.asarray(sampled.get(p, w), dtype=float), shifts.shape)
                             for p, w in zip(self.paths, self.wte, strict=True)], axis=1)
        values = np.where(self.started[shifts], np.take_along_axis(step_wte, self.latest[shifts], axis=1), 0.0)
        return {_wte_path(self.role, j): values[:, j] for j in range(values.shape[1])}


def _shifted_role(role: Role, tl: Timeline, furthest: int) -> tuple[np.ndarray, _ShiftedRole]:
    """The grid months (every month where some shift's plan changes; before the start counts as
    month 0) and the role's steps on them."""
    order = sorted(range(len(role.plan)), key=lambda i: tl.index(role.plan[i].from_))  # as the engine applies them
    starts = np.array([tl.index(role.plan[i].from_) for i in order])[None, :] - np.arange(furthest + 1)[:, None]
    months = np.unique(np.maximum(0, starts))
    # at least as many grid steps as plan steps, so every sampled step path is overridden
    months = np.concatenate([months, np.repeat(months[-1:], max(0, len(order) - len(months)))])
    started = starts[:, None, :] <= months[None, :, None]                      # (shifts, months, steps)
    latest = len(order) - 1 - np.argmax(started[..., ::-1], axis=2)            # the last step applied wins
    paths = [_wte_path(role.id, i) for i in order]
    return months, _ShiftedRole(role.id, paths, [role.plan[i].wte for i in order], started.any(axis=2), latest)


def hiring_grid(scenario: Scenario, furthest: int) -> tuple[Scenario, Overrides]:
    """One scenario whose plans carry a step wherever any shift 0..furthest changes WTE, and the
    overrides that make a row hire k months ahead: the same engine lines as
    `shift_hiring(scenario, k)`, so all candidates run as draws of one batch."""
    tl, data = Timeline(scenario.start, scenario.months), scenario_to_data(scenario)
    shifted = []
    for role, role_data in zip(scenario.workforce.roles, data.get("workforce", {}).get("roles", []), strict=True):
        if not role.plan:
            continue
        months, grid_role = _shifted_role(role, tl, furthest)
        planned = grid_role.overrides(np.zeros(1, dtype=int), {})
        role_data["plan"] = [{"from": _month_string(scenario.start, int(m)), "wte": float(w[0])}
                             for m, w in zip(months, planned.values(), strict=True)]
        shifted.append(grid_role)

    def overrides(shifts: np.ndarray, sampled: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        k = np.asarray(shifts, dtype=int)
        return {p: v for r in shifted for p, v in r.overrides(k, sampled).items()}

    return scenario_from_data(data, "hire-ahead grid"), overrides


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
    # a step moved before the model's first month starts there, so the latest step bounds the search
    furthest = min(MAX_HIRE_AHEAD_MONTHS, max(tl.index(f) for *_, f in steps))
    if furthest <= 0:
        return Answer(q, None, "months", "All planned hiring already starts in the model's first month: "
                      "there is nothing to bring forward.", judge.basis)
    # step 0 is the plan itself: the judged draws' shortfalls there are already known
    found = seek(judge, *hiring_grid(scenario, furthest), furthest, {0: judge.replay_flows().short})
    if found.step < 0:
        return Answer(q, None, "months", "Even hiring to plan takes cash below the minimum: find more "
                      "funding before hiring ahead.", judge.basis, holds_at_answer=False)
    good, beyond = found.step, found.fails_beyond
    if good == 0:
        return Answer(q, 0.0, "months", "You cannot bring hiring forward: even one month earlier than planned "
                      f"takes cash below the {money(scenario.funding.minimum_cash)} minimum.", judge.basis,
                      found.holds, beyond)
    first_hire = min(tl.index(f) for *_, f in steps) - good
    start = _first_contract_start(scenario, tl)
    when = month_label(scenario.start, first_hire) if first_hire >= 0 else "the model's first month"
    lead = "" if start is None or start <= max(first_hire, 0) else \
        f", {_months(start - max(first_hire, 0))} before the first contract starts in {month_label(scenario.start, start)}"
    limit = f"at {_months(good + 1)} cash falls below the minimum" if beyond is not None else \
        f"{_months(furthest)} earlier puts every hire in the model's first month"
    sentence = (f"You can bring every planned hire forward by up to {_months(good)} (first staff in post "
                f"from {when}{lead}) and keep cash at or above the {money(scenario.funding.minimum_cash)} "
                f"minimum; {limit}.")
    return Answer(q, float(good), "months", sentence, judge.basis, found.holds, beyond)


@dataclass
class PreReceiptTeam:
    """The plan with each role's WTE restated at the first receipt, so that scaling the steps before
    it changes only the team in post before the money arrives (later WTE stays as planned)."""

    scenario: Scenario
    first_receipt: int | None        # month of the first contract receipt (None: none in the horizon)
    wte: dict[str, float]            # path of each plan step before that month -> its planned WTE
    restated: dict[str, str]         # path of each step added at that month -> the step it carries on
    planned: float                   # most WTE the plans hold in a month before it

    def overrides(self, scales: np.ndarray, sampled: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The steps before the first receipt at `scales` × plan (× the sampled WTE where a draw has
        one), one row per scale; the steps restating them at the receipt keep their unscaled WTE."""
        sampled, scales = sampled or {}, np.asarray(scales, dtype=float)
        out = {p: scales * sampled.get(p, w) for p, w in self.wte.items()}
        out.update({p: sampled[src] for p, src in self.restated.items() if src in sampled})
        return out


def pre_receipt_plan(scenario: Scenario) -> PreReceiptTeam:
    """The steps to scale and the scenario to scale them in (base case's first receipt)."""
    base = run(scenario)
    tl, first = base.timeline, base.kpis()["first_receipt_month"]
    receipt = tl.months if first is None else first
    data, wte, restated, planned = scenario_to_data(scenario), {}, {}, np.zeros(tl.months)
    for role, role_data in zip(scenario.workforce.roles, data.get("workforce", {}).get("roles", []), strict=True):
        before = [i for i, s in enumerate(role.plan or []) if tl.index(s.from_) < receipt]
        if not before:
            continue
        wte.update({_wte_path(role.id, i): role.plan[i].wte for i in before})
        planned += base.detail["roles"][role.id].target_wte[0]
        if receipt < tl.months and all(tl.index(s.from_) != receipt for s in role.plan):
            # the step in force at the receipt, restated there; appended last, so it wins from then on
            carried = max(before, key=lambda i: (tl.index(role.plan[i].from_), i))
            role_data["plan"].append({"from": _month_string(scenario.start, receipt), "wte": role.plan[carried].wte})
            restated[_wte_path(role.id, len(role.plan))] = _wte_path(role.id, carried)
    most = float(planned[:receipt].max()) if receipt > 0 else 0.0
    return PreReceiptTeam(scenario_from_data(data, "pre-receipt team"), first, wte, restated, most)


def pre_receipt_team(scenario: Scenario, judge: Judge) -> Answer:
    """The largest scale of the WTE in post before the first receipt that still meets the goal;
    staff from the first receipt on stay as planned."""
    q, team = "pre_receipt_wte", pre_receipt_plan(scenario)
    if not team.wte or team.planned <= 0:
        return Answer(q, None, "WTE", "No staff are planned before the first contract receipt.", judge.basis)
    last = round(MAX_TEAM_SCALE / TEAM_SCALE_STEP)
    as_planned = round(1 / TEAM_SCALE_STEP)    # scale 1: the plan itself, whose shortfalls are known
    found = seek(judge, team.scenario, lambda k, sampled: team.overrides(np.asarray(k) * TEAM_SCALE_STEP, sampled),
                 last, {as_planned: judge.replay_flows().short})
    if found.step < 0:
        return Answer(q, None, "WTE", "Even with no staff before the first receipt cash falls below the minimum.",
                      judge.basis, holds_at_answer=False)
    good = found.step * TEAM_SCALE_STEP
    receipt_text = "the first contract receipt" if team.first_receipt is None else \
        f"the first contract receipt in {month_label(scenario.start, team.first_receipt)}"
    sentence = (f"You can take on up to {good * team.planned:,.1f} WTE before {receipt_text} "
                f"({good:.2f} × the {team.planned:,.1f} WTE planned, staff after it as planned) and keep cash "
                "at or above the minimum"
                + ("." if found.fails_beyond is not None else f"; {MAX_TEAM_SCALE:g} × the plan is as far as this looks."))
    return Answer(q, good * team.planned, "WTE", sentence, judge.basis, found.holds, found.fails_beyond)


def _facility_need(scenario: Scenario, judge: Judge) -> float:
    """The facility the goal needs, to £1,000: with an unlimited facility each draw's peak drawn is
    exactly the limit it needs (a larger limit changes nothing), so the answer is that peak's quantile.
    The peaks come from replaying the cash roll-forward (`replay`), the same as an engine run."""
    peak = replay_peak_drawn(scenario, judge.replay_flows(), UNLIMITED)
    need = np.percentile(peak, 100 * (1 - (judge.level or 0.0)), method="inverted_cdf")
    return math.ceil(need / MONEY_STEP - 1e-9) * MONEY_STEP


def minimum_facility(scenario: Scenario, judge: Judge) -> Answer:
    """The smallest facility limit that meets the goal (see `_facility_need`)."""
    q, path = "minimum_facility_limit", "funding.facility.limit"
    value = _facility_need(scenario, judge)
    steps = {path: np.array([value, value - MONEY_STEP])}      # step 0: the answer; step 1: £1,000 less
    checks = judge.confirm(scenario, lambda k, _: {p: v[k] for p, v in steps.items()}, 0, 1) if value > 0 \
        else (True, None)
    have = scenario.funding.facility.limit
    sentence = (f"The smallest revolving facility that keeps cash at or above the "
                f"{money(scenario.funding.minimum_cash)} minimum is {money(value)} (the scenario has {money(have)})."
                if value > 0 else "You need no facility: cash stays at or above the minimum without one.")
    return Answer(q, value, "£", sentence, judge.basis, bool(checks[0]), checks[1])


def minimum_opening_cash(scenario: Scenario, judge: Judge) -> Answer:
    """The smallest opening share capital that meets the goal with the facility as it is."""
    q, path = "minimum_opening_cash", "funding.opening_cash"
    # the facility's whole need paid in as capital instead is (nearly always) enough: start there
    high = scenario.funding.opening_cash + 1.1 * _facility_need(scenario, judge)
    high = math.ceil(max(high, MONEY_STEP) / MONEY_STEP) * MONEY_STEP
    while True:  # steps down from an amount that is enough to none at all
        found = seek(judge, scenario, lambda k, _, top=high: {path: top - np.asarray(k) * MONEY_STEP},
                     round(high / MONEY_STEP))
        if found.step >= 0:
            break
        high *= 4
        if high > UNLIMITED:
            return Answer(q, None, "£", "No amount of opening cash keeps cash above the minimum.", judge.basis)
    good = high - found.step * MONEY_STEP
    if good <= 0:
        return Answer(q, 0.0, "£", "You need no opening share capital beyond the funding already planned.",
                      judge.basis, found.holds, None)
    sentence = (f"You need at least {money(good)} of opening share capital (the scenario has "
                f"{money(scenario.funding.opening_cash)}) to keep cash at or above the minimum with the "
                f"{money(scenario.funding.facility.limit)} facility.")
    return Answer(q, good, "£", sentence, judge.basis, found.holds, found.fails_beyond)


def judge_for(scenario: Scenario, shortfall_probability: float | None = None, draws: int | None = None,
              seed: int | None = None, monte_carlo=None) -> Judge:
    """The judge of the answers: the base case, or P(shortfall) over `draws` (1,000) draws of their own;
    given a Monte Carlo (`MonteCarloResult`) of at least 1,000 draws, its first 1,000 and their flows."""
    if monte_carlo is None:
        return Judge(scenario, shortfall_probability, draws or GOAL_DRAWS, seed)
    mc, level = monte_carlo, shortfall_probability
    if level is None:
        return Judge(scenario, None, seed=mc.seed, flows=mc.base_flows)
    if mc.goal_flows is not None and mc.goal_flows.draws >= GOAL_DRAWS:
        return Judge(scenario, level, GOAL_DRAWS, mc.seed, of_draws=mc.draws, flows=mc.goal_flows)
    return Judge(scenario, level, GOAL_DRAWS, mc.seed)


def commitment(scenario: Scenario, shortfall_probability: float | None = None,
               draws: int | None = None, seed: int | None = None, monte_carlo=None) -> dict[str, Answer]:
    """All four answers, for the base case or with P(shortfall) ≤ `shortfall_probability`.

    With `monte_carlo` (the run of this scenario the person made) its draws and flows are
    reused, not run again (see `judge_for`); `draws` and `seed` are then ignored."""
    judge = judge_for(scenario, shortfall_probability, draws, seed, monte_carlo)
    answers = [hire_ahead(scenario, judge), pre_receipt_team(scenario, judge),
               minimum_facility(scenario, judge), minimum_opening_cash(scenario, judge)]
    for a in answers:
        a.level = judge.level
    return {a.question: a for a in answers}
