"""The schema describes every numeric input once (label, unit, help); `modeller.fields` reads it back."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from modeller import fields
from modeller.fields import UNITS, field_of, input_fields, input_label, is_engine_input, pattern_of
from modeller.paths import PathError, numeric_paths
from modeller.scenario import Scenario, about
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT, SCENARIOS

EXAMPLES = [p.stem for p in SCENARIOS]


def load_example(name: str) -> Scenario:
    return load_scenario(ROOT / "scenarios" / f"{name}.yaml")


def _json_schema_field(schema: dict, pattern: str) -> dict:
    """The JSON Schema entry of a pattern, following $refs, list items and unions."""
    defs = schema["$defs"]

    def resolve(node: dict) -> dict:
        if "$ref" in node:
            return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
        for key in ("anyOf", "oneOf"):
            if key in node:
                options = [resolve(o) for o in node[key] if o.get("type") != "null"]
                merged: dict = {"properties": {}}
                for o in options:
                    merged["properties"].update(o.get("properties", {}))
                return merged if merged["properties"] else options[0]
        return node

    node: dict = schema
    parts = pattern.split(".")
    for i, part in enumerate(parts):
        if part in ("<id>", "<n>"):
            continue
        holder = resolve(node)
        if holder.get("type") == "array":
            holder = resolve(holder["items"])
        node = holder["properties"][part]
        if i + 2 < len(parts) and parts[i + 1] in ("<id>", "<n>"):   # a list of numbers keeps its own title
            inner = resolve(node)
            node = inner.get("items", inner) if inner.get("type") == "array" else inner
    return node


def test_every_numeric_field_has_a_label_a_known_unit_and_limits():
    found = input_fields()
    assert len(found) > 60                                   # the schema has about 75 numeric inputs today
    for pattern, spec in found.items():
        assert spec.label and spec.label[0].isupper(), pattern
        assert spec.unit in UNITS, f"{pattern}: unit {spec.unit!r} is not one of fields.UNITS"
        assert spec.low <= spec.high, pattern
    # a money field's limit comes from the Money type even where the field is optional (Money | None)
    assert found["contracts.<id>.risk_share.cap"].high == 10_000_000_000
    assert found["contracts.<id>.payment_lag_months"].whole and not found["contracts.<id>.share"].whole


def test_the_json_schema_carries_each_fields_label_unit_and_help():
    schema = Scenario.model_json_schema()
    for pattern, spec in input_fields().items():
        entry = _json_schema_field(schema, pattern)
        assert entry.get("title") == spec.label, pattern
        assert entry.get("unit") == spec.unit, pattern
        assert (entry.get("description") or "") == spec.help, pattern


def test_a_field_declared_without_label_or_unit_is_refused():
    class Bare(BaseModel):
        amount: float = 0.0

    class Described(BaseModel):
        amount: float = Field(0.0, **about("Amount", "£", "a sum"))

    with pytest.raises(TypeError, match="no label or unit"):
        fields._walk([Bare], "", {})
    out: dict = {}
    fields._walk([Described], "", out)
    assert out["amount"].heading == "Amount (£)"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_numeric_path_of_every_example_has_a_field_and_a_readable_label(name):
    scenario = load_example(name)
    for path in numeric_paths(scenario):
        spec = field_of(path)
        label = input_label(scenario, path)
        assert label != path, path
        assert spec.label.lower() in label.lower(), (path, label)
        if spec.unit not in ("number", "input", "factor", "draws") and not spec.label.lower().endswith(spec.unit.lower()):
            assert f"({spec.unit})" in label, (path, label)


def test_patterns_replace_ids_and_positions():
    assert pattern_of("contracts.msk_prime.changes.0.annual_value") == "contracts.<id>.changes.<n>.annual_value"
    assert pattern_of("funding.equity.2.amount") == "funding.equity.<n>.amount"
    assert pattern_of("activity.referrals.seasonality.11") == "activity.<id>.seasonality.<n>"
    for bad in ("contracts.msk_prime.colour", "months.3", "nothing"):
        with pytest.raises(PathError):
            pattern_of(bad)


def test_only_fields_the_engine_reads_per_draw_may_be_uncertain():
    assert is_engine_input("contracts.msk_prime.annual_value")
    assert is_engine_input("workforce.roles.esp.plan.1.wte")
    for ignored in ("months", "schema_version", "activity.referrals.seasonality.3", "uncertainty.draws",
                    "uncertainty.parameters.0.low", "not.a.path"):
        assert not is_engine_input(ignored), ignored


def test_labels_name_the_item_and_the_step():
    msk = load_example("msk_prime_provider")
    assert input_label(msk, "contracts.msk_prime.changes.0.annual_value") == \
        "MSK prime contract: annual value (£ a year) from Oct 2016"
    assert input_label(msk, "indexation.pay") == "Pay inflation (% a year)"
    assert input_label(msk, "workforce.on_costs.ni_threshold") == "Staff on-costs: NI threshold (£ a year)"
    assert input_label(msk, "contracts.nope.annual_value") == "contracts.nope.annual_value"
