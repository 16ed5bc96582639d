"""Overview page: the headline figures in words, cash against its limits, income, staff, NHS years."""

import streamlit as st

from ui import assumptions, cash, charts, kpis, layout, state, tables

layout.header("Overview")
result = state.current_result()
mc = kpis.current_risk(state.current_yaml())
kpis.show_cards(kpis.headline_cards(result, mc))
assumptions.show()
if mc is not None:
    st.caption(f"Blue lines: the same figure across the {mc.draws:,} draws of your risk run (seed {mc.seed}). "
               "P10 and P90: one draw in ten is below the first, one in ten above the second.")

st.subheader("Cash, and the funding it needs")
st.caption("Closing cash after all funding (blue) against the minimum cash you set and the facility limit "
           "(dashed). The orange line is cash before any equity, loans or facility: how deep it goes below £0 is "
           "the money you must find. Red bands mark months below the minimum.")
st.altair_chart(cash.cash_and_funding_need(result), width="stretch", key="chart_cash")

left, right = st.columns(2)
with left:
    st.subheader("Income by contract")
    st.caption("Income earned each month, in £, stacked by contract.")
    st.altair_chart(charts.income_by_contract(result), width="stretch", key="chart_income")
with right:
    st.subheader("Staff by role")
    st.caption("WTE in post, with agency cover for posts not yet filled.")
    st.altair_chart(charts.wte_by_role(result), width="stretch", key="chart_wte")

st.subheader("By NHS financial year")
st.dataframe(tables.styled_years(tables.years_summary(result)), width="stretch", key="years_table")
