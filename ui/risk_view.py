"""Risk page views: the charts and tables of a Monte Carlo run, sensitivity and commitment answers.

Builders only (no widgets): each takes engine results and returns an Altair chart (a
Vega-Lite spec for the small commitment charts), a DataFrame of display text or a sentence.
Numbers come from `modeller.risk` summaries; this module only lays them out, written as every
layer writes them: KPIs by `metrics.KPIS` and `formatting.kpi_value`, inputs by the scenario's own
names (`fields.input_label`) in their units (`formatting.input_value`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from modeller.fields import input_label
from modeller.formatting import input_value, kpi_value, unit_value
from modeller.metrics import KPI_NAMES, KPIS
from modeller.paths import PathError, get_value
from modeller.risk.commitment import check_text, pre_receipt_plan
from modeller.risk.montecarlo import MonteCarloResult, RiskTransfer, summarise
from modeller.scenario import MAX_DRAWS, MAX_SEED, Scenario
from ui import charts, fmt

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


def kpi_table(mc: MonteCarloResult) -> pd.DataFrame:
    """Mean, P10, P50 and P90 of every KPI as display text, months as dates."""
    start = mc.scenario.start
    rows = []
    for k in KPI_NAMES:
        s = mc.summary(k)
        rows.append({"KPI": KPIS[k].label, "Mean": kpi_value(k, s["mean"], start),  # months: the nearest one
                     **{c.upper(): kpi_value(k, s[c], start) for c in ("p10", "p50", "p90")}})
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
        x=alt.X("value:Q", bin=alt.Bin(maxbins=40), axis=charts.money_axis(KPIS[name].label)),
        y=alt.Y("count():Q", title="Draws"))
    marks = pd.DataFrame({"value": [s["p10"], s["p50"], s["p90"]], "which": ["P10", "P50", "P90"]})
    marks["Amount"] = [fmt.money(v) for v in marks["value"]]
    rules = alt.Chart(marks).mark_rule(color=charts.SHORTFALL, strokeDash=[4, 3]).encode(
        x="value:Q", tooltip=["which:N", "Amount:N"])
    return alt.layer(bars, rules).properties(height=260)


TORNADO_KEYS = {"npv": "npv", "peak_funding_requirement": "peak_funding"}   # KPI -> its fields in a tornado row
TORNADO_ENDS = {"low": "Input at its low (P10)", "high": "Input at its high (P90)"}
TORNADO_ENDS_SWING = {"low": "Input 20% lower", "high": "Input 20% higher"}


def tornado_chart(rows: list[dict], kpi: str, base: float, scenario: Scenario, varied: bool = True) -> alt.Chart:
    """Bars from the base value to `kpi` ("npv" or "peak_funding_requirement") at each input's low and
    high, widest first; each input's label carries the low and high values used."""
    key, ends = TORNADO_KEYS[kpi], (TORNADO_ENDS if varied else TORNADO_ENDS_SWING)
    measure = KPIS[kpi].label
    data, order = [], []
    for r in rows[:TORNADO_INPUTS]:
        path = r["parameter"]
        name = f"{input_label(scenario, path)}: {input_value(path, r['low'])} to {input_value(path, r['high'])}"
        order.append(name)
        for end in ("low", "high"):
            data.append({"input": name, "end": ends[end], "value": r[f"{key}_{end}"], "base": base,
                         "Input value": input_value(path, r[end]),
                         "Result": kpi_value(kpi, r[f"{key}_{end}"], scenario.start)})
    return alt.Chart(pd.DataFrame(data)).mark_bar(opacity=0.85).encode(
        y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=520)),
        x=alt.X("value:Q", axis=charts.money_axis(measure)), x2="base:Q",
        color=alt.Color("end:N", scale=alt.Scale(domain=list(ends.values()), range=[charts.PALETTE[0], charts.PALETTE[1]]),
                        title=None, legend=alt.Legend(orient="bottom", labelLimit=300)),
        tooltip=[alt.Tooltip("input:N", title="Input"), alt.Tooltip("end:N", title="Which end"), "Input value:N",
                 alt.Tooltip("Result:N", title=measure)],
    ).properties(height=alt.Step(30))


def tornado_table(rows: list[dict], scenario: Scenario) -> pd.DataFrame:
    """The tornado's numbers: each input's planned, low and high values and the NPV and peak funding there."""
    out = []
    for r in rows:
        path = r["parameter"]
        out.append({"Input": input_label(scenario, path),
                    "Planned": input_value(path, _planned(scenario, path)),
                    "Low": input_value(path, r["low"]), "High": input_value(path, r["high"]),
                    "NPV at low": fmt.money(r["npv_low"]), "NPV at high": fmt.money(r["npv_high"]),
                    "Peak funding at low": fmt.money(r["peak_funding_low"]),
                    "Peak funding at high": fmt.money(r["peak_funding_high"])})
    return pd.DataFrame(out).set_index("Input")


def _planned(scenario: Scenario, path: str) -> float | None:
    try:
        value = get_value(scenario, path)
    except PathError:
        return None
    return float(value) if isinstance(value, (int, float)) else None


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


NEVER = "doesn’t happen in the range tested"


def _switch_value(row: dict | None, path: str) -> str:
    return NEVER if row is None or row.get("value") is None else input_value(path, row["value"])


def _checked(row: dict | None) -> str:
    if row is None or row.get("value") is None:
        return "–"
    if row["checked"] is None:
        return "not checked"
    return "yes" if row["checked"] else "no"


def switching_columns(short_now: bool) -> tuple[str, str]:
    """The switching table's two answer columns, in words."""
    return ("NPV falls to £0 at", "Cash shortfall goes away at" if short_now else "Cash first runs short at")


def switching_table(switches: list[dict], short_now: bool, scenario: Scenario) -> pd.DataFrame:
    """One row per input: its planned value, where NPV falls to zero and where cash first runs short
    (or a shortfall goes away), each in the input's unit."""
    npv_col, short_col = switching_columns(short_now)
    rows = []
    for path, targets in _by_input(switches).items():
        rows.append({"Input": input_label(scenario, path), "Planned": input_value(path, _planned(scenario, path)),
                     npv_col: _switch_value(targets.get("npv_zero"), path),
                     short_col: _switch_value(targets.get("shortfall"), path)})
    return pd.DataFrame(rows).set_index("Input")


def switching_checks(switches: list[dict], scenario: Scenario) -> pd.DataFrame:
    """The technical detail: each switching value with whether the engine, run there, confirmed it."""
    rows = []
    for path, targets in _by_input(switches).items():
        npv, short = targets.get("npv_zero"), targets.get("shortfall")
        rows.append({"Input": input_label(scenario, path), "Path": path,
                     "NPV reaches zero at": input_value(path, (npv or {}).get("value")), "NPV checked": _checked(npv),
                     "Shortfall switches at": input_value(path, (short or {}).get("value")),
                     "Shortfall checked": _checked(short)})
    return pd.DataFrame(rows).set_index("Input")


def _by_input(switches: list[dict]) -> dict[str, dict[str, dict]]:
    by: dict[str, dict[str, dict]] = {}
    for s in switches:
        by.setdefault(s["parameter"], {})[s["target"]] = s
    return by


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


def has_chart(answer: dict, current: float) -> bool:
    """Whether an answer gets a chart: not without a value, nor when both bars would be nothing
    (0 months ahead against 0 planned says nothing the sentence does not)."""
    return answer.get("value") is not None and not (abs(answer["value"]) < 1e-9 and abs(current) < 1e-9)


def commitment_chart(answer: dict, current: float) -> dict | None:
    """The answer against the scenario's own figure (£, months or WTE), as a Vega-Lite spec for
    `st.vega_lite_chart`; None if it has no chart. Written as a spec, not through Altair, whose
    validation cost about 0.1 s a chart every time the accepted risk moved."""
    if not has_chart(answer, current):
        return None
    data = commitment_frame(answer, current)
    unit, names = answer["unit"], list(data["What"])
    axis = charts.money_axis(None).to_dict() if unit == "£" else {"title": unit, "tickMinStep": 1}  # months, WTE
    top = max(float(data["value"].max()), 1.0) * 1.35   # room for the value labels
    shared = {"y": {"field": "What", "type": "nominal", "sort": names, "title": None, "axis": {"labelLimit": 140}},
              "x": {"field": "value", "type": "quantitative", "axis": axis, "scale": {"domain": [0, top]}},
              "tooltip": [{"field": f, "type": "nominal"} for f in ("What", "Value", "Basis")]}
    colour = {"field": "What", "type": "nominal", "legend": None,
              "scale": {"domain": names, "range": [SCENARIO_COLOUR, ANSWER_COLOUR]}}
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "title": {"text": chart_words(answer["question"])[0], "fontSize": 13, "anchor": "start"},
            "height": {"step": 30}, "data": {"name": "commitment"}, "datasets": {"commitment": data},
            "layer": [{"mark": {"type": "bar", "height": 22}, "encoding": {**shared, "color": colour}},
                      {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12},
                       "encoding": {**shared, "text": {"field": "Value", "type": "nominal"}}}]}


def commitment_caption(answer: dict) -> str:
    """The basis of an answer and how the engine confirmed it, as the technical detail shows it."""
    check = check_text(answer)
    return answer["basis"] + ("" if check == "n/a" else f"; {check}")


# one step past each answer, as the engine's second check runs it
BEYOND_WORDS = {"hire_ahead_months": "hiring a month earlier than that", "pre_receipt_wte": "1% more staff",
                "minimum_facility_limit": "£1,000 less facility", "minimum_opening_cash": "£1,000 less capital"}


def risk_accepted(level: float | None, minimum_cash: float) -> str:
    """What the answers allow for, in words: the base case, or a chance of running short."""
    if not level:
        return ("These answers are for the base case: every input as planned, with no allowance for risk. "
                f"They keep cash at or above your {fmt.money(minimum_cash)} minimum in every month.")
    in_ten = f" (about 1 in {round(1 / level)})" if abs(1 / level - round(1 / level)) < 0.05 else ""
    return (f"These answers accept a {level:.0%} chance{in_ten} that cash falls below your "
            f"{fmt.money(minimum_cash)} minimum at some point, across the simulated futures.")


def plain_check(answer: dict) -> str:
    """How the model confirmed an answer, for a person: no "goal met", no "just beyond" ("" if not run)."""
    held, fails = answer.get("holds_at_answer"), answer.get("fails_beyond")
    step = BEYOND_WORDS.get(answer.get("question"), "one step further")
    if held is None or answer.get("value") is None:
        return ""           # no answer: the sentence says why (even the plan as it stands misses the goal)
    if not held:
        return "Re-running the model at this answer did not confirm it: treat it with care."
    if fails is None:
        return "Confirmed by re-running the model at this answer (there is no further step to try)."
    if fails:
        return f"Confirmed by re-running the model: this answer keeps cash above the minimum; {step} would not."
    return f"Re-running the model confirms this answer; {step} would also keep cash above the minimum."


def commitment_details(answers: dict[str, dict]) -> pd.DataFrame:
    """The technical detail behind the answers: basis (draws, seed) and the engine's checks."""
    return pd.DataFrame([{"Question": chart_words(q)[0], "Answer": unit_value(a["value"], a["unit"])
                          if a.get("value") is not None else "no answer", "Basis": a["basis"],
                          "Engine check": check_text(a)} for q, a in answers.items()]).set_index("Question")
