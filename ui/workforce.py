"""Workforce tables: pay and on-costs by role, and when recruiting must start for each step up."""

from __future__ import annotations

import pandas as pd

from modeller import workforce
from modeller.formatting import unit_value
from modeller.result import Result
from ui import fmt

PAY_RATE_COLUMNS = ["Role", "Employment", "Salary £/WTE", "With on-costs £/WTE", "On-costs"]
PAY_TOTAL_COLUMNS = ["Role", "Peak WTE in post", "Staff cost", "Agency cost", "Recruitment cost"]


def pay_table(result: Result) -> pd.DataFrame:
    """Per role: salary, loaded pay per WTE in the first month, and totals over the plan."""
    wf, rows = result.workforce(), []
    for role in result.scenario.workforce.roles:
        detail = result.detail["roles"][role.id]
        loaded = float(detail.loaded_pay_per_wte[0][0]) * 12
        rows.append({
            "Role": role.name,
            "Employment": role.employment,
            "Salary £/WTE": fmt.money(role.salary),
            "With on-costs £/WTE": fmt.money(loaded),
            "On-costs": fmt.pct(loaded / role.salary - 1 if role.salary else None),
            "Peak WTE in post": f"{wf[('in_post_wte', role.id)].max():,.1f}",
            "Staff cost": fmt.money(wf[("staff_cost", role.id)].sum()),
            "Agency cost": fmt.money(wf[("agency_cost", role.id)].sum()),
            "Recruitment cost": fmt.money(wf[("recruitment_cost", role.id)].sum()),
        })
    return pd.DataFrame(rows)


def recruitment_steps(result: Result) -> pd.DataFrame:
    """One row per step up in a role's plan (`modeller.workforce.recruitment_steps`): when recruiting
    starts and when the posts are needed, as words for the table and first days for the chart."""
    start, names = result.scenario.start, {r.id: r.name for r in result.scenario.workforce.roles}
    return pd.DataFrame([{
        "Role": names[step.role],
        "Step": f"{step.from_wte:g} → {step.to_wte:g} WTE",
        "Start recruiting": fmt.month(start, step.recruit_month) + (" (before the start)" if step.recruit_month < 0
                                                                    else ""),
        "Posts needed from": fmt.month(start, step.post_month),
        "Lead time": unit_value(step.lead_months, "months"),
        "New posts (WTE)": round(step.new_wte, 1),
        "recruit_date": _first_day(start, step.recruit_month),
        "step_date": _first_day(start, step.post_month),
    } for step in workforce.recruitment_steps(result.scenario)])


def name_width(names) -> int:
    """Pixels a table column needs to show the longest of these names whole (about 7 px a character)."""
    return max(120, int(7 * max((len(n) for n in names), default=0)) + 24)


def driven_roles(result: Result) -> list[str]:
    """Roles sized from demand rather than a plan (recruited continuously)."""
    return [f"{r.name}: recruits {r.recruit_lead_months} months ahead of demand"
            for r in result.scenario.workforce.roles if r.driver is not None]


def _first_day(start: str, month: int) -> pd.Timestamp:
    """The first day of model month `month` (negative: before the start)."""
    return (pd.Period(start, "M") + month).to_timestamp()
