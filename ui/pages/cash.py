"""Cash and commitment page: how much is committed before the money arrives, and what stopping would cost."""

import streamlit as st

from ui import cash, kpis, layout, state

layout.header("Cash and commitment", "how far ahead of the money you are committing")
result = state.current_result()
kpis.show_cards(cash.commitment_cards(result), per_row=4)

st.subheader("Cumulative cash before financing")
st.caption("Everything the venture earns less everything it pays, before any equity, loans or facility. "
           "Below zero is money you must find.")
st.altair_chart(cash.cumulative_chart(result), width="stretch", key="chart_cumulative")

st.subheader("Funding drawn")
st.caption("Share capital and equity paid in, loans outstanding and the facility drawn each month.")
st.altair_chart(cash.funding_chart(result), width="stretch", key="chart_funding")

st.subheader("Cost of walking away")
st.caption("If you stopped in a month: notice pay for staff in post or already recruited, plus the "
           "unexpired part of committed leases.")
st.altair_chart(cash.exit_cost_chart(result), width="stretch", key="chart_exit")

st.subheader("What is left at the end")
st.caption("NPV, IRR, MIRR and payback count, in the last month, what is still owed to the venture and what it "
           "still owes (loans and the facility apart), and its equipment at book value unless the scenario's "
           "residual value is none: the terminal settlement (model book, End of the horizon).")
st.dataframe(cash.settlement_table(result), width="content", key="table_settlement")
