"""Risk page: Monte Carlo fan of cash, KPI spreads, tornado, switching values, risk transfer, commitment."""

from __future__ import annotations

import streamlit as st

from modeller.metrics import KPIS
from modeller.scenario_limits import check_work
from ui import fmt, layout, risk_runs, risk_view, state


def chart(kind: str, run, option, build, key: str) -> None:
    """One of the run's charts, built once per run and option (see `risk_runs.chart_spec`)."""
    spec = risk_runs.chart_spec(kind, run.yaml_text, run.draws, run.seed, option, build)
    st.vega_lite_chart(spec=spec, width="stretch", key=key)


def show_monte_carlo(run) -> None:
    mc = run.mc
    start = mc.scenario.start
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Chance of a funding shortfall", fmt.pct(mc.probability_of_shortfall),
              help="Share of draws in which cash falls below the minimum in some month.")
    c2.metric("Typical first shortfall", fmt.month(start, mc.shortfall_month, never="none"))
    npv, peak = mc.summary("npv"), mc.summary("peak_funding_requirement")
    c3.metric(f"{KPIS['npv'].label}, P50", fmt.money(npv["p50"]),
              help=f"P10 {fmt.money(npv['p10'])}, P90 {fmt.money(npv['p90'])}")
    c4.metric(f"{KPIS['peak_funding_requirement'].label}, P90", fmt.money(peak["p90"]),
              help=f"P50 {fmt.money(peak['p50'])}")
    st.subheader("Closing cash: P10, P50 and P90 by month")
    st.caption("Each draw is one simulated future. The shaded band holds 80% of them (P10 to P90); the line is "
               "the median (P50); the dashed line is the minimum cash you set.")
    chart("fan", run, None, lambda: risk_view.fan_chart(mc), "risk_fan")
    st.subheader("Spread of the headline figures")
    name = st.selectbox("Distribution of", risk_view.HISTOGRAM_KPIS, format_func=lambda k: KPIS[k].label,
                        key="risk_hist_kpi")
    chart("histogram", run, name, lambda: risk_view.histogram(mc, name), "risk_hist")
    st.caption("Dashed lines: P10, P50 and P90.")
    table = risk_view.kpi_table(mc)
    st.dataframe(table, width="stretch", key="risk_kpi_table", height=38 + 35 * len(table))
    note = risk_view.agency_note(mc)
    if note:
        st.info(note)
    contracts = {c.id: c.name for c in mc.scenario.contracts}
    for cid, t in mc.risk_transfer.items():
        st.subheader(f"Who carries the risk on {contracts.get(cid, cid)}")
        st.caption("Each NHS year's overspend (+) or underspend (−) against the risk-share target, split into what "
                   "the provider keeps and what the commissioner settles (+ pays the provider, − claws back).")
        st.dataframe(risk_view.transfer_table(t), width="stretch", key=f"risk_transfer_{cid}")


def show_sensitivity(run) -> None:
    mc = run.mc
    rows, switches = risk_runs.sensitivity(run.yaml_text)
    if not rows:
        st.info("No inputs to vary.")
        return
    sc, deterministic = mc.scenario, mc.deterministic
    varied = sc.uncertainty is not None and bool(sc.uncertainty.parameters)
    st.subheader("Which inputs matter most (tornado)")
    st.caption(("Each input moved on its own from its low (P10: a 1 in 10 chance of being lower) to its high "
                "(P90: a 1 in 10 chance of being higher), every other input as planned. " if varied else
                "Each main input moved on its own 20% down and 20% up, every other input as planned. ")
               + "Bars run from the planned result to the result at each end; the values used are in each label.")
    kpi = st.radio("Measure", list(risk_view.TORNADO_KEYS), format_func=lambda k: KPIS[k].label, horizontal=True,
                   key="risk_tornado_measure")
    chart("tornado", run, kpi, lambda: risk_view.tornado_chart(rows, kpi, deterministic[kpi], sc, varied),
          "risk_tornado")
    with st.expander("The tornado's numbers"):
        st.dataframe(risk_view.tornado_table(rows, sc), width="stretch", key="risk_tornado_table")
    st.subheader("Switching values: how far an input can move")
    short_now = (deterministic["funding_shortfall"] or 0) > 0
    st.caption("For each input on its own (everything else as planned): the value at which the NPV falls to £0, "
               "and the value at which cash first falls below your minimum"
               + (" (in the plan it already does: the value at which that goes away)" if short_now else "")
               + f". “{risk_view.NEVER.capitalize()}” means it never happens between well below the input's low "
               "and well above its high.")
    st.dataframe(risk_view.switching_table(switches, short_now, sc), width="stretch", key="risk_switching")
    with st.expander("How the switching values were found and checked"):
        st.markdown("Each input is scanned on 41 points over its range widened by its own width on each side, then "
                    "the crossing nearest the planned value is narrowed until NPV is within £100 of zero (or the "
                    "first shortfall within £50). *Checked*: the model was run again at that value and it really "
                    "switches (NPV within £1,000 of zero; for whole months, NPV changes sign).")
        st.dataframe(risk_view.switching_checks(switches, sc), width="stretch", key="risk_switching_checks")


def show_commitment(run) -> None:
    st.subheader("How much can I commit before the money arrives?")
    sc = run.mc.scenario
    st.caption(risk_view.risk_accepted(run.level, sc.funding.minimum_cash)
               + " Each chart sets the answer (orange) against your scenario as it stands (blue).")
    figures = risk_runs.scenario_figures(run.yaml_text)
    answers = risk_runs.commitment_answers(run.yaml_text, run.level, run.draws, run.seed, run.mc)
    for q, a in answers.items():
        current = figures.get(q, 0.0)
        drawn = risk_view.has_chart(a, current)
        words, place = st.columns([5, 4], vertical_alignment="center") if drawn else (st, None)
        check = risk_view.plain_check(a)
        words.markdown(f"- {a['sentence']}" + (f"  \n  :gray[{check}]" if check else ""))
        if drawn:
            place.vega_lite_chart(spec=risk_view.commitment_chart(a, current), width="stretch", key=f"risk_commit_{q}")
    with st.expander("How these answers were worked out"):
        st.markdown("Each answer is the furthest a candidate can go with cash kept at or above the minimum: in the "
                    "base case, one model run per candidate; with a chance of running short accepted, the share "
                    "of simulated futures (draws) that run short must stay at or below it. The model is then run "
                    "at the answer (the goal should be met) and one step beyond it (it should be missed).")
        st.dataframe(risk_view.commitment_details(answers), width="stretch", key="risk_commit_details")


layout.header("Risk", "Monte Carlo, sensitivity and how much you can commit")
yaml_text = state.current_yaml()
scenario = state.current_scenario()
u = scenario.uncertainty
if u is None or not u.parameters:
    st.info("This scenario has no `uncertainty:` section, so every draw equals the base case; the tornado and "
            "switching values vary the main inputs by ±20%.")
c1, c2, c3 = st.columns(3)
asked_draws, asked_seed = risk_runs.settings(scenario)
base_draws = risk_view.clamp(asked_draws, risk_view.DRAWS_RANGE)
base_seed = risk_view.clamp(asked_seed, risk_view.SEED_RANGE)
draws = int(c1.number_input("Draws", *risk_view.DRAWS_RANGE, base_draws, step=1000, key="risk_draws"))
seed = int(c2.number_input("Seed", *risk_view.SEED_RANGE, base_seed, key="risk_seed"))
level = c3.slider("Chance of running short you accept (0% = the base case, no allowance for risk)", 0, 50, 0, 5,
                  key="risk_level", format="%d%%",
                  help="For the answers to “How much can I commit?”. 0% = the base case: every input as planned, "
                       "no allowance for risk. 10% = the answers may leave cash below your minimum in up to 1 in 10 "
                       "simulated futures.")
if (base_draws, base_seed) != (asked_draws, asked_seed):
    st.caption(f"The scenario asks for {asked_draws:,} draws with seed {asked_seed}; this page runs "
               f"{risk_view.DRAWS_RANGE[0]:,} to {risk_view.DRAWS_RANGE[1]:,} draws with seeds "
               f"{risk_view.SEED_RANGE[0]} to {risk_view.SEED_RANGE[1]:,}, so it starts from "
               f"{base_draws:,} draws, seed {base_seed}.")
too_long = check_work(scenario, draws)
if too_long:  # a big scenario at many draws would hold the server for minutes: say so, run nothing
    st.error(too_long[0].split(": ", 1)[1].capitalize() + ".", icon=":material/hourglass_disabled:")
if st.button("Run risk analysis", type="primary", key="risk_run", disabled=bool(too_long)):
    risk_runs.run_with_progress(yaml_text, draws, seed)
risk_runs.remember_level(level / 100 if level else None)
run = risk_runs.last_run()
if run is None:
    st.caption("Press **Run risk analysis** to draw the uncertain inputs.")
    st.stop()
if (run.yaml_text, run.draws, run.seed) != (yaml_text, draws, seed):
    st.warning("These results are for an earlier scenario or settings: press Run to update.", icon="⏸️")
show_monte_carlo(run)
show_sensitivity(run)
show_commitment(run)
