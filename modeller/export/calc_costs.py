"""Costs sheet: non-pay cost lines (fixed, per unit, one-off), payments, commitments; capital spend."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.calc_activity import units_ref
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import Sheet, new_sheet, shift
from modeller.export.timeline_sheet import tref
from modeller.scenario import Scenario


def _cost(s: Sheet, c, t: Sheet, act: Sheet) -> None:
    b, k = n(f"costs.{c.id}"), f"{c.id}."
    s.section(f"{c.id}: {c.name}")
    if c.kind == "fixed":
        s.row(k + "monthly", "Monthly cost at this year's prices", "£", f"{b}_annual/12*{tref(t, 'non_pay_index')}",
              total=False)
        s.row(k + "active", "Active (1 = between from and to)", "flag",
              f"IF(AND({{c}}$2>={b}_from_m,{{c}}$2<={b}_to_m),1,0)", S.FLAG, total=False)
        s.row(k + "cost", "Cost", "£", f"{s.ref(k + 'monthly')}*{s.ref(k + 'active')}")
        s.row(k + "unexpired", "Committed months still to run", "months",
              f"MAX(0,MIN({b}_commitment_months,{b}_from_m+{b}_commitment_months-{{c}}$2-1))"
              f"*({{c}}$2>={b}_from_m)", S.WHOLE, total=False)
        s.row(k + "exit_cost", "Unexpired commitment if stopped this month", "£",
              f"{s.ref(k + 'monthly')}*{s.ref(k + 'unexpired')}", total=False)
    elif c.kind == "per_unit":
        s.row(k + "cost", "Cost", "£",
              f"{units_ref(act, c.activity)}*{b}_share*{b}_unit_cost*{tref(t, 'non_pay_index')}")
    else:
        s.row(k + "cost", "Cost (one-off, not indexed)", "£", f"IF({{c}}$2=MAX(0,{b}_month_m),{b}_amount,0)")
    s.row(k + "paid", "Paid", "£", shift(s, k + "cost", f"{b}_payment_lag_months", s))


def _capex(s: Sheet, a) -> None:
    b, k = n(f"capex.{a.id}"), f"capex.{a.id}."
    s.section(f"{a.id}: {a.name}")
    month = f"MAX(0,{b}_month_m)"
    life = f"ROUND({b}_life_years*12,0)"
    s.row(k + "spend", "Capital spend (paid in its month)", "£", f"IF({{c}}$2={month},{b}_amount,0)")
    s.row(k + "depreciation", "Depreciation (straight line from the next month)", "£",
          f"IF(AND({{c}}$2-{month}>=1,{{c}}$2-{month}<={life}),{b}_amount/{life},0)")


def write_costs(wb, sc: Scenario, t: Sheet, act: Sheet) -> Sheet:
    s = new_sheet(wb, "Costs", sc.months, t, "non-pay costs and capital spend")
    for c in sc.costs:
        _cost(s, c, t, act)
    for a in sc.capex:
        _capex(s, a)
    s.section("All cost lines")
    fixed = [c for c in sc.costs if c.kind == "fixed"]
    totals = [("cost", "Non-pay costs", sc.costs, ""), ("paid", "Non-pay costs paid", sc.costs, ""),
              ("exit_cost", "Unexpired commitments", fixed, ""),
              ("spend", "Capital spend", sc.capex, "capex."), ("depreciation", "Depreciation", sc.capex, "capex.")]
    for key, label, items, prefix in totals:
        parts = "+".join(s.ref(f"{prefix}{i.id}.{key}", s) for i in items) or "0"
        s.row("_total." + key, label, "£", parts, total=key != "exit_cost", bold=True)
    s.section("Balances: owed to suppliers (cumulative cost less paid)")
    for c in sc.costs:
        s.row(f"_balance.{c.id}", f"{c.id}: cost less paid", "£",
              f"{{p}}{s.next_row}+{s.ref(c.id + '.cost')}-{s.ref(c.id + '.paid')}", total=False)
    return s
