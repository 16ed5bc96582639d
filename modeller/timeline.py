"""The model's monthly timeline: month index, NHS financial years (April-March), indexation, timing shifts.

Month m runs 0..months-1. `fy[m]` counts the 1 Aprils passed since month 0, so month 0 is
always in index year 0 and prices rise from each later April (DESIGN §4).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from modeller.scenario import month_number


@dataclass(frozen=True)
class Timeline:
    start: str
    months: int

    @cached_property
    def m(self) -> np.ndarray:
        """Month indices 0..months-1."""
        return np.arange(self.months)

    @cached_property
    def calendar_month(self) -> np.ndarray:
        """1..12 for each model month."""
        return (month_number(self.start) + self.m) % 12 + 1

    @cached_property
    def calendar_year(self) -> np.ndarray:
        return (month_number(self.start) + self.m) // 12

    @cached_property
    def fy(self) -> np.ndarray:
        """Index years: 1 Aprils passed since month 0 (month 0 itself never counts)."""
        april = (self.calendar_month == 4) & (self.m > 0)
        return np.cumsum(april)

    @cached_property
    def fy_start_year(self) -> np.ndarray:
        """Calendar year in which each month's NHS financial year starts."""
        return np.where(self.calendar_month >= 4, self.calendar_year, self.calendar_year - 1)

    @cached_property
    def fy_labels(self) -> list[str]:
        """NHS financial years in the model, in order: "2025/26", ..."""
        years = sorted(set(self.fy_start_year.tolist()))
        return [f"{y}/{(y + 1) % 100:02d}" for y in years]

    @cached_property
    def fy_number(self) -> np.ndarray:
        """0-based position of each month's NHS financial year among fy_labels."""
        return self.fy_start_year - self.fy_start_year[0]

    @cached_property
    def year_end(self) -> np.ndarray:
        """True in the last model month of each financial year (March, or the model's last month)."""
        end = self.calendar_month == 3
        end[-1] = True
        return end

    @cached_property
    def march_index(self) -> np.ndarray:
        """For each financial year, the month index of the 31 March that ends it (may lie past the horizon)."""
        first = self.fy_start_year[0]
        years = np.arange(len(self.fy_labels)) + first
        return (years + 1) * 12 + 2 - month_number(self.start)

    @cached_property
    def dates(self) -> pd.DatetimeIndex:
        """First day of each model month."""
        return pd.date_range(f"{self.start}-01", periods=self.months, freq="MS")

    def index(self, month: str | None) -> int:
        """Model month index of a "YYYY-MM" string; negative before the start, may exceed the horizon."""
        return month_number(month) - month_number(self.start)

    def clamp(self, month: str) -> int:
        """Index of a dated event; events dated before the start happen in month 0."""
        return max(0, self.index(month))

    def growth(self, rate) -> np.ndarray:
        """(1+rate)^(m/12): continuous monthly growth from month 0; rate may be (draws, 1)."""
        return np.exp(np.log1p(np.asarray(rate, dtype=float)) * (self.m / 12.0))

    def index_factor(self, rate) -> np.ndarray:
        """(1+rate)^fy(m): indexation from each later 1 April; rate may be (draws, 1)."""
        return np.exp(np.log1p(np.asarray(rate, dtype=float)) * self.fy)


def rows(x, months: int) -> np.ndarray:
    """A value as a 2-D series: (1, months) where it is the same in every draw, else (draws, months).

    Keeping draw-independent series as one row lets numpy broadcast instead of repeating
    work (and memory) for every draw.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim < 2:
        x = x.reshape(1, -1)
    return np.broadcast_to(x, (x.shape[0], months)) if x.shape[1] != months else x


def delay(x: np.ndarray, lag) -> np.ndarray:
    """Move each month's amount `lag` months later (negative: earlier).

    Amounts that would fall before month 0 fall in month 0; those beyond the horizon drop
    out (they stay on the balance sheet). `lag` is an int or a (draws,) int array. A single
    lag keeps x's shape (a (1, months) row stays one row); differing lags are handled one
    slice per distinct lag value, never one per draw.
    """
    x = np.atleast_2d(np.asarray(x, dtype=float))
    lags = np.unique(np.asarray(lag, dtype=int))
    if lags.size == 1:
        return _shift(x, int(lags[0]))
    lag = np.broadcast_to(np.asarray(lag, dtype=int).reshape(-1), (max(x.shape[0], np.size(lag)),))
    x = np.broadcast_to(x, (lag.size, x.shape[1]))
    out = np.empty(x.shape)
    for shift in lags:
        rows = lag == shift
        out[rows] = _shift(x[rows], int(shift))
    return out


def _shift(x: np.ndarray, shift: int) -> np.ndarray:
    months = x.shape[1]
    out = np.zeros(x.shape)
    if shift >= 0:
        if shift < months:
            out[:, shift:] = x[:, : months - shift]
    else:
        early = min(-shift + 1, months)
        out[:, 0] = x[:, :early].sum(axis=1)
        if -shift < months - 1:
            out[:, 1 : months + shift] = x[:, 1 - shift :]
    return out


def step_mask(tl: Timeline, start_index) -> np.ndarray:
    """(draws or 1, months) True from `start_index` on; start_index an int or (draws,) array."""
    return tl.m[None, :] >= np.asarray(start_index).reshape(-1, 1)


def year_sums(x: np.ndarray, tl: Timeline) -> np.ndarray:
    """(draws, years) totals of a (draws, months) series by NHS financial year."""
    years = len(tl.fy_labels)
    out = np.zeros((x.shape[0], years))
    for y in range(years):
        out[:, y] = x[:, tl.fy_number == y].sum(axis=1)
    return out


def at_year_ends(per_year: np.ndarray, tl: Timeline) -> np.ndarray:
    """Place (draws, years) values in each year's last model month of a (draws, months) series."""
    out = np.zeros((per_year.shape[0], tl.months))
    ends = np.flatnonzero(tl.year_end)
    out[:, ends] = per_year[:, tl.fy_number[ends]]
    return out
