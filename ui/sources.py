"""Where a scenario comes from: an example, an uploaded file, the blank template, or a saved version."""

from __future__ import annotations

import re

import streamlit as st

from modeller.scenario_io import MAX_FILE_BYTES
from ui import compute, state
from ui.draft import escape


def file_name(name: str) -> str:
    """A safe download name from a scenario name: "MSK prime (illustrative)" -> "msk_prime_illustrative"."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60] or "scenario"


def _open_chosen() -> None:
    """The example list's on_change: open the example chosen, or keep the current scenario and say why."""
    ss = st.session_state
    stem = ss.get("example")
    ss.example_problems = state.load_example(stem) if stem else []


def example_picker() -> None:
    """Choosing an example opens it; the line below says plainly what is open."""
    ss = st.session_state
    examples = compute.examples()
    stems = list(examples)
    if ss.get("example") is None and state.loaded_example() in examples:
        ss.example = state.loaded_example()  # a widget's value is forgotten when its page is left: show what is open
    st.selectbox("Example", stems, key="example", format_func=lambda s: examples[s][0], on_change=_open_chosen,
                 placeholder="Choose an example to open it", **({} if ss.get("example") else {"index": None}),
                 help="Choosing an example opens it in place of the scenario being edited")
    chosen = ss.get("example")
    if chosen is None:
        st.caption(f"The figures below are for {escape(state.source()) or 'the scenario being edited'}.")
        return
    st.caption(examples[chosen][1])
    name = examples[chosen][0]
    if ss.get("example_problems"):
        st.error(f"**{name} has not opened** – the scenario below is unchanged.\n\n"
                 + "\n".join(f"- {p}" for p in ss.example_problems), icon="🚫")
        label = "Try to open it again"
    elif state.loaded_example() == chosen:
        label = "Start again from this example"
    else:
        st.info(f"**Not open yet.** The figures below are for {escape(state.source()) or 'another scenario'}.",
                icon="ℹ️")
        label = "Open this example"
    if st.button(label, key="open_example", type="primary" if label == "Open this example" else "secondary",
                 help="Opens the example as its file has it: edits made since are dropped"):
        ss.example_problems = state.load_example(chosen)
        st.rerun()


def uploader() -> None:
    got = st.file_uploader("Upload a scenario file (YAML, up to 1 MB)", type=["yaml", "yml"], key="upload",
                           max_upload_size=1)
    ss = st.session_state
    if got is not None and got.file_id != ss.get("upload_seen"):
        ss.upload_seen = got.file_id
        if got.size > MAX_FILE_BYTES:
            ss.upload_problems = [f"{got.name}: the file is {got.size / 1e6:.1f} MB; scenario files are "
                                  "limited to 1 MB"]
        elif not state.load_upload(got.getvalue(), got.name):
            st.rerun()
    if ss.get("upload_problems"):
        st.error("**This file was not loaded** – the scenario below is unchanged.\n\n"
                 + "\n".join(f"- {p}" for p in ss.upload_problems), icon="🚫")


def blank_and_save() -> None:
    if st.button("Start from a blank template", key="blank"):
        state.load_blank()
        st.rerun()
    if st.button("Save this version for Compare", key="save_version",
                 help="Keeps the current results so you can compare them with later edits"):
        before = len(state.saved_versions())
        label = state.save_version()
        st.toast(f"Saved as “{label}”" if len(state.saved_versions()) > before else f"Already saved as “{label}”")
    sc = state.current_scenario()
    st.download_button("Download scenario (YAML)", data=state.current_yaml(), file_name=f"{file_name(sc.name)}.yaml",
                       mime="application/x-yaml", key="download_yaml", icon=":material/download:",
                       on_click="ignore")
