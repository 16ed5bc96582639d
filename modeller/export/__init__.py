"""Excel export: a live, checkable workbook of a scenario (DESIGN §7)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from modeller.export.annual_sheet import write_annual
from modeller.export.calc_activity import write_activity
from modeller.export.calc_costs import write_costs
from modeller.export.calc_funding import write_funding
from modeller.export.calc_income import write_income
from modeller.export.calc_workforce import write_workforce
from modeller.export.charts_sheet import write_charts
from modeller.export.checks_sheet import write_checks
from modeller.export.cover_sheet import write_cover
from modeller.export.inputs_sheet import InputsSheet
from modeller.export.irr_sheet import write_irr_workings
from modeller.export.kpis_sheet import write_kpis
from modeller.export.layout import Sheet
from modeller.export.risk_sheet import write_risk
from modeller.export.scenario_inputs import write_inputs
from modeller.export.statements_sheet import write_statements
from modeller.export.timeline_sheet import write_timeline
from modeller.result import Result
from modeller.scenario import Scenario

# the order a board reads (and LibreOffice prints): summaries first, then the inputs, then the workings
BOARD_ORDER = ["Cover", "Annual", "KPIs", "Charts", "Risk", "Inputs", "Timeline", "Activity", "Workforce", "Costs",
               "Income", "Funding", "Statements", "IRR workings", "Checks"]
# searched for error cells by the integrity check (the Checks sheet itself, the Cover and Charts read them)
ERROR_SCANNED = ["Inputs", "Timeline", "Activity", "Workforce", "Costs", "Income", "Funding", "Statements", "Annual",
                 "KPIs"]


def build_workbook(scenario: Scenario, result: Result | None = None,
                   risk: dict | None = None) -> tuple[Workbook, dict[str, Sheet]]:
    """The workbook and its timeline sheets (whose `.rows` map line keys to row numbers)."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    inputs = InputsSheet(wb)
    write_inputs(inputs, scenario)
    t = write_timeline(wb, scenario.months)
    act = write_activity(wb, scenario, t)
    wf = write_workforce(wb, scenario, t, act)
    costs = write_costs(wb, scenario, t, act)
    inc = write_income(wb, scenario, t, act, costs)
    fund = write_funding(wb, scenario, t, inc, wf, costs)
    st = write_statements(wb, scenario, t, inc, wf, costs, fund)
    years = len(set((result.timeline if result else _timeline(scenario)).fy_labels))
    write_annual(wb, st, t, years)
    write_kpis(wb, st)
    write_irr_workings(wb, st)
    checks = write_checks(wb, scenario, t, st, {name: _used_range(wb[name]) for name in ERROR_SCANNED},
                          inputs_last_row=inputs.row - 1)
    write_charts(wb, scenario, st, inc, wf)
    risk_refs = write_risk(wb, risk, scenario) if risk else None
    write_cover(cover, scenario, risk_refs)
    _board_order(wb)
    sheets = {s.name: s for s in (t, act, wf, costs, inc, fund, st, checks)}
    return wb, sheets


def _used_range(ws) -> str:
    """The sheet's written cells as an absolute range, e.g. 'Income'!$A$1:$BL$120."""
    return f"'{ws.title}'!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"


def _board_order(wb: Workbook) -> None:
    """Sheets in BOARD_ORDER (formulas, names and charts refer to sheets by name, so order is free)."""
    for i, name in enumerate(n for n in BOARD_ORDER if n in wb.sheetnames):
        wb.move_sheet(name, i - wb.sheetnames.index(name))
    wb.active = 0


def _timeline(scenario: Scenario):
    from modeller.timeline import Timeline

    return Timeline(scenario.start, scenario.months)


def workbook_bytes(scenario: Scenario, result: Result | None = None, risk: dict | None = None) -> bytes:
    """The .xlsx file as bytes (for a download button)."""
    wb, _ = build_workbook(scenario, result, risk)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(scenario: Scenario, result: Result | None, path: str | Path, risk: dict | None = None) -> None:
    """Write the live workbook to `path`."""
    Path(path).write_bytes(workbook_bytes(scenario, result, risk))


__all__ = ["build_workbook", "workbook_bytes", "write_workbook"]
