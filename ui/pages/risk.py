"""Risk page: Monte Carlo fan of cash, KPI spreads, tornado, switching values, risk transfer, commitment."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from modeller.formatting import KPI_LABELS
from modeller.metrics import KPI_NAMES, MONTH_KPIS
from ui import charts, fmt, kpis, layout, risk_runs, state

MONEY_ENDINGS = ("annual_value", "price_per_unit", "rate_per_head", "salary", "amount", "annual", "unit_cost",
                 "limit", "opening_cash", "minimum_cash", "target_annual", "cap", "collar", "recruit_cost_per_wte",
                 "ni_threshold")
RATE_WORDS = ("growth", "rate", "share", "premium", "attrition", "earned")
HISTOGRAM_KPIS = ["npv", "peak_funding_requirement", "lowest_cash", "total_ebitda", "funding_shortfall",
                  "total_profit_after_tax", "peak_facility_drawn"]


def label(path: str) -> str:
    """contracts.msk_prime.start_delay_months -> "msk_prime: start delay months"."""
    parts = path.split(".")
    owner = parts[-2] if len(parts) > 2 else parts[0]
    return f"{owner}: {parts[-1].replace('_', ' ')}"


def value_text(path: str, value) -> str:
    """An input's value in its unit: £, %, months or a plain number."""
    if value is None:
        return "none in range"
    name = path.rsplit(".", 1)[-1]
    if name.endswith(MONEY_ENDINGS):
        return fmt.money(value)
    if name.endswith("_months"):
        return f"{value:,.0f} month{'s' * (round(value) != 1)}"
    if any(w in name for w in RATE_WORDS):
        return fmt.pct(value)
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def kpi_text(name: str, value, start: str) -> str:
    if value is None:
        return "never" if name in MONTH_KPIS else "–"
    if name in MONTH_KPIS:
        return fmt.month(start, round(value))
    if name in ("irr", "staff_cost_share"):
        return fmt.pct(value)
    if name in ("peak_wte", "final_wte"):
        return fmt.wte(value)
    return fmt.money(value)


def fan_chart(mc) -> alt.Chart:
    """P10-P90 band and P50 line of closing cash, with the minimum cash as a dashed line."""
    tl, start = mc.timeline, mc.scenario.start
    df = pd.DataFrame({"date": tl.dates, "Month": [fmt.month(start, i) for i in range(tl.months)],
                       "p10": mc.fan[10], "p50": mc.fan[50], "p90": mc.fan[90]})
    for p in ("p10", "p50", "p90"):
        df[p.upper()] = [fmt.money(v) for v in df[p]]
    x = alt.X("date:T", axis=alt.Axis(format="%b %Y", title=None, labelAngle=0, tickCount=8))
    tips = ["Month:N", "P10:N", "P50:N", "P90:N"]
    band = alt.Chart(df).mark_area(opacity=0.3, color="#56B4E9", interpolate="step-after").encode(
        x=x, y=alt.Y("p10:Q", axis=charts.money_axis("Closing cash")), y2="p90:Q", tooltip=tips)
    mid = alt.Chart(df).mark_line(color="#0072B2", interpolate="step-after").encode(x=x, y="p50:Q", tooltip=tips)
    floor = alt.Chart(pd.DataFrame({"y": [mc.minimum_cash], "what": [f"Minimum cash {fmt.money(mc.minimum_cash)}"]})
                      ).mark_rule(color="#D55E00", strokeDash=[6, 4]).encode(y="y:Q", tooltip=["what:N"])
    return alt.layer(band, mid, floor).properties(height=320)


def histogram(mc, name: str) -> alt.Chart:
    values = mc.kpis[name][~np.isnan(mc.kpis[name])]
    s = mc.summary(name)
    bars = alt.Chart(pd.DataFrame({"value": values})).mark_bar(color="#0072B2", opacity=0.8).encode(
        x=alt.X("value:Q", bin=alt.Bin(maxbins=40), axis=charts.money_axis(KPI_LABELS[name])),
        y=alt.Y("count():Q", title="Draws"))
    marks = pd.DataFrame({"value": [s["p10"], s["p50"], s["p90"]], "which": ["P10", "P50", "P90"]})
    marks["Amount"] = [fmt.money(v) for v in marks["value"]]
    rules = alt.Chart(marks).mark_rule(color="#D55E00", strokeDash=[4, 3]).encode(
        x="value:Q", tooltip=["which:N", "Amount:N"])
    return alt.layer(bars, rules).properties(height=260)


def tornado_chart(rows: list[dict], measure: str, base: float) -> alt.Chart:
    key = "npv" if measure == "NPV" else "peak_funding"
    data = []
    for r in rows[:15]:
        for end in ("low", "high"):
            data.append({"input": label(r["parameter"]), "end": f"Input at its {end}", "value": r[f"{key}_{end}"],
                         "base": base, "Input value": value_text(r["parameter"], r[end]),
                         measure: fmt.money(r[f"{key}_{end}"])})
    order = [label(r["parameter"]) for r in rows[:15]]
    return alt.Chart(pd.DataFrame(data)).mark_bar(opacity=0.85).encode(
        y=alt.Y("input:N", sort=order, title=None, axis=alt.Axis(labelLimit=280)),
        x=alt.X("value:Q", axis=charts.money_axis(measure)), x2="base:Q",
        color=alt.Color("end:N", scale=alt.Scale(range=["#0072B2", "#E69F00"]), title=None,
                        legend=alt.Legend(orient="bottom")),
        tooltip=["input:N", "end:N", "Input value:N", f"{measure}:N"],
    ).properties(height=alt.Step(30))


def transfer_table(t) -> pd.DataFrame:
    rows = []
    for i, year in enumerate(t.years):
        pr, cs = t.provider_retained[:, i], t.commissioner_settled[:, i]
        rows.append({"NHS year": year, "Provider retains (P50)": fmt.money(np.median(pr)),
                     "Provider retains (P10 – P90)": f"{fmt.money(np.percentile(pr, 10))} – "
                                                     f"{fmt.money(np.percentile(pr, 90))}",
                     "Commissioner settles (P50)": fmt.money(np.median(cs)),
                     "Commissioner settles (P10 – P90)": f"{fmt.money(np.percentile(cs, 10))} – "
                                                         f"{fmt.money(np.percentile(cs, 90))}"})
    return pd.DataFrame(rows).set_index("NHS year")


def show_monte_carlo(mc, start: str) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Chance of a funding shortfall", fmt.pct(mc.probability_of_shortfall),
              help="Share of draws in which cash falls below the minimum in some month.")
    c2.metric("Typical first shortfall", fmt.month(start, mc.shortfall_month, never="none"))
    npv = mc.summary("npv")
    c3.metric("NPV, P50", fmt.money(npv["p50"]), help=f"P10 {fmt.money(npv['p10'])}, P90 {fmt.money(npv['p90'])}")
    peak = mc.summary("peak_funding_requirement")
    c4.metric("Peak funding, P90", fmt.money(peak["p90"]), help=f"P50 {fmt.money(peak['p50'])}")
    st.subheader("Closing cash: P10, P50 and P90 by month")
    st.caption("The shaded band holds 80% of draws (P10 to P90); the line is the median; the dashed line "
               "is the minimum cash you set.")
    st.altair_chart(fan_chart(mc), width="stretch", key="risk_fan")
    st.subheader("Spread of the headline figures")
    name = st.selectbox("Distribution of", HISTOGRAM_KPIS, format_func=lambda k: KPI_LABELS[k], key="risk_hist_kpi")
    st.altair_chart(histogram(mc, name), width="stretch", key="risk_hist")
    st.caption("Dashed lines: P10, P50 and P90.")
    table = pd.DataFrame([{"KPI": kpis.figure_label(k),
                           **{c.upper() if c != "mean" else "Mean": kpi_text(k, mc.summary(k)[c], start)
                              for c in ("mean", "p10", "p50", "p90")}} for k in KPI_NAMES]).set_index("KPI")
    st.dataframe(table, width="stretch", key="risk_kpi_table", height=38 + 35 * len(table))
    extra = mc.agency_cost_above_plan
    if np.abs(extra).max() > 0.5:
        st.info(f"Agency cover when demand runs above plan (or posts go unfilled) adds {fmt.money(extra.mean())} "
                f"on average over the horizon ({fmt.money(np.percentile(extra, 90))} at P90).")
    contracts = {c.id: c.name for c in mc.scenario.contracts}
    for cid, t in mc.risk_transfer.items():
        st.subheader(f"Who carries the risk on {contracts.get(cid, cid)}")
        st.caption("Each NHS year's overspend (+) or underspend (−) against the risk-share target, split into what "
                   "the provider keeps and what the commissioner settles (+ pays the provider, − claws back).")
        st.dataframe(transfer_table(t), width="stretch", key=f"risk_transfer_{cid}")


def show_sensitivity(yaml_text: str, base_npv: float, base_peak: float) -> None:
    rows, switches = risk_runs.sensitivity(yaml_text)
    if not rows:
        st.info("No inputs to vary.")
        return
    st.subheader("Tornado")
    measure = st.radio("Measure", ["NPV", "Peak funding"], horizontal=True, key="risk_tornado_measure")
    st.altair_chart(tornado_chart(rows, measure, base_npv if measure == "NPV" else base_peak),
                    width="stretch", key="risk_tornado")
    st.subheader("Switching values")
    st.caption("The value of each input, others held at base, at which NPV reaches zero or cash first falls "
               "below the minimum; “none in range” if it never does within a widened range.")
    by = {}
    for s in switches:
        by.setdefault(s["parameter"], {})[s["target"]] = s["value"]
    st.dataframe(pd.DataFrame([{"Input": label(p), "NPV reaches zero at": value_text(p, v.get("npv_zero")),
                                "Shortfall at": value_text(p, v.get("shortfall"))} for p, v in by.items()]
                              ).set_index("Input"), width="stretch", key="risk_switching")


layout.header("Risk", "Monte Carlo, sensitivity and how much you can commit")
yaml_text = state.current_yaml()
scenario = state.current_scenario()
u = scenario.uncertainty
if u is None or not u.parameters:
    st.info("This scenario has no `uncertainty:` section, so every draw equals the base case; the tornado and "
            "switching values vary the main inputs by ±20%.")
c1, c2, c3 = st.columns(3)
base_draws, base_seed = risk_runs.settings(scenario)
draws = int(c1.number_input("Draws", 100, 200000, base_draws, step=1000, key="risk_draws"))
seed = int(c2.number_input("Seed", 0, 2**31 - 1, base_seed, key="risk_seed"))
level = c3.slider("Shortfall risk you accept (commitment answers)", 0, 50, 0, 5, key="risk_level",
                  format="%d%%", help="0%: the answers hold in the base case.")
if st.button("Run risk analysis", type="primary", key="risk_run"):
    risk_runs.run_with_progress(yaml_text, draws, seed)
risk_runs.remember_level(level / 100 if level else None)
run = risk_runs.last_run()
if run is None:
    st.caption("Press **Run risk analysis** to draw the uncertain inputs.")
    st.stop()
if (run.yaml_text, run.draws, run.seed) != (yaml_text, draws, seed):
    st.warning("These results are for an earlier scenario or settings: press Run to update.", icon="⏸️")
mc = run.mc
show_monte_carlo(mc, mc.scenario.start)
show_sensitivity(run.yaml_text, mc.deterministic["npv"], mc.deterministic["peak_funding_requirement"])
st.subheader("How much can I commit before the money arrives?")
for a in risk_runs.commitment_answers(run.yaml_text, run.level, mc.seed).values():
    checked = "checked at the answer and just beyond" if a["holds_at_answer"] and a["fails_beyond"] else ""
    st.markdown(f"- {a['sentence']}  \n  :gray[{a['basis']}{'; ' + checked if checked else ''}]")
