"""The Scenario page's editor in AppTest: choosing an example, moving the first month, links as dropdowns."""

from __future__ import annotations

import pytest
import streamlit as st
import yaml

from modeller.dates_shift import shift_dates, shift_month
from modeller.engine import run
from modeller.formatting import money, month_label
from modeller.metrics import KPIS
from modeller.scenario_io import ScenarioError, load_scenario
from tests.conftest import ROOT
from tests.test_app import edit_table, key, metric, open_section, start
from ui import compute

NPV = KPIS["npv"].label   # the card is titled as every layer names the KPI

GP = ROOT / "scenarios" / "gp_network.yaml"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield


def test_choosing_an_example_opens_it_without_another_click():
    at = start()
    npv = metric(at, NPV)
    at.selectbox(key="example").set_value("gp_network").run()
    assert not at.exception
    assert at.session_state["source"] == f"Example: {load_scenario(GP).name}"
    assert metric(at, NPV) != npv              # the figures follow the description
    assert not at.error and not any("Not open yet" in i.value for i in at.info)


def test_an_example_that_fails_to_open_keeps_the_scenario_and_says_so(monkeypatch):
    at = start()
    good, npv = at.session_state["good_yaml"], metric(at, NPV)
    real = compute.example_yaml

    def broken(stem: str) -> str:
        if stem == "gp_network":
            raise ScenarioError("gp_network.yaml", ["start: month 2025-13 is not a valid YYYY-MM"])
        return real(stem)

    monkeypatch.setattr(compute, "example_yaml", broken)
    at.selectbox(key="example").set_value("gp_network").run()
    assert not at.exception
    assert at.session_state["good_yaml"] == good and metric(at, NPV) == npv
    assert any("has not opened" in e.value and "2025-13" in e.value for e in at.error)


def test_after_a_blank_template_the_list_says_the_example_is_not_open_and_the_button_opens_it():
    at = start()
    at.button(key="blank").click().run()
    assert any("Not open yet" in i.value and "Blank template" in i.value for i in at.info)
    at.button(key="open_example").click().run()
    assert "MSK prime provider" in at.session_state["source"]
    assert not any("Not open yet" in i.value for i in at.info)


def set_start(at, text: str):
    at.text_input(key=key(at, "start")).set_value(text).run()
    assert not at.exception
    return at


def test_moving_the_first_month_moves_every_date_with_it_by_default():
    at = open_section(start(), "Basics")
    peak, npv = metric(at, "Peak funding requirement"), metric(at, NPV)
    before = yaml.safe_load(at.session_state["good_yaml"])
    at = set_start(at, shift_month(before["start"], 132))   # 11 years later
    data = yaml.safe_load(at.session_state["good_yaml"])
    # every month moved 132 months; dates linked to a contract stay links (they follow its moved start). The
    # editor lists costs by kind, so they are compared by id
    expected = {**shift_dates(before, 132), "start": shift_month(before["start"], 132)}
    for d in (data, expected):
        d["costs"] = sorted(d["costs"], key=lambda c: c["id"])
    assert data == expected
    assert any(isinstance(s["from"], dict) for r in data["workforce"]["roles"] for s in r.get("plan") or [])
    assert metric(at, "Peak funding requirement") == peak and metric(at, NPV) == npv   # same plan, later
    assert any("moved 132 months later" in s.value for s in at.success)
    # the editors were redrawn from the moved draft: the box shows the new month, a later edit applies
    moved = shift_month(before["start"], 132)
    assert at.text_input(key=key(at, "start")).value == month_label(moved, 0)
    at = set_start(at, shift_month(moved, 1))
    assert f"start: {shift_month(moved, 1)}" in at.session_state["good_yaml"].replace("'", "")


def test_with_moving_off_the_items_now_before_the_start_are_refused_and_listed():
    at = open_section(start(), "Basics")
    peak = metric(at, "Peak funding requirement")
    good = at.session_state["good_yaml"]
    first = yaml.safe_load(good)["start"]
    contract_start = yaml.safe_load(good)["contracts"][0]["start"]
    at.checkbox(key="move_dates").uncheck().run()
    at = set_start(at, "2016-09")
    warning = next(w.value for w in at.warning if "now fall before the first month" in w.value)
    assert f"Start: {month_label(contract_start, 0)}" in warning.replace("\\", "")
    assert "which a scenario cannot have" in warning and f"it was {month_label(first, 0)}" in warning
    # the scenario is refused (each item is named in its own section); the last good one and its figures stay
    assert any("**Out of date.**" in w.value and "problems" in w.value for w in at.warning)
    assert any("contracts[msk_prime].start: Apr 2015 is before the model's first month (Sep 2016)" in p
               for p in state_problems(at))
    assert at.session_state["good_yaml"] == good and metric(at, "Peak funding requirement") == peak


def state_problems(at) -> list[str]:
    """The draft's problems as the app holds them (each section shows its own)."""
    return list(at.session_state["problems"])


def test_a_first_month_typed_in_two_goes_still_moves_the_dates():
    at = open_section(start(), "Basics")
    before = yaml.safe_load(at.session_state["good_yaml"])
    at = set_start(at, "2016-")                     # not a month yet: a problem, nothing moves
    assert at.session_state["problems"]
    later = shift_month(before["start"], 12)
    at = set_start(at, later)                       # moved from the last valid month: 12 months later
    data = yaml.safe_load(at.session_state["good_yaml"])
    assert data["start"] == later
    assert data["contracts"][0]["start"] == shift_month(before["contracts"][0]["start"], 12)


def tables_shown(at) -> dict:
    """The frames the section's table editors show, by table name."""
    return {d.key.split("_", 1)[1]: d.value for d in at.dataframe}


def open_gp_contracts():
    at = start()
    at.selectbox(key="example").set_value("gp_network").run()
    return open_section(at, "Contracts")


def test_contracts_show_one_table_per_mechanism_and_an_edit_reaches_the_right_contract():
    at = open_gp_contracts()
    frames = tables_shown(at)
    assert list(frames["contracts_block"]["id"]) == ["workforce_programme"]
    assert list(frames["contracts_activity"]["id"]) == ["locum_booking"]
    assert list(frames["contracts_capitation"]["id"]) == ["membership"]
    assert "annual_value" not in frames["contracts_capitation"]        # only the columns its mechanism uses
    assert max(len(df.columns) for df in frames.values()) <= 8
    at = edit_table(at, "contracts_capitation", edited={0: {"rate_per_head": 0.75}})   # 75p a head
    data = yaml.safe_load(at.session_state["good_yaml"])
    assert next(c for c in data["contracts"] if c["id"] == "membership")["rate_per_head"] == 0.75


def test_a_contract_added_in_a_mechanisms_table_has_that_mechanism_and_says_what_it_still_needs():
    at = open_gp_contracts()
    at = edit_table(at, "contracts_activity", added=[{"id": "extra"}])
    draft = at.session_state["draft"]["tables"]["contracts"]
    assert next(r for r in draft if r["id"] == "extra")["mechanism"] == "activity"
    assert any("Activity contracts · extra: still needs Name, Start" in e.value for e in at.error)
    at = edit_table(at, "contracts_activity", added=[{"id": "extra", "name": "Extra sessions", "start": "Jun 2025"}])
    assert any("Activity contracts · extra: " in e.value and "needs Price £/unit" in e.value for e in at.error)


def test_changing_a_mechanism_moves_the_contract_to_that_table():
    at = open_gp_contracts()
    at = edit_table(at, "contract_terms", edited={2: {"mechanism": "block"}})         # workforce_programme
    assert not at.exception
    assert list(tables_shown(at)["contracts_block"]["id"]) == ["workforce_programme"]   # was block already
    at = edit_table(at, "contract_terms", edited={0: {"mechanism": "block"}})         # membership: now block
    frames = tables_shown(at)
    assert sorted(frames["contracts_block"]["id"]) == ["membership", "workforce_programme"]   # moved there
    assert frames["contracts_capitation"].empty
    assert any("membership" in e.value and "annual" in e.value.lower() for e in at.error)   # it needs a value


def test_a_risk_share_is_edited_in_its_own_table():
    at = open_section(start(), "Contracts")
    at = edit_table(at, "contract_risk_shares", edited={0: {"rs_cap": 400000}})
    assert yaml.safe_load(at.session_state["good_yaml"])["contracts"][0]["risk_share"]["cap"] == 400000


def test_the_page_says_what_is_paid_out_before_the_first_receipt_and_from_when():
    at = start()
    line = next(m.value for m in at.markdown if "Paid out before the first receipt" in m.value)
    # MSK starts at mobilisation, before its contract: what is paid before the money arrives shows, from when
    sc = load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml")
    kpis = run(sc).kpis()
    first_receipt = month_label(sc.start, kpis["first_receipt_month"])
    paid = kpis["committed_before_first_receipt"]
    assert paid > 0 and money(paid) in line
    assert f"from {month_label(sc.start, 0)} until the first receipt in {first_receipt}" in line


def test_paid_before_first_receipt_matches_the_engines_figure():
    import modeller
    from ui.before_receipt import before_first_receipt

    result = modeller.run(modeller.load_scenario(ROOT / "scenarios" / "community_first_contract.yaml"))
    k = result.kpis()
    assert result.first_payment_month() == 0 and k["first_receipt_month"] == 3
    assert f"£{k['committed_before_first_receipt']:,.0f}, from Apr 2025 until the first receipt in Jul 2025" in (
        before_first_receipt(result))
