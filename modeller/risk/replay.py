"""Funding replays: the engine's own cash roll-forward run again on a run's operating flows.

Opening cash and the facility limit change nothing before the roll-forward (income, pay,
costs, capex, loans and equity do not depend on them), so a candidate that changes only
those can be judged by `modeller.funding.roll_forward` on the flows an engine run already
made: the same loop over months, without recomputing everything else. Goal seeks search
with replays; their answers are still checked by running the whole engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.funding import roll_forward
from modeller.inputs import Inputs
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.statements import TOLERANCE
from modeller.timeline import Timeline

GOAL_DRAWS = 1000  # Monte Carlo draws per candidate when a shortfall risk level is set (kept here, not in
                   # goalseek, so a Monte Carlo can keep them without importing scipy's sampling up front)

# Paths a replay may change: read only by the roll-forward (and the balance sheet's opening line).
FUNDING_PATHS = frozenset({"funding.opening_cash", "funding.facility.limit"})


@dataclass(frozen=True)
class Flows:
    """Some draws' inputs and operating flows, enough to replay their funding.

    inputs: the sampled overrides of those draws, by path ((draws,) arrays; {} for the base case).
    cash_before: (draws, months) net cash flow before facility interest, facility movements and tax.
    profit_before: (draws, months) profit before facility interest and tax.
    short: (draws,) whether each draw, as run, has a funding shortfall.
    """

    inputs: dict[str, np.ndarray]
    cash_before: np.ndarray
    profit_before: np.ndarray
    short: np.ndarray

    @property
    def draws(self) -> int:
        return len(self.short)


def flows_of(result: Result, inputs: dict[str, np.ndarray], rows: slice = slice(None)) -> Flows:
    """The operating flows of an engine run's `rows`, added up as `engine._funding_lines` adds them."""
    L = result.lines
    cash_before = (L["receipts"] + L["staff_payments"] + L["supplier_payments"] + L["capex_paid"]
                   + L["equity_raised"] + L["loans_drawn"] + L["loan_repayments"] - L["interest_loans"])
    profit_before = L["ebit"] - L["interest_loans"]
    return Flows({k: np.asarray(v)[rows] for k, v in inputs.items()}, np.array(cash_before[rows]),
                 np.array(profit_before[rows]), np.asarray(result.kpi_arrays["funding_shortfall"][rows] > 0))


def replay_short(scenario: Scenario, flows: Flows, candidates: dict[str, np.ndarray], draw: np.ndarray) -> np.ndarray:
    """Whether each row has a funding shortfall: row r is draw `draw[r]` of `flows` with the
    funding `candidates[path][r]` (paths in FUNDING_PATHS only); the engine's own test of a
    shortfall (cash more than half a penny below the minimum in some month)."""
    extra = set(candidates) - FUNDING_PATHS
    if extra:
        raise ValueError(f"a replay changes only {sorted(FUNDING_PATHS)}, not {sorted(extra)}")
    rows = len(draw)
    over = {k: v[draw] for k, v in flows.inputs.items()}
    over.update({k: np.broadcast_to(np.asarray(v, dtype=float), (rows,)) for k, v in candidates.items()})
    inp = Inputs(scenario, over, rows)
    tl = Timeline(scenario.start, scenario.months)
    cash = roll_forward(inp, tl, flows.cash_before[draw], flows.profit_before[draw]).closing_cash
    minimum = np.broadcast_to(np.asarray(inp.num("funding.minimum_cash", scenario.funding.minimum_cash),
                                         dtype=float).reshape(-1), (rows,))
    return minimum - cash.min(axis=1) > TOLERANCE


def replay_peak_drawn(scenario: Scenario, flows: Flows, limit: float) -> np.ndarray:
    """Each draw's peak facility drawn with the facility limit at `limit`."""
    rows = np.arange(flows.draws)
    over = {k: np.asarray(v, dtype=float) for k, v in flows.inputs.items()}
    over["funding.facility.limit"] = np.full(flows.draws, float(limit))
    inp = Inputs(scenario, over, flows.draws)
    tl = Timeline(scenario.start, scenario.months)
    return roll_forward(inp, tl, flows.cash_before[rows], flows.profit_before[rows]).facility_balance.max(axis=1)


__all__ = ["FUNDING_PATHS", "Flows", "flows_of", "replay_peak_drawn", "replay_short"]
