"""Staff: target WTE from a plan or an activity driver, fill rate, agency cover, on-costs,
recruitment lead time and cost, attrition, secondment, notice (DESIGN §4 "Workforce")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from modeller.inputs import Inputs
from modeller.scenario import Role, Scenario
from modeller.timeline import Timeline, delay, rows, step_mask


@dataclass
class RoleLines:
    """One role's monthly series, each (draws, months)."""

    target_wte: np.ndarray
    in_post_wte: np.ndarray      # recruited and transferred staff
    agency_wte: np.ndarray
    hires_wte: np.ndarray        # new posts starting in the month
    leavers_wte: np.ndarray
    loaded_pay_per_wte: np.ndarray  # monthly: salary + employer NI + pension + other (recruited staff)
    staff_cost: np.ndarray       # in-post WTE x loaded pay (employed or seconded)
    agency_cost: np.ndarray
    recruitment_cost: np.ndarray  # new posts (paid lead months ahead) and replacing leavers
    staff_paid: np.ndarray       # cash for staff_cost: in month (direct) or a month in arrears (seconded)
    exit_cost: np.ndarray        # notice and redundancy pay for committed WTE if the venture stopped this month
    transferred_wte: np.ndarray  # in post by a TUPE transfer (part of in_post_wte)
    salary_cost: np.ndarray      # the salaries within staff_cost: the pay bill the levy is charged on
    employer_ni: np.ndarray      # the employer NI within staff_cost


@dataclass
class EmployerLines:
    """Charges on the employer as a whole (directly employed staff only), each (draws, months)."""

    levy: np.ndarray             # apprenticeship levy
    allowance: np.ndarray        # Employment Allowance taken off employer NI (a positive amount)

    @property
    def net(self) -> np.ndarray:
        return self.levy - self.allowance


@dataclass
class _Pay:
    """Monthly pay of one WTE on some terms: salary, employer NI and the rest of the on-costs."""

    salary: np.ndarray
    ni: np.ndarray
    loaded: np.ndarray


def _pay(inp: Inputs, tl: Timeline, salary, pension, wte_per_person) -> _Pay:
    """Salary x pay index / 12; NI on each person's pay above the threshold, per WTE; pension and other."""
    oc, s = inp.scenario.workforce.on_costs, inp.scenario
    annual = salary * tl.index_factor(inp.num("indexation.pay", s.indexation.pay))
    ni_rate = inp.num("workforce.on_costs.employer_ni_rate", oc.employer_ni_rate)
    threshold = inp.num("workforce.on_costs.ni_threshold", oc.ni_threshold)
    other = inp.num("workforce.on_costs.other_rate", oc.other_rate)
    ni = ni_rate * np.maximum(0.0, annual * wte_per_person - threshold) / wte_per_person / 12
    return _Pay(annual / 12, ni, annual / 12 + ni + (pension + other) * annual / 12)


def role_pension(inp: Inputs, role: Role):
    """The role's employer pension rate: its own, else the workforce's on-cost rate."""
    if role.pension_rate is None:
        return inp.num("workforce.on_costs.pension_rate", inp.scenario.workforce.on_costs.pension_rate)
    return inp.num(f"workforce.roles.{role.id}.pension_rate", role.pension_rate)


def role_pay(inp: Inputs, role: Role, tl: Timeline) -> _Pay:
    base = f"workforce.roles.{role.id}"
    return _pay(inp, tl, inp.num(f"{base}.salary", role.salary), role_pension(inp, role),
                inp.num(f"{base}.wte_per_person", role.wte_per_person))


def loaded_pay_per_wte(inp: Inputs, role: Role, tl: Timeline) -> np.ndarray:
    """Monthly cost of one WTE: salary*idx/12 + NI above each person's threshold + pension and other on-costs."""
    return role_pay(inp, role, tl).loaded


def _plan_wte(inp: Inputs, role: Role, tl: Timeline) -> np.ndarray:
    """Target WTE as a step function of the plan; 0 before the first step."""
    wte, in_force_from = np.zeros((1, tl.months)), np.full((1, tl.months), -np.inf)
    base = f"workforce.roles.{role.id}.plan"
    # the step with the latest month on or before m is in force (on a tie, the later listed): months may differ
    # from draw to draw (a step linked to a contract whose start delay is drawn), so no one order fits every draw
    for i, step in enumerate(role.plan):
        month = inp.month(f"{base}.{i}.from", step.from_)[:, None]
        takes = step_mask(tl, month[:, 0]) & (month >= in_force_from)
        wte = np.where(takes, inp.num(f"{base}.{i}.wte", step.wte), wte)
        in_force_from = np.where(takes, month, in_force_from)
    return wte


def rolling_peak(need: np.ndarray) -> np.ndarray:
    """The highest of this month and the 11 before it (months before month 0 count as 0)."""
    padded = np.concatenate([np.zeros((need.shape[0], 11)), need], axis=1)
    return sliding_window_view(padded, 12, axis=1).max(axis=-1)


def _target_and_required(inp: Inputs, role: Role, tl: Timeline, expected: dict, drawn: dict):
    """Target WTE (what is recruited to) and required WTE (what the month's work needs)."""
    if role.plan is not None:
        target = rows(_plan_wte(inp, role, tl), tl.months)
        return target, target
    drv, base = role.driver, f"workforce.roles.{role.id}.driver"
    per_wte = inp.num(f"{base}.units_per_wte_month", drv.units_per_wte_month)
    share = inp.num(f"{base}.share", drv.share)
    need = rows(expected[drv.activity] * share / per_wte, tl.months)
    target = rolling_peak(need) if drv.staffing_basis == "rolling_peak" else need
    return target, rows(drawn[drv.activity] * share / per_wte, tl.months)


@dataclass
class _Transfers:
    wte: np.ndarray       # in post by transfer
    cost: np.ndarray      # their loaded pay
    salary: np.ndarray    # their salaries
    ni: np.ndarray
    weekly: np.ndarray    # a week's salary of all of them, for redundancy


def _transfers(inp: Inputs, role: Role, tl: Timeline) -> _Transfers:
    """Staff arriving in post on their dates, each group on its own salary and pension rate."""
    base = f"workforce.roles.{role.id}"
    zero = np.zeros((1, tl.months))
    out = _Transfers(zero, zero, zero, zero, zero)
    for i, t in enumerate(role.transfers):
        path = f"{base}.transfers.{i}"
        wte = step_mask(tl, inp.month(f"{path}.from", t.from_)) * inp.num(f"{path}.wte", t.wte)
        pension = role_pension(inp, role) if t.pension_rate is None else inp.num(f"{path}.pension_rate",
                                                                                t.pension_rate)
        pay = _pay(inp, tl, inp.num(f"{path}.salary", t.salary), pension,
                   inp.num(f"{base}.wte_per_person", role.wte_per_person))
        out = _Transfers(out.wte + wte, out.cost + wte * pay.loaded, out.salary + wte * pay.salary,
                         out.ni + wte * pay.ni, out.weekly + wte * pay.salary * 12 / 52)
    return out


def role_lines(inp: Inputs, role: Role, tl: Timeline, expected: dict, drawn: dict) -> RoleLines:
    """All series for one role over all draws."""
    base = f"workforce.roles.{role.id}"
    months = tl.months
    target, required = _target_and_required(inp, role, tl, expected, drawn)
    moved = _transfers(inp, role, tl)
    # transferred staff fill the establishment first; recruits make up the rest
    recruited = np.maximum(0.0, target * inp.num(f"{base}.fill_rate", role.fill_rate) - moved.wte)
    in_post = recruited + moved.wte
    agency = np.maximum(0.0, required - in_post)
    pay = role_pay(inp, role, tl)
    loaded = rows(pay.loaded, months)
    agency_cost = agency * pay.salary * (1 + inp.num(f"{base}.agency_premium", role.agency_premium))
    hires = np.maximum(0.0, np.diff(recruited, axis=1, prepend=0.0))
    leavers = in_post * inp.num(f"{base}.attrition_annual", role.attrition_annual) / 12
    per_hire = inp.num(f"{base}.recruit_cost_per_wte", role.recruit_cost_per_wte)
    lead = inp.whole(f"{base}.recruit_lead_months", role.recruit_lead_months)
    recruitment = delay(hires * per_hire, -lead) + leavers * per_hire
    staff_cost = recruited * loaded + moved.cost
    staff_paid = delay(staff_cost, 1) if role.employment == "seconded" else staff_cost
    ahead = np.minimum(tl.m[None, :] + lead[:, None], months - 1)
    committed = np.maximum(recruited, np.take_along_axis(recruited, ahead, axis=1))
    notice = inp.num(f"{base}.notice_months", role.notice_months)
    weeks = inp.num(f"{base}.redundancy_weeks", role.redundancy_weeks)
    exit_cost = (notice * (loaded * committed + moved.cost)
                 + weeks * (pay.salary * 12 / 52 * committed + moved.weekly))
    return RoleLines(target, in_post, agency, hires, leavers, loaded, staff_cost, agency_cost,
                     recruitment, staff_paid, exit_cost, rows(moved.wte, months),
                     recruited * pay.salary + moved.salary, recruited * pay.ni + moved.ni)


def year_to_date(x: np.ndarray, tl: Timeline) -> np.ndarray:
    """Running total of a (draws, months) series within each NHS year."""
    total = np.cumsum(x, axis=1)
    first = np.searchsorted(tl.fy_number, tl.fy_number)        # each month's year's first month
    before = np.where(first > 0, total[:, np.maximum(first - 1, 0)], 0.0)
    return total - before


def employer_lines(inp: Inputs, tl: Timeline, roles: dict[str, RoleLines]) -> EmployerLines:
    """Apprenticeship levy and Employment Allowance on the directly employed pay bill (model book, "Staff").

    Both run on NHS years to date: the levy to date is rate x pay to date less the allowance's
    twelfth for each month of the year so far (never below 0); the Employment Allowance is taken
    off employer NI as it falls due until the year's amount is used up. Each month books the change."""
    wf, shape = inp.scenario.workforce, (inp.draws, tl.months)
    direct = [r for r in wf.roles if r.employment == "direct"]
    pay_bill = np.broadcast_to(sum((roles[r.id].salary_cost for r in direct), np.zeros((1, tl.months))), shape)
    ni = np.broadcast_to(sum((roles[r.id].employer_ni for r in direct), np.zeros((1, tl.months))), shape)
    rate = inp.num("workforce.on_costs.levy_rate", wf.on_costs.levy_rate)
    allowance = inp.num("workforce.on_costs.levy_allowance", wf.on_costs.levy_allowance)
    months_in = (tl.calendar_month - 4) % 12 + 1                  # April is the year's first month
    levy_ytd = np.maximum(0.0, rate * year_to_date(pay_bill, tl) - allowance / 12 * months_in)
    used_ytd = np.minimum(year_to_date(ni, tl), inp.num("workforce.employment_allowance", wf.employment_allowance))
    return EmployerLines(_change_in_year(levy_ytd, tl), _change_in_year(used_ytd, tl))


def _change_in_year(ytd: np.ndarray, tl: Timeline) -> np.ndarray:
    """Each month's part of a year-to-date series."""
    previous = np.concatenate([np.zeros((ytd.shape[0], 1)), ytd[:, :-1]], axis=1)
    new_year = np.concatenate([[True], tl.fy_number[1:] != tl.fy_number[:-1]])
    return ytd - np.where(new_year, 0.0, previous)


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
    new_wte: float            # posts to fill: the rise in target WTE x fill rate, less posts filled by transfers
    cost: float               # new_wte x recruitment cost per WTE


def _moved(role: Role, tl: Timeline, month: int) -> float:
    """WTE transferred in by a month, at the scenario's own dates."""
    return sum(t.wte for t in role.transfers if tl.index(t.from_) <= month)


def recruitment_steps(scenario: Scenario) -> list[RecruitmentStep]:
    """Every step up in every role's staffing plan, role by role and month by month.

    Steps in one month count as the engine applies them: the last listed wins. Roles sized from
    demand have no steps (they recruit `recruit_lead_months` ahead of it, month by month)."""
    tl, out = Timeline(scenario.start, scenario.months), []
    for role in scenario.workforce.roles:
        in_force = {tl.index(s.from_): s.wte for s in sorted(role.plan or [], key=lambda s: tl.index(s.from_))}
        previous = 0.0
        for month, wte in in_force.items():
            # posts filled by staff transferring in are not recruited: the rise in recruited staff from
            # the month before, as the engine counts new posts
            now, before = (_moved(role, tl, by) for by in (month, month - 1))
            new = max(0.0, wte * role.fill_rate - now) - max(0.0, previous * role.fill_rate - before)
            if wte > previous + 1e-9 and new > 1e-9:
                out.append(RecruitmentStep(role.id, previous, wte, month - role.recruit_lead_months, month,
                                           role.recruit_lead_months, new, new * role.recruit_cost_per_wte))
            previous = wte
    return out
