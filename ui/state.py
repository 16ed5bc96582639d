"""Each person's working state, kept in their own `st.session_state` (never in module globals).

Stable API for every page (the Risk page relies on these names):

- `current_scenario() -> Scenario`: the last scenario that passed validation.
- `current_result() -> Result`: the engine's result for it (cached on its YAML text).
- `is_stale() -> bool`: True while the scenario being edited has problems, so the
  results on screen belong to the last good version, not to what is in the editor.
- `problems() -> list[str]`: those problems, one line each ("contracts[x].start: ...").
- `current_yaml() -> str`: the last good scenario as canonical YAML.

The editor works on a *draft* (see ui/draft.py). A draft that fails validation never
replaces the last good scenario; it only marks it stale.
"""

from __future__ import annotations

import logging

import streamlit as st

from modeller.result import Result
from modeller.scenario import Scenario
from modeller.scenario_io import (
    MAX_FILE_BYTES,
    ScenarioError,
    dump_scenario,
    parse_yaml,
    scenario_from_data,
    scenario_to_data,
)
from modeller.statements import IntegrityError
from ui import compute
from ui.blank import blank_data
from ui.draft import assemble, split

log = logging.getLogger(__name__)

DEFAULT_EXAMPLE = "msk_prime_provider"


def init() -> None:
    """Give a new session its starting scenario (the MSK example, or the blank template)."""
    ss = st.session_state
    if "good_yaml" in ss:
        return
    ss.version = 0
    ss.saved = {}
    ss.upload_problems = []
    examples = compute.examples()
    if examples:
        stem = DEFAULT_EXAMPLE if DEFAULT_EXAMPLE in examples else next(iter(examples))
        if load_example(stem):
            load_blank()  # the example did not open (its problems show in the picker when chosen)
        ss.example = stem
    else:
        load_blank()


def _adopt(scenario: Scenario, source: str, example: str | None = None) -> None:
    ss = st.session_state
    ss.loaded_example = example  # the example file it came from, if any (Compare lists it once)
    ss.version = ss.get("version", 0) + 1  # new widget keys: editors start from the new scenario
    ss.draft = split(scenario_to_data(scenario))
    ss.bases = {}
    ss.good_yaml = dump_scenario(scenario)
    ss.problems = []
    ss.checked = assemble(ss.draft)
    ss.source = source


def load_example(stem: str) -> list[str]:
    """Open an example; on failure keep the current scenario and return the problems (one line each)."""
    name, _ = compute.examples()[stem]
    try:
        text = compute.example_yaml(stem)
    except ScenarioError as err:
        return err.lines
    engine_problems = [f"{stem}.yaml: {p}" for p in _engine_problems(text)]
    if engine_problems:
        return engine_problems
    _adopt(compute.scenario_of(text), f"Example: {name}", stem)
    return []


def load_blank() -> None:
    _adopt(scenario_from_data(blank_data(), "blank template"), "Blank template")


def read_upload(content: bytes, filename: str) -> Scenario:
    """A Scenario from uploaded bytes, or ScenarioError with lines naming the file."""
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(filename, [f"the file is {len(content) / 1e6:.1f} MB; scenario files are limited "
                                       f"to 1 MB"])
    return scenario_from_data(parse_yaml(content, filename), filename)


def load_upload(content: bytes, filename: str) -> list[str]:
    """Adopt an uploaded scenario; on failure keep the current one and return the problems."""
    try:
        scenario = read_upload(content, filename)
    except ScenarioError as err:
        st.session_state.upload_problems = err.lines
        return err.lines
    engine_problems = [f"{filename}: {p}" for p in _engine_problems(dump_scenario(scenario))]
    if engine_problems:
        st.session_state.upload_problems = engine_problems
        return engine_problems
    _adopt(scenario, f"Upload: {filename}")
    st.session_state.upload_problems = []
    return []


def set_draft(draft: dict, redraw: bool = False) -> None:
    """Record the edited draft; if it is valid it becomes the current scenario.

    With `redraw`, every editor starts again from this draft (new widget keys), as after a
    rename that rewrote rows of tables other than the one edited."""
    ss = st.session_state
    ss.draft = draft
    if redraw:
        ss.version += 1
        ss.bases = {}
    checked = assemble(draft)
    if checked == ss.checked:
        return
    ss.checked = checked
    data, problems = checked
    if problems:
        ss.problems = problems
        return
    try:
        scenario = scenario_from_data(data, "scenario")
    except ScenarioError as err:
        ss.problems = err.problems
        return
    text = dump_scenario(scenario)
    engine_problems = _engine_problems(text)
    if engine_problems:
        ss.problems = engine_problems
        return
    ss.good_yaml = text
    ss.problems = []


def _engine_problems(text: str) -> list[str]:
    """Run (and cache) the engine on a valid scenario. Figures too large to account for are refused
    by the schema's limits before this; an IntegrityError here is a bug in the engine, so it is
    logged for us and told to the person as an internal error, keeping their last good scenario."""
    try:
        compute.result_of(text)
    except IntegrityError:
        name = compute.scenario_of(text).name
        log.exception("the engine failed its own checks on scenario %r", name)
        return [f"scenario: internal error: the model could not account for “{name}” to the penny. This is a "
                "fault in the modeller, not in your figures, and it has been logged; your last good version is kept."]
    return []


def editor_key(name: str) -> str:
    """Widget key of a table editor or scalar input for the scenario loaded now."""
    return f"ed{st.session_state.version}_{name}"


def draft() -> dict:
    return st.session_state.draft


def current_yaml() -> str:
    return st.session_state.good_yaml


def current_scenario() -> Scenario:
    return current_result().scenario


def current_result() -> Result:
    return compute.result_of(st.session_state.good_yaml)


def is_stale() -> bool:
    return bool(st.session_state.get("problems"))


def problems() -> list[str]:
    return list(st.session_state.get("problems", []))


def source() -> str:
    return st.session_state.get("source", "")


def loaded_example() -> str | None:
    """File stem of the example the current scenario was opened from (it may have been edited since)."""
    return st.session_state.get("loaded_example")


def save_version() -> str:
    """Keep the current good scenario under a new label for the Compare page (once per distinct scenario)."""
    ss = st.session_state
    for label, text in ss.saved.items():
        if text == ss.good_yaml:
            return label
    label = f"Version {len(ss.saved) + 1}: {current_scenario().name}"
    ss.saved[label] = ss.good_yaml
    return label


def saved_versions() -> dict[str, str]:
    return dict(st.session_state.get("saved", {}))
