"""Plain-text formatting of money, months and KPI tables for the command line."""

from __future__ import annotations

from modeller.metrics import KPI_NAMES, MONTH_KPIS
from modeller.paths import input_unit
from modeller.scenario import month_number

KPI_LABELS = {
    "total_income": "Total income",
    "total_ebitda": "Total EBITDA",
    "total_profit_after_tax": "Total profit after tax",
    "peak_funding_requirement": "Peak funding requirement",
    "peak_funding_month": "  ... reached in",
    "lowest_cash": "Lowest cash",
    "lowest_cash_month": "  ... in",
    "funding_shortfall": "Funding shortfall",
    "funding_shortfall_month": "  ... first below minimum in",
    "peak_facility_drawn": "Peak facility drawn",
    "first_receipt_month": "First contract receipt",
    "committed_before_first_receipt": "Paid out before first receipt",
    "peak_exit_cost": "Peak cost to walk away",
    "peak_exit_cost_month": "  ... in",
    "ebitda_breakeven_month": "EBITDA break-even from",
    "payback_month": "Payback from",
    "npv": "NPV (pre-financing)",
    "irr": "IRR (annual)",
    "peak_wte": "Peak WTE (incl. agency)",
    "final_wte": "Final WTE (incl. agency)",
    "staff_cost_share": "Staff cost / income",
}
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def money(x: float | None) -> str:
    """£1,234,567 with negatives in brackets; "-" for none."""
    if x is None:
        return "-"
    return f"(£{-x:,.0f})" if x < -0.5 else f"£{abs(x):,.0f}"   # -0.4 rounds to £0, not £-0


def month_label(start: str, index: int | None) -> str:
    """Model month index -> "Apr 2025" (index 0 is the model's start)."""
    if index is None:
        return "never"
    n = month_number(start) + int(index)
    return f"{_MONTHS[n % 12]} {n // 12}"


def unit_value(value: float, unit: str) -> str:
    """A number in its unit: "£2,014,111" ("£8.47" for pence), "7.05%", "2 months", "18.5 WTE", "3,784"."""
    if unit == "£":
        return f"£{value:,.2f}" if 0 < value < 100 and value != round(value) else money(value)
    if unit == "%":
        return f"{value:.2%}"
    if unit == "months":
        return f"{value:,.0f} month" + ("" if round(value) == 1 else "s")
    if unit == "WTE":
        return f"{value:,.1f} WTE"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


# Plain-number inputs read with what they count (the unit of the rest comes from `input_unit`).
_COUNTED = {"per_month": "a month", "population": "people", "wte": "WTE", "life_years": "years",
            "units_per_wte_month": "a month per WTE"}


def input_value(path: str, value: float | None) -> str:
    """An input's value in its unit (read from its path): "£8.47", "7.05%", "2 months",
    "4,461 a month"; "none in range" for None (no switching value in the range tried)."""
    if value is None:
        return "none in range"
    text, counted = unit_value(value, input_unit(path)), _COUNTED.get(path.rsplit(".", 1)[-1])
    return f"{text} {counted}" if counted and input_unit(path) == "" else text


def kpi_value(name: str, value, start: str) -> str:
    if name in MONTH_KPIS:
        return month_label(start, value)
    if value is None:
        return "-"
    if name == "irr" or name == "staff_cost_share":
        return f"{value:.1%}"
    if name in ("peak_wte", "final_wte"):
        return f"{value:,.1f} WTE"
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
        row = [KPI_LABELS[k], *(kpi_value(k, results[n][k], starts[n]) for n in names)]
        if differences and len(names) > 1:
            base = results[names[0]][k]
            for n in names[1:]:
                v = results[n][k]
                if base is None or v is None:
                    row.append("-")
                elif k in MONTH_KPIS:
                    d = kpi_change(k, base, v, starts[names[0]], starts[n])
                    row.append("same month" if d == 0 else f"{d:+d} months")
                elif k in ("irr", "staff_cost_share"):
                    row.append(f"{(v - base) * 100:+.1f} pts")
                elif k in ("peak_wte", "final_wte"):
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
