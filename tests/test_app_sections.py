"""Scenario editor sections: Risk ranges (inputs, correlations, draws, seed), renames that carry references, whole-scenario problems."""

from __future__ import annotations

import pytest
import streamlit as st
import yaml

from modeller.metrics import KPIS
from modeller.scenario_io import load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import ROOT
from tests.test_app import edit_table, key, open_section, start
from ui.columns import TABLE_BY_NAME
from ui.draft import apply_edits, assemble, frame, split

NPV = KPIS["npv"].label   # the card is titled as every layer names the KPI

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield


def test_a_scenario_without_ranges_gains_no_uncertainty_section():
    data = scenario_to_data(load_scenario(MSK))
    del data["uncertainty"]
    back, problems = assemble(split(data))
    assert problems == [] and "uncertainty" not in back


def test_ranges_show_in_their_own_units_and_negative_lows_are_kept():
    draft = split(scenario_to_data(load_scenario(MSK)))
    rows = draft["tables"]["risk_ranges"]
    df = frame(rows, TABLE_BY_NAME["risk_ranges"])
    growth = df.index[df["path"] == "activity.referrals.annual_growth"][0]
    assert df.loc[growth, "high"] == 10.0             # a rate shows as a percentage, as every rate does
    pay = df.index[df["path"] == "indexation.pay"][0]
    assert (df.loc[pay, "mean"], df.loc[pay, "sd"]) == (1.5, 0.5)   # 1.5% ± 0.5%
    delay = df.index[df["path"] == "contracts.msk_prime.start_delay_months"][0]
    assert df.loc[delay, "values"] == "0, 1, 3"       # discrete values as a comma list
    edited = apply_edits(rows, {"edited_rows": {str(growth): {"low": -2}}}, TABLE_BY_NAME["risk_ranges"])
    draft["tables"]["risk_ranges"] = edited
    data, problems = assemble(draft)
    assert problems == []
    sc = scenario_from_data(data)
    assert sc.uncertainty.parameters[growth].low == -0.02  # a fall in demand is a valid range


def test_editing_a_range_in_the_app_reaches_the_scenario():
    at = open_section(start(), "Risk ranges")
    assert not at.exception
    assert at.number_input(key=key(at, "draws")).value == 10000
    # the three-point table shows MSK's rows 0, 1, 2 and 4 (PERT and triangular): its row 1 is growth
    at = edit_table(at, "risk_three_point", edited={1: {"high": 15}})     # 15%: growth held as 0.15
    assert not at.exception and not at.error
    u = yaml.safe_load(at.session_state["good_yaml"])["uncertainty"]
    assert u["parameters"][1] == {"path": "activity.referrals.annual_growth", "dist": "triangular",
                                  "low": 0.0, "mode": 0.04, "high": 0.15}


def test_renaming_a_contract_carries_its_changes_and_risk_ranges_along():
    at = open_section(start(), "Contracts")
    npv = next(m.value for m in at.metric if m.label == NPV)
    at = edit_table(at, "contracts_block", edited={0: {"id": "msk_main"}})
    assert not at.exception and not at.error and not at.warning
    data = yaml.safe_load(at.session_state["good_yaml"])
    assert [c["id"] for c in data["contracts"]][0] == "msk_main"
    assert data["contracts"][0]["changes"], "the contract's step changes followed it"
    paths = [p["path"] for p in data["uncertainty"]["parameters"]]
    assert "contracts.msk_main.start_delay_months" in paths and not any("msk_prime" in p for p in paths)
    assert next(m.value for m in at.metric if m.label == NPV) == npv  # same business, new name
    # the editors were redrawn from the renamed draft: a later edit still applies
    at = edit_table(open_section(at, "Contracts"), "contracts_block", edited={0: {"annual_value": 13000000}})
    assert "annual_value: 13000000" in at.session_state["good_yaml"]


def test_a_path_to_an_unknown_id_shows_beside_risk_ranges_and_keeps_the_results():
    at = open_section(start(), "Risk ranges")
    good = at.session_state["good_yaml"]
    # MSK's start delay (the file's range 3) is its only discrete range: row 0 of that table
    at = edit_table(at, "risk_discrete", edited={0: {"path": "contracts.ghost.start_delay_months"}})
    assert at.session_state["good_yaml"] == good
    assert any("Out of date" in w.value for w in at.warning)
    assert any("ghost" in e.value for e in at.error)
    at = open_section(at, "Contracts")
    assert not any("ghost" in e.value for e in at.error)  # not beside the contracts


def test_figures_too_large_to_account_for_are_a_problem_not_a_crash():
    at = open_section(start(), "Demand")
    good = at.session_state["good_yaml"]
    at = edit_table(at, "activity", edited={0: {"per_month": 1e12}})  # a trillion referrals a month
    assert not at.exception
    assert at.session_state["good_yaml"] == good
    # the schema's limits refuse it now (100 million a month), beside the section edited, in its words
    assert any("Demand streams · referrals · Units a month: must be at most" in e.value for e in at.error)
    assert any("Out of date" in w.value for w in at.warning)


def test_an_upload_too_large_to_account_for_is_refused_with_a_message():
    at = start()
    good = at.session_state["good_yaml"]
    text = (ROOT / "scenarios" / "gp_network.yaml").read_text()
    data = yaml.safe_load(text)
    data["activity"][0]["per_month"] = 1e13
    at.file_uploader(key="upload").set_value(("huge.yaml", yaml.safe_dump(data).encode(), "application/x-yaml")).run()
    assert not at.exception
    assert any("huge.yaml" in e.value and "per_month: must be at most" in e.value for e in at.error)
    assert at.session_state["good_yaml"] == good


def test_a_clash_of_ids_is_a_problem_and_moves_no_references():
    at = start()
    at.selectbox(key="example").set_value("community_first_contract")
    at.button(key="open_example").click().run()
    at = open_section(at, "Contracts")
    good = at.session_state["good_yaml"]
    at = edit_table(at, "contracts_block", edited={0: {"id": "urgent_response"}})  # the second contract's id
    assert at.session_state["good_yaml"] == good
    assert any("urgent_response" in e.value for e in at.error)
    paths = [r["path"] for r in at.session_state["draft"]["tables"]["risk_ranges"]]
    assert any(p.startswith("contracts.frailty_service.") for p in paths)  # not handed to the other contract
    at = edit_table(at, "contracts_block", edited={0: {"id": "frailty_service"}})  # undo the clash
    assert not at.error and at.session_state["good_yaml"] == good
