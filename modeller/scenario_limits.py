"""Limits a valid scenario must also keep: figures small enough to account for to the penny, and
risk runs small enough to finish.

The schema bounds each input (no amount over £10bn, no population over 100 million), but
inputs compound: growth over 20 years, prices indexed each April, salaries times WTE times
months. `check_magnitude` estimates, from above, the money a scenario can move over its horizon
(and again with every uncertain input at the far end of its range) and refuses it past
`MAX_TOTAL`, naming the input that contributes most. Beyond that, double-precision sums over
240 months drift by more than the half-penny the balance sheet is checked to (measured: a
balance error of about 2e-15 of the money moved, so £1e12 moved drifts by about £0.002-£0.004).

`check_work` refuses a Monte Carlo whose draws x months x items would run for minutes.
Both return problem sentences, `field.path: what is wrong and the fix`, as ScenarioError holds.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from typing import Any

from modeller.fields import field_of
from modeller.formatting import input_value
from modeller.scenario import Parameter, Scenario

MAX_TOTAL = 100e9  # £100bn moved over the horizon: about 40 years' turnover of the largest NHS trust
# draws x months x items the engine works through: every example at the UI's 200,000 draws (the
# largest, imaging_scanners, is 200,000 x 120 months x 43 items = 1.03bn). Measured 2026-11-29 on the
# shared 2-core machine under load: 43 ns a draw-month-item, so this limit is about 50 s.
MAX_WORK = 1_200_000_000
TAIL_SDS = 10.0  # a normal draw further out than 10 sd needs u < 1e-23: none of 200,000 Latin hypercube draws
DIVISORS = ("units_per_wte_month",)  # inputs whose smallest value gives the largest figures

Contribution = tuple[str, float]  # (the input's field path as messages name it, money it can move)


def check_magnitude(scenario: Scenario) -> list[str]:
    """Problem sentences if the scenario's figures, or those of a draw of its risk ranges, can grow
    past what can be accounted for to the penny; [] if they cannot."""
    data = scenario.model_dump(mode="json", by_alias=True)
    problems = _verdict(_contributions(data), data["months"], "")
    if problems or scenario.uncertainty is None or not scenario.uncertainty.parameters:
        return problems
    stressed = copy.deepcopy(data)
    for p in scenario.uncertainty.parameters:
        _stress(stressed, p)
    problems = _verdict(_contributions(stressed), data["months"], " when the risk ranges are at their extremes")
    return problems + _widest_range(scenario, data) if problems else []


def check_work(scenario: Scenario, draws: int | None = None) -> list[str]:
    """A problem sentence if a Monte Carlo of `draws` (default: the scenario's own) would take too long."""
    u = scenario.uncertainty
    draws = draws if draws is not None else (u.draws if u else 0)
    items = max(1, len(scenario.activity) + len(scenario.contracts) + len(scenario.workforce.roles)
                + len(scenario.costs) + len(scenario.capex) + len(scenario.funding.loans))
    work = draws * scenario.months * items
    if work <= MAX_WORK:
        return []
    fewer = max(1, MAX_WORK // (scenario.months * items))
    return [f"uncertainty.draws: {draws:,} draws of {scenario.months} months and {items} items would take "
            f"minutes to run (draws x months x items = {work:,}; the limit is {MAX_WORK:,}); use at most "
            f"{fewer:,} draws for this scenario"]


# --- the estimate -------------------------------------------------------------------------


def _verdict(parts: list[Contribution], months: int, when: str) -> list[str]:
    total = sum(amount for _, amount in parts)
    if total <= MAX_TOTAL:  # written so that NaN and infinity are refused too
        return []
    path, largest = max(parts, key=lambda p: p[1] if not math.isnan(p[1]) else math.inf)
    about = pounds(total) if total >= 1e15 else f"about {pounds(total)}"
    return [f"{path}: the money this scenario moves could reach {about} over {months} months{when}, "
            f"more than the {pounds(MAX_TOTAL)} that can be accounted for to the penny; this input moves "
            f"the most ({pounds(largest)}): check its units (pounds, not pence; rates as decimals) "
            "and the growth and indexation applied to it"]


def pounds(x: float) -> str:
    """£3.2 trillion, £450 billion, £12 million: a large amount in words."""
    if not math.isfinite(x):
        return "an unlimited amount"
    if x >= 1e15:
        return "over £1,000 trillion"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if x >= size:
            return f"£{x / size:,.3g} {word}"
    return f"£{x:,.0f}"


def _contributions(d: dict) -> list[Contribution]:
    """Upper bounds on the money each input can move over the horizon, largest-figure first."""
    months = d["months"]
    ix = d["indexation"]
    index = {k: max(1.0, 1.0 + ix[k]) ** (months // 12 + 1) for k in ("pay", "non_pay", "prices")}
    units = {a["id"]: _units(a, months) for a in d["activity"]}
    parts = list(_contracts(d, months, index["prices"], units))
    parts += _roles(d, months, index["pay"], units)
    # VAT: a line is paid gross and any recoverable part reclaimed, so it moves up to (1 + 2 x rate) times its net
    vat = {True: 1.0 + 2.0 * max(0.0, d["vat"]["rate"]), False: 1.0}
    parts += [(path, amount * vat[c.get("vat", True)]) for c, (path, amount) in
              zip(d["costs"], _costs(d, months, index["non_pay"], units), strict=True)]
    parts += [(f"capex[{a['id']}].amount", 2 * a["amount"] * vat[a.get("vat", True)])  # paid, then depreciated
              for a in d["capex"]]
    parts += _funding(d["funding"], months)
    return parts


def _growth(rate: float, months: int) -> float:
    return max(1.0, 1.0 + rate) ** (months / 12)


def _units(a: dict, months: int) -> float:
    """Most units a month the stream can reach."""
    season = max(a.get("seasonality") or [1.0])
    return a["per_month"] * _growth(a["annual_growth"], months) * max(1.0, season)


def _contracts(d: dict, months: int, prices: float, units: dict) -> Iterator[Contribution]:
    for c in d["contracts"]:
        where = f"contracts[{c['id']}]"
        steps = [c, *c["changes"]]

        def most(field: str, steps: list = steps) -> float:
            return max((s.get(field) or 0.0) for s in steps)

        if c["mechanism"] == "block":
            yield f"{where}.annual_value", most("annual_value") / 12 * prices * months
        elif c["mechanism"] == "activity":
            volume = units.get(c.get("activity"), 0.0) * c["share"]
            yield f"{where}.price_per_unit", most("price_per_unit") * volume * prices * months
        else:
            people = most("population") * _growth(c["population_growth"], months)
            yield f"{where}.rate_per_head", people * most("rate_per_head") / 12 * prices * months
        rs = c.get("risk_share")
        if rs:
            settled = rs["target_annual"] / 12 * prices * months + ((rs.get("cap") or 0) + (rs.get("collar") or 0)) * (months / 12 + 1)
            yield f"{where}.risk_share.target_annual", settled


def _roles(d: dict, months: int, pay: float, units: dict) -> Iterator[Contribution]:
    oc = d["workforce"]["on_costs"]
    loading = 1.0 + oc["employer_ni_rate"] + oc["pension_rate"] + oc["other_rate"]
    for r in d["workforce"]["roles"]:
        if r.get("plan") is not None:
            wte = max((s["wte"] for s in r["plan"]), default=0.0)
        else:
            drv = r["driver"]
            wte = units.get(drv["activity"], 0.0) * drv["share"] / drv["units_per_wte_month"]
        # a WTE in post, or covered by agency at salary x (1 + premium), and each hire and leaver recruited
        per_wte_month = r["salary"] / 12 * pay * (loading + r["agency_premium"]) + 2 * r["recruit_cost_per_wte"]
        yield f"workforce.roles[{r['id']}].salary", wte * per_wte_month * months


def _costs(d: dict, months: int, non_pay: float, units: dict) -> Iterator[Contribution]:
    for c in d["costs"]:
        where = f"costs[{c['id']}]"
        if c["kind"] == "fixed":
            yield f"{where}.annual", c["annual"] / 12 * non_pay * months
        elif c["kind"] == "per_unit":
            yield f"{where}.unit_cost", units.get(c["activity"], 0.0) * c["share"] * c["unit_cost"] * non_pay * months
        else:
            yield f"{where}.amount", c["amount"]


def _funding(f: dict, months: int) -> list[Contribution]:
    years = months / 12 + 1
    out = [("funding.opening_cash", f["opening_cash"]), ("funding.minimum_cash", f["minimum_cash"]),
           ("funding.facility.limit", f["facility"]["limit"] * (1 + f["facility"]["annual_rate"] * years))]
    out += [(f"funding.equity[{i}].amount", e["amount"]) for i, e in enumerate(f["equity"])]
    # drawn, then repaid with interest (at most the rate for the whole term on the whole amount)
    out += [(f"funding.loans[{ln['id']}].amount", 2 * ln["amount"] * (1 + ln["annual_rate"] * ln["term_months"] / 12))
            for ln in f["loans"]]
    return out


# --- the far end of each risk range ---------------------------------------------------------


def _stress(data: dict, p: Parameter) -> float:
    """Put one uncertain input at the end of its range that gives the largest figures (the
    smallest for a divisor), clipped to the field's limits as draws are; returns that value."""
    spec = field_of(p.path)
    low, high = (min(max(end, spec.low), spec.high) for end in _range(p))
    value = low if p.path.rsplit(".", 1)[-1] in DIVISORS else high
    _set(data, p.path, value)
    return value


def _widest_range(scenario: Scenario, data: dict) -> list[str]:
    """A sentence naming the risk range that, alone at its far end, moves the most money."""
    worst = (-1.0, 0, 0.0)
    for i, p in enumerate(scenario.uncertainty.parameters):
        alone = copy.deepcopy(data)
        end = _stress(alone, p)
        total = sum(amount for _, amount in _contributions(alone))
        worst = max(worst, (math.inf if math.isnan(total) else total, i, end))
    total, i, end = worst
    path = scenario.uncertainty.parameters[i].path
    return [f"uncertainty.parameters[{i}]: the risk range on {path} reaches {input_value(path, end)}; with only "
            f"this input there the money moved could reach {pounds(total)}: narrow the range, or check its units"]


def _range(p) -> tuple[float, float]:
    """The lowest and highest value a draw of the distribution can take (for a normal, 10 sd)."""
    if p.dist in ("triangular", "pert", "uniform"):
        return p.low, p.high
    if p.dist == "normal":
        return p.mean - TAIL_SDS * p.sd, p.mean + TAIL_SDS * p.sd
    if p.dist == "lognormal":
        spread = TAIL_SDS * p.sigma
        return p.median * math.exp(-min(spread, 700.0)), p.median * math.exp(min(spread, 700.0))
    return min(p.values), max(p.values)


def _set(data: dict, path: str, value: float) -> None:
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        if isinstance(node, list):
            node = next((i for i in node if isinstance(i, dict) and i.get("id") == part), None) or node[int(part)]
        else:
            node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value

