"""What the scenario editor shows: every scalar field and every table column, with units.

Pure data, no Streamlit: `ui/draft.py` uses these specs to split a scenario into flat
tables and put it back together; `ui/editors.py` turns them into widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import get_args

from modeller.scenario import Parameter

# kind: text | id | ref | select | money | pct | month | int | num | real | wte | list
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


COSTS = ("fixed_costs", "per_unit_costs", "one_off_costs")


DISTRIBUTIONS = get_args(Parameter.model_fields["dist"].annotation)  # the schema's own list
ID = _c("id", "Id", "id", help="short snake_case name used in references, e.g. msk_prime")
NAME = _c("name", "Name", "text")
LAG = _c("payment_lag_months", "Paid after (months)", "int", help="0 = in the month, 1 = a month in arrears, -1 = in advance")

TABLES: tuple[Table, ...] = (
    Table("activity", "Demand streams", ("activity",), (
        ID, NAME,
        _c("per_month", "Units a month", "num", help="volume in the stream's first month"),
        _c("annual_growth", "Growth % a year", "pct"),
        _c("seasonality", "Seasonality (12 factors Jan-Dec)", "list", help="e.g. 1.1, 1.0, ... averaging 1; blank for none"),
        _c("from", "From", "month", help="blank = from the model's first month"),
        _c("to", "To", "month", help="blank = to the end of the model"),
    ), "Demand"),
    Table("contracts", "Contracts", ("contracts",), (
        ID, NAME, _c("commissioner", "Commissioner", "text"),
        _c("mechanism", "Mechanism", "select", options=("block", "activity", "capitation")),
        _c("annual_value", "Annual value £", "money", help="block contracts"),
        _c("price_per_unit", "Price per unit £", "money", help="activity contracts"),
        _c("activity", "Activity id", "ref", help="activity contracts: which demand stream", refers_to=("activity",)),
        _c("share", "Share of activity %", "pct"),
        _c("population", "Population", "num", help="capitation contracts"),
        _c("rate_per_head", "Rate per head £/yr", "money", help="capitation contracts"),
        _c("population_growth", "Population growth %", "pct"),
        _c("start", "Start", "month"), _c("end", "End", "month", help="blank = to the end of the model"),
        _c("start_delay_months", "Start delay (months)", "int"),
        _c("ramp_months", "Ramp-up (months)", "int"),
        LAG,
        _c("withhold_share", "Withhold %", "pct", ("withhold", "share"), "income held back (CQUIN-style)"),
        _c("withhold_earned", "Withhold earned back %", "pct", ("withhold", "earned")),
        _c("withhold_settle", "Withhold settled after (months)", "int", ("withhold", "settle_lag_months")),
        _c("rs_cost", "Risk share: cost id", "ref", ("risk_share", "cost"), "cost line whose over/underspend is shared",
           refers_to=COSTS),
        _c("rs_target", "Risk share: target £/yr", "money", ("risk_share", "target_annual")),
        _c("rs_share", "Risk share: provider keeps %", "pct", ("risk_share", "provider_share")),
        _c("rs_cap", "Risk share: cap £", "money", ("risk_share", "cap"), "most the provider can lose a year"),
        _c("rs_collar", "Risk share: collar £", "money", ("risk_share", "collar"), "most the provider can gain a year"),
        _c("rs_settle", "Risk share settled after (months)", "int", ("risk_share", "settle_lag_months")),
    ), "Contracts"),
    Table("contract_changes", "Contract changes (step changes from a month on)", ("contracts",), (
        _c("contract", "Contract id", "ref", refers_to=("contracts",)),
        _c("from", "From", "month"),
        _c("annual_value", "Annual value £", "money"),
        _c("price_per_unit", "Price per unit £", "money"),
        _c("rate_per_head", "Rate per head £/yr", "money"),
        _c("population", "Population", "num"),
    ), "Contracts", parent=("contracts", "contract"), child_key="changes"),
    Table("roles", "Roles", ("workforce", "roles"), (
        ID, NAME,
        _c("salary", "Salary £/WTE/yr", "money"),
        _c("employment", "Employment", "select", options=("direct", "seconded")),
        _c("recruit_lead_months", "Recruitment lead (months)", "int"),
        _c("recruit_cost_per_wte", "Recruitment cost £/WTE", "money"),
        _c("fill_rate", "Fill rate %", "pct", help="share of target WTE actually in post"),
        _c("agency_premium", "Agency premium %", "pct"),
        _c("attrition_annual", "Leavers % a year", "pct"),
        _c("notice_months", "Notice (months)", "int"),
        _c("driver_activity", "Driver: activity id", "ref", ("driver", "activity"), "WTE from activity instead of a plan",
           refers_to=("activity",)),
        _c("driver_share", "Driver: share %", "pct", ("driver", "share")),
        _c("driver_units", "Driver: units per WTE a month", "num", ("driver", "units_per_wte_month")),
    ), "Workforce"),
    Table("plan_steps", "Staffing plan (target WTE from each month)", ("workforce", "roles"), (
        _c("role", "Role id", "ref", refers_to=("roles",)),
        _c("from", "From", "month"),
        _c("wte", "Target WTE", "wte"),
    ), "Workforce", parent=("roles", "role"), child_key="plan"),
    Table("fixed_costs", "Fixed costs", ("costs",), (
        ID, NAME,
        _c("annual", "Annual £", "money"),
        _c("from", "From", "month"), _c("to", "To", "month", help="blank = to the end of the model"),
        _c("commitment_months", "Committed for (months)", "int", help="minimum term you cannot walk away from"),
        LAG,
    ), "Costs", kind="fixed"),
    Table("per_unit_costs", "Costs per unit of activity", ("costs",), (
        ID, NAME,
        _c("activity", "Activity id", "ref", refers_to=("activity",)),
        _c("share", "Share of activity %", "pct"),
        _c("unit_cost", "Unit cost £", "money"),
        LAG,
    ), "Costs", kind="per_unit"),
    Table("one_off_costs", "One-off costs", ("costs",), (
        ID, NAME, _c("amount", "Amount £", "money"), _c("month", "Month", "month"), LAG,
    ), "Costs", kind="one_off"),
    Table("capex", "Capital spending", ("capex",), (
        ID, NAME, _c("amount", "Amount £", "money"), _c("month", "Month", "month"),
        _c("life_years", "Life (years)", "num"),
    ), "Costs"),
    Table("equity", "Equity raised", ("funding", "equity"), (
        _c("month", "Month", "month"), _c("amount", "Amount £", "money"), _c("source", "Source", "text"),
    ), "Funding"),
    Table("loans", "Loans", ("funding", "loans"), (
        ID, _c("month", "Drawn in", "month"), _c("amount", "Amount £", "money"),
        _c("annual_rate", "Interest % a year", "pct"), _c("term_months", "Term (months)", "int"),
    ), "Funding"),
    Table("risk_ranges", "Uncertain inputs", ("uncertainty", "parameters"), (
        _c("path", "Uncertain input", "text",
           help="pick one of the scenario's inputs; the file names it by ids, e.g. activity.referrals.annual_growth"),
        _c("dist", "Distribution", "select", options=DISTRIBUTIONS),
        _c("low", "Low", "real", help="triangular, PERT, uniform"),
        _c("mode", "Most likely", "real", help="triangular, PERT"),
        _c("high", "High", "real", help="triangular, PERT, uniform"),
        _c("mean", "Mean", "real", help="normal"),
        _c("sd", "Standard deviation", "real", help="normal"),
        _c("median", "Median", "real", help="lognormal"),
        _c("sigma", "Sigma (log scale)", "real", help="lognormal: 0.1 is about ±10%"),
        _c("values", "Values", "list", help="discrete: e.g. 0, 3, 6"),
        _c("probabilities", "Probabilities", "list", help="discrete: e.g. 0.6, 0.3, 0.1 (adding up to 1)"),
    ), "Risk ranges"),
    Table("correlations", "Correlations between uncertain inputs", ("uncertainty", "correlations"), (
        _c("a", "Input A (path)", "text"), _c("b", "Input B (path)", "text"),
        _c("rho", "Rank correlation", "real", help="between -1 and 1, e.g. 0.3"),
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
    or one no view lists) in the first of them, so no row is ever hidden."""
    out: list[list[int]] = [[] if v.where else list(range(len(rows))) for v in views]
    split = [n for n, v in enumerate(views) if v.where]
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
         labels=(("rate_per_head", "£/head a year"), ("population_growth", "Growth %/yr"))),
    View("contract_terms", "Every contract: who pays, mechanism and timing",
         ("id", "commissioner", "mechanism", "start_delay_months", "ramp_months", "payment_lag_months"), fixed=True,
         help="Changing a contract's mechanism moves it to that mechanism's table.",
         labels=(("start_delay_months", "Delay (months)"), ("ramp_months", "Ramp-up (months)"))),
    View("contract_withholds", "Every contract: income withheld (CQUIN-style)",
         ("id", "withhold_share", "withhold_earned", "withhold_settle"), fixed=True,
         labels=(("withhold_share", "Withheld %"), ("withhold_earned", "Earned back %"),
                 ("withhold_settle", "Settled after (months)"))),
    View("contract_risk_shares", "Every contract: risk share of a cost line (no cost line: none)",
         ("id", "rs_cost", "rs_target", "rs_share", "rs_cap", "rs_collar", "rs_settle"), fixed=True,
         labels=(("rs_cost", "Cost line"), ("rs_target", "Target £/yr"), ("rs_share", "You keep %"),
                 ("rs_cap", "Cap £"), ("rs_collar", "Collar £"), ("rs_settle", "Settles (months)"))),
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
    _c("months", "Length (months)", "int", ("months",), "1 to 240"),
    _c("pay_inflation", "Pay inflation % a year", "pct", ("indexation", "pay")),
    _c("non_pay_inflation", "Non-pay inflation % a year", "pct", ("indexation", "non_pay")),
    _c("price_uplift", "Contract price uplift % a year", "pct", ("indexation", "prices")),
    _c("discount_rate", "Discount rate % a year", "pct", ("appraisal", "discount_rate"), "Green Book: 3.5%"),
    _c("tax_rate", "Corporation tax %", "pct", ("tax", "corporation_tax_rate")),
    _c("tax_lag", "Tax paid after (months)", "int", ("tax", "payment_lag_months")),
    _c("ni_rate", "Employer NI %", "pct", ("workforce", "on_costs", "employer_ni_rate")),
    _c("ni_threshold", "NI threshold £/yr", "money", ("workforce", "on_costs", "ni_threshold")),
    _c("pension_rate", "Employer pension %", "pct", ("workforce", "on_costs", "pension_rate")),
    _c("other_rate", "Other on-costs %", "pct", ("workforce", "on_costs", "other_rate")),
    _c("opening_cash", "Opening cash £", "money", ("funding", "opening_cash")),
    _c("minimum_cash", "Minimum cash £", "money", ("funding", "minimum_cash"), "the facility is drawn to keep cash at this"),
    _c("facility_limit", "Facility limit £", "money", ("funding", "facility", "limit")),
    _c("facility_rate", "Facility interest % a year", "pct", ("funding", "facility", "annual_rate")),
    _c("draws", "Monte Carlo draws", "int", ("uncertainty", "draws"), "how many futures the Risk page runs"),
    _c("seed", "Random seed", "int", ("uncertainty", "seed"), "the same seed gives the same results"),
)
SCALAR_BY_KEY = MappingProxyType({c.key: c for c in SCALARS})

SECTIONS: tuple[str, ...] = ("Basics", "Demand", "Contracts", "Workforce", "Costs", "Funding", "Risk ranges")
SECTION_SCALARS = MappingProxyType({
    "Basics": ("name", "description", "start", "months", "pay_inflation", "non_pay_inflation", "price_uplift",
               "discount_rate", "tax_rate", "tax_lag"),
    "Workforce": ("ni_rate", "ni_threshold", "pension_rate", "other_rate"),
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
    return {"activity": "Demand", "contracts": "Contracts", "costs": "Costs", "capex": "Costs",
            "funding": "Funding", "uncertainty": "Risk ranges"}.get(head, "Basics")
