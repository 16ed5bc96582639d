"""Scenario schema v1: frozen pydantic models of a venture's assumptions (DESIGN §3).

Reading and writing YAML lives in `scenario_io.py`; this module owns only the shape of
a scenario and the rules one must obey. Money is GBP in first-year prices, rates are
decimals, months are "YYYY-MM" strings, durations are whole months.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from modeller.date_links import DateLink, link_problem, resolve
from modeller.scenario_text import (  # noqa: F401 - the limits are part of the schema's API
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    check_id,
    check_text,
    id_label,
)

MAX_MONTHS = 240
MAX_DRAWS = 200_000         # about 40 s at the benchmarked 10,000 draws in 2 s; the UI's limit too
MAX_SEED = 2**32 - 1        # the range every numpy generator accepts
MIN_LIFE_YEARS = 1 / 12     # one month
MIN_UNITS_PER_WTE_MONTH = 0.01
MIN_WTE_PER_PERSON = 0.01    # about 20 minutes a week
# Magnitudes no NHS venture comes near (the largest NHS trusts spend about £3bn a year): beyond
# them double-precision sums stop balancing to the penny. `scenario_limits` checks the totals.
MAX_MONEY = 10_000_000_000  # £10bn: any one amount, annual value or salary
MAX_COUNT = 100_000_000     # a population, or units of activity a month: more than the UK
MAX_WTE = 100_000
MAX_ITEMS = 100             # items in each list of the scenario (activity, contracts, roles, ...)
MAX_STEPS = MAX_MONTHS      # contract changes, plan steps: at most one a month
MAX_PARAMETERS = 200        # uncertain parameters; the correlation matrix is this squared
MAX_CORRELATIONS = 1_000
MAX_VALUES = 1_000          # values of a discrete distribution
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


class Model(BaseModel):
    """Base for every scenario part: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def check_month(value: str) -> str:
    """A "YYYY-MM" month string, e.g. "2025-04" (a linked date arrives here resolved, or with why it cannot be)."""
    problem = link_problem(value) if isinstance(value, str) else None
    if problem:
        raise ValueError(problem)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a month; write it as \"YYYY-MM\" in quotes, e.g. \"2025-04\"")
    m = _MONTH_RE.fullmatch(value)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"month {value} is not a valid YYYY-MM (e.g. \"2025-04\")")
    if not 1900 <= int(m.group(1)) <= 2200:
        raise ValueError(f"month {value} is outside the years the model covers (1900 to 2200)")
    return value


def month_number(value: str) -> int:
    """Months since year 0 of a "YYYY-MM" string, for ordering and differences."""
    year, month = value.split("-")
    return int(year) * 12 + int(month) - 1


def _refuse_true_false(whole: bool):
    """pydantic reads true as 1 and YAML reads yes/no/on/off as true/false, so without
    this `months: yes` would quietly model one month."""

    def check(v: Any) -> Any:
        if isinstance(v, bool):
            raise PydanticCustomError("bool_as_number", "must be a number, not true or false", {"whole": whole})
        return v

    return BeforeValidator(check)


Number = Annotated[float, _refuse_true_false(whole=False)]
Whole = Annotated[int, _refuse_true_false(whole=True)]
# a dated item's month, or a link to a contract's date (model book, "Linked dates"): both in the JSON Schema
Month = Annotated[str, WithJsonSchema({
    "description": 'Calendar month as "YYYY-MM", or a date linked to a contract: {after: contract_id, months: -2} '
                   "or {after: \"contract_id.changes[0]\", months: 0}",
    "anyOf": [{"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
              {"type": "object", "additionalProperties": False, "required": ["after"],
               "properties": {"after": {"type": "string", "pattern": r"^[a-z][a-z0-9_]*(\.changes\[[0-9]+\])?$"},
                              "months": {"type": "integer", "minimum": -240, "maximum": 240}}}]})]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, description="GBP, first-year prices"),
                  _refuse_true_false(whole=False)]
Count = Annotated[float, Field(ge=0, le=MAX_COUNT, description="people or units"), _refuse_true_false(whole=False)]
Share = Annotated[float, Field(ge=0, le=1, description="decimal share, 0..1"), _refuse_true_false(whole=False)]
NonNegative = Annotated[float, Field(ge=0), _refuse_true_false(whole=False)]
Positive = Annotated[float, Field(gt=0), _refuse_true_false(whole=False)]
Months = Annotated[int, Field(ge=0, le=MAX_MONTHS, description="whole months"), _refuse_true_false(whole=True)]
Ident = Annotated[str, Field(description="snake_case id, unique in its list")]
Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(check_text)]
Description = Annotated[str, Field(max_length=MAX_TEXT_LENGTH),
                        AfterValidator(lambda v: check_text(v, MAX_TEXT_LENGTH, lines=True))]
PathText = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(check_text)]


def about(label: str, unit: str = "", help: str = "") -> dict[str, Any]:
    """What every layer shows of a field: its label (JSON Schema "title"), its unit (one of `UNITS`)
    and a line of help ("description"). Spread into `Field(...)`; `modeller.fields` reads it back."""
    out: dict[str, Any] = {"title": label}
    if unit:
        out["json_schema_extra"] = {"unit": unit}
    if help:
        out["description"] = help
    return out


def items(item: Any, most: int = MAX_ITEMS) -> Any:
    """A tuple of at most `most` items: tuples keep a shared, cached scenario truly frozen."""
    return Annotated[tuple[item, ...], Field(max_length=most)]


class Item(Model):
    """A list item with an id used for references and parameter paths."""

    # the pattern and length are checked by check_id (with a plain message); the schema shows them to editors
    id: Annotated[Ident, AfterValidator(check_id),
                  Field(json_schema_extra={"pattern": "^[a-z][a-z0-9_]*$", "maxLength": MAX_ID_LENGTH})]


def _month_fields(*names: str):
    return field_validator(*names)(lambda cls, v: v if v is None else check_month(v))


class Indexation(Model):
    pay: Number = Field(0.0, ge=-0.2, le=0.3, **about("Pay inflation", "% a year",
                                                      "applied to salaries from each later 1 April"))
    non_pay: Number = Field(0.0, ge=-0.2, le=0.3, **about("Non-pay inflation", "% a year",
                                                          "applied to running costs from each later 1 April"))
    prices: Number = Field(0.0, ge=-0.2, le=0.3, **about("Contract price uplift", "% a year",
                                                         "applied to contract prices from each later 1 April"))


class Appraisal(Model):
    discount_rate: Number = Field(0.035, ge=0, le=0.3, **about(
        "Discount rate", "% a year", "annual real discount rate for NPV, applied to cash in first-year prices "
        "(Green Book: 3.5%)"))
    inflation: Number = Field(0.02, ge=-0.2, le=0.3, **about(
        "General inflation", "% a year", "the GDP deflator: cash of each later 1 April is divided by (1 + this) "
        "per year passed to express it in first-year prices for NPV and real IRR"))
    cost_of_capital: Number = Field(0.08, ge=0, le=1, **about(
        "Cost of capital", "% a year", "the provider's nominal required return: the rate of the nominal NPV and "
        "the finance and reinvestment rate of MIRR"))
    residual_value: Literal["book", "none"] = Field("book", **about(
        "Residual value", "", "book: the equipment left at the end counts at its book value in the terminal "
        "settlement; none: it counts for nothing"))


class Activity(Item):
    name: Name
    per_month: Number = Field(ge=0, le=MAX_COUNT, **about(
        "Units a month", "units a month", "units in the stream's first month (month 0 unless `from` is set)"))
    annual_growth: Number = Field(0.0, ge=-0.9, le=3.0, **about("Growth", "% a year", "growth in units a year"))
    seasonality: tuple[Number, ...] | None = Field(None, **about(
        "Seasonality", "factor", "12 factors, January to December, averaging 1; none for a flat year"))
    from_: Month | None = Field(None, alias="from", description="first month of demand; none before it")
    to: Month | None = Field(None, description="last month of demand (inclusive); none after it")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_", "to")

    @model_validator(mode="after")
    def _order(self):
        if self.to is not None and self.from_ is not None and month_number(self.to) < month_number(self.from_):
            raise ValueError(f"to {self.to} is before from {self.from_}")
        return self

    @field_validator("seasonality")
    @classmethod
    def _twelve_factors(cls, v):
        if v is None:
            return v
        if len(v) != 12:
            raise ValueError(f"needs 12 factors (January to December), got {len(v)}")
        if any(f < 0 for f in v):
            raise ValueError("factors must not be negative")
        if abs(sum(v) / 12 - 1) > 0.01:
            raise ValueError(f"factors must average 1 (they average {sum(v) / 12:.3f})")
        return v


class ContractChange(Model):
    from_: Month = Field(alias="from")
    annual_value: Money | None = Field(None, **about("Annual value", "£ a year", "block contracts, from this month"))
    price_per_unit: Money | None = Field(None, **about("Price per unit", "£ per unit",
                                                       "activity contracts, from this month"))
    rate_per_head: Money | None = Field(None, **about("Rate per head", "£ per head a year",
                                                      "capitation contracts, from this month"))
    population: Count | None = Field(None, **about("Population", "people", "capitation contracts, from this month"))

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_")


class Withhold(Model):
    share: Share = Field(0.0, **about("Withheld", "%", "share of income held back (CQUIN-style)"))
    earned: Share = Field(1.0, **about("Withhold earned back", "%", "share of the withhold expected to be earned back"))
    settle_lag_months: Months = Field(3, **about("Withhold settled after", "months",
                                                 "months after the year's 31 March"))
    paid: Literal["on_account", "at_settlement"] = Field("on_account", **about(
        "Withhold paid", "", "on_account: paid monthly with the rest, the part not earned back clawed back at "
        "settlement (CQUIN under the NHS Standard Contract); at_settlement: held back until settlement"))


class RiskShare(Model):
    cost: Ident = Field(description="id of the cost line whose over/underspend is shared")
    target_annual: Money = Field(**about("Risk share target", "£ a year", "the cost line's agreed target spend"))
    provider_share: Share = Field(**about("Risk share kept by provider", "%",
                                                       "share of the over- or underspend the provider keeps"))
    cap: Money | None = Field(None, **about("Risk share cap", "£ a year", "most the provider can lose in a year"))
    collar: Money | None = Field(None, **about("Risk share collar", "£ a year", "most the provider can gain in a year"))
    settle_lag_months: Months = Field(3, **about("Risk share settled after", "months",
                                                 "months after the year's 31 March (or the model's last month)"))


PAYMENT_LAG = about("Paid after", "months", "0 = in the month, 1 = a month in arrears, -1 = a month in advance")
VAT_CHARGED = about("VAT charged", "", "the supplier charges VAT at `vat.rate` on this line; false for exempt or "
                                       "zero-rated items (NHS-to-NHS recharges, insurance, most clinical services, "
                                       "rent where the landlord has not opted to tax)")
# the field holding each mechanism's price: what an uplift, a change or a sensitivity moves
PRICE_FIELD = {"block": "annual_value", "activity": "price_per_unit", "capitation": "rate_per_head"}


def require_fields(model: BaseModel, needed: list[str], what: str) -> None:
    """Refuse a model missing any of the fields its kind needs ("a block contract needs annual_value")."""
    missing = [f for f in needed if getattr(model, f) is None]
    if missing:
        raise ValueError(f"{what} needs {' and '.join(missing)}")


class Contract(Item):
    name: Name
    commissioner: Name = ""
    mechanism: Literal["block", "activity", "capitation"]
    annual_value: Money | None = Field(None, **about("Annual value", "£ a year", "block contracts"))
    price_per_unit: Money | None = Field(None, **about("Price per unit", "£ per unit", "activity contracts"))
    activity: Ident | None = None
    share: Share = Field(1.0, **about("Share of activity", "%", "activity contracts: share of the stream paid for"))
    population: Count | None = Field(None, **about("Population", "people", "capitation contracts"))
    rate_per_head: Money | None = Field(None, **about("Rate per head", "£ per head a year", "capitation contracts"))
    population_growth: Number = Field(0.0, ge=-0.5, le=1.0, **about("Population growth", "% a year",
                                                                    "capitation contracts"))
    start: Month
    end: Month | None = None
    start_delay_months: Months = Field(0, **about("Start delay", "months", "shifts the start and every change later"))
    ramp_months: Months = Field(0, **about("Ramp-up", "months", "the k-th month earns min(1, (k+1)/ramp)"))
    changes: items(ContractChange, MAX_STEPS) = ()
    payment_lag_months: Whole = Field(0, ge=-1, le=24, **PAYMENT_LAG)
    withhold: Withhold = Withhold()
    risk_share: RiskShare | None = None
    paid: Literal["on_plan", "in_arrears"] = Field("on_plan", **about(
        "Activity paid", "", "activity contracts: on_plan = paid monthly on account of the planned activity, "
        "reconciled to actual activity after each NHS year; in_arrears = paid on actual activity after the "
        "payment lag"))
    reconcile_lag_months: Months = Field(3, **about(
        "Activity reconciled after", "months", "activity contracts paid on plan: months after the year's 31 March"))
    activity_cap: Count | None = Field(None, **about(
        "Activity cap", "units a year", "activity contracts: most units paid for in an NHS year (after the share), "
        "pro-rated to the months the contract runs in a part year; blank = no cap"))
    marginal_rate: Share = Field(1.0, **about(
        "Marginal rate", "%", "activity contracts: share of the price paid for units above plan"))

    _m = _month_fields("start", "end")

    @property
    def price_field(self) -> str:
        """The field holding this contract's price (`annual_value`, `price_per_unit` or `rate_per_head`)."""
        return PRICE_FIELD[self.mechanism]

    @property
    def inapplicable(self) -> tuple[str, ...]:
        """Numeric fields that mean nothing for this contract's mechanism (not offered as inputs to vary)."""
        return () if self.mechanism == "activity" else ("activity_cap", "marginal_rate", "reconcile_lag_months")

    @model_validator(mode="after")
    def _mechanism_fields(self):
        require_fields(self, {
            "block": ["annual_value"],
            "activity": ["price_per_unit", "activity"],
            "capitation": ["population", "rate_per_head"],
        }[self.mechanism], f"a {self.mechanism} contract")
        extras = [f for f, off in (("activity_cap", self.activity_cap is None), ("marginal_rate",
                  self.marginal_rate == 1.0)) if not off]
        if extras and self.mechanism != "activity":
            raise ValueError(f"{' and '.join(extras)} apply to activity contracts only: remove them from this "
                             f"{self.mechanism} contract")
        if self.end is not None and month_number(self.end) < month_number(self.start):
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class OnCosts(Model):
    employer_ni_rate: Number = Field(0.15, ge=0, le=0.5, **about("Employer NI", "%", "on pay above the threshold"))
    ni_threshold: Money = Field(5000, **about("NI threshold", "£ a year",
                                              "employer NI is paid on each person's pay above this"))
    pension_rate: Number = Field(0.143, ge=0, le=0.5, **about(
        "Employer pension", "%", "of salary, for roles that do not set their own; the NHS Pension Scheme's "
        "employer rate is 23.7%, of which NHS employers pay 14.38% (the rest is paid centrally)"))
    other_rate: Number = Field(0.005, ge=0, le=0.5, **about("Other on-costs", "%",
                                                            "of salary, e.g. a health cash plan"))
    levy_rate: Number = Field(0.005, ge=0, le=0.05, **about(
        "Apprenticeship levy", "%", "of the pay bill of directly employed staff (seconded staff are on their NHS "
        "employer's pay bill), less the levy allowance"))
    levy_allowance: Money = Field(15000, **about(
        "Levy allowance", "£ a year", "taken off the levy each NHS year (£15,000: no levy on a pay bill under £3m)"))


STAFFING_BASIS = about("Staffing basis", "", "rolling_peak: staff to the highest need of the last 12 months, "
                                            "kept through a seasonal dip; monthly: follow need month by month")


class PlanStep(Model):
    from_: Month = Field(alias="from")
    wte: Number = Field(ge=0, le=MAX_WTE, **about("Target WTE", "WTE", "target whole-time equivalents from this month"))

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_")


class Driver(Model):
    activity: Ident
    share: Share = Field(1.0, **about("Driver share", "%", "share of the stream this role delivers"))
    # a floor, not just > 0: a tiny divisor turns demand into astronomical WTE and the
    # risk analysis clips sampled values to this bound, so it must be safe to divide by
    units_per_wte_month: Number = Field(ge=MIN_UNITS_PER_WTE_MONTH, **about(
        "Units per WTE a month", "units per WTE a month", "units one WTE delivers a month"))
    staffing_basis: Literal["rolling_peak", "monthly"] = Field("rolling_peak", **STAFFING_BASIS)


class Transfer(Model):
    """Staff who join in post on a date under TUPE, on their own pay and pension terms."""

    from_: Month = Field(alias="from")
    wte: Number = Field(gt=0, le=MAX_WTE, **about("Transferred WTE", "WTE", "WTE arriving in post on this date"))
    salary: Money = Field(**about("Transferred salary", "£ per WTE a year",
                                  "their current salary per WTE, first-year prices"))
    pension_rate: Number | None = Field(None, ge=0, le=0.5, **about(
        "Transferred pension", "%", "their employer pension rate; blank = the role's"))

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_")


class Role(Item):
    name: Name
    salary: Money = Field(**about("Salary", "£ per WTE a year", "annual salary per WTE, before on-costs"))
    plan: items(PlanStep, MAX_STEPS) | None = None
    driver: Driver | None = None
    recruit_lead_months: Months = Field(3, **about("Recruitment lead", "months",
                                                   "months from starting to recruit to a start in post"))
    recruit_cost_per_wte: Money = Field(0, **about(
        "Recruitment cost", "£ per WTE", "paid when recruiting starts, and for each leaver replaced"))
    fill_rate: Share = Field(1.0, **about("Fill rate", "%", "share of target WTE filled by staff; agency covers the rest"))
    agency_premium: Number = Field(0.55, ge=0, le=5, **about("Agency premium", "%",
                                                                  "agency cost over basic salary (no on-costs on agency)"))
    attrition_annual: Share = Field(0.0, **about("Leavers", "% a year", "share of staff leaving in a year"))
    notice_months: Months = Field(3, **about("Notice", "months", "months of pay to release staff on exit"))
    redundancy_weeks: Number = Field(0, ge=0, le=104, **about(
        "Redundancy pay", "weeks", "weeks of salary per WTE paid if the venture stops (statutory or contractual), "
        "on top of notice"))
    # a floor, not just > 0: NI divides by it, and the risk analysis clips sampled values to this bound
    wte_per_person: Number = Field(1.0, ge=MIN_WTE_PER_PERSON, le=1, **about(
        "WTE per person", "WTE", "each person's working time (0.1 = one session a week): the NI threshold "
        "applies per person"))
    pension_rate: Number | None = Field(None, ge=0, le=0.5, **about(
        "Employer pension", "%", "of salary; blank = the workforce's on-cost rate"))
    employment: Literal["direct", "seconded"] = "direct"
    transfers: items(Transfer, MAX_STEPS) = ()

    @model_validator(mode="after")
    def _plan_or_driver(self):
        if (self.plan is None) == (self.driver is None):
            raise ValueError("give either plan (WTE by month) or driver (WTE from activity), not both or neither")
        return self


class Workforce(Model):
    employer: Literal["independent", "nhs"] = Field("independent", **about(
        "Employer", "", "independent: a company, partnership or social enterprise; nhs: an NHS trust or "
        "foundation trust employs the staff (seconded roles are always employed by their NHS host)"))
    employment_allowance: Money = Field(0, le=10500, **about(
        "Employment Allowance", "£ a year", "taken off employer NI each NHS year until used up: £10,500 from "
        "April 2025; 0 if not eligible (a company doing more than half its work in the public sector is not, "
        "unless it is a charity; the user's call)"))
    on_costs: OnCosts = OnCosts()
    roles: items(Role) = ()


class FixedCost(Item):
    name: Name
    kind: Literal["fixed"]
    annual: Money = Field(**about("Annual cost", "£ a year", "first-year prices, before VAT, paid monthly"))
    from_: Month = Field(alias="from")
    to: Month | None = None
    commitment_months: Months = Field(0, **about("Committed for", "months",
                                                 "minimum term from `from` you cannot walk away from"))
    payment_lag_months: Whole = Field(0, ge=-1, le=24, **PAYMENT_LAG)
    vat: bool = Field(True, **VAT_CHARGED)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_", "to")

    @model_validator(mode="after")
    def _order(self):
        if self.to is not None and month_number(self.to) < month_number(self.from_):
            raise ValueError(f"to {self.to} is before from {self.from_}")
        return self


class PerUnitCost(Item):
    name: Name
    kind: Literal["per_unit"]
    activity: Ident
    share: Share = Field(1.0, **about("Share of activity", "%", "share of the stream that incurs this cost"))
    unit_cost: Money = Field(**about("Unit cost", "£ per unit", "first-year prices, before VAT"))
    payment_lag_months: Whole = Field(0, ge=-1, le=24, **PAYMENT_LAG)
    vat: bool = Field(True, **VAT_CHARGED)


class OneOffCost(Item):
    name: Name
    kind: Literal["one_off"]
    amount: Money = Field(**about("Amount", "£", "one-off, before VAT: never indexed"))
    month: Month
    payment_lag_months: Whole = Field(0, ge=-1, le=24, **PAYMENT_LAG)
    vat: bool = Field(True, **VAT_CHARGED)

    _m = _month_fields("month")


Cost = Annotated[FixedCost | PerUnitCost | OneOffCost, Field(discriminator="kind")]


class Capex(Item):
    name: Name
    amount: Money = Field(**about("Amount", "£", "capital spending before VAT, depreciated over its life "
                                                 "with its irrecoverable VAT"))
    month: Month
    # depreciation runs over round(life_years * 12) months: under a month it would never run
    life_years: Number = Field(ge=MIN_LIFE_YEARS, le=100, **about("Life", "years",
                                                                  "useful life in years, at least one month"))
    vat: bool = Field(True, **VAT_CHARGED)

    _m = _month_fields("month")


class Vat(Model):
    """VAT on costs and capital spending: most health care is exempt, so the provider bears the VAT on its
    purchases, save the share it can recover (model book, "VAT")."""

    rate: Number = Field(0.20, ge=0, le=0.5, **about(
        "VAT rate", "%", "charged on every cost line and capital item marked 'VAT charged' (standard rate 20%)"))
    recoverable_share: Share = Field(0.0, **about(
        "VAT recoverable", "%", "share of that VAT reclaimed from HMRC, the month after payment; 0 for a provider "
        "of exempt health care (the rest is a cost)"))


class Equity(Model):
    month: Month
    amount: Money = Field(**about("Amount", "£", "equity raised in this month"))
    source: Name = ""

    _m = _month_fields("month")


class Loan(Item):
    month: Month
    amount: Money = Field(**about("Amount", "£", "drawn in full in its month"))
    annual_rate: Number = Field(ge=0, le=0.3, **about("Interest", "% a year", "charged monthly on the balance"))
    term_months: Whole = Field(ge=1, le=600, **about("Term", "months", "repaid in equal monthly instalments"))

    _m = _month_fields("month")


class Facility(Model):
    limit: Money = Field(0, **about("Facility limit", "£", "most the revolving facility lends"))
    annual_rate: Number = Field(0.0, ge=0, le=0.3, **about("Facility interest", "% a year",
                                                                          "charged monthly on the amount drawn"))


class Funding(Model):
    opening_cash: Money = Field(0, **about("Opening cash", "£", "share capital in the bank in month 0"))
    minimum_cash: Money = Field(0, **about("Minimum cash", "£", "the facility is drawn to keep cash at or above this"))
    equity: items(Equity) = ()
    loans: items(Loan) = ()
    facility: Facility = Facility()


class Tax(Model):
    """UK corporation tax on each NHS year's profit (model book, "Corporation tax")."""

    corporation_tax_rate: Number = Field(0.25, ge=0, le=0.6, **about(
        "Corporation tax: main rate", "%", "on taxable profit at or above the upper limit"))
    small_profits_rate: Number | None = Field(0.19, ge=0, le=0.6, **about(
        "Small profits rate", "%", "on taxable profit up to the lower limit; blank for one flat main rate"))
    lower_limit: Money = Field(50_000, **about(
        "Small profits limit", "£ a year", "profit up to this pays the small profits rate (pro-rated for a short year)"))
    upper_limit: Money = Field(250_000, **about(
        "Main rate limit", "£ a year", "profit from this pays the main rate; marginal relief between the limits"))
    capital_allowances: Literal["none", "aia"] = Field("aia", **about(
        "Capital allowances", "", "aia: capital spending deducted in its year up to the annual investment "
        "allowance; none: depreciation deducted instead"))
    aia_limit: Money = Field(1_000_000, **about(
        "Annual investment allowance", "£ a year", "most capital spending deducted in full in a year"))
    quarterly_instalments: bool = Field(True, **about(
        "Quarterly instalments", "", "a year's tax on profit over £1.5m is paid in months 7, 10, 13 and 16"))
    payment_lag_months: Months = Field(9, **about("Tax paid after", "months", "months after the charge"))

    @model_validator(mode="after")
    def _limits_in_order(self):
        if self.lower_limit > self.upper_limit:
            raise ValueError(f"the small profits limit (lower_limit, £{self.lower_limit:,.0f}) is above the main "
                             f"rate limit (upper_limit, £{self.upper_limit:,.0f}): lower it or raise upper_limit")
        return self


class Parameter(Model):
    """One uncertain input: a numeric field addressed by ids, and its distribution."""

    path: PathText
    dist: Literal["triangular", "pert", "uniform", "normal", "lognormal", "discrete"]
    # ranges are in the uncertain input's own unit ("input"): a rate's low is a rate, a salary's low is £
    low: Number | None = Field(None, **about("Low", "input", "triangular, PERT, uniform"))
    mode: Number | None = Field(None, **about("Most likely", "input", "triangular, PERT"))
    high: Number | None = Field(None, **about("High", "input", "triangular, PERT, uniform"))
    mean: Number | None = Field(None, **about("Mean", "input", "normal"))
    sd: NonNegative | None = Field(None, **about("Standard deviation", "input", "normal"))
    median: Positive | None = Field(None, **about("Median", "input", "lognormal"))
    sigma: NonNegative | None = Field(None, **about("Sigma (log scale)", "number", "lognormal: 0.1 is about ±10%"))
    values: items(Number, MAX_VALUES) | None = Field(None, **about("Values", "input", "discrete: e.g. 0, 3, 6"))
    probabilities: items(Number, MAX_VALUES) | None = Field(None, **about(
        "Probabilities", "number", "discrete: e.g. 0.6, 0.3, 0.1 (adding up to 1)"))

    @model_validator(mode="after")
    def _distribution_fields(self):
        require_fields(self, {
            "triangular": ["low", "mode", "high"],
            "pert": ["low", "mode", "high"],
            "uniform": ["low", "high"],
            "normal": ["mean", "sd"],
            "lognormal": ["median", "sigma"],
            "discrete": ["values", "probabilities"],
        }[self.dist], f"a {self.dist} distribution")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if self.mode is not None and not (self.low <= self.mode <= self.high):
            raise ValueError(f"mode {self.mode} is outside low..high ({self.low}..{self.high})")
        if self.dist == "discrete":
            if len(self.values) != len(self.probabilities) or not self.values:
                raise ValueError("values and probabilities must be non-empty lists of the same length")
            if any(p < 0 for p in self.probabilities) or abs(sum(self.probabilities) - 1) > 1e-6:
                raise ValueError(f"probabilities must be ≥ 0 and sum to 1 (they sum to {sum(self.probabilities):g})")
        return self


class Correlation(Model):
    a: PathText
    b: PathText
    rho: Number = Field(ge=-1, le=1, **about("Rank correlation", "number", "between -1 and 1, e.g. 0.3"))


class Uncertainty(Model):
    draws: Whole = Field(10000, ge=1, le=MAX_DRAWS, **about("Monte Carlo draws", "draws",
                                                          "how many futures the Risk page runs"))
    seed: Whole = Field(42, ge=0, le=MAX_SEED, **about("Random seed", "number",
                                                      "the same seed gives the same results (0 to 2**32 - 1)"))
    parameters: items(Parameter, MAX_PARAMETERS) = ()
    correlations: items(Correlation, MAX_CORRELATIONS) = ()


class Scenario(Model):
    schema_version: Literal[1] = Field(1, **about("Schema version", "number", "the scenario format; 1 today"))
    name: Name = Field(min_length=1)
    description: Description = ""
    start: Month
    months: Whole = Field(ge=1, le=MAX_MONTHS, **about("Length", "months", f"1 to {MAX_MONTHS}"))
    indexation: Indexation = Indexation()
    appraisal: Appraisal = Appraisal()
    activity: items(Activity) = ()
    contracts: items(Contract) = ()
    workforce: Workforce = Workforce()
    costs: items(Cost) = ()
    capex: items(Capex) = ()
    vat: Vat = Vat()
    funding: Funding = Funding()
    tax: Tax = Tax()
    uncertainty: Uncertainty | None = None
    _links: dict[str, DateLink] = PrivateAttr(default_factory=dict)

    _m = _month_fields("start")

    @model_validator(mode="wrap")
    @classmethod
    def _linked_dates(cls, data: Any, handler):
        """Resolve dates linked to a contract (model book, "Linked dates") before the fields are checked."""
        if isinstance(data, Scenario):
            return handler(data)
        data, links = resolve(data)
        scenario = handler(data)
        scenario._links = links
        return scenario

    @property
    def links(self) -> dict[str, DateLink]:
        """The linked dates by path (`costs.subcontracts.from`); their fields hold the months they resolve to."""
        return self._links

    @field_validator("months", mode="before")
    @classmethod
    def _whole_months(cls, v):
        if isinstance(v, float) and (not math.isfinite(v) or v != int(v)):
            raise ValueError(f"must be a whole number of months (1 to {MAX_MONTHS}), got {v}")
        return v
