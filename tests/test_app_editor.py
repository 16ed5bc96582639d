"""The Scenario page's editor in AppTest: choosing an example, moving the first month, links as dropdowns."""

from __future__ import annotations

import pytest
import streamlit as st

from modeller.scenario_io import ScenarioError, load_scenario
from tests.conftest import ROOT
from tests.test_app import metric, start
from ui import compute

GP = ROOT / "scenarios" / "gp_network.yaml"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield


def test_choosing_an_example_opens_it_without_another_click():
    at = start()
    npv = metric(at, "NPV")
    at.selectbox(key="example").set_value("gp_network").run()
    assert not at.exception
    assert at.session_state["source"] == f"Example: {load_scenario(GP).name}"
    assert metric(at, "NPV") != npv              # the figures follow the description
    assert not at.info and not at.error          # nothing says it is not open


def test_an_example_that_fails_to_open_keeps_the_scenario_and_says_so(monkeypatch):
    at = start()
    good, npv = at.session_state["good_yaml"], metric(at, "NPV")
    real = compute.example_yaml

    def broken(stem: str) -> str:
        if stem == "gp_network":
            raise ScenarioError("gp_network.yaml", ["start: month 2025-13 is not a valid YYYY-MM"])
        return real(stem)

    monkeypatch.setattr(compute, "example_yaml", broken)
    at.selectbox(key="example").set_value("gp_network").run()
    assert not at.exception
    assert at.session_state["good_yaml"] == good and metric(at, "NPV") == npv
    assert any("has not opened" in e.value and "2025-13" in e.value for e in at.error)


def test_after_a_blank_template_the_list_says_the_example_is_not_open_and_the_button_opens_it():
    at = start()
    at.button(key="blank").click().run()
    assert any("Not open yet" in i.value and "Blank template" in i.value for i in at.info)
    at.button(key="open_example").click().run()
    assert "MSK prime provider" in at.session_state["source"]
    assert not at.info
