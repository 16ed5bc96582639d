"""Per-draw inputs: a scenario's values, with some replaced by arrays of draws.

Engine modules ask for a value by its parameter path and get either the scenario's own
float or, where the batch overrides it, a `(draws, 1)` column that broadcasts across months.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from modeller.paths import PathError, get_number
from modeller.scenario import Scenario, month_number


class Inputs:
    """The scenario plus per-draw overrides keyed by parameter path."""

    def __init__(self, scenario: Scenario, overrides: Mapping[str, np.ndarray] | None = None,
                 draws: int | None = None):
        overrides = dict(overrides or {})
        sizes = {np.size(v) for v in overrides.values()}
        if len(sizes) > 1:
            raise ValueError(f"overrides must all have one length per draw; got lengths {sorted(sizes)}")
        self.draws = draws or (sizes.pop() if sizes else 1)
        self.scenario = scenario
        self._links = scenario.links          # read once: a pydantic private attribute is slow to reach
        self._start = month_number(scenario.start)
        self._months: dict[str, np.ndarray] = {}
        self._over: dict[str, np.ndarray] = {}
        for path, values in overrides.items():
            get_number(scenario, path)  # raises PathError naming the path if it is not numeric
            arr = np.asarray(values, dtype=float).reshape(-1)
            if arr.size not in (1, self.draws):
                raise ValueError(f"override '{path}' has {arr.size} values for {self.draws} draws")
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"override '{path}' contains NaN or infinity")
            self._over[path] = np.broadcast_to(arr, (self.draws,))

    def num(self, path: str, value: float | None):
        """The value at `path`: a float, or a (draws, 1) array where the batch overrides it."""
        if path in self._over:
            return self._over[path][:, None]
        return 0.0 if value is None else float(value)

    def whole(self, path: str, value: int) -> np.ndarray:
        """A whole-month value at `path`: a (draws,) int array where overridden (rounded), else shape (1,)."""
        if path in self._over:
            return np.rint(self._over[path]).astype(int)
        return np.array([int(value)])

    def month(self, path: str, value: str) -> np.ndarray:
        """The model month index (0 = the start) of the dated field at `path` (e.g. `costs.rent.from`,
        `contracts.msk.changes.0.from`) whose scenario value is `value`: a (draws,) int array where the
        date moves from draw to draw (a date linked to a contract whose start delay is drawn), else shape (1,)."""
        if path not in self._months:   # a field's month is asked for by several lines, and along link chains
            out = self._resolve(path, value)
            out.flags.writeable = False
            self._months[path] = out
        return self._months[path]

    def _resolve(self, path: str, value: str) -> np.ndarray:
        link = self._links.get(path)
        if link is None:
            return np.array([month_number(value) - self._start])
        contract = next(c for c in self.scenario.contracts if c.id == link.contract)
        anchor = contract.start if link.change is None else contract.changes[link.change].from_
        delay = self.whole(f"contracts.{contract.id}.start_delay_months", contract.start_delay_months)
        # a draw that moves a date before the first month (a start delay below the file's) counts it in month 0
        return np.maximum(self.month(link.anchor, anchor) + delay + link.months, 0)

    def overridden(self, prefix: str) -> bool:
        """Whether any override lies under a path prefix (e.g. 'activity.referrals')."""
        return any(p == prefix or p.startswith(prefix + ".") for p in self._over)


__all__ = ["Inputs", "PathError"]
