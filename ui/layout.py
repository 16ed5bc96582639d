"""Parts every page shares: the title line, the out-of-date warning, the sidebar status."""

from __future__ import annotations

import streamlit as st

from ui import state

SCENARIO_PAGE = "ui/pages/scenario.py"


def header(title: str, intro: str = "") -> None:
    """Page title, the scenario the figures belong to, and a warning when they are out of date."""
    st.title(title)
    sc = state.current_scenario()
    st.caption(f"**{sc.name}** · {sc.months} months from {_month(sc.start)}" + (f" · {intro}" if intro else ""))
    stale_warning()


def stale_warning() -> None:
    if state.is_stale():
        n = len(state.problems())
        st.warning(f"**Out of date.** The scenario being edited has {n} problem{'s' * (n != 1)}, so these are "
                   "the results of its last valid version. Fix them on the Scenario page to update.", icon="⏸️")


def sidebar_status() -> None:
    with st.sidebar:
        st.divider()
        sc = state.current_scenario()
        st.markdown(f"**Scenario**  \n{sc.name}")
        st.caption(state.source())
        if state.is_stale():
            st.markdown(":orange[**Results out of date**] – the edits have problems.")
        else:
            st.markdown(":green[**Results up to date**]")


def _month(ym: str) -> str:
    from ui.fmt import month
    return month(ym, 0)
