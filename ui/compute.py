"""The engine behind the app: cached on the scenario's YAML text, never on the object."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import yaml

from modeller.engine import run
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.scenario_io import (
    dump_scenario,
    load_scenario,
    parse_yaml,
    scenario_from_data,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "scenarios"
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # for text already checked (or names only)


@st.cache_resource(max_entries=64, show_spinner=False)
def scenario_of(yaml_text: str) -> Scenario:
    """The Scenario a canonical YAML text describes, shared by every page and person (it is frozen).

    The text always comes from `dump_scenario` of a scenario that already passed `parse_yaml`'s
    checks (uploads, examples and edits all do), so libyaml's loader reads it ~20x faster than the
    guarded pure-Python path; the same schema still validates it.
    """
    if _FAST_LOADER is yaml.SafeLoader:
        return scenario_from_data(parse_yaml(yaml_text, "scenario"), "scenario")
    return scenario_from_data(yaml.load(yaml_text, Loader=_FAST_LOADER), "scenario")


@st.cache_data(max_entries=64, show_spinner=False)
def result_of(yaml_text: str) -> Result:
    """Run the engine once per distinct scenario text; every page and every user shares it."""
    return run(scenario_of(yaml_text))


@st.cache_data(show_spinner=False)
def examples() -> dict[str, tuple[str, str]]:
    """Example scenarios by file stem: (name, description), read cheaply for the picker."""
    out = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST_LOADER)
        except yaml.YAMLError:
            continue  # a broken example is reported by the tests, not by the app
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            out[path.stem] = (data["name"], str(data.get("description", "")))
    return out


@st.cache_data(show_spinner=False)
def example_yaml(stem: str) -> str:
    """Canonical YAML of one example, validated the same way as any uploaded file."""
    return dump_scenario(load_scenario(EXAMPLES_DIR / f"{stem}.yaml"))
