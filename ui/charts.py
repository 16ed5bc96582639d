"""Altair charts of a Result: colour-blind-safe (Okabe-Ito) colours, £ tooltips, months as dates."""

from __future__ import annotations

import altair as alt
import pandas as pd

from modeller.result import Result
from ui import fmt

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SHORTFALL = "#D55E00"
HEIGHT = 300
_MONEY_LABEL = ("(datum.value < 0 ? '−£' : '£') + replace(format(abs(datum.value), '~s'), 'M', 'm')")


def money_axis(title: str | None = None) -> alt.Axis:
    """£ axis labels in short form: £250k, £1.5m, −£2m."""
    return alt.Axis(format="~s", labelExpr=_MONEY_LABEL, title=title)


_MONEY_AXIS = money_axis()
_DATE_AXIS = alt.Axis(format="%b %Y", title=None, labelAngle=0, tickCount=8)
_LINE_LEGEND = alt.Legend(symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=300)
_PADDING = {"left": 5, "top": 5, "right": 24, "bottom": 5}  # room for the last month label at the right edge


def _scale(names) -> alt.Scale:
    names = list(dict.fromkeys(names))
    return alt.Scale(domain=names, range=[PALETTE[i % len(PALETTE)] for i in range(len(names))])


def long_frame(wide: pd.DataFrame, start: str, unit: str = "money") -> pd.DataFrame:
    """Monthly wide frame (index dates, one column per series) -> long rows with tooltip text."""
    months = [fmt.month(start, i) for i in range(len(wide.index))]
    rows = []
    for name in wide.columns:
        values = wide[name].tolist()
        text = [fmt.money(v) if unit == "money" else f"{v:,.1f}" for v in values]
        rows.append(pd.DataFrame({"date": wide.index, "Month": months, "series": name, "value": values,
                                  "Amount": text}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["date", "Month", "series", "value", "Amount"])


def _tooltip(label: str = "Amount") -> list:
    return [alt.Tooltip("Month:N"), alt.Tooltip("series:N", title="Series"), alt.Tooltip(f"{label}:N")]


def _finish(chart: alt.Chart, height: int = HEIGHT, columns: int = 2, label_limit: int = 330) -> alt.Chart:
    """Legend below the chart in `columns` columns, so long names wrap instead of being cut off.

    Charts in half a page take `columns=1`: two columns of long role names do not fit there.
    """
    return chart.properties(height=height, padding=_PADDING).configure_legend(
        orient="bottom", title=None, labelLimit=label_limit, columns=columns, symbolType="square")


def lines(wide: pd.DataFrame, start: str, unit: str = "money", dashed: tuple[str, ...] = (),
          height: int = HEIGHT) -> alt.Chart:
    """One line per column; `dashed` columns are reference levels."""
    data = long_frame(wide, start, unit)
    names = list(wide.columns)
    y_axis = _MONEY_AXIS if unit == "money" else alt.Axis(title=unit)
    return alt.Chart(data).mark_line(interpolate="step-after").encode(
        x=alt.X("date:T", axis=_DATE_AXIS),
        y=alt.Y("value:Q", axis=y_axis),
        # one legend for colour and dash together, drawn as short lines (a legend=None on either hides both)
        color=alt.Color("series:N", scale=_scale(names), sort=names, legend=_LINE_LEGEND),
        strokeDash=alt.StrokeDash("series:N", sort=names, legend=_LINE_LEGEND, scale=alt.Scale(
            domain=names, range=[[6, 4] if n in dashed else [1, 0] for n in names])),
        tooltip=_tooltip(),
    ).properties(height=height)


def stacked(wide: pd.DataFrame, start: str, unit: str = "money", height: int = HEIGHT) -> alt.Chart:
    """Stacked areas, one per column (income by contract, WTE by role)."""
    data = long_frame(wide, start, unit)
    names = list(wide.columns)
    data["order"] = data["series"].map({n: i for i, n in enumerate(names)})
    y_axis = _MONEY_AXIS if unit == "money" else alt.Axis(title=unit)
    return alt.Chart(data).mark_area(interpolate="step-after", opacity=0.85).encode(
        x=alt.X("date:T", axis=_DATE_AXIS),
        y=alt.Y("value:Q", stack="zero", axis=y_axis),
        color=alt.Color("series:N", scale=_scale(names), sort=names),
        order=alt.Order("order:Q"),
        tooltip=_tooltip(),
    ).properties(height=height)


def income_by_contract(result: Result) -> alt.Chart:
    wide = result.by_id("contracts", "income")
    wide.columns = [c.name for c in result.scenario.contracts]
    return _finish(stacked(wide, result.scenario.start), height=_with_legend(wide), columns=1)


def _with_legend(wide: pd.DataFrame) -> int:
    """Height for a chart whose one-column legend sits below it: the plot keeps its size."""
    return HEIGHT + 17 * len(wide.columns)


def wte_by_role(result: Result) -> alt.Chart:
    """WTE in post by role, with agency cover for all roles stacked on top."""
    wf = result.workforce()
    names = {r.id: r.name for r in result.scenario.workforce.roles}
    wide = pd.DataFrame({names[r]: wf[("in_post_wte", r)] for r in names}, index=wf.index)
    wide["Agency cover (all roles)"] = result.lines["wte_agency"][0]
    return _finish(stacked(wide, result.scenario.start, unit="WTE"), height=_with_legend(wide), columns=1)


def role_staffing(result: Result, role_id: str) -> alt.Chart:
    """One role: in post and agency cover stacked, target as a dashed line."""
    wf = result.workforce()
    start = result.scenario.start
    area = stacked(pd.DataFrame({"In post": wf[("in_post_wte", role_id)],
                                 "Agency cover": wf[("agency_wte", role_id)]}), start, unit="WTE")
    target = lines(pd.DataFrame({"Target": wf[("target_wte", role_id)]}), start, unit="WTE")
    target = target.encode(color=alt.value("#000000"), strokeDash=alt.value([6, 4]))
    return _finish(alt.layer(area, target))


def hires_and_leavers(result: Result, role_id: str | None) -> alt.Chart:
    """New posts filled (up) and leavers (down) each month, for one role or all."""
    wf = result.workforce()
    pick = (lambda m: wf[m].sum(axis=1)) if role_id is None else (lambda m: wf[(m, role_id)])
    wide = pd.DataFrame({"New posts": pick("hires_wte"), "Leavers": -pick("leavers_wte")})
    data = long_frame(wide, result.scenario.start, unit="WTE")
    data = data[data["value"].abs() > 1e-9]
    return _finish(alt.Chart(data).mark_bar().encode(
        x=alt.X("date:T", axis=_DATE_AXIS), y=alt.Y("value:Q", title="WTE"),
        color=alt.Color("series:N", scale=_scale(["New posts", "Leavers"])), tooltip=_tooltip(),
    ).properties(height=240))


def recruitment_timeline(rows: pd.DataFrame) -> alt.Chart:
    """One row per role, full name: a bar for each step up, from when recruiting must start to when
    the posts are needed (the step itself in the tooltip)."""
    names = list(dict.fromkeys(rows["Role"]))
    return _finish(alt.Chart(rows).mark_bar(height=16).encode(
        x=alt.X("recruit_date:T", axis=_DATE_AXIS), x2="step_date:T",
        y=alt.Y("Role:N", sort=names, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=12)),
        color=alt.Color("Role:N", scale=_scale(names), legend=None),
        tooltip=["Role:N", "Step:N", "Start recruiting:N", "Posts needed from:N", "Lead time:N"],
    ), height=max(120, 30 * len(names)))


def overlay(results: dict[str, Result], line: str, unit: str = "money", columns: int = 2) -> alt.Chart:
    """One line per scenario of the same engine line (closing cash, income, WTE)."""
    frames = []
    same_start = len({r.scenario.start for r in results.values()}) == 1
    for name, r in results.items():
        one = long_frame(pd.DataFrame({name: r.lines[line][0]}, index=r.timeline.dates), r.scenario.start, unit)
        one["month_number"] = range(1, len(one) + 1)
        frames.append(one)
    data = pd.concat(frames, ignore_index=True)
    names = list(results)
    y_axis = _MONEY_AXIS if unit == "money" else alt.Axis(title=unit)
    # bids starting in different years are compared month by month from their own start
    x = alt.X("date:T", axis=_DATE_AXIS) if same_start else alt.X(
        "month_number:Q", title="Month of the plan", axis=alt.Axis(tickMinStep=12))
    return _finish(alt.Chart(data).mark_line(interpolate="step-after").encode(
        x=x, y=alt.Y("value:Q", axis=y_axis),
        color=alt.Color("series:N", scale=_scale(names), sort=names), tooltip=_tooltip(),
    ).properties(height=280), columns=columns)
