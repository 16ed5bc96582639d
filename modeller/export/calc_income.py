"""Income sheet: each contract's earnings, withhold, risk share, accrued income and cash received."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.calc_activity import units_ref
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import FIRST, MONTH_ROW, Sheet, new_sheet, shift
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
        return f"{term}*{prices}"   # a unit's value: the units paid come from _activity_units
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


def _year_to_date(s: Sheet, key: str, t: Sheet) -> str:
    """This month's running total of a row within its NHS year."""
    fy = t.rows["fy"]
    return (f'SUMIFS({s.rng(key)},Timeline!$E${fy}:${s.last}${fy},{tref(t, "fy")},'
            f'${FIRST}${MONTH_ROW}:${s.last}${MONTH_ROW},"<="&{{c}}${MONTH_ROW})')


def _in_month(s: Sheet, key: str, t: Sheet) -> str:
    """This month's part of a year-to-date row: less the previous month's total in the same NHS year."""
    fy = t.rows["fy"]
    return f"{s.ref(key)}-IF(Timeline!{{p}}${fy}=Timeline!{{c}}${fy},{{p}}{s.rows[key]},0)"


def _activity_units(s: Sheet, c: Contract, b: str, k: str, t: Sheet, act: Sheet) -> None:
    """Units paid under the cap and the marginal rate, counted year to date (as income._paid_units).

    The workbook holds the scenario's own activity, so here the actual units are the plan: units
    above plan, and a reconciliation, arise only in a Monte Carlo draw.
    """
    s.row(k + "units", "Units delivered (after share, active months and ramp): the plan in this workbook",
          "units", f"{units_ref(act, c.activity)}*{b}_share*{s.ref(k + 'active')}*{s.ref(k + 'ramp')}", S.UNITS)
    s.row(k + "units_ytd", "Units delivered, NHS year to date", "units", _year_to_date(s, k + "units", t), S.UNITS,
          total=False)
    counted = s.ref(k + "units_ytd")
    if c.activity_cap is not None:
        fy = t.rows["fy"]
        s.row(k + "cap", "Cap for the year (pro-rated to the months the contract runs)", "units",
              f"{b}_activity_cap*SUMIFS({s.rng(k + 'active')},Timeline!$E${fy}:${s.last}${fy},{tref(t, 'fy')})/12",
              S.UNITS, total=False)
        counted = f"MIN({counted},{s.ref(k + 'cap')})"
    s.row(k + "counted_ytd", "Units counted year to date (at most the cap)", "units", counted, S.UNITS, total=False)
    counted, plan = s.ref(k + "counted_ytd"), s.ref(k + "units_ytd")
    s.row(k + "paid_ytd", "Units paid year to date (in full up to plan, at the marginal rate above)", "units",
          f"MIN({counted},{plan})+{b}_marginal_rate*MAX({counted}-{plan},0)", S.UNITS, total=False)
    s.row(k + "paid_units", "Units paid in the month", "units", _in_month(s, k + "paid_ytd", t), S.UNITS)
    s.row(k + "plan_units", "Planned units billed in the month (the plan, at most the cap)", "units",
          _in_month(s, k + "counted_ytd", t), S.UNITS)


def _cash(s: Sheet, c: Contract, b: str, k: str, t: Sheet) -> list[str]:
    """Receipts for the earned value and the withhold (as income._receipts); the rows' references."""
    earned, share = s.ref(k + "earned"), f"{b}_withhold_share"
    at_settlement = f'IF({b}_withhold_paid="at_settlement",1,0)'
    if c.mechanism == "activity":
        s.row(k + "billed", "Billed on account (the planned units when paid on plan, else the earned value)", "£",
              f'IF({b}_paid="on_plan",{s.ref(k + "plan_units")}*{s.ref(k + "full")},{earned})')
        billed = s.ref(k + "billed")
    else:
        billed = earned
    s.row(k + "billed_net", "Billed less the withhold when it is paid at settlement", "£",
          f"{billed}*(1-{share}*{at_settlement})")
    s.row(k + "invoice_cash", "Billed amounts paid (after the payment lag)", "£",
          shift(s, k + "billed_net", f"{b}_payment_lag_months", s))
    s.row(k + "withhold_lost", "Withhold not expected to be earned back", "£",
          f"{earned}*{share}*(1-{b}_withhold_earned)")
    march = t.rows["march"]
    after = f"Timeline!$E${march}:${s.last}${march}"
    s.row(k + "withhold_cash", "Withhold paid at settlement, or clawed back if paid on account "
                               "(after the year's 31 March)", "£",
          f"IF({at_settlement}=1,SUMIFS({s.rng(k + 'withhold_income')},{after},{{c}}$2-{b}_withhold_settle_lag_months),"
          f"-SUMIFS({s.rng(k + 'withhold_lost')},{after},{{c}}$2-{b}_withhold_settle_lag_months))")
    cash = [s.ref(k + "invoice_cash"), s.ref(k + "withhold_cash")]
    if c.mechanism == "activity":
        s.row(k + "reconcile", "Earned less billed (its withheld part follows the withhold)", "£",
              f"({earned}-{billed})*(1-{share}*{at_settlement})")
        s.row(k + "reconcile_cash", "Reconciliation paid (+) or clawed back (-) after the year's 31 March", "£",
              f"SUMIFS({s.rng(k + 'reconcile')},{after},{{c}}$2-{b}_reconcile_lag_months)")
        cash.append(s.ref(k + "reconcile_cash"))
    return cash


def _contract(s: Sheet, c: Contract, t: Sheet, act: Sheet, costs: Sheet) -> None:
    b, k = n(f"contracts.{c.id}"), f"{c.id}."
    s.section(f"{c.id}: {c.name}")
    first = f"({b}_start_m+{b}_start_delay_months)"
    s.row(k + "active", "Active (1 = between start and end)", "flag",
          f"IF(AND({{c}}$2>={first},{{c}}$2<={b}_end_m),1,0)", S.FLAG, total=False)
    s.row(k + "ramp", "Ramp factor", "factor",
          f"IF({b}_ramp_months>0,MIN(1,({{c}}$2-{first}+1)/{b}_ramp_months),1)", S.FACTOR, total=False)
    full = _full_value(s, c, b, k, t, act)
    if c.mechanism == "activity":
        s.row(k + "full", "Value of a unit (price after changes, indexed)", "£ per unit", full, S.MONEY_P,
              total=False)
        _activity_units(s, c, b, k, t, act)
        s.row(k + "earned", "Earned (units paid x value of a unit, before withhold)", "£",
              f"{s.ref(k + 'paid_units')}*{s.ref(k + 'full')}")
    else:
        s.row(k + "earned", "Earned (full value, before withhold)", "£",
              f"{full}*{s.ref(k + 'active')}*{s.ref(k + 'ramp')}")
    earned = s.ref(k + "earned")
    s.row(k + "invoiced", "Earned less withhold", "£", f"{earned}*(1-{b}_withhold_share)")
    s.row(k + "withhold_income", "Withhold expected to be earned back", "£",
          f"{earned}*{b}_withhold_share*{b}_withhold_earned")
    income = [s.ref(k + "invoiced"), s.ref(k + "withhold_income")]
    receipts = _cash(s, c, b, k, t)
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
