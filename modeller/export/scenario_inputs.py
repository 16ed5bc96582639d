"""Writes each section of a scenario onto the Inputs sheet.

Every numeric row takes its label, unit and note from the schema (`modeller.fields`), and its
number format from the unit; only months, names and choices (not numeric fields) are labelled here.
Each row's defined name is its parameter path (`contracts_msk_prime_annual_value`): the formulas
on the other sheets read those names, never positions.
"""

from __future__ import annotations

from typing import get_args

from openpyxl.utils import get_column_letter

from modeller.export import styles as S
from modeller.export.inputs_sheet import InputsSheet
from modeller.export.layout import FIRST_COL
from modeller.fields import InputField, input_fields
from modeller.scenario import Scenario
from modeller.tax import INSTALMENT_MONTHS, LARGE_PROFITS

SEASON_ONES = [1.0] * 12
PENCE_UNITS = ("£ per unit", "£ per head a year")   # prices of a few pounds: shown to the penny
KIND_FORMATS = {"%": S.RATE, "months": S.WHOLE, "WTE": S.WTE}
TO_THE_END = "blank = to the end of the model"


def number_format(spec: InputField) -> str:
    """The cell format for a field's unit: £ (pence for prices per unit or head), %, whole months, WTE."""
    if spec.kind == "£":
        return S.MONEY_P if spec.unit in PENCE_UNITS else S.MONEY
    if spec.unit == "factor":
        return S.FACTOR
    return KIND_FORMATS.get(spec.kind, S.NUMBER)


def _fields_under(pattern: str) -> list[str]:
    """The numeric fields directly under a pattern, in the schema's order: `contracts.<id>.withhold`
    -> share, earned, settle_lag_months."""
    n = len(pattern) + 1
    return [p[n:] for p in input_fields() if p.startswith(pattern + ".") and "." not in p[n:]]


def _numbers(ins: InputsSheet, path: str, pattern: str, model, names: list[str] | None = None,
             prefix: str = "") -> None:
    """A row for each numeric field `names` of `model` (all under `pattern` by default) that is set:
    label, unit and note from the schema; `prefix` names a list item ("Change 1: annual value")."""
    fields = input_fields()
    for name in _fields_under(pattern) if names is None else names:
        value = getattr(model, name)
        if value is None:  # an optional field left out (a change's other prices, a risk share's cap)
            continue
        spec = fields[f"{pattern}.{name}"]
        label = f"{prefix}: {spec.label[0].lower()}{spec.label[1:]}" if prefix else spec.label
        ins.number(f"{path}.{name}", label, value, spec.unit, number_format(spec), spec.help)


def _until(ins: InputsSheet, path: str, value: str | None, label: str = "To") -> None:
    """The last month of a period (inclusive); blank runs to the end of the model."""
    ins.month(path, f"{label} (inclusive)", value, TO_THE_END, "model_last_month")


def write_inputs(ins: InputsSheet, sc: Scenario) -> None:
    """Every value of the scenario, section by section."""
    names = {c.id: c.name for c in sc.contracts}
    ins.links = {path: (link, names[link.contract]) for path, link in sc.links.items()}
    _model(ins, sc)
    _activity(ins, sc)
    _contracts(ins, sc)
    _workforce(ins, sc)
    _costs(ins, sc)
    _capex(ins, sc)
    _vat(ins, sc)
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
    _numbers(ins, "indexation", "indexation", sc.indexation)
    _numbers(ins, "appraisal", "appraisal", sc.appraisal)
    residual = type(sc.appraisal).model_fields["residual_value"]
    ins.choice("appraisal.residual_value", residual.title, sc.appraisal.residual_value,
               f"book | none: {residual.description}")


def _activity(ins: InputsSheet, sc: Scenario) -> None:
    if not sc.activity:
        return
    ins.section("Activity")
    season = input_fields()["activity.<id>.seasonality.<n>"]
    for a in sc.activity:
        base = f"activity.{a.id}"
        ins.info(f"{a.id}: name", a.name)
        _numbers(ins, base, "activity.<id>", a, prefix=a.id)
        ins.month(f"{base}.from", f"{a.id}: from", a.from_, "blank = from the model's first month", "0")
        ins.month(f"{base}.to", f"{a.id}: to (inclusive)", a.to, TO_THE_END, "model_last_month")
        ins.series(f"{base}.seasonality", f"{a.id}: {season.label.lower()}", a.seasonality or SEASON_ONES,
                   season.unit, number_format(season), season.help)


def _choice(ins: InputsSheet, path: str, model, name: str) -> None:
    """A choice from the schema's list (`on_plan | in_arrears`), labelled and explained by the schema."""
    spec = type(model).model_fields[name]
    ins.choice(path, spec.title, getattr(model, name), f"{' | '.join(get_args(spec.annotation))}: "
                                                       f"{spec.description}")


def _contracts(ins: InputsSheet, sc: Scenario) -> None:
    for c in sc.contracts:
        ins.section(f"Contract: {c.id}")
        base, pattern = f"contracts.{c.id}", "contracts.<id>"
        ins.info("Name", c.name)
        ins.info("Commissioner", c.commissioner)
        ins.info("Mechanism", c.mechanism, "block | activity | capitation (re-export to change)")
        _numbers(ins, base, pattern, c, [*(["population"] if c.mechanism == "capitation" else []), c.price_field])
        if c.mechanism == "activity":
            ins.info("Activity stream", c.activity)
            _numbers(ins, base, pattern, c, ["share"])
        if c.mechanism == "capitation":
            _numbers(ins, base, pattern, c, ["population_growth"])
        ins.month(f"{base}.start", "Start", c.start)
        _until(ins, f"{base}.end", c.end, "End")
        _numbers(ins, base, pattern, c, ["start_delay_months", "ramp_months"])
        for i, ch in enumerate(c.changes):
            ins.month(f"{base}.changes.{i}.from", f"Change {i + 1}: from", ch.from_)
            _numbers(ins, f"{base}.changes.{i}", f"{pattern}.changes.<n>", ch, prefix=f"Change {i + 1}")
        _numbers(ins, base, pattern, c, ["payment_lag_months"])
        if c.mechanism == "activity":
            _choice(ins, f"{base}.paid", c, "paid")
            _numbers(ins, base, pattern, c, ["reconcile_lag_months", "activity_cap", "marginal_rate"])
        _numbers(ins, f"{base}.withhold", f"{pattern}.withhold", c.withhold)
        _choice(ins, f"{base}.withhold.paid", c.withhold, "paid")
        if c.risk_share is not None:
            ins.info("Risk share: cost line", c.risk_share.cost)
            _numbers(ins, f"{base}.risk_share", f"{pattern}.risk_share", c.risk_share)


def _workforce(ins: InputsSheet, sc: Scenario) -> None:
    wf = sc.workforce
    ins.section("Workforce: employer and on-costs")
    ins.choice("workforce.employer", "Employer", wf.employer, "independent | nhs (sets whether the NHS employer "
               "pension rate applies; the assumption warnings read it)")
    _numbers(ins, "workforce", "workforce", wf)
    _numbers(ins, "workforce.on_costs", "workforce.on_costs", wf.on_costs)
    ins.derived("weeks_per_year", "Weeks in a year", "52", "weeks", S.WHOLE,
                "a week's pay is a year's salary / 52 (redundancy pay)")
    pattern = "workforce.roles.<id>"
    for r in wf.roles:
        ins.section(f"Role: {r.id}")
        base = f"workforce.roles.{r.id}"
        ins.info("Name", r.name)
        _numbers(ins, base, pattern, r, ["salary"])
        if r.plan is not None:
            for i, step in enumerate(r.plan):
                ins.month(f"{base}.plan.{i}.from", f"Plan step {i + 1}: from", step.from_)
                _numbers(ins, f"{base}.plan.{i}", f"{pattern}.plan.<n>", step, prefix=f"Plan step {i + 1}")
        else:
            ins.info("Driver: activity stream", r.driver.activity)
            _numbers(ins, f"{base}.driver", f"{pattern}.driver", r.driver)
            ins.info("Driver: staffing basis", r.driver.staffing_basis, "rolling_peak | monthly: re-export the "
                     "scenario to change (the Workforce sheet's target row differs)")
        _numbers(ins, base, pattern, r, [n for n in _fields_under(pattern) if n != "salary"])
        if r.pension_rate is None:
            ins.info("Employer pension", "the workforce's rate", "re-export to set a rate for this role")
        ins.choice(f"{base}.employment", "Employment", r.employment,
                   "direct | seconded (host recharges loaded cost a month in arrears)")
        for i, t in enumerate(r.transfers):
            ins.month(f"{base}.transfers.{i}.from", f"Transfer {i + 1}: in post from", t.from_, "TUPE transfer in")
            _numbers(ins, f"{base}.transfers.{i}", f"{pattern}.transfers.<n>", t, prefix=f"Transfer {i + 1}")


def _costs(ins: InputsSheet, sc: Scenario) -> None:
    for c in sc.costs:
        ins.section(f"Cost: {c.id} ({c.kind})")
        base, pattern = f"costs.{c.id}", "costs.<id>"
        ins.info("Name", c.name)
        if c.kind == "fixed":
            _numbers(ins, base, pattern, c, ["annual"])
            ins.month(f"{base}.from", "From", c.from_)
            _until(ins, f"{base}.to", c.to)
            _numbers(ins, base, pattern, c, ["commitment_months"])
        elif c.kind == "per_unit":
            ins.info("Activity stream", c.activity)
            _numbers(ins, base, pattern, c, ["share", "unit_cost"])
        else:
            _numbers(ins, base, pattern, c, ["amount"])
            ins.month(f"{base}.month", "Month", c.month, "before the start counts in month 0")
        _numbers(ins, base, pattern, c, ["payment_lag_months"])
        _vat_charged(ins, c)


def _capex(ins: InputsSheet, sc: Scenario) -> None:
    for a in sc.capex:
        ins.section(f"Capital spend: {a.id}")
        base = f"capex.{a.id}"
        ins.info("Name", a.name)
        _numbers(ins, base, "capex.<id>", a, ["amount"])
        ins.month(f"{base}.month", "Month", a.month)
        _numbers(ins, base, "capex.<id>", a, ["life_years"])
        _vat_charged(ins, a)


def _vat_charged(ins: InputsSheet, item) -> None:
    """Whether VAT is charged on a line: it decides which VAT rows the Costs sheet has, so it is shown, not edited."""
    ins.info("VAT charged", "yes" if item.vat else "no", "re-export the scenario to change: the Costs sheet "
             "has VAT rows only for lines that carry VAT")


def _vat(ins: InputsSheet, sc: Scenario) -> None:
    ins.section("VAT")
    _numbers(ins, "vat", "vat", sc.vat)


def _funding(ins: InputsSheet, sc: Scenario) -> None:
    f = sc.funding
    ins.section("Funding")
    _numbers(ins, "funding", "funding", f)
    _numbers(ins, "funding.facility", "funding.facility", f.facility)
    for i, e in enumerate(f.equity):
        ins.info(f"Equity {i + 1}: source", e.source)
        ins.month(f"funding.equity.{i}.month", f"Equity {i + 1}: month", e.month)
        _numbers(ins, f"funding.equity.{i}", "funding.equity.<n>", e, prefix=f"Equity {i + 1}")
    for ln in f.loans:
        base = f"funding.loans.{ln.id}"
        ins.month(f"{base}.month", f"Loan {ln.id}: drawn in", ln.month)
        _numbers(ins, base, "funding.loans.<id>", ln, prefix=f"Loan {ln.id}")
    _tax(ins, sc)


def _tax(ins: InputsSheet, sc: Scenario) -> None:
    ins.section("Tax")
    _numbers(ins, "tax", "tax", sc.tax)
    fields = type(sc.tax).model_fields
    if sc.tax.small_profits_rate is None:  # one flat rate: the formulas read the main rate for both
        ins.derived("tax_small_profits_rate", fields["small_profits_rate"].title, "tax_corporation_tax_rate", "%",
                    S.RATE, "left blank in the scenario: the main rate applies to every profit")
    allowances = fields["capital_allowances"]
    ins.choice("tax.capital_allowances", allowances.title, sc.tax.capital_allowances,
               f"aia | none: {allowances.description}")
    instalments = fields["quarterly_instalments"]
    ins.choice("tax.quarterly_instalments", instalments.title, "yes" if sc.tax.quarterly_instalments else "no",
               f"yes | no: {instalments.description}")
    # HMRC's rules, not inputs: named so that the formulas hold no numbers of their own
    ins.derived("tax_instalment_threshold", "Instalments: taxable profit over", str(LARGE_PROFITS), "£ a year",
                S.MONEY, "HMRC's threshold, pro-rated for a short period")
    ins.derived("tax_instalment_first", "Instalments: first due, months after the period's first month",
                str(INSTALMENT_MONTHS[0]), "months", S.WHOLE, "month 7 of the period")
    ins.derived("tax_instalment_gap", "Instalments: months between them", str(INSTALMENT_MONTHS[1] - INSTALMENT_MONTHS[0]),
                "months", S.WHOLE, "months 7, 10, 13 and 16")

