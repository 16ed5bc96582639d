"""Assumption warnings (`modeller.assumptions`) on the Overview page, each with its effect, shown as plain text."""

from __future__ import annotations

import streamlit as st

from modeller.assumptions import assumption_warnings
from ui import compute, state
from ui.draft import escape


@st.cache_data(max_entries=64, show_spinner=False)
def warnings_of(yaml_text: str) -> list[tuple[str, str]]:
    """(title, text) of each warning for a scenario text: the second engine run is cached with it."""
    found = assumption_warnings(compute.scenario_of(yaml_text), compute.result_of(yaml_text))
    return [(w.title, w.text) for w in found]


def show() -> None:
    """One warning box per assumption to check; nothing when there is none."""
    for title, text in warnings_of(state.current_yaml()):
        st.warning(f"**{escape(title)}.** {escape(text)}", icon=":material/warning:")
