"""Review file schema v1: a commissioner's review of competing bids (model book, "Commissioner's review").

The review names the service being bought, the commissioner's budget and today's spend by NHS year, the
contract term, the bids (scenario files), the Green Book optimism-bias category and the stress tests every
bid faces. Reading the file and the bids lives in `modeller.review.load`; this module owns only its shape.
Money is GBP a year in cash of that year; rates and shares are decimals.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from modeller.scenario import (
    MAX_ITEMS,
    MAX_MONTHS,
    Description,
    Item,
    Model,
    Money,
    Name,
    Number,
    PathText,
    Share,
    Whole,
    about,
    check_month,
    items,
    month_number,
)
from modeller.scenario_text import check_id

_YEAR_RE = re.compile(r"([0-9]{4})/([0-9]{2})")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_nhs_year(value: str) -> str:
    """An NHS financial year label such as "2027/28" (April 2027 to March 2028)."""
    m = _YEAR_RE.fullmatch(value) if isinstance(value, str) else None
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"{value!r} is not an NHS year; write it as \"2027/28\" (April 2027 to March 2028), "
                         "in quotes")
    return value


def nhs_year_of(month: str) -> str:
    """The NHS year label of a "YYYY-MM" month: "2027-03" -> "2026/27"."""
    year, mon = (int(x) for x in month.split("-"))
    first = year if mon >= 4 else year - 1
    return f"{first}/{(first + 1) % 100:02d}"


NhsYear = Annotated[str, AfterValidator(check_nhs_year)]
ByYear = dict[NhsYear, Money]


# HM Treasury, Supplementary Green Book Guidance: Optimism Bias (2003), Table 1 "Recommended adjustment
# ranges", upper bounds (from Mott MacDonald, Review of Large Public Procurement in the UK, 2002):
# (works duration, capital expenditure, operating expenditure). Outsourcing carries only an operating bound.
OPTIMISM_BIAS_UPPER: dict[str, tuple[float, float, float]] = {
    "standard_buildings": (0.04, 0.24, 0.0),
    "non_standard_buildings": (0.39, 0.51, 0.0),
    "standard_civil_engineering": (0.20, 0.44, 0.0),
    "non_standard_civil_engineering": (0.25, 0.66, 0.0),
    "equipment_development": (0.54, 2.00, 0.0),
    "outsourcing": (0.0, 0.0, 0.41),
}
OPTIMISM_BIAS_SOURCE = ("HM Treasury, Supplementary Green Book Guidance: Optimism Bias (2003), Table 1, "
                        "upper bounds")
OptimismCategory = Literal["standard_buildings", "non_standard_buildings", "standard_civil_engineering",
                           "non_standard_civil_engineering", "equipment_development", "outsourcing"]


class OptimismBias(Model):
    category: OptimismCategory = Field("outsourcing", **about(
        "Optimism bias category", "", "the Green Book project type: outsourcing for a bought-in service"))
    mitigation: Share = Field(0.0, **about(
        "Optimism bias mitigated", "%", "share of the upper bound the reviewer judges mitigated by the bid's "
        "evidence (0 = the full upper bound applies)"))

    @property
    def duration(self) -> float:
        """The duration uplift after mitigation, a decimal share of the mobilisation period."""
        return OPTIMISM_BIAS_UPPER[self.category][0] * (1 - self.mitigation)

    @property
    def capex(self) -> float:
        """The capital cost uplift after mitigation."""
        return OPTIMISM_BIAS_UPPER[self.category][1] * (1 - self.mitigation)

    @property
    def opex(self) -> float:
        """The operating cost uplift after mitigation: applied to the commissioner's payments."""
        return OPTIMISM_BIAS_UPPER[self.category][2] * (1 - self.mitigation)


class Term(Model):
    start: str = Field(**about("Contract start", "", 'first month of the term, "YYYY-MM"'))
    months: Whole = Field(ge=1, le=MAX_MONTHS, **about("Contract term", "months", f"1 to {MAX_MONTHS}"))

    _m = field_validator("start")(lambda cls, v: check_month(v))

    def month_list(self) -> list[str]:
        """Every month of the term as "YYYY-MM"."""
        first = month_number(self.start)
        return [f"{(first + k) // 12}-{(first + k) % 12 + 1:02d}" for k in range(self.months)]

    @property
    def end(self) -> str:
        return self.month_list()[-1]

    def years(self) -> list[str]:
        """The NHS years the term touches, in order ("2027/28", ...)."""
        return list(dict.fromkeys(nhs_year_of(m) for m in self.month_list()))


STRESS_KINDS = ("demand", "pay_award", "start_delay", "vacancies", "lose_largest_change")
# what `size` means for each kind (the unit shown beside it)
STRESS_UNITS = {"demand": "%", "pay_award": "% a year", "start_delay": "months", "vacancies": "%",
                "lose_largest_change": ""}


class StressTest(Item):
    """One stress applied in the same way to every bid: a set of input overrides on one engine draw."""

    name: Name
    kind: Literal["demand", "pay_award", "start_delay", "vacancies", "lose_largest_change"]
    size: Number = Field(0.0, ge=-0.9, le=MAX_MONTHS, **about(
        "Size", "", "demand: change in units, e.g. 0.1 for 10% more; pay_award: extra pay rise a year, e.g. 0.02; "
        "start_delay: months; vacancies: share of posts left vacant and covered by agency, e.g. 0.2; "
        "lose_largest_change: not used"))

    @model_validator(mode="after")
    def _size_fits_kind(self):
        if self.kind == "start_delay" and (self.size != int(self.size) or self.size < 0):
            raise ValueError(f"a start_delay stress test's size is a whole number of months, got {self.size:g}")
        if self.kind == "vacancies" and not 0 <= self.size <= 1:
            raise ValueError(f"a vacancies stress test's size is a share from 0 to 1 (0.2 for 20%), got {self.size:g}")
        if self.kind in ("demand", "pay_award") and not -0.9 <= self.size <= 3:
            raise ValueError(f"a {self.kind} stress test's size is a decimal change (0.1 for 10%), got {self.size:g}")
        return self


DEFAULT_STRESS_TESTS = (
    StressTest(id="demand_up", name="Demand 10% higher", kind="demand", size=0.10),
    StressTest(id="demand_down", name="Demand 10% lower", kind="demand", size=-0.10),
    StressTest(id="pay_award", name="Pay award 2 points above plan", kind="pay_award", size=0.02),
    StressTest(id="start_delay", name="Start delayed 3 months", kind="start_delay", size=3),
    StressTest(id="vacancies", name="20% of posts vacant, covered by agency", kind="vacancies", size=0.20),
    StressTest(id="lose_change", name="Largest contract change lost", kind="lose_largest_change"),
)


class Criterion(Item):
    """A published key criterion the panel scores (Provider Selection Regime)."""

    name: Name
    weight: Share = Field(**about("Weight", "%", "share of the total score; the weights add up to 1"))
    max_score: Whole = Field(5, ge=1, le=100, **about("Highest score", "points", "the top of the scoring scale"))


# The Provider Selection Regime's five key criteria (Health Care Services (Provider Selection Regime)
# Regulations 2023, regulation 5), equally weighted unless the review says otherwise.
DEFAULT_CRITERIA = (
    Criterion(id="quality_innovation", name="Quality and innovation", weight=0.2),
    Criterion(id="value", name="Value", weight=0.2),
    Criterion(id="integration", name="Integration, collaboration and service sustainability", weight=0.2),
    Criterion(id="access_inequalities", name="Improving access, reducing health inequalities and facilitating "
                                             "choice", weight=0.2),
    Criterion(id="social_value", name="Social value", weight=0.2),
)


class Score(Model):
    criterion: Annotated[str, AfterValidator(check_id)]
    score: Number = Field(ge=0, le=100, **about("Score", "points", "the panel's score on the criterion's scale"))
    by: Name = Field(min_length=1, **about("Scored by", "", "who gave the score"))
    date: str = Field(**about("Scored on", "", 'the date, "YYYY-MM-DD"'))
    note: Description = ""

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v):
        text = v.isoformat() if hasattr(v, "isoformat") else v  # YAML reads an unquoted date as a date
        if not isinstance(text, str) or not _DATE_RE.fullmatch(text):
            raise ValueError(f"{v!r} is not a date; write it as \"YYYY-MM-DD\", e.g. \"2027-01-15\"")
        return text


class Bid(Item):
    name: Name = Field(min_length=1)
    file: PathText | None = Field(None, **about("Bid file", "", "the bid's scenario file, relative to the review "
                                                                 "file; or give its text in `scenario_text`"))
    scenario_text: str | None = Field(None, max_length=1_000_000, **about(
        "Bid scenario (uploaded)", "", "the scenario's YAML text, as the app keeps an uploaded bid"))
    contracts: items(Annotated[str, AfterValidator(check_id)]) | None = Field(None, **about(
        "Contracts paid by the commissioner", "", "ids of the bid's contracts the commissioner pays; "
        "default: those whose `commissioner` is the review's commissioner"))
    employer: Literal["nhs", "other"] | None = Field(None, **about(
        "Kind of employer", "", "nhs: an NHS trust or foundation trust; other: anyone else (for the pension "
        "rate the assumption checks expect); blank if not known"))
    notes: Description = ""
    scores: items(Score) = ()

    @model_validator(mode="after")
    def _one_source(self):
        if (self.file is None) == (self.scenario_text is None):
            raise ValueError("give the bid's scenario as `file` (a path) or `scenario_text`, one of the two")
        return self


class Review(Model):
    schema_version: Literal[1] = Field(1, **about("Schema version", "number", "the review format; 1 today"))
    service: Name = Field(min_length=1, **about("Service", "", "the service being bought"))
    description: Description = ""
    commissioner: Name = Field(min_length=1, **about(
        "Commissioner", "", "the name the bids' contracts carry in `commissioner`"))
    term: Term
    budget: ByYear = Field(**about("Budget", "£ a year", "the commissioner's budget for the service by NHS year, "
                                                         "cash of that year"))
    baseline: ByYear = Field(default_factory=dict, **about(
        "Today's spend", "£ a year", "the do-nothing baseline: what the service costs by NHS year if nothing "
        "changes, cash of that year"))
    discount_rate: Number = Field(0.035, ge=0, le=0.3, **about(
        "Discount rate", "% a year", "real, for the present value (Green Book: 3.5%)"))
    inflation: Number = Field(0.02, ge=-0.2, le=0.3, **about(
        "General inflation", "% a year", "the GDP deflator that turns each NHS year's cash into first-year prices"))
    optimism_bias: OptimismBias = OptimismBias()
    stress_tests: items(StressTest) = DEFAULT_STRESS_TESTS
    criteria: items(Criterion) = DEFAULT_CRITERIA
    draws: Whole = Field(10_000, ge=1, le=200_000, **about(
        "Monte Carlo draws", "draws", "draws of each bid's own uncertainty section for the risk allocation"))
    seed: Whole = Field(42, ge=0, le=2**32 - 1, **about("Random seed", "number", "the same seed, the same results"))
    bids: items(Bid, MAX_ITEMS) = Field(min_length=1)

    _unique = field_validator("bids", "stress_tests", "criteria")(lambda cls, v: _unique_ids(v))

    @model_validator(mode="after")
    def _scores_name_criteria(self):
        known = {c.id for c in self.criteria}
        for bid in self.bids:
            for s in bid.scores:
                if s.criterion not in known:
                    raise ValueError(f"bids[{bid.id}].scores: criterion {s.criterion!r} is not one of the review's "
                                     f"criteria ({', '.join(sorted(known))}); add it under `criteria` or fix the id")
        return self


def _unique_ids(values: tuple) -> tuple:
    seen: set[str] = set()
    for v in values:
        if v.id in seen:
            raise ValueError(f"id {v.id!r} appears twice; give each item its own id")
        seen.add(v.id)
    return values


__all__ = ["DEFAULT_CRITERIA", "DEFAULT_STRESS_TESTS", "MAX_ITEMS", "OPTIMISM_BIAS_SOURCE", "OPTIMISM_BIAS_UPPER",
           "STRESS_KINDS", "STRESS_UNITS", "Bid", "Criterion", "OptimismBias", "Review", "Score", "StressTest",
           "Term", "check_nhs_year", "nhs_year_of"]
