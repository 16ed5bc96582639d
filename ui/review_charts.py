"""The Review page's charts: what each bid costs the commissioner by NHS year against the budget, and a bid's
cash by month under each stress test against its minimum. Colours and £ axes as `ui.charts`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from modeller.review.result import ReviewResult
from ui import fmt
from ui.charts import HEIGHT, PALETTE, SHORTFALL, money_axis

BUDGET = "Budget"


def affordability_frame(result: ReviewResult, names: list[str]) -> pd.DataFrame:
    """One row per reviewed bid and NHS year: paid (cash), optimism bias, budget, with tooltip text."""
    rows = []
    for bid, name in zip(result.bids, names, strict=True):
        if not bid.reviewed:
            continue
        for y in bid.cost.years:
            rows.append({"Bid": name, "NHS year": y.year, "paid": y.nominal, "Paid": fmt.money(y.nominal),
                         "Optimism bias": fmt.money(y.optimism_bias), "Budget": fmt.money(y.budget),
                         "Headroom": fmt.money(y.headroom)})
    return pd.DataFrame(rows, columns=["Bid", "NHS year", "paid", "Paid", "Optimism bias", "Budget", "Headroom"])


def affordability(result: ReviewResult, names: list[str]) -> alt.LayerChart:
    """Bars: what each bid costs the commissioner in each NHS year (cash); black line and points: the budget."""
    bars = affordability_frame(result, names)
    budget = pd.DataFrame([{"NHS year": year, "budget": result.review.budget[year], "Series": BUDGET,
                            "Budget": fmt.money(result.review.budget[year])}
                           for year in result.review.term.years() if year in result.review.budget])
    shown = list(dict.fromkeys(bars["Bid"]))
    colour = alt.Scale(domain=shown, range=[PALETTE[i % len(PALETTE)] for i in range(len(shown))])
    x = alt.X("NHS year:N", title="NHS year", axis=alt.Axis(labelAngle=0))
    chart = alt.Chart(bars).mark_bar().encode(
        x=x, xOffset=alt.XOffset("Bid:N", sort=shown), y=alt.Y("paid:Q", title="Paid by the commissioner (£)",
                                                               axis=money_axis("Paid by the commissioner (£)")),
        color=alt.Color("Bid:N", scale=colour, sort=shown, legend=alt.Legend(title=None, orient="bottom",
                                                                            labelLimit=400)),
        tooltip=["Bid:N", "NHS year:N", "Paid:N", "Optimism bias:N", "Budget:N", "Headroom:N"])
    if not budget.empty:
        line = alt.Chart(budget).mark_line(color="black", strokeWidth=2, point=alt.OverlayMarkDef(
            color="black", size=60)).encode(x=x, y="budget:Q", tooltip=["NHS year:N", "Budget:N"])
        chart = alt.layer(chart, line)
    return chart.properties(height=HEIGHT)


def stress_frame(series: dict[str, list[float]], start: str, minimum: float) -> pd.DataFrame:
    """Long rows (month, series, closing cash) for one bid's cash as bid and under each stress test."""
    rows = []
    for name, values in series.items():
        dates = pd.date_range(f"{start}-01", periods=len(values), freq="MS")
        rows.append(pd.DataFrame({"date": dates, "Month": [fmt.month_label(start, i) for i in range(len(values))],
                                  "Series": name, "cash": values, "Closing cash": [fmt.money(v) for v in values],
                                  "Minimum": fmt.money(minimum)}))
    return pd.concat(rows, ignore_index=True)


def stress_cash(series: dict[str, list[float]], start: str, minimum: float) -> alt.LayerChart:
    """Closing cash by month: the bid as it is (thick black) and under each stress test; dashed: its minimum."""
    data = stress_frame(series, start, minimum)
    names = list(series)
    # the bid as it is in black; the stresses in the other colours, none the minimum line's
    others = [c for c in PALETTE if c not in ("#000000", SHORTFALL)]
    colours = ["#000000"] + [others[i % len(others)] for i in range(len(names) - 1)]
    lines = alt.Chart(data).mark_line().encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=8)),
        y=alt.Y("cash:Q", axis=money_axis("Closing cash (£)")),
        color=alt.Color("Series:N", scale=alt.Scale(domain=names, range=colours), sort=names,
                        legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=330)),
        strokeWidth=alt.condition(alt.datum.Series == names[0], alt.value(3.5), alt.value(1.6)),
        tooltip=["Month:N", "Series:N", "Closing cash:N", "Minimum:N"])
    rule = alt.Chart(pd.DataFrame({"minimum": [minimum], "Minimum": [fmt.money(minimum)]})).mark_rule(
        color=SHORTFALL, strokeDash=[6, 4], strokeWidth=2).encode(y="minimum:Q", tooltip=["Minimum:N"])
    return alt.layer(lines, rule).properties(height=HEIGHT)
