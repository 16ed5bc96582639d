"""What the scenario editor shows: every scalar field and every table column, with units.

Pure data, no Streamlit: `ui/draft.py` uses these specs to split a scenario into flat
tables and put it back together; `ui/editors.py` turns them into widgets. A column or scalar
editing a numeric field takes its label, unit and help from the schema (`modeller.fields`):
it is declared here only by its key and place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import get_args

from modeller.fields import InputField, input_fields, pattern_of
from modeller.scenario import (
    Appraisal,
    Contract,
    Driver,
    FixedCost,
    Parameter,
    Tax,
    Withhold,
    Workforce,
)

# kind: text | id | ref | select | bool | money | pct | month | int | num | real | wte | list
# `real` is a number in the field's own units that may be negative (an uncertainty range).
Kind = str


@dataclass(frozen=True)
class Col:
    """One table column or scalar input: its flat key, label, unit kind and scenario path."""

    key: str
    label: str
    kind: Kind
    path: tuple[str, ...] = ()
    help: str = ""
    options: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()   # a "ref" column: the tables whose ids it names
    unit: str = ""                    # a numeric field's unit in the schema ("£ a year"); "" for the rest

    @property
    def where(self) -> tuple[str, ...]:
        return self.path or (self.key,)


@dataclass(frozen=True)
class Table:
    """An editable list: `source` is its place in the scenario; `parent` groups child rows by id."""

    name: str
    title: str
    source: tuple[str, ...]
    cols: tuple[Col, ...]
    section: str
    parent: tuple[str, str] | None = None   # (parent table name, this table's parent-id column)
    child_key: str = ""                     # field of the parent item holding these rows
    kind: str = ""                          # fixed value of `kind:` for cost tables
    help: str = ""


def _c(key, label, kind, path=(), help="", options=(), refers_to=()) -> Col:
    return Col(key, label, kind, tuple(path), help, tuple(options), tuple(refers_to))


def _n(key: str, path: tuple[str, ...] = (), kind: Kind = "") -> Col:
    """A column editing a numeric field: `_table` or `_scalar` fills in its label, unit and help from
    the schema. `kind` overrides the unit's kind (risk ranges are "real": in their input's unit)."""
    return Col(key, "", kind, tuple(path))


_KINDS = {"£": "money", "%": "pct", "months": "int", "WTE": "wte"}


def field_kind(field: InputField) -> Kind:
    """How the editor edits a field of this unit: money, pct, int (months and whole numbers), wte or num."""
    return _KINDS.get(field.kind) or ("int" if field.whole else "num")


def field_col(col: Col, pattern: str) -> Col:
    """A numeric column with the schema's label and unit ("Annual value (£ a year)"), kind and help."""
    field = input_fields()[pattern]
    return replace(col, label=field.heading, kind=col.kind or field_kind(field), help=field.help, unit=field.unit)


def column_pattern(source: tuple[str, ...], child_key: str, col: Col) -> str:
    """The schema pattern a table's column edits: `contracts`, `changes`, `population` ->
    `contracts.<id>.changes.<n>.population` (a position stands for any id or position)."""
    child = (child_key, "0") if child_key else ()
    return pattern_of(".".join((*source, "0", *child, *col.where)))


def _table(name: str, title: str, source: tuple[str, ...], cols: tuple[Col, ...], section: str, **rest) -> Table:
    child_key = rest.get("child_key", "")
    cols = tuple(field_col(c, column_pattern(source, child_key, c)) if not c.label else c for c in cols)
    return Table(name, title, source, cols, section, **rest)


def _scalar(key: str, path: tuple[str, ...]) -> Col:
    return field_col(_n(key, path), pattern_of(".".join(path)))


COSTS = ("fixed_costs", "per_unit_costs", "one_off_costs")


DISTRIBUTIONS = get_args(Parameter.model_fields["dist"].annotation)  # the schema's own list
_APPRAISAL = Appraisal.model_fields
_CONTRACT = Contract.model_fields
_WITHHOLD = Withhold.model_fields
_TAX = Tax.model_fields
_DRIVER = Driver.model_fields
_WORKFORCE = Workforce.model_fields
ID = _c("id", "Id", "id", help="short snake_case name used in references, e.g. msk_prime")
NAME = _c("name", "Name", "text")
LAG = _n("payment_lag_months")
VAT = _c("vat", FixedCost.model_fields["vat"].title, "bool", help=FixedCost.model_fields["vat"].description)

TABLES: tuple[Table, ...] = (
    _table("activity", "Demand streams", ("activity",), (
        ID, NAME, _n("per_month"), _n("annual_growth"),
        _c("seasonality", "Seasonality (12 factors Jan-Dec)", "list", help="e.g. 1.1, 1.0, ... averaging 1; blank for none"),
        _c("from", "From", "month", help="blank = from the model's first month"),
        _c("to", "To", "month", help="blank = to the end of the model"),
    ), "Demand"),
    _table("contracts", "Contracts", ("contracts",), (
        ID, NAME, _c("commissioner", "Commissioner", "text"),
        _c("mechanism", "Mechanism", "select", options=("block", "activity", "capitation")),
        _n("annual_value"), _n("price_per_unit"),
        _c("activity", "Activity id", "ref", help="activity contracts: which demand stream", refers_to=("activity",)),
        _n("share"), _n("population"), _n("rate_per_head"), _n("population_growth"),
        _c("start", "Start", "month"), _c("end", "End", "month", help="blank = to the end of the model"),
        _n("start_delay_months"), _n("ramp_months"), LAG,
        _n("withhold_share", ("withhold", "share")),
        _n("withhold_earned", ("withhold", "earned")),
        _n("withhold_settle", ("withhold", "settle_lag_months")),
        _c("withhold_paid", _WITHHOLD["paid"].title, "select", ("withhold", "paid"), _WITHHOLD["paid"].description,
           options=get_args(_WITHHOLD["paid"].annotation)),
        _c("paid", _CONTRACT["paid"].title, "select", help=_CONTRACT["paid"].description,
           options=get_args(_CONTRACT["paid"].annotation)),
        _n("reconcile_lag_months"), _n("activity_cap"), _n("marginal_rate"),
        _c("rs_cost", "Risk share: cost id", "ref", ("risk_share", "cost"), "cost line whose over/underspend is shared",
           refers_to=COSTS),
        _n("rs_target", ("risk_share", "target_annual")),
        _n("rs_share", ("risk_share", "provider_share")),
        _n("rs_cap", ("risk_share", "cap")),
        _n("rs_collar", ("risk_share", "collar")),
        _n("rs_settle", ("risk_share", "settle_lag_months")),
    ), "Contracts"),
    _table("contract_changes", "Contract changes (step changes from a month on)", ("contracts",), (
        _c("contract", "Contract id", "ref", refers_to=("contracts",)),
        _c("from", "From", "month"),
        _n("annual_value"), _n("price_per_unit"), _n("rate_per_head"), _n("population"),
    ), "Contracts", parent=("contracts", "contract"), child_key="changes"),
    _table("roles", "Roles", ("workforce", "roles"), (
        ID, NAME, _n("salary"),
        _c("employment", "Employment", "select", options=("direct", "seconded")),
        _n("recruit_lead_months"), _n("recruit_cost_per_wte"), _n("fill_rate"), _n("agency_premium"),
        _n("attrition_annual"), _n("notice_months"), _n("redundancy_weeks"), _n("wte_per_person"),
        _n("pension_rate"),
        _c("driver_activity", "Driver: activity id", "ref", ("driver", "activity"), "WTE from activity instead of a plan",
           refers_to=("activity",)),
        _n("driver_share", ("driver", "share")),
        _n("driver_units", ("driver", "units_per_wte_month")),
        _c("driver_basis", "Driver: " + _DRIVER["staffing_basis"].title.lower(), "select", ("driver", "staffing_basis"),
           _DRIVER["staffing_basis"].description, options=get_args(_DRIVER["staffing_basis"].annotation)),
    ), "Workforce"),
    _table("transfers", "Staff transferring in (TUPE): in post from a month, on their own pay", ("workforce", "roles"), (
        _c("role", "Role id", "ref", refers_to=("roles",)),
        _c("from", "In post from", "month"),
        _n("wte"), _n("salary"), _n("pension_rate"),
    ), "Workforce", parent=("roles", "role"), child_key="transfers"),
    _table("plan_steps", "Staffing plan (target WTE from each month)", ("workforce", "roles"), (
        _c("role", "Role id", "ref", refers_to=("roles",)),
        _c("from", "From", "month"),
        _n("wte"),
    ), "Workforce", parent=("roles", "role"), child_key="plan"),
    _table("fixed_costs", "Fixed costs", ("costs",), (
        ID, NAME, _n("annual"),
        _c("from", "From", "month"), _c("to", "To", "month", help="blank = to the end of the model"),
        _n("commitment_months"), LAG, VAT,
    ), "Costs", kind="fixed"),
    _table("per_unit_costs", "Costs per unit of activity", ("costs",), (
        ID, NAME,
        _c("activity", "Activity id", "ref", refers_to=("activity",)),
        _n("share"), _n("unit_cost"), LAG, VAT,
    ), "Costs", kind="per_unit"),
    _table("one_off_costs", "One-off costs", ("costs",), (
        ID, NAME, _n("amount"), _c("month", "Month", "month"), LAG, VAT,
    ), "Costs", kind="one_off"),
    _table("capex", "Capital spending", ("capex",), (
        ID, NAME, _n("amount"), _c("month", "Month", "month"), _n("life_years"), VAT,
    ), "Costs"),
    _table("equity", "Equity raised", ("funding", "equity"), (
        _c("month", "Month", "month"), _n("amount"), _c("source", "Source", "text"),
    ), "Funding"),
    _table("loans", "Loans", ("funding", "loans"), (
        ID, _c("month", "Drawn in", "month"), _n("amount"), _n("annual_rate"), _n("term_months"),
    ), "Funding"),
    # a range is in the unit of the input it makes uncertain ("real": shown as that input is shown)
    _table("risk_ranges", "Uncertain inputs", ("uncertainty", "parameters"), (
        _c("path", "Uncertain input", "text",
           help="pick one of the scenario's inputs; the file names it by ids, e.g. activity.referrals.annual_growth"),
        _c("dist", "Distribution", "select", options=DISTRIBUTIONS),
        *(_n(key, kind="real") for key in ("low", "mode", "high", "mean", "sd", "median", "sigma")),
        _c("values", "Values", "list", help="discrete: e.g. 0, 3, 6"),
        _c("probabilities", "Probabilities", "list", help="discrete: e.g. 0.6, 0.3, 0.1 (adding up to 1)"),
    ), "Risk ranges"),
    _table("correlations", "Correlations between uncertain inputs", ("uncertainty", "correlations"), (
        _c("a", "Input A (path)", "text"), _c("b", "Input B (path)", "text"), _n("rho", kind="real"),
    ), "Risk ranges"),
)
TABLE_BY_NAME = MappingProxyType({t.name: t for t in TABLES})


@dataclass(frozen=True)
class View:
    """Part of a table edited on its own: some of its columns, for the rows holding one value in a column.

    A wide table (contracts: three mechanisms, 24 columns) reads better as several narrow ones."""

    name: str
    title: str
    cols: tuple[str, ...]
    where: tuple[str, str | tuple[str, ...]] | None = None  # (column, value or values): the rows shown;
                                                             # rows added here get the (first) value
    fixed: bool = False                     # rows are added and deleted in another view
    help: str = ""
    labels: tuple[tuple[str, str], ...] = ()  # shorter headers (the full label becomes the tooltip)
    widths: tuple[tuple[str, int], ...] = ()  # pixels for columns whose values are longer than their header

    def values(self) -> tuple[str, ...]:
        return () if self.where is None else (self.where[1],) if isinstance(self.where[1], str) else self.where[1]


def view_positions(views: tuple[View, ...], rows: list[dict]) -> list[list[int]]:
    """For each view, the positions of the rows it shows: a view without `where` shows every row; of
    the views with one, each row shows in the view listing its value, or (a value not chosen yet,
    or one no view lists) in the first of them, so no row is ever hidden. A fixed view with `where`
    shows the rows holding its value besides (activity contracts' payment terms)."""
    out: list[list[int]] = [[] if v.where else list(range(len(rows))) for v in views]
    split = [n for n, v in enumerate(views) if v.where and not v.fixed]
    for n, v in enumerate(views):
        if v.where and v.fixed:   # a fixed view with `where` only filters: the rows are at home elsewhere
            out[n] = [i for i, row in enumerate(rows) if row.get(v.where[0]) in v.values()]
    for i, row in enumerate(rows):
        if split:
            home = next((n for n in split if row.get(views[n].where[0]) in views[n].values()), split[0])
            out[home].append(i)
    return out


VIEWS: MappingProxyType = MappingProxyType({"contracts": (
    View("contracts_block", "Block contracts", ("id", "name", "annual_value", "start", "end"), ("mechanism", "block"),
         help="A fixed sum a year, paid monthly whatever the demand."),
    View("contracts_activity", "Activity contracts",
         ("id", "name", "price_per_unit", "activity", "share", "start", "end"), ("mechanism", "activity"),
         help="Paid per unit of a demand stream: price × units × share.",
         labels=(("price_per_unit", "Price £/unit"), ("share", "Share %"))),
    View("contracts_capitation", "Capitation contracts",
         ("id", "name", "population", "rate_per_head", "population_growth", "start", "end"), ("mechanism", "capitation"),
         help="Paid per head of a population a year.",
         labels=(("population", "Population"), ("rate_per_head", "£/head a year"), ("population_growth", "Growth %/yr"))),
    View("contract_terms", "Every contract: who pays, mechanism and timing",
         ("id", "commissioner", "mechanism", "start_delay_months", "ramp_months", "payment_lag_months"), fixed=True,
         help="Changing a contract's mechanism moves it to that mechanism's table.",
         labels=(("start_delay_months", "Delay (months)"), ("ramp_months", "Ramp-up (months)"))),
    View("contract_withholds", "Every contract: income withheld (CQUIN-style)",
         ("id", "withhold_share", "withhold_earned", "withhold_settle", "withhold_paid"), fixed=True,
         help="on_account: the withheld share is paid monthly and the part not earned back clawed back at "
              "settlement (CQUIN under the NHS Standard Contract); at_settlement: held back until then.",
         labels=(("withhold_share", "Withheld %"), ("withhold_earned", "Earned back %"),
                 ("withhold_settle", "Settled after (months)"), ("withhold_paid", "Paid"))),
    View("contract_activity_payments", "Activity contracts: how they are paid",
         ("id", "paid", "reconcile_lag_months", "activity_cap", "marginal_rate"), ("mechanism", "activity"), fixed=True,
         help="on_plan: paid monthly on account of the planned activity and reconciled to the actual after each "
              "NHS year; in_arrears: paid on the actual activity after the payment lag. A cap limits the units "
              "paid in a year; the marginal rate is the share of the price paid for units above plan.",
         labels=(("paid", "Paid"), ("reconcile_lag_months", "Reconciled after (months)"),
                 ("activity_cap", "Cap (units a year)"), ("marginal_rate", "Above plan %"))),
    View("contract_risk_shares", "Every contract: risk share of a cost line (no cost line: none)",
         ("id", "rs_cost", "rs_target", "rs_share", "rs_cap", "rs_collar", "rs_settle"), fixed=True,
         labels=(("rs_cost", "Cost line"), ("rs_target", "Target £/yr"), ("rs_share", "You keep %"),
                 ("rs_cap", "Cap £"), ("rs_collar", "Collar £"), ("rs_settle", "Settles (months)"))),
), "contract_changes": (
    # one view with short headings, so the six columns fit 1366 pixels (the tooltips carry the full headings)
    View("contract_changes", "Contract changes (step changes from a month on)",
         ("contract", "from", "annual_value", "price_per_unit", "rate_per_head", "population"),
         help="Each row changes a contract's value from a month on: the scale-up.",
         labels=(("annual_value", "Value £/yr"), ("price_per_unit", "Price £/unit"), ("rate_per_head", "£/head a year"),
                 ("population", "Population"))),
), "risk_ranges": (
    View("risk_three_point", "Three-point ranges: low, most likely and high", ("path", "dist", "low", "mode", "high"),
         ("dist", ("triangular", "pert")), widths=(("path", 400),),
         help="Triangular, or PERT (which leans more on the most likely value). Changing a row's distribution "
              "moves it to that distribution's table."),
    View("risk_uniform", "Uniform ranges: any value from low to high equally likely", ("path", "low", "high"),
         ("dist", "uniform"), widths=(("path", 400),)),
    View("risk_normal", "Normal ranges: mean and standard deviation", ("path", "mean", "sd"), ("dist", "normal"),
         widths=(("path", 400),)),
    View("risk_lognormal", "Lognormal ranges: median and sigma (log scale)", ("path", "median", "sigma"),
         ("dist", "lognormal"), widths=(("path", 400),)),
    View("risk_discrete", "Discrete values with their probabilities", ("path", "values", "probabilities"),
         ("dist", "discrete"), widths=(("path", 400),)),
)})


def view_table(table: Table, view: View) -> Table:
    """The view as a table of its own columns (for frames and column configs). It keeps the table's
    name: what the name decides (units of risk ranges, dropdowns of input paths) holds in every view."""
    by_key, short = {c.key: c for c in table.cols}, dict(view.labels)
    cols = tuple(replace(by_key[k], label=short[k], help=f"{by_key[k].label}. {by_key[k].help}".rstrip(". "))
                 if k in short else by_key[k] for k in view.cols)
    return Table(table.name, view.title, table.source, cols, table.section)

SCALARS: tuple[Col, ...] = (
    _c("name", "Scenario name", "text", ("name",)),
    _c("description", "Description", "text", ("description",)),
    _c("start", "First month", "month", ("start",), "e.g. Apr 2025 or 2025-04"),
    _scalar("months", ("months",)),
    _scalar("pay_inflation", ("indexation", "pay")),
    _scalar("non_pay_inflation", ("indexation", "non_pay")),
    _scalar("price_uplift", ("indexation", "prices")),
    _scalar("discount_rate", ("appraisal", "discount_rate")),
    _scalar("inflation", ("appraisal", "inflation")),
    _scalar("cost_of_capital", ("appraisal", "cost_of_capital")),
    _c("residual_value", _APPRAISAL["residual_value"].title, "select", ("appraisal", "residual_value"),
       _APPRAISAL["residual_value"].description, options=get_args(_APPRAISAL["residual_value"].annotation)),
    _scalar("tax_rate", ("tax", "corporation_tax_rate")),
    _scalar("small_profits_rate", ("tax", "small_profits_rate")),
    _scalar("small_profits_limit", ("tax", "lower_limit")),
    _scalar("main_rate_limit", ("tax", "upper_limit")),
    _c("capital_allowances", _TAX["capital_allowances"].title, "select", ("tax", "capital_allowances"),
       _TAX["capital_allowances"].description, options=get_args(_TAX["capital_allowances"].annotation)),
    _scalar("aia_limit", ("tax", "aia_limit")),
    _c("quarterly_instalments", _TAX["quarterly_instalments"].title, "bool", ("tax", "quarterly_instalments"),
       _TAX["quarterly_instalments"].description),
    _scalar("tax_lag", ("tax", "payment_lag_months")),
    _c("employer", _WORKFORCE["employer"].title, "select", ("workforce", "employer"),
       _WORKFORCE["employer"].description, options=get_args(_WORKFORCE["employer"].annotation)),
    _scalar("employment_allowance", ("workforce", "employment_allowance")),
    _scalar("ni_rate", ("workforce", "on_costs", "employer_ni_rate")),
    _scalar("ni_threshold", ("workforce", "on_costs", "ni_threshold")),
    _scalar("pension_rate", ("workforce", "on_costs", "pension_rate")),
    _scalar("other_rate", ("workforce", "on_costs", "other_rate")),
    _scalar("levy_rate", ("workforce", "on_costs", "levy_rate")),
    _scalar("levy_allowance", ("workforce", "on_costs", "levy_allowance")),
    _scalar("vat_rate", ("vat", "rate")),
    _scalar("vat_recoverable", ("vat", "recoverable_share")),
    _scalar("opening_cash", ("funding", "opening_cash")),
    _scalar("minimum_cash", ("funding", "minimum_cash")),
    _scalar("facility_limit", ("funding", "facility", "limit")),
    _scalar("facility_rate", ("funding", "facility", "annual_rate")),
    _scalar("draws", ("uncertainty", "draws")),
    _scalar("seed", ("uncertainty", "seed")),
)
SCALAR_BY_KEY = MappingProxyType({c.key: c for c in SCALARS})

SECTIONS: tuple[str, ...] = ("Basics", "Demand", "Contracts", "Workforce", "Costs", "Funding", "Risk ranges")
SECTION_SCALARS = MappingProxyType({
    "Basics": ("name", "description", "start", "months", "pay_inflation", "non_pay_inflation", "price_uplift",
               "discount_rate", "inflation", "cost_of_capital", "residual_value", "tax_rate", "small_profits_rate",
               "small_profits_limit", "main_rate_limit", "capital_allowances", "aia_limit", "quarterly_instalments",
               "tax_lag"),
    "Workforce": ("employer", "employment_allowance", "ni_rate", "ni_threshold", "pension_rate", "other_rate",
                  "levy_rate", "levy_allowance"),
    # beside the cost tables whose 'VAT charged' ticks they apply to
    "Costs": ("vat_rate", "vat_recoverable"),
    "Funding": ("opening_cash", "minimum_cash", "facility_limit", "facility_rate"),
    "Risk ranges": ("draws", "seed"),
})


def section_of(problem: str) -> str | None:
    """The editor section a problem line ("contracts[x].start: ...") belongs to; None for a
    problem with the scenario as a whole ("scenario: ..."), which belongs beside every section."""
    path = problem.split(":", 1)[0].strip()
    head = path.split(".")[0].split("[")[0]
    if head == "scenario":
        return None
    if head == "workforce":
        return "Workforce"
    return {"activity": "Demand", "contracts": "Contracts", "costs": "Costs", "capex": "Costs", "vat": "Costs",
            "funding": "Funding", "uncertainty": "Risk ranges"}.get(head, "Basics")
