"""Provider financial standing: the Cabinet Office EFS ratios from a bid's own forecast, by NHS year.

Each ratio of the guidance note (turnover ratio, operating margin, free cash flow, net debt to
EBITDA, net assets, acid test, interest cover, gearing) is computed from the bid's forecast P&L,
cash flow and balance sheet for every NHS year, and rated low / medium / high risk by the
thresholds in `reference/efs_ratios.yaml` (where each has its source). A ratio that cannot be
computed (no debt, no interest, negative EBITDA, no income) is said in words, never divided.
Model book: "Provider financial standing (EFS ratios)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from modeller.formatting import money, pct
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.statements import TOLERANCE

REFERENCE = Path(__file__).parent / "reference" / "efs_ratios.yaml"
BOOK_ANCHOR = "provider-financial-standing-efs-ratios"   # docs/MODEL.md, for links from the page and workbook
RATINGS = ("low", "medium", "high", "not rated")   # "not rated": nothing to rate (no trading that year)
ORDER = ("turnover_ratio", "operating_margin", "free_cash_flow", "net_debt_to_ebitda", "net_assets",
         "acid_ratio", "interest_cover", "gearing")


@dataclass(frozen=True)
class Threshold:
    """One ratio's definition and risk thresholds, as the reference file gives them."""

    key: str
    label: str
    unit: str          # "%", "times" or "£"
    formula: str
    better: str        # "higher" or "lower"
    low: float         # the low-risk threshold (inclusive)
    high: float        # the high-risk threshold (exclusive)
    confirmed: bool    # read in a primary source; False means "[check]"
    source: str

    def rate(self, value: float) -> str:
        """Low risk at or beyond `low` on the good side, high risk beyond `high` on the bad side."""
        if self.better == "higher":
            return "low" if value >= self.low else "high" if value < self.high else "medium"
        return "low" if value <= self.low else "high" if value > self.high else "medium"

    def describe(self) -> str:
        """"low risk at or above 5.0%, high risk below 2.0%"."""
        good, bad = ("at or above", "below") if self.better == "higher" else ("at or below", "above")
        return f"low risk {good} {show(self.unit, self.low)}, high risk {bad} {show(self.unit, self.high)}"


@dataclass(frozen=True)
class EfsRow:
    """One ratio in one NHS year of a bid's forecast."""

    year: str              # NHS year, "2025/26"
    months: int            # months of that year in the forecast (12 unless the horizon cuts it)
    ratio: str             # key in ORDER, e.g. "interest_cover"
    label: str             # "Interest cover"
    unit: str              # "%", "times" or "£"
    value: float | None    # None where the ratio is undefined (see `explanation`)
    rating: str            # one of RATINGS
    value_text: str        # the value in its unit, or "not defined"
    explanation: str       # a plain sentence: the figures, the rating and the thresholds


@cache
def _reference() -> dict:
    with open(REFERENCE, encoding="utf-8") as f:
        return yaml.safe_load(f)


def guidance() -> dict:
    """The guidance note cited: title, publisher, version and URL."""
    return dict(_reference()["guidance"])


@cache
def thresholds() -> dict[str, Threshold]:
    """Every ratio's thresholds by key, in ORDER."""
    data = _reference()["ratios"]
    return {k: Threshold(key=k, **data[k]) for k in ORDER}


def show(unit: str, value: float) -> str:
    """A ratio's value in its unit: "12.5%", "1.85 times", "£120,000"."""
    if unit == "%":
        return pct(value)
    if unit == "times":
        return f"{value:,.2f} times"
    return money(value)


@dataclass(frozen=True)
class YearFigures:
    """One NHS year's figures: flows summed over its months (£), balances at its last month (£)."""

    label: str
    months: int
    income: float
    contract: float        # the contract's value in the year (annual if given, else its income)
    contract_given: bool
    ebitda: float
    ebit: float
    interest: float
    free_cash_flow: float
    cash: float
    debt: float            # loans + overdraft facility
    liquid: float          # cash + debtors + VAT receivable
    current_liabilities: float
    net_assets: float

    @property
    def scale(self) -> float:
        """Flows of a year cut by the horizon, scaled to a full year."""
        return 12 / self.months

    @property
    def part(self) -> str:
        return "" if self.months == 12 else f" ({self.months} months of the year in the forecast, scaled to a year)"


def year_figures(scenario: Scenario, result: Result, contract_annual_value: float | None = None,
                 contracts: Sequence[str] | None = None, draw: int = 0) -> list[YearFigures]:
    """The figures the ratios need, for every NHS year of the forecast (arguments as `efs_ratios`)."""
    L, tl = result.lines, result.timeline
    chosen = list(result.detail["contracts"]) if contracts is None else list(contracts)
    unknown = [c for c in chosen if c not in result.detail["contracts"]]
    if unknown:
        raise ValueError(f"contract {unknown[0]!r} is not in the bid '{scenario.name}': name one of "
                         f"{', '.join(result.detail['contracts']) or '(it has no contracts)'}")
    out = []
    for y, label in enumerate(tl.fy_labels):
        months = np.flatnonzero(tl.fy_number == y)
        last = int(months[-1])

        def flow(name: str) -> float:
            return float(L[name][draw, months].sum())  # noqa: B023 - used within this iteration

        def level(name: str) -> float:
            return float(L[name][draw, last])  # noqa: B023

        contract_income = sum(float(result.detail["contracts"][c].income[draw, months].sum()) for c in chosen)
        # loan repayments due within 12 months of the year end; past the horizon, at the last month's rate
        ahead = -L["loan_repayments"][draw, last + 1: last + 13]
        beyond = 12 - ahead.size
        due = float(ahead.sum()) + beyond * float(-L["loan_repayments"][draw, -1])
        loans_due = min(level("loans"), max(due, 0.0))
        out.append(YearFigures(
            label=label, months=len(months), income=flow("income"),
            contract=contract_income if contract_annual_value is None else float(contract_annual_value),
            contract_given=contract_annual_value is not None,
            ebitda=flow("ebitda"), ebit=flow("ebit"), interest=flow("interest"),
            free_cash_flow=flow("operating_cf") + flow("capex_paid") + flow("interest_paid"),
            cash=level("cash"), debt=level("loans") + level("facility"),
            liquid=level("cash") + level("debtors") + level("vat_receivable"),
            current_liabilities=(level("creditors") + level("deferred_income") + level("tax_payable")
                                 + level("facility") + loans_due),
            net_assets=level("net_assets")))
    return out


def _rated(t: Threshold, value: float, sentence: str) -> tuple[float, str, str]:
    rating = t.rate(value)
    return value, rating, f"{sentence}: {rating} risk ({t.describe()})."


def _turnover_ratio(t: Threshold, y: YearFigures):
    turnover = y.income * y.scale if y.contract_given else y.income
    what = f"a contract of {money(y.contract)} a year" if y.contract_given else f"contract income of {money(y.contract)}"
    if turnover <= TOLERANCE:
        if y.contract <= TOLERANCE:
            return None, "not rated", "No income this year, so there is no share to compute."
        return None, "high", (f"The provider has no income this year, so {what} would be all of its turnover: "
                              f"high risk ({t.describe()}).")
    return _rated(t, y.contract / turnover, f"{what[0].upper()}{what[1:]} against turnover of "
                  f"{money(turnover)}{y.part if y.contract_given else ''} is {pct(y.contract / turnover)}")


def _share_of_income(t: Threshold, y: YearFigures, amount: float, named: str, loss: str, undefined: str,
                     nothing: str):
    """`amount` as a share of the year's income, rated; with no income, a loss is high risk and none is not rated."""
    if y.income <= TOLERANCE:
        if amount < -TOLERANCE:
            return None, "high", f"No income this year and {loss} of {money(-amount)}: {undefined}; high risk."
        return None, "not rated", nothing
    v = amount / y.income
    return _rated(t, v, f"{named} of {money(amount)} on income of {money(y.income)} is {pct(v)}")


def _operating_margin(t: Threshold, y: YearFigures):
    return _share_of_income(t, y, y.ebit, "Operating profit", "an operating loss", "the margin is not defined",
                            "No income and no operating loss this year: no margin to rate.")


def _free_cash_flow(t: Threshold, y: YearFigures):
    return _share_of_income(t, y, y.free_cash_flow, "Free cash flow", "a free cash outflow",
                            "the share of income is not defined",
                            "No income and no free cash outflow this year: nothing to rate.")


def _net_debt_to_ebitda(t: Threshold, y: YearFigures):
    net_debt = y.debt - y.cash
    if net_debt <= TOLERANCE:
        return None, "low", (f"No net debt: cash of {money(y.cash)} covers borrowing of {money(y.debt)}, so the "
                             f"ratio is not needed; low risk.")
    ebitda = y.ebitda * y.scale
    if ebitda <= TOLERANCE:
        return None, "high", (f"EBITDA is {money(ebitda)}{y.part}, so net debt of {money(net_debt)} cannot be "
                              f"repaid from earnings and the ratio is not defined; high risk.")
    v = net_debt / ebitda
    return _rated(t, v, f"Net debt of {money(net_debt)} against EBITDA of {money(ebitda)}{y.part} is {show('times', v)}")


def _net_assets(t: Threshold, y: YearFigures):
    return _rated(t, y.net_assets, f"Net assets at the year end are {money(y.net_assets)}")


def _acid_ratio(t: Threshold, y: YearFigures):
    if y.current_liabilities <= TOLERANCE:
        return None, "low", (f"No bills fall due within a year at the year end (liquid assets {money(y.liquid)}), "
                             f"so the ratio is not needed; low risk.")
    v = y.liquid / y.current_liabilities
    return _rated(t, v, f"Cash, debtors and VAT receivable of {money(y.liquid)} against "
                  f"{money(y.current_liabilities)} falling due within a year is {show('times', v)}")


def _interest_cover(t: Threshold, y: YearFigures):
    if y.interest <= TOLERANCE:
        return None, "low", "No interest is payable this year, so the cover is not needed; low risk."
    v = y.ebit / y.interest
    loss = " (an operating loss: interest is not covered)" if y.ebit < 0 else ""
    return _rated(t, v, f"Operating profit of {money(y.ebit)} against interest of {money(y.interest)} is "
                  f"{show('times', v)}{loss}")


def _gearing(t: Threshold, y: YearFigures):
    net_debt = y.debt - y.cash
    if net_debt <= TOLERANCE:
        return None, "low", f"No net debt: cash of {money(y.cash)} covers borrowing of {money(y.debt)}; low risk."
    capital = net_debt + y.net_assets
    if capital <= TOLERANCE:
        return None, "high", (f"Net assets of {money(y.net_assets)} are negative and larger than net debt of "
                              f"{money(net_debt)}, so gearing is not defined; high risk.")
    v = net_debt / capital
    return _rated(t, v, f"Net debt of {money(net_debt)} against net debt plus net assets of {money(capital)} "
                  f"is {pct(v)}")


_RATIOS = {"turnover_ratio": _turnover_ratio, "operating_margin": _operating_margin,
           "free_cash_flow": _free_cash_flow, "net_debt_to_ebitda": _net_debt_to_ebitda,
           "net_assets": _net_assets, "acid_ratio": _acid_ratio, "interest_cover": _interest_cover,
           "gearing": _gearing}


def ratio(key: str, figures: YearFigures) -> tuple[float | None, str, str]:
    """One ratio of one year: (value or None where undefined, rating, explanation)."""
    return _RATIOS[key](thresholds()[key], figures)


def efs_ratios(scenario: Scenario, result: Result, contract_annual_value: float | None = None,
               contracts: Sequence[str] | None = None, draw: int = 0) -> list[EfsRow]:
    """The EFS ratios of a bid for every NHS year of its forecast, in year order then ORDER.

    `result` is `modeller.engine.run(scenario)` (or a batch: `draw` picks one). The turnover ratio
    compares the contract with the provider's turnover (its income in the forecast): the contract is
    `contract_annual_value` (£ a year) if given, else the income of `contracts` (ids; default every
    contract of the bid, so a bid that models only this contract shows 100%)."""
    table = thresholds()
    rows = []
    for y in year_figures(scenario, result, contract_annual_value, contracts, draw):
        for key in ORDER:
            t = table[key]
            value, rating, explanation = ratio(key, y)
            rows.append(EfsRow(year=y.label, months=y.months, ratio=key, label=t.label, unit=t.unit,
                               value=value, rating=rating,
                               value_text="not defined" if value is None else show(t.unit, value),
                               explanation=explanation))
    return rows


def worst_by_ratio(rows: Sequence[EfsRow]) -> dict[str, EfsRow]:
    """Each ratio's worst year (high before medium before low; the first such year), for a summary line."""
    rank = {"high": 0, "medium": 1, "low": 2, "not rated": 3}
    out: dict[str, EfsRow] = {}
    for r in rows:
        if r.ratio not in out or rank[r.rating] < rank[out[r.ratio].rating]:
            out[r.ratio] = r
    return out
