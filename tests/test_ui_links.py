"""Links between tables as choices (ui/links.py): the ids that exist, and input paths in the editor's words."""

from __future__ import annotations

from modeller.fields import field_of, is_engine_input
from modeller.paths import get_number, numeric_paths
from modeller.scenario_io import load_scenario, scenario_to_data
from tests.conftest import ROOT
from ui.columns import TABLE_BY_NAME
from ui.draft import split
from ui.links import path_label, path_options, ref_options, ref_paths, resolve
from ui.renames import REF_COLUMNS

MSK = load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml")
TABLES = split(scenario_to_data(MSK))["tables"]


def col(table: str, key: str):
    return next(c for c in TABLE_BY_NAME[table].cols if c.key == key)


def test_a_link_offers_the_ids_of_the_table_it_names():
    # MSK's roles in the file's order: seven employed directly, then five seconded from NHS partners
    assert ref_options(col("plan_steps", "role"), TABLES, ["esp"]) == [
        "founders", "management", "data_team", "esp", "physio", "gpwsi", "admin",
        "community_physio", "community_specialists", "consultant", "acute_therapy", "seconded_admin"]
    assert ref_options(col("contracts", "activity"), TABLES, [None]) == ["referrals"]
    # a risk share may name any cost line, whichever table shows it
    costs = ref_options(col("contracts", "rs_cost"), TABLES, ["onward_care"])
    assert {"premises", "onward_care", "mobilisation"} <= set(costs)


def test_a_name_that_is_not_an_id_still_shows_so_validation_can_say_why():
    assert ref_options(col("plan_steps", "role"), TABLES, ["nobody", "esp"])[-1] == "nobody"


def test_every_input_the_engine_draws_can_be_picked_for_a_risk_range_and_reads_in_words():
    options = path_options(MSK, ["contracts.ghost.ramp_months"])
    drawn = [p for p in numeric_paths(MSK) if is_engine_input(p)]
    assert options[:-1] == drawn and options[-1] == "contracts.ghost.ramp_months"
    # the horizon and seasonality factors are numbers the engine never draws: the loader refuses them
    assert "months" not in options and not any(".seasonality." in p for p in options)
    assert len(drawn) > 40
    for path in options[:-1]:
        get_number(MSK, path)                      # every offer is a real input
        words, shown_by = resolve(path, TABLES)
        assert shown_by is not None, path          # every one is shown somewhere in the editor


def test_path_labels_name_table_row_and_the_fields_heading_with_its_unit():
    assert path_label("activity.referrals.annual_growth", TABLES) == "Demand streams · referrals · Growth (% a year)"
    assert path_label("costs.onward_care.payment_lag_months", TABLES) == (
        "Costs per unit of activity · onward_care · Paid after (months)")   # the table holding the id
    assert path_label("workforce.roles.esp.plan.1.wte", TABLES) == "Staffing plan · esp row 2 · Target WTE"
    assert path_label("funding.equity.0.amount", TABLES) == "Equity raised · row 1 · Amount (£)"
    assert path_label("indexation.pay") == "Pay inflation (% a year)"
    assert path_label("workforce.roles.esp.attrition_annual", TABLES).endswith("Leavers (% a year)")   # a rate, not £
    assert path_label("no.such.path") == "no.such.path"


def test_every_path_offered_reads_with_its_fields_heading():
    # one rule: the words end in the schema's heading (label and unit), whatever the column shows
    for path in path_options(MSK, []):
        assert path_label(path, TABLES).endswith(" · " + field_of(path).heading) or (
            path_label(path, TABLES) == field_of(path).heading), path


def test_correlations_offer_the_paths_of_the_ranges_listed():
    ranges = TABLES["risk_ranges"]
    assert ref_paths(ranges, [])[:2] == ["activity.referrals.per_month", "activity.referrals.annual_growth"]


def test_the_rename_table_is_read_from_the_columns_links():
    assert dict(REF_COLUMNS) == {
        "activity": (("contracts", "activity"), ("roles", "driver_activity"), ("per_unit_costs", "activity")),
        "costs": (("contracts", "rs_cost"),)}


def test_a_label_that_already_says_its_unit_does_not_say_it_twice():
    assert path_label("contracts.msk_prime.start_delay_months", TABLES) == "Contracts · msk_prime · Start delay (months)"
