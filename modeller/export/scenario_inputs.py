"""Writes each section of a scenario onto the Inputs sheet (labels, units, notes from the schema)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.inputs_sheet import InputsSheet, field_note
from modeller.export.layout import FIRST_COL
from modeller.scenario import Scenario

SEASON_ONES = [1.0] * 12


def write_inputs(ins: InputsSheet, sc: Scenario) -> None:
    """Every value of the scenario, section by section."""
    _model(ins, sc)
    _activity(ins, sc)
    _contracts(ins, sc)
    _workforce(ins, sc)
    _costs(ins, sc)
    _capex(ins, sc)
    _funding(ins, sc)
    ins.finish()


def _model(ins: InputsSheet, sc: Scenario) -> None:
    ins.section("Scenario")
    ins.info("Name", sc.name)
    ins.info("Description", sc.description)
    ins.month("model.start", "First model month", sc.start, "month 0 of the model")
    last = get_column_letter(FIRST_COL + sc.months - 1)
    ins.derived("model_months", "Months in the model", f"COUNT(Timeline!$E$2:${last}$2)", "months", S.WHOLE,
                "fixed by the workbook's columns: re-export the scenario to change it")
    ins.derived("model_last_month", "Last model month number", "model_months-1", "month", S.WHOLE)
    ins.number("tolerance", "Checking tolerance", 0.005, "£", S.MONEY_P,
               "half a penny: differences below this count as zero in checks and KPIs")
    ins.section("Indexation and appraisal")
    ix = sc.indexation
    for f in ("pay", "non_pay", "prices"):
        ins.number(f"indexation.{f}", f"Indexation: {f.replace('_', '-')}", getattr(ix, f), "a year", S.RATE,
                   field_note(ix, f))
    ins.number("appraisal.discount_rate", "Discount rate", sc.appraisal.discount_rate, "a year", S.RATE,
               field_note(sc.appraisal, "discount_rate"))


def _activity(ins: InputsSheet, sc: Scenario) -> None:
    if not sc.activity:
        return
    ins.section("Activity")
    for a in sc.activity:
        base = f"activity.{a.id}"
        ins.info(f"{a.id}: name", a.name)
        ins.number(f"{base}.per_month", f"{a.id}: units in its first month", a.per_month, "units a month",
                   S.UNITS, field_note(a, "per_month"))
        ins.number(f"{base}.annual_growth", f"{a.id}: annual growth", a.annual_growth, "a year", S.RATE,
                   "units = per month x (1+growth)^(months since from/12) x seasonality")
        ins.month(f"{base}.from", f"{a.id}: from", a.from_, "blank = from the model's first month", "0")
        ins.month(f"{base}.to", f"{a.id}: to (inclusive)", a.to, "blank = to the end of the model",
                  "model_last_month")
        ins.series(f"{base}.seasonality", f"{a.id}: seasonality", a.seasonality or SEASON_ONES, "factor",
                   S.FACTOR, "12 factors, January to December, averaging 1")


def _contracts(ins: InputsSheet, sc: Scenario) -> None:
    money_fields = {"annual_value": ("annual value", "£ a year"), "price_per_unit": ("price per unit", "£"),
                    "rate_per_head": ("rate per head", "£ a year"), "population": ("population", "people")}
    for c in sc.contracts:
        ins.section(f"Contract: {c.id}")
        base = f"contracts.{c.id}"
        ins.info("Name", c.name)
        ins.info("Commissioner", c.commissioner)
        ins.info("Mechanism", c.mechanism, "block | activity | capitation (re-export to change)")
        for f in {"block": ["annual_value"], "activity": ["price_per_unit"],
                  "capitation": ["population", "rate_per_head"]}[c.mechanism]:
            label, unit = money_fields[f]
            fmt = S.UNITS if f == "population" else S.MONEY_P if f != "annual_value" else S.MONEY
            ins.number(f"{base}.{f}", label.capitalize(), getattr(c, f), unit, fmt)
        if c.mechanism == "activity":
            ins.info("Activity stream", c.activity)
            ins.number(f"{base}.share", "Share of the activity", c.share, "share", S.RATE)
        if c.mechanism == "capitation":
            ins.number(f"{base}.population_growth", "Population growth", c.population_growth, "a year", S.RATE)
        ins.month(f"{base}.start", "Start", c.start)
        ins.month(f"{base}.end", "End (inclusive)", c.end, "blank = to the end of the model", "model_last_month")
        ins.number(f"{base}.start_delay_months", "Start delay", c.start_delay_months, "months", S.WHOLE,
                   "shifts the start and every change later")
        ins.number(f"{base}.ramp_months", "Ramp", c.ramp_months, "months", S.WHOLE,
                   "k-th month earns min(1, (k+1)/ramp)")
        for i, ch in enumerate(c.changes):
            ins.month(f"{base}.changes.{i}.from", f"Change {i + 1}: from", ch.from_)
            for f, (label, unit) in money_fields.items():
                if getattr(ch, f) is not None:
                    fmt = S.UNITS if f == "population" else S.MONEY
                    ins.number(f"{base}.changes.{i}.{f}", f"Change {i + 1}: {label}", getattr(ch, f), unit, fmt)
        ins.number(f"{base}.payment_lag_months", "Payment lag", c.payment_lag_months, "months", S.WHOLE,
                   "-1 in advance, 0 in the month, 1 in arrears")
        w = c.withhold
        ins.number(f"{base}.withhold.share", "Withhold: share held back", w.share, "share", S.RATE)
        ins.number(f"{base}.withhold.earned", "Withhold: share expected to be earned", w.earned, "share", S.RATE)
        ins.number(f"{base}.withhold.settle_lag_months", "Withhold: paid after the year's 31 March",
                   w.settle_lag_months, "months", S.WHOLE)
        if c.risk_share is not None:
            rs, rb = c.risk_share, f"{base}.risk_share"
            ins.info("Risk share: cost line", rs.cost)
            ins.number(f"{rb}.target_annual", "Risk share: target", rs.target_annual, "£ a year", S.MONEY)
            ins.number(f"{rb}.provider_share", "Risk share: provider's share", rs.provider_share, "share", S.RATE)
            if rs.cap is not None:
                ins.number(f"{rb}.cap", "Risk share: cap on provider's loss", rs.cap, "£ a year", S.MONEY)
            if rs.collar is not None:
                ins.number(f"{rb}.collar", "Risk share: collar on provider's gain", rs.collar, "£ a year", S.MONEY)
            ins.number(f"{rb}.settle_lag_months", "Risk share: settled after year end", rs.settle_lag_months,
                       "months", S.WHOLE)


def _workforce(ins: InputsSheet, sc: Scenario) -> None:
    oc = sc.workforce.on_costs
    ins.section("Workforce: on-costs")
    ins.number("workforce.on_costs.employer_ni_rate", "Employer NI rate", oc.employer_ni_rate, "rate", S.RATE)
    ins.number("workforce.on_costs.ni_threshold", "NI threshold", oc.ni_threshold, "£ a year", S.MONEY)
    ins.number("workforce.on_costs.pension_rate", "Employer pension rate", oc.pension_rate, "rate", S.RATE)
    ins.number("workforce.on_costs.other_rate", "Other on-costs", oc.other_rate, "rate", S.RATE)
    for r in sc.workforce.roles:
        ins.section(f"Role: {r.id}")
        base = f"workforce.roles.{r.id}"
        ins.info("Name", r.name)
        ins.number(f"{base}.salary", "Salary", r.salary, "£ a year per WTE", S.MONEY)
        if r.plan is not None:
            for i, step in enumerate(r.plan):
                ins.month(f"{base}.plan.{i}.from", f"Plan step {i + 1}: from", step.from_)
                ins.number(f"{base}.plan.{i}.wte", f"Plan step {i + 1}: target WTE", step.wte, "WTE", S.WTE)
        else:
            d = r.driver
            ins.info("Driver: activity stream", d.activity)
            ins.number(f"{base}.driver.share", "Driver: share of the activity", d.share, "share", S.RATE)
            ins.number(f"{base}.driver.units_per_wte_month", "Driver: units per WTE a month",
                       d.units_per_wte_month, "units", S.NUMBER)
        ins.number(f"{base}.recruit_lead_months", "Recruitment lead time", r.recruit_lead_months, "months", S.WHOLE)
        ins.number(f"{base}.recruit_cost_per_wte", "Recruitment cost per WTE", r.recruit_cost_per_wte, "£", S.MONEY)
        ins.number(f"{base}.fill_rate", "Fill rate", r.fill_rate, "share", S.RATE, field_note(r, "fill_rate"))
        ins.number(f"{base}.agency_premium", "Agency premium", r.agency_premium, "over salary", S.RATE)
        ins.number(f"{base}.attrition_annual", "Attrition", r.attrition_annual, "a year", S.RATE)
        ins.number(f"{base}.notice_months", "Notice", r.notice_months, "months", S.WHOLE)
        ins.choice(f"{base}.employment", "Employment", r.employment,
                   "direct | seconded (host recharges loaded cost a month in arrears)")


def _costs(ins: InputsSheet, sc: Scenario) -> None:
    for c in sc.costs:
        ins.section(f"Cost: {c.id} ({c.kind})")
        base = f"costs.{c.id}"
        ins.info("Name", c.name)
        if c.kind == "fixed":
            ins.number(f"{base}.annual", "Annual cost", c.annual, "£ a year", S.MONEY)
            ins.month(f"{base}.from", "From", c.from_)
            ins.month(f"{base}.to", "To (inclusive)", c.to, "blank = to the end of the model", "model_last_month")
            ins.number(f"{base}.commitment_months", "Commitment", c.commitment_months, "months", S.WHOLE,
                       "months from 'from' we cannot walk away from")
        elif c.kind == "per_unit":
            ins.info("Activity stream", c.activity)
            ins.number(f"{base}.share", "Share of the activity", c.share, "share", S.RATE)
            ins.number(f"{base}.unit_cost", "Unit cost", c.unit_cost, "£", S.MONEY_P)
        else:
            ins.number(f"{base}.amount", "Amount", c.amount, "£", S.MONEY, "one-off: never indexed")
            ins.month(f"{base}.month", "Month", c.month, "before the start counts in month 0")
        ins.number(f"{base}.payment_lag_months", "Payment lag", c.payment_lag_months, "months", S.WHOLE)


def _capex(ins: InputsSheet, sc: Scenario) -> None:
    for a in sc.capex:
        ins.section(f"Capital spend: {a.id}")
        base = f"capex.{a.id}"
        ins.info("Name", a.name)
        ins.number(f"{base}.amount", "Amount", a.amount, "£", S.MONEY)
        ins.month(f"{base}.month", "Month", a.month)
        ins.number(f"{base}.life_years", "Life", a.life_years, "years", S.NUMBER)


def _funding(ins: InputsSheet, sc: Scenario) -> None:
    f = sc.funding
    ins.section("Funding")
    ins.number("funding.opening_cash", "Opening cash (share capital)", f.opening_cash, "£", S.MONEY)
    ins.number("funding.minimum_cash", "Minimum cash", f.minimum_cash, "£", S.MONEY,
               "the facility is drawn to keep cash at or above this")
    ins.number("funding.facility.limit", "Facility limit", f.facility.limit, "£", S.MONEY)
    ins.number("funding.facility.annual_rate", "Facility interest rate", f.facility.annual_rate, "a year", S.RATE)
    for i, e in enumerate(f.equity):
        ins.info(f"Equity {i + 1}: source", e.source)
        ins.month(f"funding.equity.{i}.month", f"Equity {i + 1}: month", e.month)
        ins.number(f"funding.equity.{i}.amount", f"Equity {i + 1}: amount", e.amount, "£", S.MONEY)
    for ln in f.loans:
        base = f"funding.loans.{ln.id}"
        ins.month(f"{base}.month", f"Loan {ln.id}: drawn in", ln.month)
        ins.number(f"{base}.amount", f"Loan {ln.id}: amount", ln.amount, "£", S.MONEY)
        ins.number(f"{base}.annual_rate", f"Loan {ln.id}: interest rate", ln.annual_rate, "a year", S.RATE)
        ins.number(f"{base}.term_months", f"Loan {ln.id}: term", ln.term_months, "months", S.WHOLE)
    ins.section("Tax")
    ins.number("tax.corporation_tax_rate", "Corporation tax rate", sc.tax.corporation_tax_rate, "rate", S.RATE)
    ins.number("tax.payment_lag_months", "Tax paid after the charge", sc.tax.payment_lag_months, "months", S.WHOLE)
