"""Compare page: two to four scenarios side by side: figures with differences, cash, income and staff."""

import streamlit as st

from ui import charts, compute, layout
from ui import compare as cmp
from ui import compare_table as ct

st.title("Compare scenarios")
layout.stale_warning()
with st.expander("Add uploaded files to the list", expanded=False):
    cmp.uploads()
options = cmp.choices()
picked = st.multiselect("Scenarios (two to four; the first is the baseline)", list(options), key="compare_pick",
                        default=cmp.default_pick(options), format_func=options.get, max_selections=4)
if len(picked) < 2:
    st.info("Choose at least two scenarios. Save versions of the one you are editing on the Scenario page.")
    st.stop()

results = {options[key]: compute.result_of(cmp.yaml_of(key)) for key in picked}
st.subheader("Headline figures")
table = ct.comparison_table(results)
columns = {}
columns["Figure"] = st.column_config.TextColumn("Figure", pinned=True)
st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table), key="compare_table",
             column_config=columns)
st.caption(f"Δ columns show each scenario's difference from the baseline, {options[picked[0]]}.")

st.subheader("Closing cash")
st.altair_chart(charts.overlay(results, "closing_cash"), width="stretch", key="compare_cash")
left, right = st.columns(2)
with left:
    st.subheader("Income")
    st.altair_chart(charts.overlay(results, "income", columns=1), width="stretch", key="compare_income")
with right:
    st.subheader("Staff (WTE incl. agency)")
    st.altair_chart(charts.overlay(results, "wte_total", unit="WTE", columns=1), width="stretch", key="compare_wte")
