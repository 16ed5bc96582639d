"""Renaming an id carries its references along (ui/renames.py), without Streamlit."""

from modeller.scenario_io import load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import ROOT
from ui.columns import TABLE_BY_NAME
from ui.draft import assemble, split
from ui.renames import apply_renames, renamed_ids

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"


def test_an_edit_of_the_id_cell_is_a_rename_and_other_cells_are_not():
    rows = [{"id": "referrals"}, {"id": "follow_ups"}]
    table = TABLE_BY_NAME["activity"]
    assert renamed_ids(rows, {"edited_rows": {"0": {"id": "refs"}, "1": {"per_month": 3}}}, table) == {
        "referrals": "refs"}
    assert renamed_ids(rows, {"edited_rows": {"1": {"id": "follow_ups"}}}, table) == {}   # unchanged
    assert renamed_ids(rows, {"edited_rows": {"0": {"id": ""}}}, table) == {}             # cleared: no rename
    assert renamed_ids(rows, {"edited_rows": {"0": {"id": "x"}}}, TABLE_BY_NAME["equity"]) == {}


def test_renaming_a_demand_stream_and_a_cost_keeps_the_scenario_valid_and_identical_in_numbers():
    draft = split(scenario_to_data(load_scenario(MSK)))
    draft["tables"]["activity"][0]["id"] = "msk_referrals"
    draft = apply_renames(draft, "activity", {"referrals": "msk_referrals"})
    cost = next(r for r in draft["tables"]["per_unit_costs"] if r["id"] == "onward_care")
    cost["id"] = "acute_onward_care"
    draft = apply_renames(draft, "per_unit_costs", {"onward_care": "acute_onward_care"})
    data, problems = assemble(draft)
    assert problems == []
    sc = scenario_from_data(data)  # raises if any reference dangles
    assert sc.contracts[0].risk_share.cost == "acute_onward_care"
    paths = {p.path for p in sc.uncertainty.parameters}
    assert {"activity.msk_referrals.per_month", "costs.acute_onward_care.unit_cost"} <= paths
    assert {(c.a, c.b) for c in sc.uncertainty.correlations} == {
        ("activity.msk_referrals.per_month", "activity.msk_referrals.annual_growth")}


def test_a_path_is_renamed_only_on_a_whole_id():
    draft = {"tables": {"risk_ranges": [{"path": "activity.referrals_2.per_month"},
                                        {"path": "activity.referrals.per_month"}], "correlations": []}}
    out = apply_renames(draft, "activity", {"referrals": "r"})
    assert [r["path"] for r in out["tables"]["risk_ranges"]] == ["activity.referrals_2.per_month",
                                                                 "activity.r.per_month"]
    assert draft["tables"]["risk_ranges"][1]["path"] == "activity.referrals.per_month"  # input untouched


def test_giving_a_row_an_id_another_row_holds_is_not_a_rename():
    # renaming a to b (taken) and following it would hand a's references to b: merged for good
    table = TABLE_BY_NAME["contracts"]
    rows = [{"id": "a"}, {"id": "b"}]
    assert renamed_ids(rows, {"edited_rows": {"0": {"id": "b"}}}, table) == {}
    # and back from a duplicate: the references of both still say "b", so none may move
    dupes = [{"id": "b"}, {"id": "b"}]
    assert renamed_ids(dupes, {"edited_rows": {"0": {"id": "a"}}}, table) == {}


def test_renaming_a_role_moves_its_plan_steps_and_its_risk_ranges():
    draft = split(scenario_to_data(load_scenario(MSK)))
    draft["tables"]["roles"][0]["id"], old = "esp_lead", draft["tables"]["roles"][0]["id"]
    steps = sum(r["role"] == old for r in draft["tables"]["plan_steps"])
    out = apply_renames(draft, "roles", {old: "esp_lead"})
    assert steps and sum(r["role"] == "esp_lead" for r in out["tables"]["plan_steps"]) == steps
    data, problems = assemble(out)
    assert problems == [] and scenario_from_data(data).workforce.roles[0].id == "esp_lead"


def test_renaming_a_contract_carries_the_dates_linked_to_it():
    sc = load_scenario(MSK)
    assert sc.links   # MSK links its subcontracts, hires and costs to msk_prime and its step-up
    draft = split(scenario_to_data(sc))
    draft["tables"]["contracts"][0]["id"] = "msk_main"
    draft = apply_renames(draft, "contracts", {"msk_prime": "msk_main"})
    data, problems = assemble(draft)
    assert problems == []
    renamed = scenario_from_data(data)   # raises if a link still names msk_prime
    assert {link.contract for link in renamed.links.values()} == {"msk_main"}
    assert len(renamed.links) == len(sc.links)
    # every linked date resolves to the same month as before (the editor lists costs by kind: compare by id)
    assert sorted(renamed.costs, key=lambda c: c.id) == sorted(sc.costs, key=lambda c: c.id)
