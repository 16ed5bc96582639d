"""Display formats for people: the one formatter per unit of `modeller.formatting`, plus short £ for chart axes.

Every £ amount, percentage, WTE and month the app shows is written by `modeller.formatting`, as the
workbook and the command line write it; this module only re-exports those formatters and adds the
two the app alone needs: `short_money` (chart axes, captions) and `month` (a month with its own
word for "never happens").
"""

from __future__ import annotations

from modeller.formatting import (
    MISSING,
    input_value,
    kpi_value,
    missing,
    money,
    month_label,
    pct,
    signed_money,
    unit_value,
    wte,
)

__all__ = ["MISSING", "input_value", "kpi_value", "missing", "money", "month", "month_label", "pct", "short_money",
           "signed_money", "unit_value", "wte"]


def short_money(x: float | None) -> str:
    """£1.2m / £350k for chart axes and captions."""
    if missing(x):
        return MISSING
    sign = "−" if x < 0 else ""
    x = abs(x)
    if x >= 1e6:
        return f"{sign}£{x / 1e6:,.1f}m"
    if x >= 1e3:
        return f"{sign}£{x / 1e3:,.0f}k"
    return f"{sign}£{x:,.0f}"


def month(start: str, index: int | None, never: str = "never") -> str:
    """Model month index -> "Apr 2025" (`modeller.formatting.month_label`); `never` when there is none."""
    return never if missing(index) else month_label(start, int(index))
