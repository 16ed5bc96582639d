"""The Streamlit app headless (AppTest): every page with every example, and the key interactions."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from modeller.metrics import KPIS
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT, SCENARIOS

PAGES = ["overview", "workforce", "cash", "statements", "risk", "compare", "review", "export"]
MSK = "msk_prime_provider"
NPV = KPIS["npv"].label  # the NPV card's title


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def key(at: AppTest, name: str) -> str:
    return f"ed{at.session_state['version']}_{name}"


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def open_section(at: AppTest, section: str) -> AppTest:
    at.segmented_control(key="section").set_value(section).run()
    return at


def edit_table(at: AppTest, table: str, edited=None, added=None, deleted=None) -> AppTest:
    at.session_state[key(at, table)] = {"edited_rows": edited or {}, "added_rows": added or [],
                                        "deleted_rows": deleted or []}
    return at.run()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_page_renders_with_every_example(path):
    at = start()
    at.selectbox(key="example").set_value(path.stem)
    at.button(key="open_example").click().run()
    assert not at.exception
    assert at.session_state["source"] == f"Example: {load_scenario(path).name}"
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value  # every page says what it is
    at.switch_page("ui/pages/overview.py").run()
    assert len(at.metric) == 12   # the headline cards (ui.kpis.headline_cards): MIRR beside the IRRs
    assert at.dataframe[0].value.index.name == "NHS year"


def test_opens_on_the_msk_example_with_results():
    at = start()
    assert "MSK prime provider" in at.session_state["source"]
    assert metric(at, "Peak funding requirement").startswith("£")
    assert not at.warning  # nothing is out of date


def test_editing_a_scalar_changes_the_results():
    at = open_section(start(), "Funding")
    before = at.session_state["good_yaml"]
    at.number_input(key=key(at, "minimum_cash")).set_value(400000.0).run()
    assert not at.exception
    assert "minimum_cash: 400000" in at.session_state["good_yaml"]
    assert at.session_state["good_yaml"] != before


def test_editing_a_percentage_stores_a_decimal():
    at = open_section(start(), "Basics")
    at.number_input(key=key(at, "discount_rate")).set_value(5.0).run()
    # the person types 5 (per cent); the scenario holds 0.05
    assert "discount_rate: 0.05\n" in at.session_state["good_yaml"]


def test_editing_a_contract_value_in_its_table_changes_the_kpis():
    at = open_section(start(), "Contracts")
    npv_before = metric(at, NPV)
    at = edit_table(at, "contracts_block", edited={0: {"annual_value": 15000000}})
    assert not at.exception
    assert "annual_value: 15000000" in at.session_state["good_yaml"]
    assert metric(at, NPV) != npv_before


def test_a_bad_edit_keeps_the_last_good_results_marked_stale_until_fixed():
    at = open_section(start(), "Contracts")
    good, npv = at.session_state["good_yaml"], metric(at, NPV)
    at = edit_table(at, "contracts_block", edited={0: {"start": "2015-13-01"}})
    assert at.session_state["good_yaml"] == good  # last good scenario kept
    assert metric(at, NPV) == npv
    assert any("Out of date" in w.value for w in at.warning)
    assert any("Block contracts · msk_prime · Start: month 2015-13-01" in e.value for e in at.error)  # beside it,
    assert any("contracts[msk_prime].start" in c.value for c in at.code)   # in the table's words; paths for YAML
    at = edit_table(at, "contracts_block", edited={0: {"start": "2015-05-01"}})
    assert not at.warning and not at.error
    assert "start: 2015-05" in at.session_state["good_yaml"]


def test_stale_mark_shows_on_other_pages():
    at = open_section(start(), "Contracts")
    at = edit_table(at, "contracts_block", edited={0: {"annual_value": -1}})
    at.switch_page("ui/pages/overview.py").run()
    assert any("Out of date" in w.value for w in at.warning)
    assert metric(at, "Peak funding requirement").startswith("£")


def test_adding_and_deleting_rows():
    at = open_section(start(), "Costs")
    peak = metric(at, "Peak funding requirement")
    at = edit_table(at, "one_off_costs", added=[{"id": "legal", "name": "Legal fees", "amount": 900000,
                                                "month": "2015-04-01", "payment_lag_months": 0}])
    assert "id: legal" in at.session_state["good_yaml"]
    assert metric(at, "Peak funding requirement") != peak
    at = edit_table(at, "one_off_costs", deleted=[0])
    assert "id: mobilisation\n" not in at.session_state["good_yaml"]


def test_a_plan_step_for_an_unknown_role_is_a_problem_beside_workforce():
    at = open_section(start(), "Workforce")
    at = edit_table(at, "plan_steps", added=[{"role": "nobody", "from": "2016-01-01", "wte": 3}])
    assert any("'nobody'" in e.value for e in at.error)
    assert any("Out of date" in w.value for w in at.warning)


def test_edits_survive_a_visit_to_another_page():
    at = open_section(start(), "Contracts")
    at = edit_table(at, "contracts_block", edited={0: {"annual_value": 15000000}})
    at.switch_page("ui/pages/overview.py").run()
    at.switch_page("ui/pages/scenario.py").run()
    open_section(at, "Contracts")
    assert not at.exception
    assert "annual_value: 15000000" in at.session_state["good_yaml"]


def test_upload_good_file_replaces_the_scenario():
    at = start()
    text = (ROOT / "scenarios" / "gp_network.yaml").read_bytes()
    at.file_uploader(key="upload").set_value(("gp.yaml", text, "application/x-yaml")).run()
    assert not at.exception
    assert at.session_state["source"] == "Upload: gp.yaml"
    assert load_scenario(text.decode()).name in at.session_state["good_yaml"]


@pytest.mark.parametrize("content, expected", [
    (b"name: [unclosed", "not valid YAML"),
    (b"name: x\nstart: '2025-04'\nmonths: 999\n", "months: must be at most 240"),
    (b"a: &x [1]\nb: *x\n", "aliases"),
    (b"x" * 1_000_001, "limited to 1 MB"),
])
def test_a_bad_upload_shows_its_problems_and_keeps_the_scenario(content, expected):
    at = start()
    good = at.session_state["good_yaml"]
    at.file_uploader(key="upload").set_value(("bad.yaml", content, "application/x-yaml")).run()
    assert not at.exception
    assert any(expected in e.value and "bad.yaml" in e.value for e in at.error)
    assert at.session_state["good_yaml"] == good


def test_blank_template_runs():
    at = start()
    at.button(key="blank").click().run()
    assert not at.exception
    assert at.session_state["source"] == "Blank template"
    assert metric(at, NPV).startswith(("£", "("))


def test_compare_two_scenarios_shows_differences():
    at = start()
    at.button(key="save_version").click().run()
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table.shape[1] == 4  # Figure, two scenarios, one difference column
    assert any(c.startswith("Δ ") for c in table.columns)
    labels = at.multiselect(key="compare_pick").options
    assert any(lb.startswith("Version 1:") for lb in labels)


def test_statements_switch_to_monthly():
    at = start()
    at.switch_page("ui/pages/statements.py").run()
    yearly = at.dataframe[0].value
    at.segmented_control(key="stmt_period").set_value("Monthly").run()
    monthly = at.dataframe[0].value
    # MSK mobilises from Jan 2015 (NHS year 2014/15) to the contract's end in Mar 2020: 3 + 60 months
    assert list(yearly.columns)[0] == "2014/15"
    assert list(monthly.columns)[0] == "Jan 2015"
    assert len(monthly.columns) == 63


def test_export_page_offers_yaml_and_csvs():
    at = start()
    at.switch_page("ui/pages/export.py").run()
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"export_yaml", "export_csv_pnl_monthly", "export_csv_kpis"} <= keys


def test_demand_editor_from_and_to_months_round_trip():
    at = open_section(start(), "Demand")
    at.session_state[key(at, "activity")] = {"edited_rows": {"0": {"from": "2016-01-01T00:00:00",
                                                                   "to": "2017-03-01T00:00:00"}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.session_state["problems"]
    text = at.session_state["good_yaml"]
    assert "from: 2016-01" in text.replace("'", "").replace('"', "")
    assert "to: 2017-03" in text.replace("'", "").replace('"', "")
    at.session_state[key(at, "activity")] = {"edited_rows": {"0": {"from": "2018-01-01T00:00:00",  # cumulative
                                                                   "to": "2017-03-01T00:00:00"}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()  # now "to" (Mar 2017) is before "from": the edit is refused and the results are marked stale
    assert any("before" in p for p in at.session_state["problems"])
    assert at.session_state["good_yaml"] == text
