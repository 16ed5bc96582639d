"""Staff: target WTE from a plan or an activity driver, fill rate, agency cover, on-costs,
recruitment lead time and cost, attrition, secondment, notice (DESIGN §4 "Workforce")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Role, Scenario
from modeller.timeline import Timeline, delay, rows


@dataclass
class RoleLines:
    """One role's monthly series, each (draws, months)."""

    target_wte: np.ndarray
    in_post_wte: np.ndarray
    agency_wte: np.ndarray
    hires_wte: np.ndarray        # new posts starting in the month
    leavers_wte: np.ndarray
    loaded_pay_per_wte: np.ndarray  # monthly: salary + employer NI + pension + other
    staff_cost: np.ndarray       # in-post WTE x loaded pay (employed or seconded)
    agency_cost: np.ndarray
    recruitment_cost: np.ndarray  # new posts (paid lead months ahead) and replacing leavers
    staff_paid: np.ndarray       # cash for staff_cost: in month (direct) or a month in arrears (seconded)
    exit_cost: np.ndarray        # notice pay for committed WTE if the venture stopped this month


def loaded_pay_per_wte(inp: Inputs, role: Role, tl: Timeline) -> np.ndarray:
    """Monthly cost of one WTE: salary*idx/12 + NI above the threshold + pension and other on-costs."""
    oc, s = inp.scenario.workforce.on_costs, inp.scenario
    salary = inp.num(f"workforce.roles.{role.id}.salary", role.salary)
    annual = salary * tl.index_factor(inp.num("indexation.pay", s.indexation.pay))
    ni_rate = inp.num("workforce.on_costs.employer_ni_rate", oc.employer_ni_rate)
    threshold = inp.num("workforce.on_costs.ni_threshold", oc.ni_threshold)
    pension = inp.num("workforce.on_costs.pension_rate", oc.pension_rate)
    other = inp.num("workforce.on_costs.other_rate", oc.other_rate)
    return annual / 12 + ni_rate * np.maximum(0.0, annual - threshold) / 12 + (pension + other) * annual / 12


def _plan_wte(inp: Inputs, role: Role, tl: Timeline) -> np.ndarray:
    """Target WTE as a step function of the plan; 0 before the first step."""
    wte = np.zeros((1, tl.months))
    for i, step in sorted(enumerate(role.plan), key=lambda p: tl.index(p[1].from_)):
        value = inp.num(f"workforce.roles.{role.id}.plan.{i}.wte", step.wte)
        wte = np.where(tl.m >= tl.index(step.from_), value, wte)
    return wte


def role_lines(inp: Inputs, role: Role, tl: Timeline, expected: dict, drawn: dict) -> RoleLines:
    """All series for one role over all draws."""
    base = f"workforce.roles.{role.id}"
    months = tl.months
    if role.plan is not None:
        target = rows(_plan_wte(inp, role, tl), months)
        required = target
    else:
        drv = role.driver
        per_wte = inp.num(f"{base}.driver.units_per_wte_month", drv.units_per_wte_month)
        share = inp.num(f"{base}.driver.share", drv.share)
        target = rows(expected[drv.activity] * share / per_wte, months)
        required = rows(drawn[drv.activity] * share / per_wte, months)
    in_post = target * inp.num(f"{base}.fill_rate", role.fill_rate)
    agency = np.maximum(0.0, required - in_post)
    loaded = rows(loaded_pay_per_wte(inp, role, tl), months)
    salary_now = inp.num(f"{base}.salary", role.salary) * tl.index_factor(
        inp.num("indexation.pay", inp.scenario.indexation.pay))
    agency_cost = agency * salary_now / 12 * (1 + inp.num(f"{base}.agency_premium", role.agency_premium))
    hires = np.maximum(0.0, np.diff(in_post, axis=1, prepend=0.0))
    leavers = in_post * inp.num(f"{base}.attrition_annual", role.attrition_annual) / 12
    per_hire = inp.num(f"{base}.recruit_cost_per_wte", role.recruit_cost_per_wte)
    lead = inp.whole(f"{base}.recruit_lead_months", role.recruit_lead_months)
    recruitment = delay(hires * per_hire, -lead) + leavers * per_hire
    staff_cost = in_post * loaded
    staff_paid = delay(staff_cost, 1) if role.employment == "seconded" else staff_cost
    notice = inp.num(f"{base}.notice_months", role.notice_months)
    ahead = np.minimum(tl.m[None, :] + lead[:, None], months - 1)
    committed = np.maximum(in_post, np.take_along_axis(in_post, ahead, axis=1))
    return RoleLines(target, in_post, agency, hires, leavers, loaded, staff_cost, agency_cost,
                     recruitment, staff_paid, notice * loaded * committed)


@dataclass(frozen=True)
class RecruitmentStep:
    """A rise in one role's planned WTE and the recruiting it needs, at the scenario's own values.

    Months are model month indices (0 is the start; negative before it). The engine books
    `cost` in `recruit_month` (or month 0 if that is before the start) as part of the role's
    `recruitment_cost`, beside the cost of replacing leavers; a step after the horizon is
    listed but never booked."""

    role: str                 # role id
    from_wte: float           # target WTE before the step
    to_wte: float             # target WTE from `post_month`
    recruit_month: int        # recruiting starts: the step's month less the role's lead time
    post_month: int           # the posts are needed (the plan step's `from`)
    lead_months: int
    new_wte: float            # posts to fill: the rise in target WTE x fill rate
    cost: float               # new_wte x recruitment cost per WTE


def recruitment_steps(scenario: Scenario) -> list[RecruitmentStep]:
    """Every step up in every role's staffing plan, role by role and month by month.

    Steps in one month count as the engine applies them: the last listed wins. Roles sized from
    demand have no steps (they recruit `recruit_lead_months` ahead of it, month by month)."""
    tl, out = Timeline(scenario.start, scenario.months), []
    for role in scenario.workforce.roles:
        in_force = {tl.index(s.from_): s.wte for s in sorted(role.plan or [], key=lambda s: tl.index(s.from_))}
        previous = 0.0
        for month, wte in in_force.items():
            if wte > previous + 1e-9:
                new = (wte - previous) * role.fill_rate
                out.append(RecruitmentStep(role.id, previous, wte, month - role.recruit_lead_months, month,
                                           role.recruit_lead_months, new, new * role.recruit_cost_per_wte))
            previous = wte
    return out
