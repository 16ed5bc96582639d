"""Income sheet: each contract's earnings, withhold, risk share, accrued income and cash received."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.calc_activity import units_ref
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import Sheet, new_sheet, shift
from modeller.export.timeline_sheet import tref
from modeller.scenario import Contract, Scenario


def _stepped(c: Contract, b: str, field: str) -> str:
    """A contract term with its step changes (each from its month plus the start delay; later ones win)."""
    expr = f"{b}_{field}"
    for i, ch in enumerate(c.changes):
        if getattr(ch, field) is not None:
            expr = f"IF({{c}}$2>={b}_changes_{i}_from_m+{b}_start_delay_months,{b}_changes_{i}_{field},{expr})"
    return expr


def _full_value(s: Sheet, c: Contract, b: str, k: str, t: Sheet, act: Sheet) -> str:
    prices = tref(t, "price_index")
    field = c.price_field
    s.row(k + "term", f"{field.replace('_', ' ').capitalize()} after changes", "£",
          _stepped(c, b, field), S.MONEY_P, total=False)
    term = s.ref(k + "term")
    if c.mechanism == "block":
        return f"{term}/12*{prices}"
    if c.mechanism == "activity":
        return f"{units_ref(act, c.activity)}*{b}_share*{term}*{prices}"
    s.row(k + "population", "Population after changes", "people", _stepped(c, b, "population"), S.UNITS,
          total=False)
    return f"{s.ref(k + 'population')}*(1+{b}_population_growth)^({{c}}$2/12)*{term}/12*{prices}"


def _risk_share(s: Sheet, c: Contract, b: str, k: str, t: Sheet, costs: Sheet) -> None:
    rs, rb = c.risk_share, f"{b}_risk_share"
    active = s.ref(k + "active")
    s.row(k + "rs_cost", f"Risk share: {rs.cost} cost in active months", "£",
          f"{costs.ref(rs.cost + '.cost')}*{active}")
    s.row(k + "rs_target", "Risk share: target for the month", "£",
          f"{rb}_target_annual/12*{tref(t, 'price_index')}*{active}")
    s.row(k + "rs_var", "Risk share: variance in the month", "£",
          f"{s.ref(k + 'rs_cost')}-{s.ref(k + 'rs_target')}")
    fy = t.rows["fy"]
    s.row(k + "rs_year", "Risk share: variance for the year (at year end)", "£",
          f"IF({tref(t, 'year_end')}=1,SUMIFS({s.rng(k + 'rs_var')},Timeline!$E${fy}:${s.last}${fy},"
          f"{tref(t, 'fy')}),0)")
    retained = f"{rb}_provider_share*{s.ref(k + 'rs_year')}"
    if rs.cap is not None:
        retained = f"MIN({retained},{rb}_cap)"
    if rs.collar is not None:
        retained = f"MAX({retained},-{rb}_collar)"
    s.row(k + "rs_retained", "Risk share: kept by the provider (after cap and collar)", "£", retained)
    s.row(k + "rs_settle", "Risk share: settled by the commissioner (income)", "£",
          f"{s.ref(k + 'rs_year')}-{s.ref(k + 'rs_retained')}")
    s.row(k + "rs_cash", "Risk share: settlement received", "£",
          shift(s, k + "rs_settle", f"{rb}_settle_lag_months", s))


def _contract(s: Sheet, c: Contract, t: Sheet, act: Sheet, costs: Sheet) -> None:
    b, k = n(f"contracts.{c.id}"), f"{c.id}."
    s.section(f"{c.id}: {c.name}")
    first = f"({b}_start_m+{b}_start_delay_months)"
    s.row(k + "active", "Active (1 = between start and end)", "flag",
          f"IF(AND({{c}}$2>={first},{{c}}$2<={b}_end_m),1,0)", S.FLAG, total=False)
    s.row(k + "ramp", "Ramp factor", "factor",
          f"IF({b}_ramp_months>0,MIN(1,({{c}}$2-{first}+1)/{b}_ramp_months),1)", S.FACTOR, total=False)
    full = _full_value(s, c, b, k, t, act)
    s.row(k + "earned", "Earned (full value, before withhold)", "£",
          f"{full}*{s.ref(k + 'active')}*{s.ref(k + 'ramp')}")
    earned = s.ref(k + "earned")
    s.row(k + "invoiced", "Invoiced (earned less withhold)", "£", f"{earned}*(1-{b}_withhold_share)")
    s.row(k + "withhold_income", "Withhold expected to be earned back", "£",
          f"{earned}*{b}_withhold_share*{b}_withhold_earned")
    s.row(k + "invoice_cash", "Invoices paid (after the payment lag)", "£",
          shift(s, k + "invoiced", f"{b}_payment_lag_months", s))
    march = t.rows["march"]
    s.row(k + "withhold_cash", "Withhold paid (after the year's 31 March)", "£",
          f"SUMIFS({s.rng(k + 'withhold_income')},Timeline!$E${march}:${s.last}${march},"
          f"{{c}}$2-{b}_withhold_settle_lag_months)")
    income = [s.ref(k + "invoiced"), s.ref(k + "withhold_income")]
    receipts = [s.ref(k + "invoice_cash"), s.ref(k + "withhold_cash")]
    if c.risk_share is not None:
        _risk_share(s, c, b, k, t, costs)
        income.append(s.ref(k + "rs_settle"))
        receipts.append(s.ref(k + "rs_cash"))
    s.row(k + "income", "Income (accrued)", "£", "+".join(income), bold=True)
    s.row(k + "receipts", "Cash received", "£", "+".join(receipts), bold=True)


def write_income(wb, sc: Scenario, t: Sheet, act: Sheet, costs: Sheet) -> Sheet:
    s = new_sheet(wb, "Income", sc.months, t, "contracts: income earned and cash received")
    for c in sc.contracts:
        _contract(s, c, t, act, costs)
    s.section("All contracts")
    for key, label in (("income", "Income"), ("receipts", "Cash received")):
        s.row("_total." + key, label, "£", "+".join(s.ref(f"{c.id}.{key}", s) for c in sc.contracts) or "0",
              bold=True)
    s.section("Balances: income accrued less cash received (debtor +, deferred income -)")
    for c in sc.contracts:
        s.row(f"_balance.{c.id}", f"{c.id}: income less received", "£",
              f"{{p}}{s.next_row}+{s.ref(c.id + '.income')}-{s.ref(c.id + '.receipts')}", total=False)
    return s
