"""Workforce tables: pay and on-costs by role, and when recruiting must start for each step up."""

from __future__ import annotations

import pandas as pd

from modeller.result import Result
from modeller.scenario import month_number
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
    """One row per step up in a role's plan: when recruiting starts and when the posts are needed."""
    start = result.scenario.start
    rows = []
    for role in result.scenario.workforce.roles:
        previous = 0.0
        for step in sorted(role.plan or [], key=lambda s: month_number(s.from_)):
            if step.wte > previous + 1e-9:
                due = month_number(step.from_) - month_number(start)
                begin = due - role.recruit_lead_months
                note = " (before the start)" if begin < 0 else ""
                rows.append({
                    "Role": role.name,
                    "Step": f"{previous:g} → {step.wte:g} WTE",
                    "Start recruiting": fmt.month(start, begin) + note,
                    "Posts needed from": fmt.month(start, due),
                    "Lead time": f"{role.recruit_lead_months} months",
                    "New posts (WTE)": round((step.wte - previous) * role.fill_rate, 1),
                    "recruit_date": pd.Timestamp(f"{_ym(start, begin)}-01"),
                    "step_date": pd.Timestamp(f"{_ym(start, due)}-01"),
                })
            previous = step.wte
    return pd.DataFrame(rows)


def name_width(names) -> int:
    """Pixels a table column needs to show the longest of these names whole (about 7 px a character)."""
    return max(120, int(7 * max((len(n) for n in names), default=0)) + 24)


def driven_roles(result: Result) -> list[str]:
    """Roles sized from demand rather than a plan (recruited continuously)."""
    return [f"{r.name}: recruits {r.recruit_lead_months} months ahead of demand"
            for r in result.scenario.workforce.roles if r.driver is not None]


def _ym(start: str, index: int) -> str:
    n = month_number(start) + index
    return f"{n // 12:04d}-{n % 12 + 1:02d}"
