"""Workforce page: target, in post and agency cover by role; hires and leavers; pay; recruitment timeline."""

import streamlit as st

from ui import charts, layout, state
from ui import workforce as wf

layout.header("Workforce")
result = state.current_result()
roles = {r.id: r.name for r in result.scenario.workforce.roles}
role_column = {"Role": st.column_config.TextColumn(width=wf.name_width(roles.values()), pinned=True)}

left, right = st.columns([3, 2])
with left:
    st.subheader("Target, in post and agency cover")
    role = st.selectbox("Role", list(roles), format_func=roles.get, key="wf_role")
    st.altair_chart(charts.role_staffing(result, role), width="stretch", key="chart_role")
    st.caption("WTE in post and agency cover stacked; the dashed line is the target WTE.")
with right:
    st.subheader("Hires and leavers")
    scope = st.radio("Show", ["This role", "All roles"], horizontal=True, key="wf_scope")
    st.altair_chart(charts.hires_and_leavers(result, role if scope == "This role" else None), width="stretch",
                    key="chart_hires")
    st.caption("New posts filled each month (up) and leavers who must be replaced (down), in WTE.")

st.subheader("Recruitment timeline")
steps = wf.recruitment_steps(result)
if steps.empty:
    st.info("No step ups in any staffing plan.")
else:
    st.caption("Each bar runs from when recruiting must start to when the posts are needed.")
    st.altair_chart(charts.recruitment_timeline(steps), width="stretch", key="chart_recruit")
    st.dataframe(steps.drop(columns=["recruit_date", "step_date"]), hide_index=True, width="stretch",
                 key="recruit_table", height=38 + 35 * len(steps), column_config={
                     **role_column, "Step": st.column_config.TextColumn(width=100),
                     "Start recruiting": st.column_config.TextColumn(width=190),
                     "Lead time": st.column_config.TextColumn(width=80)})
for line in wf.driven_roles(result):
    st.caption(line)

st.subheader("Pay and on-costs")
pay = wf.pay_table(result)
st.dataframe(pay[wf.PAY_RATE_COLUMNS], hide_index=True, width="stretch", key="pay_table", column_config=role_column)
st.caption("Pay per WTE a year. On-costs are employer National Insurance, pension and other rates, on the first "
           "month's pay.")
st.dataframe(pay[wf.PAY_TOTAL_COLUMNS], hide_index=True, width="stretch", key="pay_totals", column_config=role_column)
st.caption("Totals over the whole plan, in £.")
