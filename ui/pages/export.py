"""Export page: the scenario as YAML, the Excel workbook with live formulas, and CSVs of every table."""

import streamlit as st

from modeller.statements import BALANCE_LINES, CASH_LINES, PNL_LINES
from ui import exports, layout, sources, state, tables

layout.header("Export")
result = state.current_result()
name = sources.file_name(result.scenario.name)

st.subheader("Scenario file")
st.write("The assumptions as a YAML file: open it again on the Scenario page, or run it with the command line.")
st.download_button("Download scenario (YAML)", data=state.current_yaml(), file_name=f"{name}.yaml",
                   mime="application/x-yaml", key="export_yaml", icon=":material/description:", on_click="ignore")

st.subheader("Excel workbook")
st.write("A live model: every assumption on an Inputs sheet, formulas you can follow, and checks.")
risk, risk_id = exports.risk_choice(state.current_yaml())
workbook, note = exports.workbook(state.current_yaml(), risk, risk_id)
if workbook is None:
    st.info(note)
else:
    st.download_button("Download workbook (Excel)", data=workbook, file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="export_xlsx", icon=":material/table_view:", on_click="ignore")

st.subheader("Tables as CSV")
downloads = [
    ("Profit and loss, monthly", tables.monthly_csv(result, PNL_LINES), "pnl_monthly"),
    ("Cash flow, monthly", tables.monthly_csv(result, CASH_LINES), "cash_flow_monthly"),
    ("Balance sheet, monthly", tables.monthly_csv(result, BALANCE_LINES), "balance_sheet_monthly"),
    ("NHS-year summary", tables.csv_bytes(tables.years_summary(result)), "nhs_years"),
    ("Workforce by role, monthly", exports.workforce_csv(result), "workforce_monthly"),
    ("Headline figures", exports.kpis_csv(result), "kpis"),
]
cols = st.columns(3)
for i, (label, data, stem) in enumerate(downloads):
    with cols[i % 3]:
        st.download_button(label, data=data, file_name=f"{name}_{stem}.csv", mime="text/csv",
                           key=f"export_csv_{stem}", icon=":material/download:", on_click="ignore", width="stretch")
