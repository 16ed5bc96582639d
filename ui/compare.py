"""Choosing scenarios to compare: the one being edited, saved versions, examples and uploaded files."""

from __future__ import annotations

import streamlit as st

from modeller.scenario_io import ScenarioError, dump_scenario
from ui import compute, state


def choices() -> dict[str, str]:
    """Stable key -> label of every scenario this person can compare, each scenario once.

    Keys: "current", "saved:<label>", "example:<stem>", "upload:<label>". The example the
    current scenario was opened from, while unedited, is the same scenario: it is listed once,
    as the current one, and says so. Saved versions and uploads identical to the current one say so.
    """
    ss = st.session_state
    current, name = state.current_yaml(), state.current_scenario().name
    examples = compute.examples()
    same = state.loaded_example()
    same = same if same in examples and compute.example_yaml(same) == current else None
    out = {"current": f"Current: {name}" + (" (same as the example)" if same else "")}
    for label, text in [*state.saved_versions().items(), *ss.get("compare_uploads", {}).items()]:
        kind = "upload" if label.startswith("Upload:") else "saved"
        out[f"{kind}:{label}"] = label + (" (same as current)" if text == current else "")
    out.update({f"example:{stem}": f"Example: {ex_name}" for stem, (ex_name, _) in examples.items() if stem != same})
    return out


def yaml_of(key: str) -> str:
    """The canonical YAML a choice stands for (examples are loaded only when picked)."""
    kind, _, rest = key.partition(":")
    if kind == "current":
        return state.current_yaml()
    if kind == "example":
        return compute.example_yaml(rest)
    if kind == "upload":
        return st.session_state.compare_uploads[rest]
    return state.saved_versions()[rest]


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


def default_pick(options: dict[str, str]) -> list[str]:
    """The scenario being edited and the first example that is not the same scenario."""
    name = state.current_scenario().name
    others = [k for k, label in options.items() if k.startswith("example:") and label != f"Example: {name}"]
    return ["current"] + others[:1]
