"""Cash and commitment: how far ahead of the money a founder commits, as charts and cards."""

from __future__ import annotations

import altair as alt
import pandas as pd

from modeller.result import Result
from modeller.statements import BALANCE_LINES
from ui import before_receipt, charts, fmt
from ui.kpis import Card, kpi_card
from ui.tables import LABELS


def commitment_cards(result: Result) -> list[Card]:
    k, start = result.kpis(), result.scenario.start
    return [
        kpi_card(result, "first_receipt_month", "The first month a commissioner's money arrives in the bank."),
        kpi_card(result, "committed_before_first_receipt", before_receipt.spent_before_receipt(result)),
        kpi_card(result, "peak_funding_requirement",
                 f"The deepest point of the cumulative cash below, in {fmt.month(start, k['peak_funding_month'])}."),
        kpi_card(result, "peak_exit_cost",
                 f"Notice pay and lease commitments if you stopped in {fmt.month(start, k['peak_exit_cost_month'])}."),
    ]


def cash_and_funding_need(result: Result) -> alt.Chart:
    """Closing cash after funding beside cumulative cash before it (the hole funding fills), against
    the minimum cash and the facility limit, each reference line named at its right-hand end."""
    sc, tl = result.scenario, result.timeline
    cash = result.lines["closing_cash"][0]
    minimum, limit = sc.funding.minimum_cash, sc.funding.facility.limit
    wide = pd.DataFrame({
        "Closing cash": cash,
        "Cash before funding (cumulative)": result.lines["cumulative_pre_financing_cf"][0],
        "Facility drawn": result.lines["facility_balance"][0],
        "Minimum cash": minimum,
        "Facility limit": limit,
    }, index=tl.dates)
    base = charts.lines(wide, sc.start, dashed=("Minimum cash", "Facility limit"))
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#212B32", strokeWidth=0.8).encode(y="y:Q")
    ends = pd.DataFrame({"date": [tl.dates[-1]] * 2, "value": [minimum, limit],
                         "label": [f"Minimum {fmt.short_money(minimum)}", f"Facility limit {fmt.short_money(limit)}"]})
    ends = ends[ends["value"] > 0.5]
    names = alt.Chart(ends).mark_text(align="right", dy=-7, fontSize=11, color="#425563").encode(
        x="date:T", y="value:Q", text="label:N")
    layers = [zero, base, names]
    gap = pd.DataFrame({"date": tl.dates, "cash": cash, "minimum": minimum})
    gap = gap[gap["cash"] < gap["minimum"] - 0.5]
    if not gap.empty:
        gap["Month"] = [fmt.month(sc.start, tl.index(f"{d:%Y-%m}")) for d in gap["date"]]
        gap["Shortfall"] = [fmt.money(m - c) for c, m in zip(gap["cash"], gap["minimum"], strict=True)]
        layers.insert(0, alt.Chart(gap).mark_bar(color=charts.SHORTFALL, opacity=0.35, width={"band": 1}).encode(
            x="date:T", y="cash:Q", y2="minimum:Q", tooltip=["Month:N", "Shortfall:N"]))
    return charts._finish(alt.layer(*layers), height=320, columns=5)


def cumulative_chart(result: Result) -> alt.Chart:
    """Cumulative cash before financing: the hole the funding has to fill, and when money first arrives."""
    start, tl = result.scenario.start, result.timeline
    cumulative = result.lines["cumulative_pre_financing_cf"][0]
    wide = pd.DataFrame({"Cumulative cash before financing": cumulative}, index=tl.dates)
    area = charts.stacked(wide, start)
    first = result.kpis()["first_receipt_month"]
    layers = [area]
    if first is not None:
        mark = pd.DataFrame({"date": [tl.dates[first]], "label": [f"First receipt {fmt.month(start, first)}"]})
        rule = alt.Chart(mark).mark_rule(color="#000000", strokeDash=[4, 3]).encode(x="date:T", tooltip=["label:N"])
        text = alt.Chart(mark).mark_text(align="left", dx=4, fontSize=12).encode(x="date:T", y=alt.value(8), text="label:N")
        layers += [rule, text]
    return charts._finish(alt.layer(*layers), columns=1)


def funding_chart(result: Result) -> alt.Chart:
    """Funding in place each month: share capital and equity, loans outstanding, facility drawn."""
    sc, tl = result.scenario, result.timeline
    wide = pd.DataFrame({
        "Share capital and equity": result.lines["share_capital"][0],
        "Loans outstanding": result.lines["loan_balance"][0],
        "Facility drawn": result.lines["facility_balance"][0],
    }, index=tl.dates)
    return charts._finish(charts.stacked(wide, sc.start), height=240, columns=3)


def exit_cost_chart(result: Result) -> alt.Chart:
    """The cost of walking away each month, by role (notice pay) and committed cost (lease)."""
    sc, tl = result.scenario, result.timeline
    parts = {}
    for role in sc.workforce.roles:
        parts[f"Notice pay: {role.name}"] = result.detail["roles"][role.id].exit_cost[0]
    for cost in sc.costs:
        series = result.detail["costs"][cost.id].exit_cost[0]
        if pd.Series(series).abs().max() > 0.5:
            parts[f"Commitment: {cost.name}"] = series
    wide = pd.DataFrame(parts, index=tl.dates)
    return charts._finish(charts.stacked(wide, sc.start), height=340, label_limit=400)  # two columns of long names


def settlement_table(result: Result) -> pd.DataFrame:
    """What the terminal settlement adds in the last month: each operating balance left on the balance sheet
    (assets but cash; liabilities but loans and the facility), read from the balance sheet's own lines, so a
    new operating line appears here without a change."""
    last = {name: float(result.lines[name][0, -1]) for name in BALANCE_LINES}
    assets = BALANCE_LINES[BALANCE_LINES.index("cash") + 1:BALANCE_LINES.index("total_assets")]
    owed = BALANCE_LINES[BALANCE_LINES.index("total_assets") + 1:BALANCE_LINES.index("total_liabilities")]
    rows = [(LABELS.get(n, n.replace("_", " ").capitalize()), last[n]) for n in assets]
    if result.scenario.appraisal.residual_value == "none":
        rows = [(label + " (no residual value)", 0.0) if label == LABELS["fixed_assets"] else (label, v)
                for label, v in rows]
    rows += [(LABELS.get(n, n.replace("_", " ").capitalize()), -last[n]) for n in owed if n not in ("loans", "facility")]
    rows.append((LABELS["terminal_settlement"], float(result.lines["terminal_settlement"][0, -1])))
    table = pd.DataFrame(rows, columns=["Line", "£"]).set_index("Line")
    table["£"] = table["£"].map(fmt.money)
    return table
