"""Parts every page shares: the title line, the out-of-date warning, the sidebar status."""

from __future__ import annotations

import html

import streamlit as st

from ui import fmt, state

SCENARIO_PAGE = "ui/pages/scenario.py"
WORKSPACE_PAGE = "ui/pages/workspace.py"


_CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 2rem;}
[data-testid="stMetricValue"] {font-size: 1.65rem;}
h1 {font-size: 2.0rem !important; padding-bottom: 0.2rem !important;}
h3 {font-size: 1.2rem !important; padding-top: 0.8rem !important;}
.scenario-line {font-size: 0.875rem; color: rgba(33, 43, 50, 0.6); margin: -0.6rem 0 0.4rem 0;}
</style>
"""


def style() -> None:
    """A denser, calmer layout than Streamlit's defaults, so a 1366×768 screen shows more."""
    st.html(_CSS)


def header(title: str, intro: str = "") -> None:
    """Page title, the scenario the figures belong to, and a warning when they are out of date."""
    st.title(title)
    sc = state.current_scenario()
    # the name comes from files people upload: escaped HTML, never Markdown (which turns URLs into live links)
    st.html(f'<p class="scenario-line"><strong>{html.escape(sc.name)}</strong> · {sc.months} months from '
            f'{_month(sc.start)}{html.escape(f" · {intro}") if intro else ""}</p>')
    stale_warning()


def stale_warning() -> None:
    if state.is_stale():
        n = len(state.problems())
        st.warning(f"**Out of date.** The scenario being edited has {n} problem{'s' * (n != 1)}, so these are "
                   "the results of its last valid version. Fix them on the Scenario page to update.", icon="⏸️")


def sidebar_status() -> None:
    """Which scenario the figures belong to, named once, and whether they are up to date.

    Names come from files people upload, so they are shown as text, never read as Markdown."""
    with st.sidebar:
        sc, source = state.current_scenario(), state.source()
        st.markdown("**Scenario**")
        if source != f"Example: {sc.name}":  # an example's source line already names it
            st.text(sc.name)
        st.text(source)
        if state.is_stale():
            st.markdown(":orange[**Results out of date**] – the edits have problems.")
        else:
            st.markdown(":green[**Results up to date**]")
        st.page_link(WORKSPACE_PAGE, label="Save or open saved scenarios", icon=":material/inventory_2:")


def _month(ym: str) -> str:
    return fmt.month(ym, 0)
