"""The engine behind the app: cached on the scenario's YAML text, never on the object."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from modeller.engine import run
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.scenario_io import (
    ScenarioError,
    dump_scenario,
    load_scenario,
    parse_yaml,
    scenario_from_data,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = ROOT / "scenarios"


def scenario_of(yaml_text: str) -> Scenario:
    """The Scenario a canonical YAML text describes (the text comes from `dump_scenario`)."""
    return scenario_from_data(parse_yaml(yaml_text, "scenario"), "scenario")


@st.cache_data(max_entries=64, show_spinner=False)
def result_of(yaml_text: str) -> Result:
    """Run the engine once per distinct scenario text; every page and every user shares it."""
    return run(scenario_of(yaml_text))


@st.cache_data(show_spinner=False)
def examples() -> dict[str, tuple[str, str, str]]:
    """Example scenarios by file stem: (name, description, canonical YAML)."""
    out = {}
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        try:
            sc = load_scenario(path)
        except ScenarioError:
            continue  # a broken example is reported by the tests, not by the app
        out[path.stem] = (sc.name, sc.description, dump_scenario(sc))
    return out
