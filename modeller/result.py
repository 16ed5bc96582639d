"""The engine's output: every line item for every draw, with tables for one draw at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from modeller.metrics import KPI_NAMES, MONTH_KPIS
from modeller.scenario import Scenario
from modeller.statements import BALANCE_LINES, CASH_LINES, PNL_LINES, TOLERANCE
from modeller.timeline import Timeline

WORKFORCE_LINES = ["wte_target", "wte_in_post", "wte_agency", "wte_total", "exit_cost"]
# Lines that are a level at a moment, not a flow over the month: a year shows its last month.
POINT_IN_TIME = set(BALANCE_LINES) | set(WORKFORCE_LINES) | {
    "closing_cash", "loan_balance", "facility_balance", "cumulative_pre_financing_cf"}
YEAR_FIELDS = ["income", "pay", "non_pay", "ebitda", "profit_after_tax"]


def _plain(name: str, value: float):
    """A KPI value for JSON: None for NaN, int for month indices."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if name in MONTH_KPIS else float(value)


@dataclass
class Result:
    """Monthly line items `lines[name]` and `kpi_arrays[name]` for all draws.

    `detail` keeps each module's own series by id: contracts (ContractLines), roles
    (RoleLines), costs (CostLines), capex, loans, activity (units).
    """

    scenario: Scenario
    timeline: Timeline
    draws: int
    lines: dict[str, np.ndarray]
    detail: dict = field(repr=False)
    kpi_arrays: dict[str, np.ndarray] = field(repr=False)

    def kpis(self, draw: int = 0) -> dict:
        """KPIs of one draw as plain Python values (None where undefined), in DESIGN §5 order."""
        return {k: _plain(k, float(self.kpi_arrays[k][draw])) for k in KPI_NAMES}

    def table(self, names: list[str], draw: int = 0) -> pd.DataFrame:
        """Monthly lines of one draw: rows are months (first day of each), columns the lines."""
        return pd.DataFrame({n: self.lines[n][draw] for n in names}, index=self.timeline.dates)

    def pnl(self, draw: int = 0) -> pd.DataFrame:
        return self.table(PNL_LINES, draw)

    def cash_flow(self, draw: int = 0) -> pd.DataFrame:
        return self.table(CASH_LINES, draw)

    def balance_sheet(self, draw: int = 0) -> pd.DataFrame:
        return self.table(BALANCE_LINES, draw)

    def workforce(self, draw: int = 0) -> pd.DataFrame:
        """WTE and pay by role: columns are (measure, role id)."""
        roles = self.detail["roles"]
        measures = ["target_wte", "in_post_wte", "agency_wte", "hires_wte", "leavers_wte", "staff_cost",
                    "agency_cost", "recruitment_cost", "exit_cost"]
        data = {(m, rid): getattr(r, m)[draw] for m in measures for rid, r in roles.items()}
        return pd.DataFrame(data, index=self.timeline.dates)

    def by_id(self, section: str, attribute: str, draw: int = 0) -> pd.DataFrame:
        """One series per item of a section, e.g. by_id("contracts", "income")."""
        items = self.detail[section]
        return pd.DataFrame({k: getattr(v, attribute)[draw] for k, v in items.items()}, index=self.timeline.dates)

    def financial_years(self, draw: int = 0) -> list[dict]:
        """One entry per NHS financial year (a year cut by the horizon covers only its months in it)."""
        tl, out = self.timeline, []
        for y, label in enumerate(tl.fy_labels):
            months = np.flatnonzero(tl.fy_number == y)
            row = {"year": label}
            row.update({f: float(self.lines[f][draw, months].sum()) for f in YEAR_FIELDS})
            row["closing_cash"] = float(self.lines["closing_cash"][draw, months[-1]])
            row["wte_at_year_end"] = float(self.lines["wte_total"][draw, months[-1]])
            out.append(row)
        return out

    def by_year(self, names: list[str], draw: int = 0) -> pd.DataFrame:
        """Lines by NHS financial year: flows summed; balances (and closing cash, WTE) at each
        year's last month; opening cash at its first. Rows are years ("2025/26")."""
        tl = self.timeline
        firsts = [int(np.flatnonzero(tl.fy_number == y)[0]) for y in range(len(tl.fy_labels))]
        lasts = [int(np.flatnonzero(tl.fy_number == y)[-1]) for y in range(len(tl.fy_labels))]
        data = {}
        for n in names:
            series = self.lines[n][draw]
            if n in POINT_IN_TIME:
                data[n] = series[lasts]
            elif n == "opening_cash":
                data[n] = series[firsts]
            else:
                data[n] = np.array([series[tl.fy_number == y].sum() for y in range(len(tl.fy_labels))])
        return pd.DataFrame(data, index=tl.fy_labels)

    def first_payment_month(self, draw: int = 0) -> int | None:
        """The first month anything is paid out (staff, suppliers, equipment), None if nothing ever is.

        With `kpis()["first_receipt_month"]` and `committed_before_first_receipt`, it says from
        when to when money goes out before any comes in."""
        paid = -(self.lines["staff_payments"][draw] + self.lines["supplier_payments"][draw]
                 + self.lines["capex_paid"][draw])
        months = np.flatnonzero(paid > TOLERANCE)
        return int(months[0]) if months.size else None

    def yearly(self, draw: int = 0) -> pd.DataFrame:
        return pd.DataFrame(self.financial_years(draw)).set_index("year")
