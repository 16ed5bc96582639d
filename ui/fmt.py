"""Display formats for people: £ with thousands separators, months as "Apr 2025", NHS years as "2025/26"."""

from __future__ import annotations

import math

from modeller.formatting import month_label

__all__ = ["money", "month", "pct", "wte", "short_money", "signed_money", "month_label"]


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def money(x: float | None) -> str:
    """£1,234,567; negatives in brackets, as accountants write them; "–" when undefined."""
    if _missing(x):
        return "–"
    return f"(£{-x:,.0f})" if x < -0.5 else f"£{abs(x):,.0f}"


def signed_money(x: float | None) -> str:
    """A difference: +£1,234 or −£1,234."""
    if _missing(x):
        return "–"
    if abs(x) < 0.5:
        return "£0"
    return f"+£{x:,.0f}" if x > 0 else f"−£{-x:,.0f}"


def short_money(x: float | None) -> str:
    """£1.2m / £350k for chart axes and captions."""
    if _missing(x):
        return "–"
    sign = "−" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:,.1f}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:,.0f}k"
    return f"{sign}£{x:,.0f}"


def month(start: str, index: int | None, never: str = "never") -> str:
    """Model month index -> "Apr 2025"."""
    return never if _missing(index) else month_label(start, int(index))


def pct(x: float | None, digits: int = 1) -> str:
    return "–" if _missing(x) else f"{x:.{digits}%}"


def wte(x: float | None) -> str:
    return "–" if _missing(x) else f"{x:,.1f} WTE"

