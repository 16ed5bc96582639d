"""Compare page: each scenario is listed once, and a copy says what it is the same as."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MSK = "MSK prime provider scale-up (illustrative)"


@pytest.fixture
def at():
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=60).run()


def _options(at) -> list[str]:
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    return list(at.multiselect(key="compare_pick").options)


def _edit_minimum_cash(at) -> None:
    at.switch_page("ui/pages/scenario.py").run()
    at.segmented_control(key="section").set_value("Funding").run()
    at.number_input(key=f"ed{at.session_state['version']}_minimum_cash").set_value(400000.0).run()


def test_the_unedited_example_is_listed_once_as_the_current_scenario(at):
    options = _options(at)
    assert [o for o in options if MSK in o] == [f"Current: {MSK} (same as the example)"]
    current, other = at.multiselect(key="compare_pick").value  # option keys, shown through their labels
    assert current == "current" and other.startswith("example:") and other != "example:msk_prime_provider"


def test_after_an_edit_the_example_is_a_different_scenario_again(at):
    _edit_minimum_cash(at)
    options = _options(at)
    assert f"Current: {MSK}" in options and f"Example: {MSK}" in options
    table = at.dataframe[0].value
    assert table.shape[1] == 4  # Figure, current, the other example, one Δ column


def test_saving_the_same_scenario_twice_keeps_one_version(at):
    at.button(key="save_version").click().run()
    at.button(key="save_version").click().run()
    assert list(at.session_state["saved"]) == [f"Version 1: {MSK}"]
    _edit_minimum_cash(at)
    at.button(key="save_version").click().run()
    options = _options(at)
    assert f"Version 1: {MSK}" in options  # the unedited one
    assert f"Version 2: {MSK} (same as current)" in options
