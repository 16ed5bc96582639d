"""Risk page views: the charts and tables of a Monte Carlo run, sensitivity and commitment answers.

Builders only (no widgets): each takes engine results and returns an Altair chart or a
DataFrame of display text. Numbers come from `modeller.risk` summaries; this module only
formats them (£, %, months as "Apr 2025") and lays them out.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from modeller.formatting import KPI_LABELS, input_value, kpi_value, unit_value
from modeller.metrics import KPI_NAMES, MONTH_KPIS
from modeller.risk.commitment import check_text, pre_receipt_plan
from modeller.risk.montecarlo import MonteCarloResult, RiskTransfer, summarise
from modeller.scenario import MAX_DRAWS, MAX_SEED, Scenario
from ui import charts, fmt
from ui.compare_table import figure_label

HISTOGRAM_KPIS = ["npv", "peak_funding_requirement", "lowest_cash", "total_ebitda", "funding_shortfall",
                  "total_profit_after_tax", "peak_facility_drawn"]
TORNADO_INPUTS = 15
DRAWS_RANGE = (100, MAX_DRAWS)          # the page's draws widget; fewer than 100 makes P10/P90 coarse
SEED_RANGE = (0, MAX_SEED)              # the schema's range: every seed numpy's generators accept
SCENARIO_COLOUR, ANSWER_COLOUR = charts.PALETTE[0], charts.PALETTE[1]   # Okabe-Ito blue and orange
# each commitment chart: its title, and the names of its two bars (the scenario's figure, the answer)
CHART_WORDS = {"hire_ahead_months": ("Hiring ahead of plan (months)", "As planned", "Most you can"),
               "pre_receipt_wte": ("Team before the first receipt (WTE)", "Planned", "Most you can"),
               "minimum_facility_limit": ("Revolving facility (£)", "Your facility", "Least you need"),
               "minimum_opening_cash": ("Opening share capital (£)", "Your capital", "Least you need")}


def clamp(value: int, bounds: tuple[int, int]) -> int:
    """`value` moved into [low, high], so a scenario's setting never breaks a widget's limits."""
    low, high = bounds
    return max(low, min(high, int(value)))


def label(path: str) -> str:
    """contracts.msk_prime.start_delay_months -> "msk_prime: start delay months"."""
    parts = path.split(".")
    owner = parts[-2] if len(parts) > 2 else parts[0]
    return f"{owner}: {parts[-1].replace('_', ' ')}"


def kpi_text(name: str, value, start: str) -> str:
    """A KPI summary as display text (a mean month rounds to the nearest month)."""
    if value is None:
        return "never" if name in MONTH_KPIS else "–"
    return kpi_value(name, round(value) if name in MONTH_KPIS else value, start)


def kpi_table(mc: MonteCarloResult) -> pd.DataFrame:
    """Mean, P10, P50 and P90 of every KPI as display text, months as dates."""
    start = mc.scenario.start
    rows = []
    for k in KPI_NAMES:
        s = mc.summary(k)
        rows.append({"KPI": figure_label(k), "Mean": kpi_text(k, s["mean"], start),
                     **{c.upper(): kpi_text(k, s[c], start) for c in ("p10", "p50", "p90")}})
    return pd.DataFrame(rows).set_index("KPI")


def agency_note(mc: MonteCarloResult) -> str | None:
    """A sentence on agency cost above the plan's, or None when there is none."""
    extra = summarise(mc.agency_cost_above_plan)
    if all(v is None or abs(v) <= 0.5 for v in extra.values()):
        return None
    return (f"Agency cover for demand above plan adds {fmt.money(extra['mean'])} on average over the horizon "
            f"({fmt.money(extra['p90'])} at P90); cover for posts left unfilled at planned demand is not counted.")


def fan_chart(mc: MonteCarloResult) -> alt.Chart:
    """P10-P90 band and P50 line of closing cash, with the minimum cash as a dashed line."""
    tl, start = mc.timeline, mc.scenario.start
    df = pd.DataFrame({"date": tl.dates, "Month": [fmt.month(start, i) for i in range(tl.months)],
                       "p10": mc.fan[10], "p50": mc.fan[50], "p90": mc.fan[90]})
    for p in ("p10", "p50", "p90"):
        df[p.upper()] = [fmt.money(v) for v in df[p]]
    x = alt.X("date:T", axis=alt.Axis(format="%b %Y", title=None, labelAngle=0, tickCount=8))
    tips = ["Month:N", "P10:N", "P50:N", "P90:N"]
    band = alt.Chart(df).mark_area(opacity=0.3, color=charts.PALETTE[4], interpolate="step-after").encode(
        x=x, y=alt.Y("p10:Q", axis=charts.money_axis("Closing cash")), y2="p90:Q", tooltip=tips)
    mid = alt.Chart(df).mark_line(color=charts.PALETTE[0], interpolate="step-after").encode(
        x=x, y="p50:Q", tooltip=tips)
    floor = alt.Chart(pd.DataFrame({"y": [mc.minimum_cash], "what": [f"Minimum cash {fmt.money(mc.minimum_cash)}"]})
                      ).mark_rule(color=charts.SHORTFALL, strokeDash=[6, 4]).encode(y="y:Q", tooltip=["what:N"])
    return alt.layer(band, mid, floor).properties(height=320)


def histogram(mc: MonteCarloResult, name: str) -> alt.Chart:
    """Draws of one money KPI in 40 bins, with its P10, P50 and P90 as dashed rules."""
    values = pd.Series(mc.kpis[name]).dropna()
    s = mc.summary(name)
    bars = alt.Chart(pd.DataFrame({"value": values})).mark_bar(color=charts.PALETTE[0], opacity=0.8).encode(
        x=alt.X("value:Q", bin=alt.Bin(maxbins=40), axis=charts.money_axis(KPI_LABELS[name])),
        y=alt.Y("count():Q", title="Draws"))
    marks = pd.DataFrame({"value": [s["p10"], s["p50"], s["p90"]], "which": ["P10", "P50", "P90"]})
    marks["Amount"] = [fmt.money(v) for v in marks["value"]]
    rules = alt.Chart(marks).mark_rule(color=charts.SHORTFALL, strokeDash=[4, 3]).encode(
        x="value:Q", tooltip=["which:N", "Amount:N"])
    return alt.layer(bars, rules).properties(height=260)


def tornado_chart(rows: list[dict], measure: str, base: float) -> alt.Chart:
    """Bars from the base value to NPV (or peak funding) at each input's low and high, widest first."""
    key = "npv" if measure == "NPV" else "peak_funding"
    data = []
    for r in rows[:TORNADO_INPUTS]:
        for end in ("low", "high"):
            data.append({"input": label(r["parameter"]), "end": f"Input at its {end}", "value": r[f"{key}_{end}"],
                         "base": base, "Input value": input_value(r["parameter"], r[end]),
                         measure: fmt.money(r[f"{key}_{end}"])})
    order = [label(r["parameter"]) for r in rows[:TORNADO_INPUTS]]
    return alt.Chart(pd.DataFrame(data)).mark_bar(opacity=0.85).encode(
        y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("value:Q", axis=charts.money_axis(measure)), x2="base:Q",
        color=alt.Color("end:N", scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1]]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["input:N", "end:N", "Input value:N", f"{measure}:N"],
    ).properties(height=alt.Step(30))


def transfer_table(t: RiskTransfer) -> pd.DataFrame:
    """Per NHS year: what the provider retains and the commissioner settles (P50 and P10 – P90)."""
    rows = []
    for i, year in enumerate(t.years):
        pr, cs = summarise(t.provider_retained[:, i]), summarise(t.commissioner_settled[:, i])
        rows.append({"NHS year": year, "Provider retains (P50)": fmt.money(pr["p50"]),
                     "Provider retains (P10 – P90)": f"{fmt.money(pr['p10'])} – {fmt.money(pr['p90'])}",
                     "Commissioner settles (P50)": fmt.money(cs["p50"]),
                     "Commissioner settles (P10 – P90)": f"{fmt.money(cs['p10'])} – {fmt.money(cs['p90'])}"})
    return pd.DataFrame(rows).set_index("NHS year")


def _checked(row: dict | None) -> str:
    if row is None or row.get("value") is None:
        return "–"
    if row["checked"] is None:
        return "not checked"
    return "yes" if row["checked"] else "no"


def switching_table(switches: list[dict], short_now: bool) -> pd.DataFrame:
    """One row per input: where NPV reaches zero and where the shortfall switches, each with
    whether the engine, run at that value, confirmed it."""
    by: dict[str, dict[str, dict]] = {}
    for s in switches:
        by.setdefault(s["parameter"], {})[s["target"]] = s
    shortfall = "Shortfall disappears at" if short_now else "Shortfall appears at"
    rows = []
    for path, targets in by.items():
        npv, short = targets.get("npv_zero"), targets.get("shortfall")
        rows.append({"Input": label(path),
                     "NPV reaches zero at": input_value(path, (npv or {}).get("value")),
                     "NPV checked": _checked(npv),
                     shortfall: input_value(path, (short or {}).get("value")),
                     "Shortfall checked": _checked(short)})
    return pd.DataFrame(rows).set_index("Input")


def scenario_figures(scenario: Scenario) -> dict[str, float]:
    """The scenario's own figure for each commitment question, to set each answer against.

    The planned team before the first receipt is the goal seek's own (`pre_receipt_plan`), so
    the chart and the sentence's "× the N WTE planned" always agree."""
    f = scenario.funding
    return {"hire_ahead_months": 0.0, "pre_receipt_wte": pre_receipt_plan(scenario).planned,
            "minimum_facility_limit": float(f.facility.limit), "minimum_opening_cash": float(f.opening_cash)}


def chart_words(question: str) -> tuple[str, str, str]:
    """(title, scenario bar, answer bar) of a commitment question's chart."""
    return CHART_WORDS.get(question, (question.replace("_", " ").capitalize(), "Your scenario", "The answer"))


def commitment_frame(answer: dict, current: float) -> pd.DataFrame:
    """Two bars: the scenario's own figure and the answer, with display text for labels and tooltips."""
    _, ours, theirs = chart_words(answer["question"])
    unit = answer["unit"]
    return pd.DataFrame({"What": [ours, theirs], "value": [current, answer["value"]],
                         "Value": [unit_value(current, unit), unit_value(answer["value"], unit)],
                         "Basis": ["the scenario as it is", answer["basis"]]})


def commitment_chart(answer: dict, current: float) -> alt.Chart | None:
    """The answer against the scenario's own figure (£, months or WTE); None without an answer."""
    if answer.get("value") is None:
        return None
    data = commitment_frame(answer, current)
    unit = answer["unit"]
    axis = charts.money_axis(None) if unit == "£" else alt.Axis(title=unit, tickMinStep=1)  # whole months, WTE
    top = max(float(data["value"].max()), 1.0) * 1.35   # room for the value labels
    base = alt.Chart(data).encode(
        y=alt.Y("What:N", sort=list(data["What"]), title=None, axis=alt.Axis(labelLimit=140)),
        x=alt.X("value:Q", axis=axis, scale=alt.Scale(domain=[0, top])),
        tooltip=[alt.Tooltip("What:N"), alt.Tooltip("Value:N"), alt.Tooltip("Basis:N")])
    bars = base.mark_bar(height=22).encode(color=alt.Color(
        "What:N", scale=alt.Scale(domain=list(data["What"]), range=[SCENARIO_COLOUR, ANSWER_COLOUR]), legend=None))
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(text="Value:N")
    title = chart_words(answer["question"])[0]
    return alt.layer(bars, text).properties(height=alt.Step(30),
                                            title=alt.TitleParams(title, fontSize=13, anchor="start"))


def commitment_caption(answer: dict) -> str:
    """The basis of an answer and how the engine confirmed it, for the caption under it."""
    check = check_text(answer)
    return answer["basis"] + ("" if check == "n/a" else f"; {check}")
