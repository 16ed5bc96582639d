"""Goal-seek machinery: whether candidates keep cash above the minimum, and the frontier between
candidates that do and those that do not.

A judge answers for the base case (one draw per candidate, all candidates in one batch) or
with P(shortfall) at most a level over a fixed Monte Carlo sample (common random numbers,
so neighbouring candidates are compared on the same draws).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from modeller.engine import run_batch
from modeller.risk.sampling import sample
from modeller.scenario import Scenario, Uncertainty

GOAL_DRAWS = 1000        # Monte Carlo draws per candidate when a shortfall risk level is set
BATCH_LIMIT = 4000       # most draws in one engine call (candidates x draws)


@dataclass
class Judge:
    """Decides whether candidate overrides keep cash above the minimum."""

    scenario: Scenario
    level: float | None = None       # None: the base case; else the largest P(shortfall) allowed
    draws: int = GOAL_DRAWS
    seed: int | None = None

    def __post_init__(self):
        u = self.scenario.uncertainty or Uncertainty()
        self.seed = u.seed if self.seed is None else self.seed
        self.sample = {} if self.level is None else sample(self.scenario, self.draws, self.seed)
        if not self.sample:  # nothing uncertain: P(shortfall) is 0 or 1, as in the base case
            self.level = None

    @property
    def basis(self) -> str:
        if self.level is None:
            return "base case"
        return f"P(shortfall) ≤ {self.level:.0%} over {self.draws:,} draws (seed {self.seed})"

    def shortfall_share(self, scenario: Scenario, candidates: dict[str, np.ndarray]) -> np.ndarray:
        """Share of draws with a funding shortfall for each candidate (0 or 1 in the base case)."""
        n = len(next(iter(candidates.values()))) if candidates else 1
        if self.level is None:
            kpi = run_batch(scenario, candidates, draws=n).kpi_arrays
            return (kpi["funding_shortfall"] > 0).astype(float)
        per_call = max(1, BATCH_LIMIT // self.draws)
        out = []
        for start in range(0, n, per_call):
            stop = min(n, start + per_call)
            over = {k: np.tile(v, stop - start) for k, v in self.sample.items()}
            over.update({k: np.repeat(v[start:stop], self.draws) for k, v in candidates.items()})
            short = run_batch(scenario, over, draws=(stop - start) * self.draws).kpi_arrays["funding_shortfall"] > 0
            out.append(short.reshape(stop - start, self.draws).mean(axis=1))
        return np.concatenate(out)

    def ok(self, scenario: Scenario, candidates: dict[str, np.ndarray]) -> np.ndarray:
        """Whether each candidate meets the goal."""
        share = self.shortfall_share(scenario, candidates)
        return share <= (0.0 if self.level is None else self.level + 1e-12)


def frontier(evaluate: Callable[[np.ndarray], np.ndarray], good: float, bad: float, step: float,
             points: int = 15) -> tuple[float, float]:
    """(last good, first bad) values between a good end and a bad end, at most `step` apart.

    `evaluate(values) -> bool array` says which values are good; the goal is assumed
    monotone, so the first bad value walking from `good` ends the good region. Values are
    multiples of `step` from `good`, so whole months stay whole.
    """
    while abs(bad - good) > step * (1 + 1e-9):
        n_steps = int(round(abs(bad - good) / step))
        k = np.unique(np.rint(np.linspace(0, n_steps, points + 2)[1:-1]).astype(int))
        k = k[(k > 0) & (k < n_steps)]
        if k.size == 0:
            break
        values = good + np.sign(bad - good) * k * step
        ok = evaluate(values)
        first_bad = int(np.argmin(ok)) if not ok.all() else None
        if first_bad is None:
            good = float(values[-1])
        else:
            bad = float(values[first_bad])
            if first_bad > 0:
                good = float(values[first_bad - 1])
    return good, bad
