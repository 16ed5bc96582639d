"""Demand streams: units a month, growing and seasonal (DESIGN §3 `activity`)."""

from __future__ import annotations

import numpy as np

from modeller.inputs import Inputs
from modeller.timeline import Timeline, rows


def units(inp: Inputs, tl: Timeline, expected: bool = False) -> dict[str, np.ndarray]:
    """Units per month for each stream, (draws, months).

    `units_m = per_month * (1+g)^((m - from)/12) * seasonality[calendar month]` between the
    stream's `from` and `to` (month 0 and the last month when not given). With `expected`,
    the scenario's own values are used, ignoring the batch's draws: staff are hired to the
    plan, not to the demand that turns up.
    """
    out = {}
    for a in inp.scenario.activity:
        base = f"activity.{a.id}"
        per_month = a.per_month if expected else inp.num(f"{base}.per_month", a.per_month)
        growth = a.annual_growth if expected else inp.num(f"{base}.annual_growth", a.annual_growth)
        season = np.ones(12) if a.seasonality is None else np.asarray(a.seasonality, dtype=float)
        # dates move with a contract they are linked to, in the plan as in the demand that turns up
        first = 0 if a.from_ is None else inp.month(f"{base}.from", a.from_)[:, None]
        last = tl.months - 1 if a.to is None else inp.month(f"{base}.to", a.to)[:, None]
        since = tl.m[None, :] - first                          # growth runs from the stream's first month
        live = (since >= 0) & (tl.m[None, :] <= last)
        # exp(log1p(g) * t) is (1+g)^t, several times faster than a power over all draws
        series = per_month * np.exp(np.log1p(np.asarray(growth, float)) * (since / 12.0)) * season[tl.calendar_month - 1]
        out[a.id] = rows(series * live, tl.months)
    return out
