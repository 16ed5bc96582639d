"""Model book page: docs/MODEL.md, what every line, KPI and convention of the model means."""

import streamlit as st

from ui import book

st.markdown(book.text())
