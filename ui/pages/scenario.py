"""Scenario page: choose where to start, then edit every section; problems show beside their section."""

import streamlit as st

from ui import before_receipt, editors, kpis, layout, sources, state
from ui.columns import SECTIONS

st.title("Scenario")
with st.container(border=True):
    left, middle, right = st.columns([5, 4, 3])
    with left:
        sources.example_picker()
    with middle:
        sources.uploader()
    with right:
        sources.blank_and_save()

headline = st.container()
section = st.segmented_control("Section", SECTIONS, default=SECTIONS[0], key="section", required=True,
                               label_visibility="collapsed")
editors.section_editor(section or SECTIONS[0])

with headline:
    layout.stale_warning()
    cards = kpis.headline_cards(state.current_result(), kpis.current_risk(state.current_yaml()))
    kpis.show_cards([c for c in cards if c.kpi in kpis.SCENARIO_KPIS], per_row=4, notes=False)
    st.markdown(before_receipt.before_first_receipt(state.current_result()))
