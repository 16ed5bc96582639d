"""Choosing scenarios to compare: the one being edited, saved versions, examples and uploaded files."""

from __future__ import annotations

import streamlit as st

from modeller.scenario_io import ScenarioError, dump_scenario
from ui import compute, state


def choices() -> dict[str, str]:
    """Label -> canonical YAML (or "example:<stem>") of every scenario this person can compare."""
    out = {f"Current: {state.current_scenario().name}": state.current_yaml()}
    out.update(state.saved_versions())
    out.update({f"Example: {name}": f"example:{stem}" for stem, (name, _) in compute.examples().items()})
    out.update(st.session_state.get("compare_uploads", {}))
    return out


def yaml_of(choice: str) -> str:
    """The canonical YAML a choice stands for (examples are loaded only when picked)."""
    return compute.example_yaml(choice.removeprefix("example:")) if choice.startswith("example:") else choice


def uploads() -> None:
    """Files uploaded only for comparing; bad ones are listed with their problems."""
    files = st.file_uploader("Add scenario files to compare", type=["yaml", "yml"], accept_multiple_files=True,
                             key="compare_upload", max_upload_size=1)
    ss = st.session_state
    ss.setdefault("compare_uploads", {})
    problems = []
    for f in files or []:
        label = f"Upload: {f.name}"
        if label in ss.compare_uploads:
            continue
        try:
            ss.compare_uploads[label] = dump_scenario(state.read_upload(f.getvalue(), f.name))
        except ScenarioError as err:
            problems += err.lines
    if problems:
        st.error("**Not added:**\n\n" + "\n".join(f"- {p}" for p in problems), icon="🚫")


def default_pick(labels: list[str]) -> list[str]:
    """The scenario being edited and the first example that is not the same scenario."""
    current = labels[0]
    others = [lb for lb in labels[1:] if lb.startswith("Example:") and lb.removeprefix("Example: ")
              != current.removeprefix("Current: ")]
    return [current] + others[:1]
