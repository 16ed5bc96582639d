"""Activity sheet: units a month for each demand stream."""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import Sheet, new_sheet
from modeller.export.timeline_sheet import tref
from modeller.scenario import Scenario


def write_activity(wb, sc: Scenario, t: Sheet) -> Sheet:
    """units = per month x (1+growth)^((month - from)/12) x seasonality, between from and to."""
    s = new_sheet(wb, "Activity", sc.months, t, "demand streams (units a month)")
    s.section("Units a month")
    for a in sc.activity:
        b = n(f"activity.{a.id}")
        s.row(f"units.{a.id}", f"{a.id}: units", "units",
              f"IF(AND({{c}}$2>={b}_from_m,{{c}}$2<={b}_to_m),"
              f"{b}_per_month*(1+{b}_annual_growth)^(({{c}}$2-{b}_from_m)/12)"
              f"*INDEX({b}_seasonality,{tref(t, 'cal_month')}),0)",
              S.UNITS)
    return s


def units_ref(activity: Sheet, stream: str) -> str:
    """This month's units of a stream, from another sheet."""
    return activity.ref(f"units.{stream}")
