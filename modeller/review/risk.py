"""Risk allocation: who carries demand, overspend (under the risk share) and delay, in £ over the term,
expected and P90 for the provider and for the commissioner, from the bid's own Monte Carlo
(model book, "Commissioner's review")."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from modeller import activity
from modeller.formatting import money, pct
from modeller.inputs import Inputs
from modeller.result import Result
from modeller.review.cost import term_slice
from modeller.review.result import RiskAllocation, RiskLine
from modeller.review.schema import Review
from modeller.risk.montecarlo import run_chunks
from modeller.risk.sampling import sample
from modeller.scenario import Contract, Scenario
from modeller.timeline import Timeline, year_sums

P90 = 90


def split_variance(variance: np.ndarray, provider_share, cap=None, collar=None) -> tuple[np.ndarray, np.ndarray]:
    """(provider retained, commissioner settled) of a year's over (+) or underspend (-) under a risk share:
    the provider keeps `provider_share` of it, never losing more than `cap` or gaining more than `collar`;
    the commissioner settles the rest. The engine's rule (income._risk_share), for the review's own use."""
    retained = provider_share * np.asarray(variance, float)
    if cap is not None:
        retained = np.minimum(retained, cap)
    if collar is not None:
        retained = np.maximum(retained, -collar)
    return retained, variance - retained


def overspend_by_year(result: Result, contract: Contract, overrides: dict | None = None) -> np.ndarray:
    """(draws, years) over (+) or underspend (-) of a risk-shared cost line against its target, computed
    from the engine's cost line: cost in the contract's active months less the target pro-rated to them
    at that year's prices."""
    rs, tl = contract.risk_share, result.timeline
    inp = Inputs(result.scenario, overrides, result.draws)
    prices = tl.index_factor(inp.num("indexation.prices", result.scenario.indexation.prices))
    active = result.detail["contracts"][contract.id].active
    target = inp.num(f"contracts.{contract.id}.risk_share.target_annual", rs.target_annual) / 12 * prices * active
    return year_sums(result.detail["costs"][rs.cost].cost * active - target, tl)


def _summary(values: np.ndarray) -> tuple[float, float]:
    return float(np.mean(values)), float(np.percentile(values, P90))


def _line(risk: str, label: str, rule: str, provider: np.ndarray, commissioner: np.ndarray) -> RiskLine:
    pe, p9 = _summary(provider)
    ce, c9 = _summary(commissioner)
    return RiskLine(risk, label, rule, pe + 0.0, p9 + 0.0, ce + 0.0, c9 + 0.0)


def _per_unit_rate(base: Result, lines: list[np.ndarray], units: np.ndarray) -> np.ndarray:
    """£ per unit each month of the base run (0 where no units)."""
    total = sum(lines, np.zeros(units.shape))
    return np.divide(total, units, out=np.zeros(units.shape), where=units > 0)


def demand_risk(scenario: Scenario, base: Result, inputs: dict, draws: int, contracts: list[str],
                term: slice) -> tuple[np.ndarray, np.ndarray]:
    """Per draw (provider loss, commissioner extra payment) from units above (+) or below plan over the term.

    Each unit above plan costs the commissioner what its activity contracts pay per unit in the base run,
    and costs the provider its own cost per unit (per-unit costs and demand-driven staff) less what all its
    activity contracts pay per unit."""
    tl = base.timeline
    drawn = activity.units(Inputs(scenario, inputs, draws), tl)
    provider, commissioner = np.zeros(draws), np.zeros(draws)
    d, c = base.detail, {x.id: x for x in scenario.contracts}
    for stream, units in drawn.items():
        plan = d["activity"][stream][0]
        extra = (units - plan)[:, term]
        if not np.any(extra):
            continue
        paid = [cid for cid, x in c.items() if x.mechanism == "activity" and x.activity == stream]
        pay = {cid: d["contracts"][cid].income[0] - d["contracts"][cid].risk_share[0] for cid in paid}
        cost = [d["costs"][x.id].cost[0] + d["costs"][x.id].vat[0] for x in scenario.costs
                if x.kind == "per_unit" and x.activity == stream]
        cost += [d["roles"][r.id].staff_cost[0] + d["roles"][r.id].agency_cost[0] for r in scenario.workforce.roles
                 if r.driver is not None and r.driver.activity == stream]
        margin = _per_unit_rate(base, cost, plan) - _per_unit_rate(base, list(pay.values()), plan)
        ours = _per_unit_rate(base, [pay[cid] for cid in paid if cid in contracts], plan)
        provider += extra @ margin[term]
        commissioner += extra @ ours[term]
    return provider, commissioner


def delay_risk(review: Review, scenario: Scenario, base: Result, inputs: dict, draws: int, contracts: list[str],
               term: slice) -> tuple[np.ndarray, np.ndarray]:
    """Per draw (provider loss, commissioner extra cost) of a start later than the bid plans.

    The first d months the contract would have run are lost: the provider loses their payments; the
    commissioner saves them but keeps paying for today's service (the baseline) in those months."""
    tl = base.timeline
    provider, saved = np.zeros(draws), np.zeros(draws)
    longest = np.zeros(draws, dtype=int)
    for cid in contracts:
        c = next(x for x in scenario.contracts if x.id == cid)
        path = f"contracts.{cid}.start_delay_months"
        if path not in inputs:
            continue
        d = np.maximum(np.rint(inputs[path]).astype(int) - c.start_delay_months, 0)
        line = base.detail["contracts"][cid]
        running = np.flatnonzero(line.active[0, term] > 0)
        pay = (line.income[0] - line.risk_share[0])[term][running]
        lost = np.concatenate([[0.0], np.cumsum(pay)])[np.minimum(d, running.size)]
        provider += lost
        saved += lost
        longest = np.maximum(longest, d)
    first = _first_running(base, contracts, term)
    monthly = baseline_by_month(review, tl, term)[first:]
    kept = np.concatenate([[0.0], np.cumsum(monthly)])[np.minimum(longest, monthly.size)]
    return provider, kept - saved


def _first_running(base: Result, contracts: list[str], term: slice) -> int:
    active = sum((base.detail["contracts"][c].active[0, term] for c in contracts), np.zeros(term.stop - term.start))
    running = np.flatnonzero(active > 0)
    return int(running[0]) if running.size else 0


def baseline_by_month(review: Review, tl: Timeline, term: slice) -> np.ndarray:
    """Today's spend spread evenly over the term's months of each NHS year (0 where none is given)."""
    labels = np.array(tl.fy_labels)[tl.fy_number[term]]
    out = np.zeros(labels.size)
    for year, amount in review.baseline.items():
        months = labels == year
        if months.any():
            out[months] = amount / months.sum()
    return out


def overspend_risk(review: Review, parts: list[dict], contracts: list[str], tl: Timeline) -> tuple[np.ndarray, np.ndarray]:
    """Per draw (provider retained, commissioner settled) under the risk shares, summed over the term's
    years, from the Monte Carlo's own risk-share lines."""
    labels = [tl.fy_labels[y] for y in tl.fy_number[np.flatnonzero(tl.year_end)]]
    in_term = np.isin(labels, review.term.years())
    draws = sum(next(iter(p["kpis"].values())).shape[0] for p in parts)
    provider, commissioner = np.zeros(draws), np.zeros(draws)
    for cid in contracts:
        if cid not in parts[0]["shares"]:
            continue
        provider += np.concatenate([p["shares"][cid][0] for p in parts])[:, in_term].sum(axis=1)
        commissioner += np.concatenate([p["shares"][cid][1] for p in parts])[:, in_term].sum(axis=1)
    return provider, commissioner


def _rules(scenario: Scenario, contracts: list[str]) -> dict[str, str]:
    chosen = [c for c in scenario.contracts if c.id in contracts]
    kinds = {c.mechanism for c in chosen}
    demand = {"block": "block: the provider delivers extra demand for the same payment",
              "activity": "activity: the commissioner pays for every unit, the provider keeps only its margin",
              "capitation": "capitation: paid per head, so the provider carries the demand of each person"}
    shares = [c for c in chosen if c.risk_share is not None]
    if shares:
        overspend = "; ".join(
            f"{c.name}: the provider keeps {pct(c.risk_share.provider_share, 0)} of the over- or underspend on "
            f"{c.risk_share.cost}" + (f", losing at most {money(c.risk_share.cap)}" if c.risk_share.cap is not None
                                      else "")
            + (f", gaining at most {money(c.risk_share.collar)}" if c.risk_share.collar is not None else "")
            + " a year; the commissioner settles the rest" for c in shares)
    else:
        overspend = "no risk share: the provider carries any overspend and keeps any saving"
    return {"demand": "; ".join(demand[k] for k in sorted(kinds)) or "no contract",
            "overspend": overspend,
            "delay": "a late start loses the provider the payments of the months lost; the commissioner saves "
                     "them but keeps paying today's service (the baseline) meanwhile"}


def risk_allocation(review: Review, scenario: Scenario, base: Result, contracts: list[str], draws: int,
                    seed: int, progress: Callable[[float], None] | None = None) -> RiskAllocation:
    """The three risks for each side from `draws` draws of the bid's own uncertainty section."""
    inputs = sample(scenario, draws, seed)
    term = term_slice(review, base)
    if inputs:
        parts = run_chunks(scenario, inputs, draws, progress)
        over = overspend_risk(review, parts, contracts, base.timeline)
    else:
        over = overspend_risk(review, [_base_part(base)], contracts, base.timeline)
        draws = 1
        if progress is not None:
            progress(1.0)
    demand = demand_risk(scenario, base, inputs, draws, contracts, term)
    delay = delay_risk(review, scenario, base, inputs, draws, contracts, term)
    rules = _rules(scenario, contracts)
    lines = [_line("demand", "Demand above or below plan", rules["demand"], *demand),
             _line("overspend", "Overspend under the risk share", rules["overspend"], *over),
             _line("delay", "Late start", rules["delay"], *delay)]
    mechanisms = {c.id: c.mechanism for c in scenario.contracts if c.id in contracts}
    count = len(scenario.uncertainty.parameters) if scenario.uncertainty else 0
    return RiskAllocation(lines, draws, seed, count, mechanisms)


def _base_part(base: Result) -> dict:
    """The base run in the shape of one Monte Carlo chunk (a bid with no uncertainty section)."""
    tl = base.timeline
    ends = np.flatnonzero(tl.year_end)
    shares = {cid: (c.provider_retained[:, ends], c.risk_share[:, ends]) for cid, c in base.detail["contracts"].items()}
    return {"kpis": base.kpi_arrays, "shares": shares}
