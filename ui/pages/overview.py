"""Overview page: the headline figures in words, cash against its limits, income, staff, NHS years."""

import streamlit as st

from ui import charts, kpis, layout, state, tables

layout.header("Overview")
result = state.current_result()
kpis.show_cards(kpis.headline_cards(result))

st.subheader("Cash against the minimum and the facility")
st.caption("Closing cash each month after all funding (solid line), against the minimum cash you set and the "
           "facility limit (dashed lines), with the facility drawn. Red bands mark months below the minimum.")
st.altair_chart(charts.cash_against_limits(result), width="stretch", key="chart_cash")

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
