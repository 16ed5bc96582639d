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
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

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
    """A "YYYY-MM" month string, e.g. "2025-04"."""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a month; write it as \"YYYY-MM\" in quotes, e.g. \"2025-04\"")
    m = _MONTH_RE.fullmatch(value)
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2200:
        raise ValueError(f"month {value} is not a valid YYYY-MM (e.g. \"2025-04\")")
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
Month = Annotated[str, Field(description='Calendar month as "YYYY-MM"')]
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
    pay: Number = Field(0.0, ge=-0.2, le=0.3, description="annual pay inflation from each later 1 April")
    non_pay: Number = Field(0.0, ge=-0.2, le=0.3, description="annual non-pay inflation")
    prices: Number = Field(0.0, ge=-0.2, le=0.3, description="annual uplift of contract prices")


class Appraisal(Model):
    discount_rate: Number = Field(0.035, ge=0, le=0.3, description="annual real discount rate (Green Book 3.5%)")


class Activity(Item):
    name: Name
    per_month: Number = Field(ge=0, le=MAX_COUNT, description="units in the stream's first month (month 0 unless `from` is set)")
    annual_growth: Number = Field(0.0, ge=-0.9, le=3.0, description="annual growth, decimal")
    seasonality: tuple[Number, ...] | None = Field(None, description="12 factors Jan..Dec, mean 1")
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
    annual_value: Money | None = None
    price_per_unit: Money | None = None
    rate_per_head: Money | None = None
    population: Count | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_")


class Withhold(Model):
    share: Share = Field(0.0, description="share of income withheld (CQUIN-style)")
    earned: Share = Field(1.0, description="share of the withhold expected to be earned back")
    settle_lag_months: Months = 3


class RiskShare(Model):
    cost: Ident = Field(description="id of the cost line whose over/underspend is shared")
    target_annual: Money
    provider_share: Share
    cap: Money | None = Field(None, description="most the provider can lose in a year")
    collar: Money | None = Field(None, description="most the provider can gain in a year")
    settle_lag_months: Months = 3


class Contract(Item):
    name: Name
    commissioner: Name = ""
    mechanism: Literal["block", "activity", "capitation"]
    annual_value: Money | None = None
    price_per_unit: Money | None = None
    activity: Ident | None = None
    share: Share = 1.0
    population: Count | None = None
    rate_per_head: Money | None = None
    population_growth: Number = Field(0.0, ge=-0.5, le=1.0)
    start: Month
    end: Month | None = None
    start_delay_months: Months = 0
    ramp_months: Months = 0
    changes: items(ContractChange, MAX_STEPS) = ()
    payment_lag_months: Whole = Field(0, ge=-1, le=24)
    withhold: Withhold = Withhold()
    risk_share: RiskShare | None = None

    _m = _month_fields("start", "end")

    @model_validator(mode="after")
    def _mechanism_fields(self):
        needed = {
            "block": ["annual_value"],
            "activity": ["price_per_unit", "activity"],
            "capitation": ["population", "rate_per_head"],
        }[self.mechanism]
        missing = [f for f in needed if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.mechanism} contract needs {' and '.join(missing)}")
        if self.end is not None and month_number(self.end) < month_number(self.start):
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class OnCosts(Model):
    employer_ni_rate: Number = Field(0.15, ge=0, le=0.5)
    ni_threshold: Money = 5000
    pension_rate: Number = Field(0.143, ge=0, le=0.5)
    other_rate: Number = Field(0.005, ge=0, le=0.5)


class PlanStep(Model):
    from_: Month = Field(alias="from")
    wte: Number = Field(ge=0, le=MAX_WTE, description="target whole-time equivalents")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)
    _m = _month_fields("from_")


class Driver(Model):
    activity: Ident
    share: Share = 1.0
    # a floor, not just > 0: a tiny divisor turns demand into astronomical WTE and the
    # risk analysis clips sampled values to this bound, so it must be safe to divide by
    units_per_wte_month: Number = Field(ge=MIN_UNITS_PER_WTE_MONTH, description="units one WTE delivers a month")


class Role(Item):
    name: Name
    salary: Money = Field(description="annual salary per WTE")
    plan: items(PlanStep, MAX_STEPS) | None = None
    driver: Driver | None = None
    recruit_lead_months: Months = 3
    recruit_cost_per_wte: Money = 0
    fill_rate: Share = 1.0
    agency_premium: Number = Field(0.55, ge=0, le=5)
    attrition_annual: Share = 0.0
    notice_months: Months = 3
    employment: Literal["direct", "seconded"] = "direct"

    @model_validator(mode="after")
    def _plan_or_driver(self):
        if (self.plan is None) == (self.driver is None):
            raise ValueError("give either plan (WTE by month) or driver (WTE from activity), not both or neither")
        return self


class Workforce(Model):
    on_costs: OnCosts = OnCosts()
    roles: items(Role) = ()


class FixedCost(Item):
    name: Name
    kind: Literal["fixed"]
    annual: Money
    from_: Month = Field(alias="from")
    to: Month | None = None
    commitment_months: Months = 0
    payment_lag_months: Whole = Field(0, ge=-1, le=24)

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
    share: Share = 1.0
    unit_cost: Money
    payment_lag_months: Whole = Field(0, ge=-1, le=24)


class OneOffCost(Item):
    name: Name
    kind: Literal["one_off"]
    amount: Money
    month: Month
    payment_lag_months: Whole = Field(0, ge=-1, le=24)

    _m = _month_fields("month")


Cost = Annotated[FixedCost | PerUnitCost | OneOffCost, Field(discriminator="kind")]


class Capex(Item):
    name: Name
    amount: Money
    month: Month
    # depreciation runs over round(life_years * 12) months: under a month it would never run
    life_years: Number = Field(ge=MIN_LIFE_YEARS, le=100, description="useful life in years, at least one month")

    _m = _month_fields("month")


class Equity(Model):
    month: Month
    amount: Money
    source: Name = ""

    _m = _month_fields("month")


class Loan(Item):
    month: Month
    amount: Money
    annual_rate: Number = Field(ge=0, le=0.3)
    term_months: Whole = Field(ge=1, le=600)

    _m = _month_fields("month")


class Facility(Model):
    limit: Money = 0
    annual_rate: Number = Field(0.0, ge=0, le=0.3)


class Funding(Model):
    opening_cash: Money = 0
    minimum_cash: Money = 0
    equity: items(Equity) = ()
    loans: items(Loan) = ()
    facility: Facility = Facility()


class Tax(Model):
    corporation_tax_rate: Number = Field(0.25, ge=0, le=0.6)
    payment_lag_months: Months = 9


class Parameter(Model):
    """One uncertain input: a numeric field addressed by ids, and its distribution."""

    path: PathText
    dist: Literal["triangular", "pert", "uniform", "normal", "lognormal", "discrete"]
    low: Number | None = None
    mode: Number | None = None
    high: Number | None = None
    mean: Number | None = None
    sd: NonNegative | None = None
    median: Positive | None = None
    sigma: NonNegative | None = None
    values: items(Number, MAX_VALUES) | None = None
    probabilities: items(Number, MAX_VALUES) | None = None

    @model_validator(mode="after")
    def _distribution_fields(self):
        needed = {
            "triangular": ["low", "mode", "high"],
            "pert": ["low", "mode", "high"],
            "uniform": ["low", "high"],
            "normal": ["mean", "sd"],
            "lognormal": ["median", "sigma"],
            "discrete": ["values", "probabilities"],
        }[self.dist]
        missing = [f for f in needed if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {' and '.join(missing)}")
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
    rho: Number = Field(ge=-1, le=1)


class Uncertainty(Model):
    draws: Whole = Field(10000, ge=1, le=MAX_DRAWS, description="Monte Carlo draws (the risk page allows the same)")
    seed: Whole = Field(42, ge=0, le=MAX_SEED, description="random seed; numpy takes 0 to 2**32 - 1")
    parameters: items(Parameter, MAX_PARAMETERS) = ()
    correlations: items(Correlation, MAX_CORRELATIONS) = ()


class Scenario(Model):
    schema_version: Literal[1] = 1
    name: Name = Field(min_length=1)
    description: Description = ""
    start: Month
    months: Whole = Field(ge=1, le=MAX_MONTHS)
    indexation: Indexation = Indexation()
    appraisal: Appraisal = Appraisal()
    activity: items(Activity) = ()
    contracts: items(Contract) = ()
    workforce: Workforce = Workforce()
    costs: items(Cost) = ()
    capex: items(Capex) = ()
    funding: Funding = Funding()
    tax: Tax = Tax()
    uncertainty: Uncertainty | None = None

    _m = _month_fields("start")

    @field_validator("months", mode="before")
    @classmethod
    def _whole_months(cls, v):
        if isinstance(v, float) and (not math.isfinite(v) or v != int(v)):
            raise ValueError(f"must be a whole number of months (1 to {MAX_MONTHS}), got {v}")
        return v
