"""How figures are written, for every layer: money, months, inputs in their units, KPIs.

One formatter per unit. The app (`ui/fmt.py` re-exports these), the command line and the
workbook's text all write a £ amount, a percentage, a WTE or a month the same way, and a
missing figure (None or NaN) as "–".
"""

from __future__ import annotations

import math

from modeller.fields import field_of, unit_kind
from modeller.metrics import KPI_NAMES, KPIS, MONTH_KPIS
from modeller.paths import PathError
from modeller.scenario import month_number

MISSING = "–"
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def missing(x) -> bool:
    """Whether a figure is undefined: None, or NaN from the engine's arrays."""
    return x is None or (isinstance(x, float) and math.isnan(x))


def money(x: float | None) -> str:
    """£1,234,567 with negatives in brackets, as accountants write them; "–" when undefined."""
    if missing(x):
        return MISSING
    return f"(£{-x:,.0f})" if x < -0.5 else f"£{abs(x):,.0f}"   # -0.4 rounds to £0, not £-0


def signed_money(x: float | None) -> str:
    """A difference: +£1,234 or −£1,234."""
    if missing(x):
        return MISSING
    if abs(x) < 0.5:
        return "£0"
    return f"+£{x:,.0f}" if x > 0 else f"−£{-x:,.0f}"


def pct(x: float | None, digits: int = 1) -> str:
    return MISSING if missing(x) else f"{x:.{digits}%}"


def wte(x: float | None) -> str:
    return MISSING if missing(x) else f"{x:,.1f} WTE"


def month_label(start: str, index: int | None) -> str:
    """Model month index -> "Apr 2025" (index 0 is the model's start); "never" for none."""
    if missing(index):
        return "never"
    n = month_number(start) + int(index)
    return f"{_MONTHS[n % 12]} {n // 12}"


def unit_value(value: float, unit: str) -> str:
    """A number in its unit: "£2,014,111" ("£8.47" for pence), "7.05%", "2 months", "18.5 WTE", "3,784".

    `unit` is a schema unit ("£ a year", "% a year", ...) or its kind ("£", "%", "months", "WTE")."""
    if missing(value):
        return MISSING
    kind = unit_kind(unit)
    if kind == "£":
        return f"£{value:,.2f}" if 0 < value < 100 and value != round(value) else money(value)
    if kind == "%":
        return f"{value:.2%}"
    if kind == "months":
        return f"{value:,.0f} month" + ("" if round(value) == 1 else "s")
    if kind == "WTE":
        return f"{value:,.1f} WTE"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


# plain-number units read with what they count: "4,461 a month", "3.5 years"
_COUNTED = {"units a month": "a month", "people": "people", "years": "years",
            "units per WTE a month": "a month per WTE"}


def input_value(path: str, value: float | None) -> str:
    """An input's value in its schema unit: "£8.47", "7.05%", "2 months", "4,461 a month";
    "none in range" for None (no switching value in the range tried)."""
    if value is None:
        return "none in range"
    try:
        unit = field_of(path).unit
    except PathError:
        unit = "number"
    text, counted = unit_value(value, unit), _COUNTED.get(unit)
    return f"{text} {counted}" if counted else text


def kpi_value(name: str, value, start: str) -> str:
    """A KPI in its unit (from `metrics.KPIS`): "£1,234", "12.3%", "18.5 WTE", "Apr 2025"; a month
    KPI that never happens is "never", any other missing figure "–"."""
    unit = KPIS[name].unit
    if unit == "month":
        return month_label(start, None if missing(value) else round(value))
    if unit == "%":
        return pct(value)
    if unit == "WTE":
        return wte(value)
    return money(value)


def kpi_change(name: str, base, value, base_start: str, start: str):
    """`value` minus `base` (None if either is); a month KPI in calendar months, each counted from
    its own scenario's start (month 0 from 2015-04 against month 0 from 2026-04 is +132)."""
    if base is None or value is None:
        return None
    if name in MONTH_KPIS:
        return (month_number(start) + int(value)) - (month_number(base_start) + int(base))
    return value - base + 0.0  # + 0.0: never -0.0


def kpi_table(results: dict[str, dict], starts: dict[str, str], differences: bool = False) -> str:
    """KPIs of one or more scenarios in columns; with `differences`, each later column vs the first.

    `starts` gives each scenario's first month, so month KPIs read as that scenario's dates and
    month differences count calendar months (Apr 2015 against Apr 2026 is +132 months)."""
    names = list(results)
    rows = [["KPI", *names]]
    for k in KPI_NAMES:
        row = [KPIS[k].label, *(kpi_value(k, results[n][k], starts[n]) for n in names)]
        if differences and len(names) > 1:
            base = results[names[0]][k]
            for n in names[1:]:
                v = results[n][k]
                if base is None or v is None:
                    row.append("-")
                elif k in MONTH_KPIS:
                    d = kpi_change(k, base, v, starts[names[0]], starts[n])
                    row.append("same month" if d == 0 else f"{d:+d} months")
                elif KPIS[k].unit == "%":
                    row.append(f"{(v - base) * 100:+.1f} pts")
                elif KPIS[k].unit == "WTE":
                    row.append(f"{v - base:+,.1f} WTE")
                else:
                    row.append(("+" if v - base >= 0 else "") + money(v - base))
        rows.append(row)
    if differences and len(names) > 1:
        rows[0] += [f"{n} vs {names[0]}" for n in names[1:]]
    return _grid(rows)


def years_table(years: list[dict]) -> str:
    rows = [["NHS year", "Income", "Pay", "Non-pay", "EBITDA", "Profit after tax", "Closing cash", "WTE at year end"]]
    for y in years:
        rows.append([y["year"], *(money(y[k]) for k in ("income", "pay", "non_pay", "ebitda",
                                                        "profit_after_tax", "closing_cash")),
                     f"{y['wte_at_year_end']:,.1f}"])
    return _grid(rows)


def _grid(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for j, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)

