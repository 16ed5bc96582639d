"""Validation beyond the bad-file corpus: missing files, the edges of the new limits, and
properties over mutated examples (every problem at once, no duplicates, never a crash)."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from modeller import ScenarioError, load_scenario, run
from modeller.references import check_raw_references, check_references
from modeller.scenario import MAX_SEED, Scenario
from modeller.scenario_io import scenario_from_data
from tests.conftest import SCENARIOS
from tests.test_validation_corpus import _assert_friendly

EXAMPLES = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SCENARIOS}
HEAD = 'name: Edge\nstart: "2025-04"\nmonths: 24\n'


# --- a path that names no file -----------------------------------------------------------

@pytest.mark.parametrize("name", ["missing.yaml", "Missing.YML", "sub/dir/missing.yaml"])
def test_a_yaml_name_that_is_not_a_file_says_so(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    assert caught.value.lines == [f"{Path(name).name}: no such file: {name}; check the file name "
                                  "and the folder it is in"]


def test_a_missing_path_object_says_so_and_names_it(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "nope.yaml", source="nope.yaml")
    assert caught.value.lines == [f"nope.yaml: no such file: {tmp_path / 'nope.yaml'}; check the file name "
                                  "and the folder it is in"]


def test_a_folder_is_not_a_scenario_file(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(tmp_path))
    assert "is a folder, not a scenario file" in caught.value.lines[0]


def test_one_line_yaml_text_is_still_text():
    # `name: x.yaml` ends in .yaml but is a mapping, and a long one-line flow mapping is
    # too long to be a file name (it used to raise OSError: File name too long)
    with pytest.raises(ScenarioError, match="start: required field is missing"):
        load_scenario("name: x.yaml")
    text = '{name: Flow, start: "2025-04", months: 12, description: ' + "x" * 300 + "}"
    assert load_scenario(text).name == "Flow"


# --- the edges of the limits -------------------------------------------------------------

def test_a_one_month_life_depreciates_in_one_month():
    # £1,200 over 1/12 year = 1 month: all of it in the month after purchase (no VAT on it: an exempt
    # provider capitalises VAT it cannot recover, which would make it £1,440)
    s = load_scenario(HEAD + 'capex: [{id: kit, name: Kit, amount: 1200, month: "2025-04", life_years: 0.0834, '
                      "vat: false}]\n")
    dep = run(s).lines["depreciation"][0]
    assert dep[1] == pytest.approx(1200) and dep.sum() == pytest.approx(1200)


@pytest.mark.parametrize("seed", [0, MAX_SEED])
def test_seeds_at_the_limits_run(seed):
    from modeller.risk.montecarlo import simulate

    s = load_scenario(HEAD + "activity: [{id: visits, name: Visits, per_month: 100}]\n"
                      f"uncertainty: {{draws: 5, seed: {seed}, parameters: "
                      "[{path: activity.visits.per_month, dist: uniform, low: 90, high: 110}]}\n")
    assert simulate(s).draws == 5


@pytest.mark.parametrize("path", ["funding.equity.².amount", "funding.equity.٣.amount", "funding.equity.３.amount",
                                  "funding.equity." + "9" * 150 + ".amount"])
def test_odd_positions_in_uncertain_paths_are_reported_not_raised(path):
    # '²' is a digit int() refuses and a 150-digit part is no position: both once raised ValueError;
    # int() reads Arabic and full-width digits, which are no position either (longer paths are refused)
    text = (HEAD + 'funding: {equity: [{month: "2025-04", amount: 5}]}\n'
            f"uncertainty: {{parameters: [{{path: '{path}', dist: uniform, low: 0, high: 1}}]}}\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(text, source="odd.yaml")
    assert caught.value.lines[0].startswith("odd.yaml: uncertainty.parameters[0].path: ")
    assert "no item" in caught.value.lines[0] and "(known: positions 0..0)" in caught.value.lines[0]
    bad_field = text.replace("amount: 5}", "amount: -5}")  # the same path beside a field error
    with pytest.raises(ScenarioError) as caught:
        load_scenario(bad_field, source="odd.yaml")
    _assert_friendly(caught.value, "odd.yaml")


def test_true_and_false_are_not_numbers_anywhere_numeric():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(HEAD + "activity: [{id: visits, name: Visits, per_month: 100, seasonality: "
                      "[yes, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}]\nuncertainty: {draws: on, seed: off}\n")
    paths = [line.split(": ")[1] for line in caught.value.lines]
    assert paths == ["activity[visits].seasonality[0]", "uncertainty.draws", "uncertainty.seed"]


# --- every problem at once ---------------------------------------------------------------

def test_field_and_reference_problems_come_together_each_once():
    data = copy.deepcopy(EXAMPLES["msk_prime_provider.yaml"])
    data["months"] = 999                                             # a field error
    onward = next(c for c in data["costs"] if c["id"] == "onward_care")
    onward["activity"] = "referals"                                  # and two references
    data["contracts"][0]["risk_share"]["cost"] = "onward"
    data["costs"].append(copy.deepcopy(data["costs"][0]))           # and a duplicate id
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data, "msk.yaml")
    lines = caught.value.lines
    assert lines[0] == "msk.yaml: months: must be at most 240 (got 999)"
    assert any("costs[onward_care].activity: 'referals' is not a known activity id" in x for x in lines)
    assert any("risk_share.cost: 'onward' is not a known cost id" in x for x in lines)
    assert any(f"costs[{data['costs'][0]['id']}].id: id" in x and "is used twice" in x for x in lines)
    assert len(lines) == len(set(lines)) == 4


def test_malformed_sections_are_skipped_not_guessed():
    # activity is not a list, so nothing can be said about the names that refer to it
    data = {"name": "x", "start": "2025-04", "months": 12, "activity": "lots",
            "costs": [{"id": "c", "name": "C", "kind": "per_unit", "activity": "visits", "unit_cost": 1}]}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data, "m.yaml")
    assert not any("not a known activity id" in x for x in caught.value.lines)


# --- properties over mutated examples ----------------------------------------------------

def _places(node, prefix=()):
    """The path (keys and positions) to every value in a nested structure, itself included."""
    out = [prefix]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        out += _places(value, (*prefix, key))
    return out


def _ids(data) -> list[str]:
    """Every snake_case text value in the data: ids, and names of the right shape to be one."""
    return sorted({v for v in _walk_values(data) if isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9_]*", v)})


def _walk_values(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _walk_values(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_values(v)
    else:
        yield node


junk = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
    st.sampled_from(["", "²", "9" * 40, "referrals", "activity.x.per_month", "contracts.0.annual_value"]),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
)


def _mutate(data, draw, count):
    for _ in range(count):
        places = [p for p in _places(data) if p]
        where = draw(st.sampled_from(places))
        parent = data
        for key in where[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "id"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "id":  # a plausible wrong name: another id, or one with a typo
            ids = _ids(data) or ["x"]
            name = draw(st.sampled_from(ids))
            parent[where[-1]] = draw(st.sampled_from([name, name[:-1] or "y", name + "s"]))
        else:
            parent[where[-1]] = draw(junk)
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(EXAMPLES)), st.data())
def test_mutated_examples_give_problems_each_once_never_a_crash(name, data):
    mutated = _mutate(copy.deepcopy(EXAMPLES[name]), data.draw, data.draw(st.integers(1, 6)))
    check_raw_references(mutated)  # never raises, whatever the shape
    try:
        scenario_from_data(mutated, "m.yaml")
    except ScenarioError as err:
        _assert_friendly(err, "m.yaml")
        assert err.lines and len(err.lines) == len(set(err.lines))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(EXAMPLES)), st.data())
def test_raw_and_full_reference_checks_agree_on_valid_fields(name, data):
    # change only names (ids and references): when every field is valid, the light check
    # over raw data must find exactly what the full check finds, uncertain paths included
    mutated = copy.deepcopy(EXAMPLES[name])
    ref_places = [p for p in _places(mutated) if p and p[-1] in ("id", "activity", "cost")
                  and isinstance(_get(mutated, p), str)]
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(ref_places))
        ids = _ids(mutated)
        name_ = data.draw(st.sampled_from(ids))
        _set(mutated, where, data.draw(st.sampled_from([name_, name_ + "s", name_[:-1] + "z"])))
    try:
        scenario = Scenario.model_validate(mutated)
    except ValidationError:
        return  # a renamed `from` or `kind`: not what this property is about
    # what the light check leaves to the full one: fields (which may be left out of the file
    # and take their defaults) and the correlation matrix
    left_to_full = ("is not a numeric field", "the section before", "is not a field here",
                    "cannot look inside", "cannot all hold at once")
    full = [p for p in check_references(scenario) if not any(phrase in p[1] for phrase in left_to_full)]
    assert check_raw_references(mutated) == full


def _get(data, where):
    for key in where:
        data = data[key]
    return data


def _set(data, where, value):
    _get(data, where[:-1])[where[-1]] = value


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.floats(), st.integers(), st.text(max_size=8)),
                    lambda kids: st.one_of(st.lists(kids, max_size=4),
                                           st.dictionaries(st.sampled_from(
                                               ["activity", "contracts", "costs", "workforce", "roles", "driver",
                                                "risk_share", "cost", "id", "kind", "uncertainty", "parameters",
                                                "correlations", "path", "a", "b", "per_unit", "funding", "loans"]),
                                               kids, max_size=5)),
                    max_leaves=30))
def test_raw_reference_check_survives_any_shape(data):
    problems = check_raw_references(data)
    assert all(isinstance(p, str) and isinstance(m, str) for p, m in problems)


def test_raw_check_is_quiet_on_every_example():
    for name, data in EXAMPLES.items():
        assert check_raw_references(data) == [], name


def test_a_month_outside_the_years_covered_says_which_years():
    from modeller.scenario import check_month

    with pytest.raises(ValueError, match="outside the years the model covers \\(1900 to 2200\\)"):
        check_month("2262-04")          # well formed, but past the last year the model covers
