"""Streamlit entry point: page set-up, each person's starting state, and the page list."""

import streamlit as st

from ui import layout, state

st.set_page_config(page_title="Clinical venture modeller", page_icon="🩺", layout="wide",
                   initial_sidebar_state="expanded")
state.init()
layout.style()

pages = [
    st.Page("ui/pages/scenario.py", title="Scenario", icon=":material/edit_note:", default=True),
    st.Page("ui/pages/overview.py", title="Overview", icon=":material/dashboard:"),
    st.Page("ui/pages/workforce.py", title="Workforce", icon=":material/groups:"),
    st.Page("ui/pages/cash.py", title="Cash and commitment", icon=":material/account_balance:"),
    st.Page("ui/pages/statements.py", title="Statements", icon=":material/table_chart:"),
    st.Page("ui/pages/risk.py", title="Risk", icon=":material/casino:"),
    st.Page("ui/pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("ui/pages/review.py", title="Review bids", icon=":material/gavel:"),
    st.Page("ui/pages/export.py", title="Export", icon=":material/download:"),
    st.Page("ui/pages/model_book.py", title="Model book", icon=":material/menu_book:", url_path="model_book"),
]
page = st.navigation(pages)
layout.sidebar_status()
page.run()
