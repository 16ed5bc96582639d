"""Workforce sheet: WTE (target, transferred, in post, agency), loaded pay, recruitment, secondment, exit cost,
apprenticeship levy and Employment Allowance."""

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
          ("exit_cost", "Notice and redundancy pay if stopped this month", S.MONEY),
          ("target", "WTE: target", S.WTE), ("in_post", "WTE: in post", S.WTE),
          ("agency", "WTE: agency cover", S.WTE), ("wte", "WTE: in post and agency", S.WTE)]


def _plan(role: Role, b: str, sc: Scenario) -> str:
    """Target WTE: a step function of the plan, later steps (by date, then file order) win; 0 before."""
    order = sorted(range(len(role.plan)), key=lambda i: month_number(role.plan[i].from_))
    expr = "0"
    for i in order:
        expr = f"IF({{c}}$2>={b}_plan_{i}_from_m,{b}_plan_{i}_wte,{expr})"
    return expr


def _rolling_peak(s: Sheet, key: str, label: str, need: str) -> None:
    """Target WTE: the highest need of this month and the 11 before it (MAX over a moving range)."""
    # INDEX(...) as the range's first cell keeps one formula shape across the row (no OFFSET)
    first = f"INDEX({s.rng(need)},1,MAX(1,{{c}}$2+2-12))"
    s.row(key, label, "WTE", f"MAX({first}:{{c}}{s.rows[need]})", S.WTE, total=False)


def _target(s: Sheet, r: Role, b: str, sc: Scenario, act: Sheet) -> str:
    """Target WTE rows (plan, or activity by the staffing basis); returns the required WTE's reference."""
    k = f"{r.id}."
    if r.plan is not None:
        s.row(k + "target", "Target WTE (plan)", "WTE", _plan(r, b, sc), S.WTE, total=False)
        return s.ref(k + "target")
    u = units_ref(act, r.driver.activity)
    drv = f"{b}_driver_share/{b}_driver_units_per_wte_month"
    s.row(k + "required", "Required WTE (activity)", "WTE", f"{u}*{drv}", S.WTE, total=False)
    if r.driver.staffing_basis == "rolling_peak":
        _rolling_peak(s, k + "target", "Target WTE (highest need of the last 12 months)", k + "required")
    else:
        s.row(k + "target", "Target WTE (this month's need)", "WTE", s.ref(k + "required"), S.WTE, total=False)
    return s.ref(k + "required")


def _pay(sal: str, pension: str, wpp: str) -> tuple[str, str]:
    """(employer NI per WTE a month, loaded pay per WTE a month) of an annual salary cell."""
    ni = f"workforce_on_costs_employer_ni_rate*MAX(0,{sal}*{wpp}-workforce_on_costs_ni_threshold)/{wpp}/12"
    return ni, f"{sal}/12+{{ni}}+({pension}+workforce_on_costs_other_rate)*{sal}/12"


def _transfers(s: Sheet, r: Role, b: str, t: Sheet) -> dict[str, str]:
    """Rows for each TUPE transfer in; sums of their WTE, loaded pay, salaries, NI and week's pay."""
    k, parts = f"{r.id}.", {"wte": [], "cost": [], "salary": [], "ni": [], "weekly": []}
    own = f"{b}_pension_rate" if r.pension_rate is not None else "workforce_on_costs_pension_rate"
    for i, tr in enumerate(r.transfers):
        tb, tk = f"{b}_transfers_{i}", f"{k}transfer_{i}."
        pension = f"{tb}_pension_rate" if tr.pension_rate is not None else own
        s.row(tk + "wte", f"Transfer {i + 1}: WTE in post", "WTE", f"IF({{c}}$2>={tb}_from_m,{tb}_wte,0)", S.WTE,
              total=False)
        s.row(tk + "salary", f"Transfer {i + 1}: salary at this year's pay", "£ a year",
              f"{tb}_salary*{tref(t, 'pay_index')}", total=False)
        ni, loaded = _pay(s.ref(tk + "salary"), pension, f"{b}_wte_per_person")
        s.row(tk + "ni", f"Transfer {i + 1}: employer NI per WTE", "£ a month", ni, S.MONEY_P, total=False)
        s.row(tk + "loaded", f"Transfer {i + 1}: loaded pay per WTE", "£ a month",
              loaded.replace("{ni}", s.ref(tk + "ni")), S.MONEY_P, total=False)
        w, sal = s.ref(tk + "wte"), s.ref(tk + "salary")
        parts["wte"].append(w)
        parts["cost"].append(f"{w}*{s.ref(tk + 'loaded')}")
        parts["salary"].append(f"{w}*{sal}/12")
        parts["ni"].append(f"{w}*{s.ref(tk + 'ni')}")
        parts["weekly"].append(f"{w}*{sal}/weeks_per_year")
    return {key: "+".join(p) or "0" for key, p in parts.items()}


def _role(s: Sheet, r: Role, sc: Scenario, t: Sheet, act: Sheet) -> None:
    b = n(f"workforce.roles.{r.id}")
    k = f"{r.id}."
    s.section(f"{r.id}: {r.name}")
    required = _target(s, r, b, sc, act)
    moved = _transfers(s, r, b, t)
    s.row(k + "transferred", "WTE in post by transfer (TUPE)", "WTE", moved["wte"], S.WTE, total=False)
    s.row(k + "recruited", "WTE recruited (target x fill rate, less transfers)", "WTE",
          f"MAX(0,{s.ref(k + 'target')}*{b}_fill_rate-{s.ref(k + 'transferred')})", S.WTE, total=False)
    recruited = s.ref(k + "recruited")
    s.row(k + "in_post", "WTE in post", "WTE", f"{recruited}+{s.ref(k + 'transferred')}", S.WTE, total=False)
    in_post = s.ref(k + "in_post")
    s.row(k + "agency", "Agency cover WTE", "WTE", f"MAX(0,{required}-{in_post})", S.WTE, total=False)
    s.row(k + "wte", "WTE in post and agency", "WTE", f"{in_post}+{s.ref(k + 'agency')}", S.WTE, total=False)
    s.row(k + "salary", "Salary at this year's pay", "£ a year", f"{b}_salary*{tref(t, 'pay_index')}",
          total=False)
    sal = s.ref(k + "salary")
    pension = f"{b}_pension_rate" if r.pension_rate is not None else "workforce_on_costs_pension_rate"
    ni, loaded = _pay(sal, pension, f"{b}_wte_per_person")
    s.row(k + "ni", "Employer NI per WTE (threshold per person)", "£ a month", ni, S.MONEY_P, total=False)
    s.row(k + "loaded", "Loaded pay per WTE", "£ a month", loaded.replace("{ni}", s.ref(k + "ni")), S.MONEY_P,
          total=False)
    s.row(k + "transfer_cost", "Staff cost of transferred staff", "£", moved["cost"])
    s.row(k + "staff_cost", "Staff cost (in post)", "£",
          f"{recruited}*{s.ref(k + 'loaded')}+{s.ref(k + 'transfer_cost')}")
    cost = s.ref(k + "staff_cost")
    seconded = f'{b}_employment="seconded"'
    s.row(k + "employed_pay", "  of which employed", "£", f"IF({seconded},0,{cost})")
    s.row(k + "seconded_pay", "  of which seconded", "£", f"IF({seconded},{cost},0)")
    s.row(k + "employed_salaries", "  salaries of employed staff (the levy's pay bill)", "£",
          f"IF({seconded},0,{recruited}*{sal}/12+{moved['salary']})")
    s.row(k + "employed_ni", "  employer NI of employed staff", "£",
          f"IF({seconded},0,{recruited}*{s.ref(k + 'ni')}+{moved['ni']})")
    s.row(k + "agency_cost", "Agency cost", "£", f"{s.ref(k + 'agency')}*{sal}/12*(1+{b}_agency_premium)")
    s.row(k + "hires", "New posts starting", "WTE", f"MAX(0,{recruited}-{{p}}{s.rows[k + 'recruited']})", S.WTE)
    s.row(k + "hire_cost", "Recruitment cost of new posts, at their start", "£",
          f"{s.ref(k + 'hires')}*{b}_recruit_cost_per_wte")
    s.row(k + "hire_paid", "  paid recruitment lead time ahead", "£",
          shift(s, k + "hire_cost", f"-{b}_recruit_lead_months", s))
    s.row(k + "leavers", "Leavers (replaced)", "WTE", f"{in_post}*{b}_attrition_annual/12", S.WTE)
    s.row(k + "recruitment", "Recruitment", "£",
          f"{s.ref(k + 'hire_paid')}+{s.ref(k + 'leavers')}*{b}_recruit_cost_per_wte")
    s.row(k + "staff_paid", "Staff cost paid (seconded: a month in arrears)", "£",
          f"IF({seconded},{{p}}{s.rows[k + 'staff_cost']},{cost})")
    s.row(k + "committed", "Committed WTE recruited (max of now and lead time ahead)", "WTE",
          f"MAX({recruited},SUMIFS({s.rng(k + 'recruited')},{s.rng(MONTH_ROW)},"
          f"MIN({{c}}$2+{b}_recruit_lead_months,model_last_month)))", S.WTE, total=False)
    committed = s.ref(k + "committed")
    s.row(k + "exit_cost", "Notice and redundancy pay if stopped this month", "£",
          f"{b}_notice_months*({s.ref(k + 'loaded')}*{committed}+{s.ref(k + 'transfer_cost')})"
          f"+{b}_redundancy_weeks*({sal}/weeks_per_year*{committed}+{moved['weekly']})", total=False)


def _year_to_date(s: Sheet, t: Sheet, key: str) -> str:
    """This NHS year's total of a row up to this month."""
    return f"SUMIFS({s.rng(key)},{t.xrng('fy')},{tref(t, 'fy')},{s.rng(MONTH_ROW)},\"<=\"&{{c}}$2)"


def _in_year_change(s: Sheet, t: Sheet, key: str) -> str:
    """This month's part of a year-to-date row (the whole of it in a year's first month)."""
    return f"{s.ref(key)}-IF({tref(t, 'fy')}=Timeline!{{p}}${t.rows['fy']},{{p}}{s.rows[key]},0)"


def _employer(s: Sheet, t: Sheet, roles) -> None:
    """Apprenticeship levy and Employment Allowance on the directly employed staff, NHS year to date."""
    s.section("Employer: apprenticeship levy and Employment Allowance (directly employed staff)")
    for key, label in (("employed_salaries", "Pay bill of employed staff"), ("employed_ni", "Employer NI")):
        s.row("_total." + key, label, "£", "+".join(s.ref(f"{r.id}.{key}") for r in roles) or "0")
    months_in = f"(MOD({tref(t, 'cal_month')}-4,12)+1)"
    s.row("_employer.levy_ytd", "Levy: NHS year to date (pay bill x rate less the allowance so far)", "£",
          f"MAX(0,workforce_on_costs_levy_rate*{_year_to_date(s, t, '_total.employed_salaries')}"
          f"-workforce_on_costs_levy_allowance/12*{months_in})", total=False)
    s.row("_total.levy", "Apprenticeship levy", "£", _in_year_change(s, t, "_employer.levy_ytd"))
    s.row("_employer.allowance_ytd", "Employment Allowance used: NHS year to date", "£",
          f"MIN(workforce_employment_allowance,{_year_to_date(s, t, '_total.employed_ni')})", total=False)
    s.row("_total.allowance", "Employment Allowance taken off employer NI", "£",
          _in_year_change(s, t, "_employer.allowance_ytd"))


def write_workforce(wb, sc: Scenario, t: Sheet, act: Sheet) -> Sheet:
    s = new_sheet(wb, "Workforce", sc.months, t, "staff by role: WTE, pay, recruitment, notice")
    roles = sc.workforce.roles
    for r in roles:
        _role(s, r, sc, t, act)
    _employer(s, t, roles)
    s.section("All roles")
    employer = f"+{s.ref('_total.levy')}-{s.ref('_total.allowance')}"
    for key, label, fmt in TOTALS:
        parts = "+".join(s.ref(f"{r.id}.{key}", s) for r in roles) or "0"
        if key in ("employed_pay", "staff_paid"):
            parts += employer
        s.row("_total." + key, label, "WTE" if fmt == S.WTE else "£", parts, fmt, total=fmt != S.WTE and key != "exit_cost", bold=True)
    s.section("Balances: owed to host bodies for seconded staff (cumulative)")
    for r in roles:
        s.row(f"_balance.{r.id}", f"{r.id}: cost less paid", "£",
              f"{{p}}{s.next_row}+{s.ref(r.id + '.staff_cost')}-{s.ref(r.id + '.staff_paid')}", total=False)
    return s
