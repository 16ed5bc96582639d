"""Risk sheet: Monte Carlo and sensitivity results as labelled values (from `modeller risk --json`)."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.kpis_sheet import kpi_label
from modeller.export.layout import print_setup
from modeller.formatting import KPI_LABELS


def _fmt(key: str) -> str:
    if key in ("irr", "staff_cost_share", "probability_of_shortfall"):
        return S.RATE
    if key.endswith("_month"):
        return S.NUMBER
    if "wte" in key:
        return S.WTE
    return S.MONEY


def _put(ws, r: int, values: list, fmts: list[str | None]) -> None:
    for col, (v, fmt) in enumerate(zip(values, fmts, strict=True), start=1):
        cell = ws.cell(r, col)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            cell.value = v
            if fmt:
                cell.number_format = fmt
        else:
            S.text(cell, "" if v is None else str(v))


def write_risk(wb, risk: dict) -> None:
    ws = wb.create_sheet("Risk")
    S.text(ws.cell(1, 1), "Risk analysis (values from the modeller, not live formulas)").font = S.TITLE_FONT
    _put(ws, 3, ["Draws", risk.get("draws")], [None, S.UNITS])
    _put(ws, 4, ["Seed", risk.get("seed")], [None, "0"])
    _put(ws, 5, ["Probability of a funding shortfall", risk.get("probability_of_shortfall")], [None, S.RATE])
    r = 7
    _put(ws, r, ["KPI", "Mean", "P10", "P50", "P90"], [None] * 5)
    for key, stats in (risk.get("kpis") or {}).items():
        r += 1
        stats = stats or {}
        _put(ws, r, [kpi_label(key) if key in KPI_LABELS else key]
             + [stats.get(k) for k in ("mean", "p10", "p50", "p90")], [None] + [_fmt(key)] * 4)
    r += 2
    cols = ["parameter", "low", "high", "npv_low", "npv_high", "peak_funding_low", "peak_funding_high"]
    _put(ws, r, ["Tornado: parameter", "Low", "High", "NPV at low", "NPV at high", "Peak funding at low",
                 "Peak funding at high"], [None] * 7)
    for row in risk.get("tornado") or []:
        r += 1
        _put(ws, r, [row.get(k) for k in cols], [None, S.NUMBER, S.NUMBER] + [S.MONEY] * 4)
    r += 2
    _put(ws, r, ["Switching value: parameter", "Target", "Value"], [None] * 3)
    for row in risk.get("switching_values") or []:
        r += 1
        _put(ws, r, [row.get("parameter"), row.get("target"), row.get("value")], [None, None, S.NUMBER])
    commitment = risk.get("commitment") or {}
    if commitment:
        r += 2
        _put(ws, r, ["Commitment", ""], [None, None])
        for key, value in commitment.items():
            r += 1
            _put(ws, r, [key, value if not isinstance(value, (dict, list)) else str(value)], [None, S.NUMBER])
    for col, width in zip("ABCDEFG", (44, 16, 16, 16, 16, 18, 18), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=7):
        for cell in row:
            if cell.data_type == "s" and cell.value in ("KPI", "Tornado: parameter", "Switching value: parameter"):
                cell.font = S.HEADER_FONT
    print_setup(ws)
