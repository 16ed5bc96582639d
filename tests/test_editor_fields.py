"""The scenario editor shows every numeric input of the schema, with the schema's label, unit and help.

`modeller.fields` reads each field's label, unit and help from the schema; `ui/columns.py` declares
only where a column sits. Adding a schema field the editor does not show fails here.
"""

from __future__ import annotations

import pytest

from modeller.fields import input_fields, pattern_of
from modeller.paths import PathError
from ui.columns import SCALARS, TABLE_BY_NAME, TABLES, VIEWS, Col, column_pattern, view_table

NUMERIC_KINDS = ("money", "pct", "int", "wte", "num", "real")
# edited elsewhere (the risk ranges' own tables, in their input's unit) or not an input at all
NOT_IN_THE_FORM = ("uncertainty.parameters.", "uncertainty.correlations.")


def _pattern(source: tuple[str, ...], child_key: str, col: Col) -> str | None:
    """The schema pattern a column edits (a list column: its elements'); None for a non-numeric one."""
    try:
        if col.kind == "list":
            return pattern_of(".".join((*source, "0", *((child_key, "0") if child_key else ()), *col.where, "0")))
        return column_pattern(source, child_key, col)
    except PathError:
        return None


def _scalar_pattern(col: Col) -> str | None:
    try:
        return pattern_of(".".join(col.where))
    except PathError:
        return None


def shown() -> list[tuple[str, str, Col]]:
    """(pattern, where it is shown, column) for every editor column and scalar that edits a numeric field."""
    out = [(p, "scalar", c) for c in SCALARS if (p := _scalar_pattern(c))]
    out += [(p, t.name, c) for t in TABLES for c in t.cols if (p := _pattern(t.source, t.child_key, c))]
    return out


def expected_kind(pattern: str) -> str:
    field = input_fields()[pattern]
    if pattern.endswith(".<n>"):
        return "list"                       # a list of numbers: one cell of comma-separated values
    return {"£": "money", "%": "pct", "months": "int", "WTE": "wte"}.get(field.kind) or (
        "int" if field.whole else "num")


FORM_FIELDS = [p for p in input_fields() if p != "schema_version" and not p.startswith(NOT_IN_THE_FORM)]


@pytest.mark.parametrize("pattern", FORM_FIELDS)
def test_every_schema_field_has_an_editor_column_with_its_label_and_unit(pattern):
    field = input_fields()[pattern]
    editors = [(where, c) for p, where, c in shown() if p == pattern]
    assert editors, f"the editor shows no column or box for {pattern}: add it to ui/columns.py"
    for where, c in editors:
        assert field.label in c.label, (where, c.key)
        assert c.kind == expected_kind(pattern), (where, c.key)


def test_the_walk_reaches_every_kind_of_field():
    # a guard on the test itself: money, rates, months, WTE, whole and plain numbers, lists
    assert {expected_kind(p) for p in FORM_FIELDS} == {"money", "pct", "int", "wte", "num", "list"}
    assert len(FORM_FIELDS) > 60


def test_no_numeric_column_lacks_a_schema_field():
    columns = [("scalar", c, _scalar_pattern(c)) for c in SCALARS]
    columns += [(t.name, c, _pattern(t.source, t.child_key, c)) for t in TABLES for c in t.cols]
    for where, c, pattern in columns:
        if c.kind in NUMERIC_KINDS:
            assert pattern is not None, f"{where}.{c.key} edits no numeric field of the schema"
            field = input_fields()[pattern]
            # the header and tooltip are the schema's: "Annual value (£ a year)", its help
            assert (c.label, c.help, c.unit) == (field.heading, field.help, field.unit), (where, c.key)
        else:
            assert pattern is None or c.kind == "list", (where, c.key)   # a number never edited as text


def test_headers_show_the_unit():
    contracts = {c.key: c for c in TABLE_BY_NAME["contracts"].cols}
    assert contracts["annual_value"].label == "Annual value (£ a year)"
    assert contracts["ramp_months"].label == "Ramp-up (months)"              # not "(months) (months)"
    assert contracts["population"].label == "Population (people)"
    assert {c.key: c.label for c in SCALARS}["pay_inflation"] == "Pay inflation (% a year)"
    assert {c.key: c.label for c in TABLE_BY_NAME["plan_steps"].cols}["wte"] == "Target WTE"   # says its unit


def test_a_short_header_keeps_the_full_label_and_the_schema_help_in_its_tooltip():
    views = [(t, v) for t in TABLES for v in VIEWS.get(t.name, ()) if v.labels]
    assert views
    for table, view in views:
        full = {c.key: c for c in table.cols}
        for c in view_table(table, view).cols:
            if c.key in dict(view.labels):
                assert c.label == dict(view.labels)[c.key]
                assert c.help.startswith(full[c.key].label) and full[c.key].help in c.help, (view.name, c.key)
    rate = next(c for c in view_table(TABLE_BY_NAME["contracts"], VIEWS["contracts"][2]).cols
                if c.key == "rate_per_head")
    assert rate.help == "Rate per head (£ per head a year). capitation contracts"


def test_risk_range_values_stay_in_their_inputs_unit():
    ranges = {c.key: c for c in TABLE_BY_NAME["risk_ranges"].cols}
    for key in ("low", "mode", "high", "mean", "sd", "median", "sigma"):
        assert ranges[key].kind == "real"                 # may be negative; scaled as its input is shown
    assert ranges["low"].label == "Low" and ranges["sigma"].label == "Sigma (log scale)"
