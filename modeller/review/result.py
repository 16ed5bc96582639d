"""What a review returns: per bid, the cost to the commissioner, the risk allocation and the stress tests,
plus every problem found, as plain dataclasses (the Review page, the workbook and `--json` read these).

Money is GBP (float, unrounded); a positive cost is money the commissioner pays, or a loss to that side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from modeller.review.assumptions import CheckItem
from modeller.review.efs import EfsRow
from modeller.review.schema import Review
from modeller.scenario import Scenario


@dataclass
class Problem:
    """Something wrong with the review or one bid, as a sentence naming the bid and the field."""

    bid: str | None        # the bid's id, None for the review file itself
    field: str             # e.g. "budget", "bids[gp_led].file", "contracts[msk].start"
    message: str           # plain sentence with the fix

    def line(self) -> str:
        who = f"bid {self.bid}: " if self.bid else ""
        return f"{who}{self.field}: {self.message}"


@dataclass
class YearCost:
    """One NHS year of the term, from the commissioner's side."""

    year: str                    # "2027/28"
    months: int                  # term months in the year (a part year at either end has fewer)
    contract_payments: float     # contract income earned less the withhold, cash of the year
    cquin: float                 # withhold (CQUIN) the provider is expected to earn back
    risk_share: float            # risk-share settlement to the provider (+) or clawed back (-)
    nominal: float               # the three above: what the commissioner pays for the year
    real: float                  # nominal in first-year prices (deflated by the review's inflation)
    discount_factor: float       # 1 / (1 + discount_rate) ** (years since the term's first year)
    present_value: float         # real x discount_factor
    optimism_bias: float         # nominal x the operating uplift after mitigation (shown separately)
    budget: float | None         # the review's budget for the year (None if not given)
    headroom: float | None       # budget - nominal (negative: unaffordable)
    headroom_with_bias: float | None  # budget - nominal - optimism_bias
    baseline: float | None       # today's spend (do nothing)
    against_baseline: float | None   # nominal - baseline (positive: costs more than today)


@dataclass
class CommissionerCost:
    years: list[YearCost]
    nominal: float                      # totals over the term
    real: float
    present_value: float
    optimism_bias_present_value: float  # PV of the operating uplift
    optimism_bias_capex: float          # the bid's own capital spending in the term x the capex uplift
    optimism_bias_delay_months: float   # mobilisation months x the duration uplift
    present_value_with_bias: float      # present_value + optimism_bias_present_value + capex uplift
    baseline_present_value: float | None
    saving_present_value: float | None  # baseline PV - present value (positive: cheaper than today)
    first_unaffordable_year: str | None          # first year with headroom < 0
    first_unaffordable_year_with_bias: str | None
    contracts: list[str]                # the bid's contract ids the commissioner pays


@dataclass
class RiskLine:
    """One risk's £ over the term for each side, from the Monte Carlo; positive = a cost to that side."""

    risk: str                   # "demand", "overspend", "delay"
    label: str                  # "Demand above or below plan", ...
    rule: str                   # plain sentence: who carries it under this bid's contract
    provider_expected: float
    provider_p90: float
    commissioner_expected: float
    commissioner_p90: float


@dataclass
class RiskAllocation:
    lines: list[RiskLine]
    draws: int
    seed: int
    uncertain_inputs: int       # parameters in the bid's uncertainty section (0: every draw is the base case)
    mechanisms: dict[str, str]  # contract id -> block / activity / capitation


@dataclass
class StressOutcome:
    """One stress test applied to one bid (one engine draw)."""

    test: str                   # the stress test's id
    name: str
    applied: bool               # False when nothing in the bid is affected (e.g. no contract change to lose)
    overrides: dict[str, float]  # the input paths changed and their stressed values
    survives: bool              # cash stays at or above the bid's own minimum in every month
    lowest_cash: float
    minimum_cash: float         # the bid's funding.minimum_cash
    extra_funding: float        # minimum cash - lowest cash, if above zero (£)
    fails_month: int | None     # model month index of the first month below the minimum
    fails_month_label: str | None  # "Jun 2028"
    commissioner_cost_change: float  # change in what the commissioner pays over the term (£, nominal)


@dataclass
class BidReview:
    id: str
    name: str
    scenario: Scenario | None   # None when the bid could not be read
    problems: list[Problem] = field(default_factory=list)
    cost: CommissionerCost | None = None
    risk: RiskAllocation | None = None
    stress: list[StressOutcome] = field(default_factory=list)
    efs: list[EfsRow] = field(default_factory=list)              # R2's EFS ratios by NHS year (modeller.review.efs)
    assumptions: list[CheckItem] = field(default_factory=list)   # R2's "check this" items (modeller.review.assumptions)
    weighted_score: float | None = None   # sum of weight x score / max_score, 0..1; None with no scores

    @property
    def reviewed(self) -> bool:
        """True when the figures were computed (a bid with only warnings still is)."""
        return self.cost is not None


@dataclass
class ReviewResult:
    review: Review
    bids: list[BidReview]
    problems: list[Problem]     # the review file's own (budget years outside the term, ...)

    def to_json(self) -> dict:
        """Plain data for `--json`: scenarios left out, every figure kept."""
        out = {"service": self.review.service, "commissioner": self.review.commissioner,
               "term": {"start": self.review.term.start, "months": self.review.term.months},
               "problems": [asdict(p) for p in self.problems], "bids": []}
        for b in self.bids:
            d = {k: v for k, v in asdict(b).items() if k != "scenario"}
            out["bids"].append(d)
        return out
