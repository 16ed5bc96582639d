"""Statements page: profit and loss, cash flow and balance sheet, monthly or by NHS year, as CSV too."""

import streamlit as st

from ui import layout, sources, state, tables

layout.header("Statements")
result = state.current_result()

left, right = st.columns([3, 2])
with left:
    which = st.segmented_control("Statement", list(tables.STATEMENTS), default="Profit and loss",
                                 key="stmt_which", required=True)
with right:
    period = st.segmented_control("Period", ["By NHS year", "Monthly"], default="By NHS year",
                                  key="stmt_period", required=True)
which = which or "Profit and loss"
table = tables.statement(result, which, by_year=period != "Monthly")
st.dataframe(tables.styled(table), width="stretch", height=min(45 + 35 * len(table), 720), key="stmt_table",
             column_config={"_index": st.column_config.TextColumn("Line", width="medium", pinned=True)})
name = sources.file_name(f"{result.scenario.name} {which} {period}")
st.download_button(f"Download {which.lower()} (CSV)", data=tables.csv_bytes(table), file_name=f"{name}.csv",
                   mime="text/csv", key="stmt_csv", icon=":material/download:", on_click="ignore")
st.caption("Amounts in £. Negative figures are in brackets: cash paid out, or a loss.")
if which == "Costs and VAT":
    st.caption("Non-pay costs before VAT and the VAT you cannot recover (both in the P&L); capital spending as "
               "capitalised, its VAT included. VAT you can recover is paid with the invoice and reclaimed from HMRC "
               "the month after (owed to you meanwhile). Pay carries no VAT. See the model book, 'VAT'.")
