"""Monte Carlo: every draw through the batch engine in a few chunks, summarised for people.

Outputs: per-draw KPIs, the P10/P50/P90 fan of closing cash by month, the probability and
typical start of a funding shortfall, who carries the risk-share variance each year
(provider vs commissioner), and the agency cost caused by demand running above plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from modeller.engine import run, run_batch
from modeller.metrics import MONTH_KPIS
from modeller.result import Result
from modeller.risk.replay import GOAL_DRAWS, Flows, flows_of
from modeller.scenario import Scenario, Uncertainty
from modeller.timeline import Timeline

CHUNK_DRAWS = 2000
FAN_PERCENTILES = (10, 50, 90)


@dataclass
class RiskTransfer:
    """One contract's risk-share outcome by NHS year, (draws, years) arrays in £.

    provider_retained: the variance the provider keeps (+ a loss it bears, - a gain it keeps).
    commissioner_settled: what the commissioner pays the provider (+) or claws back (-).
    """

    contract: str
    years: list[str]
    provider_retained: np.ndarray
    commissioner_settled: np.ndarray


@dataclass
class MonteCarloResult:
    """Per-draw KPIs and their summaries; the seed and draws that reproduce them."""

    scenario: Scenario
    timeline: Timeline
    draws: int
    seed: int
    inputs: dict[str, np.ndarray]            # the sampled overrides, by path
    kpis: dict[str, np.ndarray]              # (draws,) per KPI; NaN where undefined
    fan: dict[int, np.ndarray]               # percentile -> closing cash by month
    minimum_cash: float
    deterministic: dict                      # KPIs of the scenario's own values
    risk_transfer: dict[str, RiskTransfer] = field(default_factory=dict)
    agency_cost: np.ndarray | None = None    # total agency cost per draw
    agency_cost_above_plan: np.ndarray | None = None   # per draw, caused by demand above plan: `demand_agency_cost`
    base_flows: Flows | None = None          # the scenario's own operating flows, for funding replays
    goal_flows: Flows | None = None          # the first GOAL_DRAWS draws' flows, for the commitment answers

    @property
    def probability_of_shortfall(self) -> float:
        """Share of draws in which cash falls below the minimum in some month."""
        return float(np.mean(self.kpis["funding_shortfall"] > 0))

    @property
    def shortfall_month(self) -> int | None:
        """Typical (median) first month of a shortfall among the draws that have one."""
        months = self.kpis["funding_shortfall_month"]
        months = months[~np.isnan(months)]
        return None if months.size == 0 else int(np.percentile(months, 50, method="inverted_cdf"))

    def summary(self, name: str) -> dict:
        """{"mean", "p10", "p50", "p90"} of a KPI; None where undefined."""
        return summarise(self.kpis[name], months=name in MONTH_KPIS)


def summarise(values: np.ndarray, months: bool = False) -> dict:
    """Mean and P10/P50/P90 of per-draw values.

    A month KPI that never happens in a draw (NaN) counts as later than every month, so a
    percentile that lands on such draws is None ("never"), as is the mean. Other KPIs are
    summarised over the draws where they are defined (None if none is).
    """
    v = np.asarray(values, dtype=float)
    if months:
        ordered = np.where(np.isnan(v), np.inf, v)
        pct = np.percentile(ordered, FAN_PERCENTILES, method="inverted_cdf")
        out = {"mean": None if np.isnan(v).any() else float(v.mean())}
        out.update({f"p{p}": (None if np.isinf(x) else float(x)) for p, x in zip(FAN_PERCENTILES, pct, strict=True)})
        return out
    v = v[~np.isnan(v)]
    if v.size == 0:
        return {"mean": None, "p10": None, "p50": None, "p90": None}
    pct = np.percentile(v, FAN_PERCENTILES)
    return {"mean": float(v.mean()), **{f"p{p}": float(x) for p, x in zip(FAN_PERCENTILES, pct, strict=True)}}


def _settings(scenario: Scenario, draws: int | None, seed: int | None) -> tuple[int, int]:
    u = scenario.uncertainty or Uncertainty()
    return int(draws if draws is not None else u.draws), int(seed if seed is not None else u.seed)


def _year_end_values(series: np.ndarray, tl: Timeline) -> np.ndarray:
    """(draws, years): a series' values in each NHS year's last model month."""
    return series[:, np.flatnonzero(tl.year_end)]


def demand_agency_cost(result: Result) -> np.ndarray:
    """Per draw, the agency cost caused by demand above plan, in £ over the horizon.

    Staff are hired to expected activity, so with activity at plan a role's agency cover is only
    its unfilled posts, max(0, target - in post); the drawn activity's cover is
    max(0, required - in post). In each month and role where demand runs above plan the
    difference is the cover that demand caused (months below plan count 0, not a saving), at
    the same draw's agency rate per WTE. Equal to running the draw again with activity at plan
    and taking the positive part of the difference month by month, without the second run.
    """
    total = np.zeros(result.draws)
    for role in result.detail["roles"].values():
        extra_wte = role.agency_wte - np.maximum(0.0, role.target_wte - role.in_post_wte)
        above = extra_wte > 0            # only where there is agency cover (agency WTE > 0)
        if not above.any():
            continue
        share = np.divide(extra_wte, role.agency_wte, out=np.zeros(above.shape), where=above)
        total += (share * role.agency_cost).sum(axis=1)
    return total


def _collect(result: Result) -> dict:
    """The parts of one chunk's result the summaries need (the rest is dropped to save memory)."""
    tl = result.timeline
    shares = {cid: (_year_end_values(c.provider_retained, tl), _year_end_values(c.risk_share, tl))
              for cid, c in result.detail["contracts"].items()
              if next(x for x in result.scenario.contracts if x.id == cid).risk_share is not None}
    return {"kpis": result.kpi_arrays, "cash": result.lines["closing_cash"],
            "agency": result.lines["pay_agency"].sum(axis=1), "agency_demand": demand_agency_cost(result),
            "shares": shares}


def run_chunks(scenario: Scenario, inputs: dict[str, np.ndarray], draws: int,
               progress: Callable[[float], None] | None = None) -> list[dict]:
    """Run `draws` draws of the sampled `inputs` (one value per draw by path) through the engine,
    CHUNK_DRAWS at a time, and keep of each chunk only what the summaries need (`_collect`).

    Chunks bound the memory (one chunk's engine lines alive at a time) and keep each array
    small enough to stay in cache. `progress(fraction done)` is called after each chunk. The
    one chunked path: the app, the command line and the engine benchmark all run it."""
    parts = []
    for start in range(0, draws, CHUNK_DRAWS):
        stop = min(draws, start + CHUNK_DRAWS)
        over = {k: v[start:stop] for k, v in inputs.items()}
        result = run_batch(scenario, over, draws=stop - start)
        parts.append(_collect(result))
        if start == 0:   # kept so the commitment answers judge these draws without running them again
            parts[0]["flows"] = flows_of(result, over, slice(0, GOAL_DRAWS))
        del result       # one chunk's lines at a time: else two are alive while the next one runs
        if progress is not None:
            progress(stop / draws)
    return parts


def simulate(scenario: Scenario, draws: int | None = None, seed: int | None = None,
             progress: Callable[[float], None] | None = None) -> MonteCarloResult:
    """Monte Carlo of the scenario's `uncertainty:` section (Latin hypercube, one batch per chunk).

    Draws and seed default to the section's own (10,000 and 42 without one). With no
    uncertain parameters every draw equals the deterministic run, so it is run once.
    """
    from modeller.risk.sampling import sample

    draws, seed = _settings(scenario, draws, seed)
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    inputs = sample(scenario, draws, seed)
    base = run(scenario)
    if inputs:
        parts = run_chunks(scenario, inputs, draws, progress)
    else:
        parts = [_repeat(_collect(base), draws)]
        if progress is not None:
            progress(1.0)
    mc = _assemble(scenario, base, inputs, parts, draws, seed)
    mc.base_flows, mc.goal_flows = flows_of(base, {}), parts[0].get("flows")
    return mc


def _repeat(part: dict, draws: int) -> dict:
    def rep(a):
        return np.repeat(a, draws, axis=0)

    return {"kpis": {k: rep(v) for k, v in part["kpis"].items()}, "cash": rep(part["cash"]),
            "agency": rep(part["agency"]), "agency_demand": rep(part["agency_demand"]),
            "shares": {k: (rep(a), rep(b)) for k, (a, b) in part["shares"].items()}}


def _assemble(scenario: Scenario, base: Result, inputs: dict, parts: list[dict], draws: int,
              seed: int) -> MonteCarloResult:
    tl = base.timeline
    kpis = {k: np.concatenate([p["kpis"][k] for p in parts]) for k in parts[0]["kpis"]}
    cash = np.concatenate([p["cash"] for p in parts])
    fan = dict(zip(FAN_PERCENTILES, np.percentile(cash, FAN_PERCENTILES, axis=0), strict=True))
    labels = [tl.fy_labels[y] for y in tl.fy_number[np.flatnonzero(tl.year_end)]]
    transfer = {cid: RiskTransfer(cid, labels, np.concatenate([p["shares"][cid][0] for p in parts]),
                                  np.concatenate([p["shares"][cid][1] for p in parts]))
                for cid in parts[0]["shares"]}
    return MonteCarloResult(
        scenario=scenario, timeline=tl, draws=draws, seed=seed, inputs=inputs, kpis=kpis, fan=fan,
        minimum_cash=float(scenario.funding.minimum_cash), deterministic=base.kpis(),
        risk_transfer=transfer, agency_cost=np.concatenate([p["agency"] for p in parts]),
        agency_cost_above_plan=np.concatenate([p["agency_demand"] for p in parts]))
