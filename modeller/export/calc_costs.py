"""Costs sheet: non-pay cost lines (fixed, per unit, one-off), their VAT, payments, reclaims and commitments;
capital spend with its VAT.

A line's VAT rows exist only where the scenario marks it `vat: true` (the Inputs sheet shows the flag): the
rate and the recoverable share are live inputs (`vat_rate`, `vat_recoverable_share`).
"""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.calc_activity import units_ref
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import Sheet, new_sheet, shift
from modeller.export.timeline_sheet import tref
from modeller.scenario import Scenario

IRRECOVERABLE = "vat_rate*(1-vat_recoverable_share)"
RECOVERABLE = "vat_rate*vat_recoverable_share"


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
        vat = f"*(1+{IRRECOVERABLE})" if c.vat else ""  # irrecoverable VAT is cash still to pay; the rest comes back
        s.row(k + "exit_cost", "Unexpired commitment if stopped this month (with irrecoverable VAT)", "£",
              f"{s.ref(k + 'monthly')}*{s.ref(k + 'unexpired')}{vat}", total=False)
    elif c.kind == "per_unit":
        s.row(k + "cost", "Cost", "£",
              f"{units_ref(act, c.activity)}*{b}_share*{b}_unit_cost*{tref(t, 'non_pay_index')}")
    else:
        s.row(k + "cost", "Cost (one-off, not indexed)", "£", f"IF({{c}}$2=MAX(0,{b}_month_m),{b}_amount,0)")
    paid = shift(s, k + "cost", f"{b}_payment_lag_months", s)
    if not c.vat:
        s.row(k + "paid", "Paid", "£", paid)
        return
    cost = s.ref(k + "cost")
    s.row(k + "vat", "Irrecoverable VAT (a cost with it)", "£", f"{cost}*{IRRECOVERABLE}")
    s.row(k + "vat_recoverable", "Recoverable VAT (owed back by HMRC until reclaimed)", "£", f"{cost}*{RECOVERABLE}")
    s.row(k + "paid_before_vat", "Paid: the cost before VAT", "£", paid)
    before = s.ref(k + "paid_before_vat")
    s.row(k + "paid", "Paid: the cost with all its VAT", "£", f"{before}*(1+vat_rate)")
    s.row(k + "vat_reclaimed", "VAT reclaimed (the month after payment)", "£",
          f"{{p}}{s.rows[k + 'paid_before_vat']}*{RECOVERABLE}")


def _capex(s: Sheet, a) -> None:
    b, k = n(f"capex.{a.id}"), f"capex.{a.id}."
    s.section(f"{a.id}: {a.name}")
    month = f"MAX(0,{b}_month_m)"
    life = f"ROUND({b}_life_years*12,0)"
    bought = f"IF({{c}}$2={month},{b}_amount,0)"
    if a.vat:
        s.row(k + "vat", "Irrecoverable VAT (capitalised with it)", "£", f"{bought}*{IRRECOVERABLE}")
        s.row(k + "spend", "Capital spend capitalised (the amount and its irrecoverable VAT)", "£",
              f"{bought}+{s.ref(k + 'vat')}")
        s.row(k + "vat_recoverable", "Recoverable VAT (paid with it, not capitalised)", "£",
              f"{bought}*{RECOVERABLE}")
        s.row(k + "vat_reclaimed", "VAT reclaimed (the month after payment)", "£",
              f"{{p}}{s.rows[k + 'vat_recoverable']}")
        cost = f"{b}_amount*(1+{IRRECOVERABLE})"
    else:
        s.row(k + "spend", "Capital spend (paid in its month, no VAT)", "£", bought)
        cost = f"{b}_amount"
    s.row(k + "depreciation", "Depreciation (straight line from the next month)", "£",
          f"IF(AND({{c}}$2-{month}>=1,{{c}}$2-{month}<={life}),{cost}/{life},0)")


def write_costs(wb, sc: Scenario, t: Sheet, act: Sheet) -> Sheet:
    s = new_sheet(wb, "Costs", sc.months, t, "non-pay costs and capital spend")
    for c in sc.costs:
        _cost(s, c, t, act)
    for a in sc.capex:
        _capex(s, a)
    s.section("All cost lines")
    fixed = [c for c in sc.costs if c.kind == "fixed"]
    taxed = [c for c in sc.costs if c.vat]
    taxed_capex = [a for a in sc.capex if a.vat]
    capex = [f"capex.{a.id}" for a in sc.capex]
    totals = [("cost", "Non-pay costs before VAT", [c.id for c in sc.costs]),
              ("vat", "Irrecoverable VAT on non-pay costs", [c.id for c in taxed]),
              ("paid", "Non-pay costs paid (with their VAT)", [c.id for c in sc.costs]),
              ("exit_cost", "Unexpired commitments (with their irrecoverable VAT)", [c.id for c in fixed]),
              ("spend", "Capital spend capitalised (with its irrecoverable VAT)", capex),
              ("capex_vat", "Irrecoverable VAT on capital spend (capitalised)",
               [f"capex.{a.id}" for a in taxed_capex]),
              ("vat_recoverable", "Recoverable VAT on costs and capital spend",
               [c.id for c in taxed] + [f"capex.{a.id}" for a in taxed_capex]),
              ("vat_reclaimed", "VAT reclaimed", [c.id for c in taxed] + [f"capex.{a.id}" for a in taxed_capex]),
              ("depreciation", "Depreciation", capex)]
    for key, label, items in totals:
        row = "vat" if key == "capex_vat" else key
        parts = "+".join(s.ref(f"{i}.{row}", s) for i in items) or "0"
        s.row("_total." + key, label, "£", parts, total=key != "exit_cost", bold=True)
    s.row("_total.capex_paid", "Capital spend paid (with all its VAT)", "£",
          f"{s.ref('_total.spend')}+"
          + ("+".join(s.ref(f"capex.{a.id}.vat_recoverable", s) for a in taxed_capex) or "0"), bold=True)
    s.section("Balances: owed to suppliers (cumulative cost and its VAT less paid)")
    for c in sc.costs:
        vat = f"+{s.ref(c.id + '.vat')}+{s.ref(c.id + '.vat_recoverable')}" if c.vat else ""
        s.row(f"_balance.{c.id}", f"{c.id}: cost less paid", "£",
              f"{{p}}{s.next_row}+{s.ref(c.id + '.cost')}{vat}-{s.ref(c.id + '.paid')}", total=False)
    s.section("VAT owed back by HMRC")
    s.row("vat_receivable", "VAT receivable (recoverable VAT paid or invoiced, not yet reclaimed)", "£",
          f"{{p}}{s.next_row}+{s.ref('_total.vat_recoverable')}-{s.ref('_total.vat_reclaimed')}", total=False)
    return s
