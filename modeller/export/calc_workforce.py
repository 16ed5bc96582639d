"""Workforce sheet: WTE (target, in post, agency), loaded pay, recruitment, secondment, exit cost."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.calc_activity import units_ref
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import MONTH_ROW, Sheet, new_sheet, shift
from modeller.export.timeline_sheet import tref
from modeller.scenario import Role, Scenario, month_number

TOTALS = [("employed_pay", "Pay: employed staff", S.MONEY), ("seconded_pay", "Pay: seconded staff", S.MONEY),
          ("agency_cost", "Pay: agency cover", S.MONEY), ("recruitment", "Recruitment", S.MONEY),
          ("staff_paid", "Staff costs paid (employed and seconded)", S.MONEY),
          ("exit_cost", "Notice pay if stopped this month", S.MONEY),
          ("target", "WTE: target", S.WTE), ("in_post", "WTE: in post", S.WTE),
          ("agency", "WTE: agency cover", S.WTE), ("wte", "WTE: in post and agency", S.WTE)]


def _plan(role: Role, b: str, sc: Scenario) -> str:
    """Target WTE: a step function of the plan, later steps (by date, then file order) win; 0 before."""
    order = sorted(range(len(role.plan)), key=lambda i: month_number(role.plan[i].from_))
    expr = "0"
    for i in order:
        expr = f"IF({{c}}$2>={b}_plan_{i}_from_m,{b}_plan_{i}_wte,{expr})"
    return expr


def _role(s: Sheet, r: Role, sc: Scenario, t: Sheet, act: Sheet) -> None:
    b = n(f"workforce.roles.{r.id}")
    k = f"{r.id}."
    s.section(f"{r.id}: {r.name}")
    if r.plan is not None:
        s.row(k + "target", "Target WTE (plan)", "WTE", _plan(r, b, sc), S.WTE, total=False)
        required = s.ref(k + "target")
    else:
        u = units_ref(act, r.driver.activity)
        drv = f"{b}_driver_share/{b}_driver_units_per_wte_month"
        s.row(k + "target", "Target WTE (expected activity)", "WTE", f"{u}*{drv}", S.WTE, total=False)
        s.row(k + "required", "Required WTE (activity)", "WTE", f"{u}*{drv}", S.WTE, total=False)
        required = s.ref(k + "required")
    s.row(k + "in_post", "WTE in post", "WTE", f"{s.ref(k + 'target')}*{b}_fill_rate", S.WTE, total=False)
    in_post = s.ref(k + "in_post")
    s.row(k + "agency", "Agency cover WTE", "WTE", f"MAX(0,{required}-{in_post})", S.WTE, total=False)
    s.row(k + "wte", "WTE in post and agency", "WTE", f"{in_post}+{s.ref(k + 'agency')}", S.WTE, total=False)
    s.row(k + "salary", "Salary at this year's pay", "£ a year", f"{b}_salary*{tref(t, 'pay_index')}",
          total=False)
    sal = s.ref(k + "salary")
    s.row(k + "loaded", "Loaded pay per WTE", "£ a month",
          f"{sal}/12+workforce_on_costs_employer_ni_rate*MAX(0,{sal}-workforce_on_costs_ni_threshold)/12"
          f"+(workforce_on_costs_pension_rate+workforce_on_costs_other_rate)*{sal}/12", S.MONEY_P, total=False)
    s.row(k + "staff_cost", "Staff cost (in post)", "£", f"{in_post}*{s.ref(k + 'loaded')}")
    cost = s.ref(k + "staff_cost")
    seconded = f'{b}_employment="seconded"'
    s.row(k + "employed_pay", "  of which employed", "£", f"IF({seconded},0,{cost})")
    s.row(k + "seconded_pay", "  of which seconded", "£", f"IF({seconded},{cost},0)")
    s.row(k + "agency_cost", "Agency cost", "£", f"{s.ref(k + 'agency')}*{sal}/12*(1+{b}_agency_premium)")
    s.row(k + "hires", "New posts starting", "WTE", f"MAX(0,{in_post}-{{p}}{s.rows[k + 'in_post']})", S.WTE)
    s.row(k + "hire_cost", "Recruitment cost of new posts, at their start", "£",
          f"{s.ref(k + 'hires')}*{b}_recruit_cost_per_wte")
    s.row(k + "hire_paid", "  paid recruitment lead time ahead", "£",
          shift(s, k + "hire_cost", f"-{b}_recruit_lead_months", s))
    s.row(k + "leavers", "Leavers (replaced)", "WTE", f"{in_post}*{b}_attrition_annual/12", S.WTE)
    s.row(k + "recruitment", "Recruitment", "£",
          f"{s.ref(k + 'hire_paid')}+{s.ref(k + 'leavers')}*{b}_recruit_cost_per_wte")
    s.row(k + "staff_paid", "Staff cost paid (seconded: a month in arrears)", "£",
          f"IF({seconded},{{p}}{s.rows[k + 'staff_cost']},{cost})")
    s.row(k + "committed", "Committed WTE (max of now and lead time ahead)", "WTE",
          f"MAX({in_post},SUMIFS({s.rng(k + 'in_post')},{s.rng(MONTH_ROW)},"
          f"MIN({{c}}$2+{b}_recruit_lead_months,model_last_month)))", S.WTE, total=False)
    s.row(k + "exit_cost", "Notice pay if stopped this month", "£",
          f"{b}_notice_months*{s.ref(k + 'loaded')}*{s.ref(k + 'committed')}", total=False)


def write_workforce(wb, sc: Scenario, t: Sheet, act: Sheet) -> Sheet:
    s = new_sheet(wb, "Workforce", sc.months, t, "staff by role: WTE, pay, recruitment, notice")
    roles = sc.workforce.roles
    for r in roles:
        _role(s, r, sc, t, act)
    s.section("All roles")
    for key, label, fmt in TOTALS:
        parts = "+".join(s.ref(f"{r.id}.{key}", s) for r in roles) or "0"
        s.row("_total." + key, label, "WTE" if fmt == S.WTE else "£", parts, fmt, total=fmt != S.WTE and key != "exit_cost", bold=True)
    s.section("Balances: owed to host bodies for seconded staff (cumulative)")
    for r in roles:
        s.row(f"_balance.{r.id}", f"{r.id}: cost less paid", "£",
              f"{{p}}{s.next_row}+{s.ref(r.id + '.staff_cost')}-{s.ref(r.id + '.staff_paid')}", total=False)
    return s
