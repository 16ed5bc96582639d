"""Goal-seek machinery: whether candidates keep cash above the minimum, and how far along a grid
of candidates the goal still holds.

A judge answers for the base case (one draw per candidate) or with P(shortfall) at most a
level over a fixed Monte Carlo sample (common random numbers, so neighbouring candidates are
compared on the same draws): the first 1,000 draws of the Monte Carlo the person ran when it
has that many, else 1,000 of its own. Candidates are a grid of steps from a good end (step 0)
to a far end; every engine call runs many (candidate, draw) rows as one batch, never a loop
per draw. Searches over funding amounts (opening cash, the facility) replay only the cash
roll-forward on the sample's operating flows (`replay`); every answer is checked by the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from modeller.engine import run_batch
from modeller.risk.replay import FUNDING_PATHS, GOAL_DRAWS, Flows, flows_of, replay_short
from modeller.risk.sampling import sample
from modeller.scenario import Scenario, Uncertainty

BATCH_LIMIT = 4000       # most rows (candidate x draw) in one engine call
ROUND_ROWS = 1000        # rows aimed at in one round of the per-draw search
MAX_POINTS = 15          # most candidates tried per draw in one round

# (grid steps, one per row; the sampled inputs of each row's draw) -> overrides for those rows.
# The sampled inputs are passed so a candidate can build on them (a sampled WTE scaled, say).
Overrides = Callable[[np.ndarray, dict[str, np.ndarray]], dict[str, np.ndarray]]


@dataclass
class Judge:
    """Decides whether candidate overrides keep cash above the minimum."""

    scenario: Scenario
    level: float | None = None       # None: the base case; else the largest P(shortfall) allowed
    draws: int = GOAL_DRAWS
    seed: int | None = None
    of_draws: int | None = None      # the sample is the first `draws` of a Monte Carlo of this many
    flows: Flows | None = None       # the sample's (base case: the scenario's) flows, if already run

    def __post_init__(self):
        u = self.scenario.uncertainty or Uncertainty()
        self.seed = u.seed if self.seed is None else self.seed
        self.of_draws = max(self.draws, self.of_draws or self.draws)
        if self.level is None:
            self.sample = {}
        elif self.flows is not None and self.flows.inputs:
            self.sample, self.draws = self.flows.inputs, self.flows.draws
        else:
            drawn = sample(self.scenario, self.of_draws, self.seed)
            self.sample = {k: v[:self.draws] for k, v in drawn.items()}
        if not self.sample:  # nothing uncertain: P(shortfall) is 0 or 1, as in the base case
            self.level = None
        if self.flows is not None and self.flows.draws != self.sample_draws:
            self.flows = None    # flows of other draws than those judged: run them afresh

    @property
    def basis(self) -> str:
        if self.level is None:
            return "base case"
        which = f"{self.draws:,} draws" if self.of_draws == self.draws else \
            f"the first {self.draws:,} of {self.of_draws:,} draws"
        return f"P(shortfall) ≤ {self.level:.0%} over {which} (seed {self.seed})"

    def replay_flows(self) -> Flows:
        """The judged draws' operating flows (one engine run, made once)."""
        if self.flows is None:
            self.flows = flows_of(run_batch(self.scenario, self.sample, draws=self.sample_draws), self.sample)
        return self.flows

    @property
    def sample_draws(self) -> int:
        """Draws each candidate is judged on: 1 in the base case."""
        return self.draws if self.sample else 1

    @property
    def allowed_short(self) -> int:
        """How many of those draws may fall short with the goal still met."""
        return 0 if self.level is None else math.floor(self.level * self.sample_draws + 1e-9)

    def short(self, scenario: Scenario, overrides: Overrides, steps: np.ndarray, draw: np.ndarray,
              replay: bool = False) -> np.ndarray:
        """Whether each row has a funding shortfall: row r runs grid step `steps[r]` in the sample's
        draw `draw[r]`. Rows run as draws of one batch (at most BATCH_LIMIT a call). With `replay`,
        candidates that change only funding amounts of the judge's own scenario are judged by
        replaying the cash roll-forward (the same answer, see `replay`), others by the engine."""
        rows = len(draw)
        if replay and scenario is self.scenario and rows:
            candidate = overrides(steps, {k: v[draw] for k, v in self.sample.items()})
            if set(candidate) <= FUNDING_PATHS:
                return replay_short(scenario, self.replay_flows(), candidate, draw)
        out = np.empty(rows, dtype=bool)
        for lo in range(0, rows, BATCH_LIMIT):
            hi = min(rows, lo + BATCH_LIMIT)
            sampled = {k: v[draw[lo:hi]] for k, v in self.sample.items()}
            over = {**sampled, **overrides(steps[lo:hi], sampled)}
            over = {k: np.broadcast_to(np.asarray(v, dtype=float), (hi - lo,)) for k, v in over.items()}
            out[lo:hi] = run_batch(scenario, over, draws=hi - lo).kpi_arrays["funding_shortfall"] > 0
        return out

    def step_shares(self, scenario: Scenario, overrides: Overrides, steps: np.ndarray) -> np.ndarray:
        """Share of the sample's draws with a funding shortfall at each grid step, in one batch."""
        steps, n = np.asarray(steps), self.sample_draws
        short = self.short(scenario, overrides, np.repeat(steps, n), np.tile(np.arange(n), len(steps)))
        return short.reshape(len(steps), n).mean(axis=1)

    def steps_ok(self, scenario: Scenario, overrides: Overrides, steps: np.ndarray) -> np.ndarray:
        """Whether each grid step meets the goal."""
        share = self.step_shares(scenario, overrides, steps)
        return share <= (0.0 if self.level is None else self.level + 1e-12)

    def shortfall_share(self, scenario: Scenario, candidates: dict[str, np.ndarray]) -> np.ndarray:
        """Share of draws with a funding shortfall for each candidate (0 or 1 in the base case)."""
        return self.step_shares(scenario, _fixed(candidates), np.arange(_count(candidates)))

    def ok(self, scenario: Scenario, candidates: dict[str, np.ndarray]) -> np.ndarray:
        """Whether each candidate (one value per path each) meets the goal."""
        return self.steps_ok(scenario, _fixed(candidates), np.arange(_count(candidates)))

    def furthest_step(self, scenario: Scenario, overrides: Overrides, last: int,
                      known: dict[int, np.ndarray] | None = None) -> int:
        """The furthest grid step (0..last) at which the goal holds, -1 if it fails at step 0.

        Each draw has its own last good step t (shortfall assumed monotone along the grid in
        each draw), so P(shortfall at k) is the share of draws with t < k and the answer is an
        order statistic of t. Each round narrows every draw's bracket [lo, hi-1] on t with a
        few steps per draw, all rows in one batch; draws whose bracket lies wholly on one side
        of the answer's bracket are settled (clipped to its edge, which keeps the order
        statistic) and leave the search. `known` maps a step to each draw's shortfall there
        (already run, by the Monte Carlo, say); the first round tries both ends of the grid
        where they are not known.
        """
        n, m = self.sample_draws, self.allowed_short
        lo, hi = np.full(n, -1), np.full(n, last + 1)
        for step, short in (known or {}).items():
            if 0 <= step <= last:
                hi, lo = np.where(short, np.minimum(hi, step), hi), np.where(short, lo, np.maximum(lo, step))
        first = True
        while True:
            a_lo, a_hi = np.sort(lo)[m], np.sort(hi - 1)[m]
            if a_lo >= a_hi:
                return int(a_lo)
            lo, hi = np.clip(lo, a_lo - 1, a_hi + 1), np.clip(hi - 1, a_lo - 1, a_hi + 1) + 1
            if first:        # both ends first: the answer is often at one of them
                lo, hi = self._ends(scenario, overrides, last, lo, hi)
                first = False
                continue
            active = np.flatnonzero(hi - lo > 1)
            lo[active], hi[active] = self._narrow(scenario, overrides, lo[active], hi[active], active)

    def _ends(self, scenario: Scenario, overrides: Overrides, last: int, lo: np.ndarray,
              hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Try step 0 and step `last` in every draw whose bracket leaves them open."""
        lo, hi = lo.copy(), hi.copy()
        for step in dict.fromkeys((0, last)):
            open_ = np.flatnonzero((lo < step) & (step < hi))
            if open_.size:
                short = self.short(scenario, overrides, np.full(open_.size, step), open_, replay=True)
                hi[open_] = np.where(short, step, hi[open_])
                lo[open_] = np.where(short, lo[open_], step)
        return lo, hi

    def replayable(self, scenario: Scenario, overrides: Overrides) -> bool:
        """Whether candidates can be judged by a funding replay: they change only funding amounts of
        the judge's own scenario."""
        if scenario is not self.scenario:
            return False
        return set(overrides(np.zeros(1, dtype=int), {k: v[:1] for k, v in self.sample.items()})) <= FUNDING_PATHS

    def confirm(self, scenario: Scenario, overrides: Overrides, k: int, last: int) -> tuple[bool, bool | None]:
        """The engine's check of an answer at step k: (goal met at k, goal missed at k + 1; None
        when k is the grid's end). Every draw is run at k. At k + 1 the goal is missed once more
        than the allowed draws fall short, so where a replay can name the draws that fall short
        there the engine runs just those (all of them if it finds too few short); otherwise both
        steps run in one batch."""
        n, m, everyone = self.sample_draws, self.allowed_short, np.arange(self.sample_draws)
        if k >= last:
            return int(self.short(scenario, overrides, np.full(n, k), everyone).sum()) <= m, None
        if n == 1 or not self.replayable(scenario, overrides):
            short = self.short(scenario, overrides, np.repeat([k, k + 1], n), np.tile(everyone, 2)).reshape(2, n)
            return int(short[0].sum()) <= m, int(short[1].sum()) > m
        holds = int(self.short(scenario, overrides, np.full(n, k), everyone).sum()) <= m
        beyond = np.full(n, k + 1)
        suspects = everyone[self.short(scenario, overrides, beyond, everyone, replay=True)]
        fails = int(self.short(scenario, overrides, beyond[:suspects.size], suspects).sum()) > m
        if not fails and suspects.size < n:
            fails = int(self.short(scenario, overrides, beyond, everyone).sum()) > m
        return holds, fails

    def _narrow(self, scenario: Scenario, overrides: Overrides, lo: np.ndarray, hi: np.ndarray,
                draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One round: try steps spread inside each draw's bracket; return the narrowed brackets."""
        points = int(np.clip(ROUND_ROWS // len(draws), 1, MAX_POINTS))
        k = lo[:, None] + (np.arange(1, points + 1)[None, :] * (hi - lo)[:, None]) // (points + 1)
        tried = k > np.concatenate([lo[:, None], k[:, :-1]], axis=1)   # drop repeats of a step
        short = np.zeros(k.shape, dtype=bool)
        short[tried] = self.short(scenario, overrides, k[tried], np.broadcast_to(draws[:, None], k.shape)[tried],
                                  replay=True)
        first_bad = np.where(tried & short, k, hi[:, None]).min(axis=1)
        last_good = np.where(tried & ~short & (k < first_bad[:, None]), k, lo[:, None]).max(axis=1)
        return last_good, first_bad


def _count(candidates: dict[str, np.ndarray]) -> int:
    return len(next(iter(candidates.values()))) if candidates else 1


def _fixed(candidates: dict[str, np.ndarray]) -> Overrides:
    """Candidates given as values: step i is every path's i-th value."""
    return lambda steps, _sampled: {k: np.asarray(v, dtype=float)[steps] for k, v in candidates.items()}


@dataclass
class Seek:
    """The furthest good step on a grid, checked by the engine there and one step further."""

    step: int                       # -1: even step 0 misses the goal
    holds: bool                     # engine at `step` meets the goal
    fails_beyond: bool | None       # engine at `step + 1` misses it (None: `step` is the grid's end)


def seek(judge: Judge, scenario: Scenario, overrides: Overrides, last: int,
         known: dict[int, np.ndarray] | None = None) -> Seek:
    """The furthest of steps 0..last that meets the goal, with the engine's checks at it and beyond it."""
    k = judge.furthest_step(scenario, overrides, last, known)
    if k < 0:
        return Seek(k, False, None)
    holds, fails = judge.confirm(scenario, overrides, k, last)
    return Seek(k, holds, fails)
