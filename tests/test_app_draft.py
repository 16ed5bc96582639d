"""The editor's draft model and display formats, without Streamlit."""

from __future__ import annotations

import numpy as np
import pytest

from modeller.engine import run
from modeller.scenario_io import ScenarioError, load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import SCENARIOS
from ui import fmt
from ui.columns import TABLE_BY_NAME, section_of
from ui.draft import apply_edits, assemble, frame, parse_month, split, to_native


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_split_then_assemble_gives_the_same_scenario(path):
    sc = load_scenario(path)
    data, problems = assemble(split(scenario_to_data(sc)))
    assert problems == []
    back = scenario_from_data(data)
    by_id = lambda costs: sorted(costs, key=lambda c: c.id)  # noqa: E731
    # costs come back grouped by kind; everything else is identical
    assert back.model_copy(update={"costs": by_id(back.costs)}) == sc.model_copy(update={"costs": by_id(sc.costs)})
    a, b = run(sc), run(back)
    assert all(np.allclose(a.lines[n], b.lines[n], atol=1e-6) for n in a.lines)


def test_every_table_shows_as_a_frame_with_its_columns():
    draft = split(scenario_to_data(load_scenario(SCENARIOS[0])))
    for name, table in TABLE_BY_NAME.items():
        df = frame(draft["tables"][name], table)
        assert list(df.columns) == [c.key for c in table.cols]
        assert len(df) == len(draft["tables"][name])


def test_percent_cells_are_stored_as_decimals_and_untouched_cells_stay_exact():
    table = TABLE_BY_NAME["roles"]
    rows = [{"id": "esp", "fill_rate": 0.1438, "attrition_annual": 0.1}]
    out = apply_edits(rows, {"edited_rows": {"0": {"attrition_annual": 12.5}}}, table)
    assert out[0]["attrition_annual"] == 0.125      # 12.5% typed -> 0.125
    assert out[0]["fill_rate"] == 0.1438             # not round-tripped through 14.38


def test_rows_added_and_deleted():
    table = TABLE_BY_NAME["equity"]
    rows = [{"month": "2025-04", "amount": 1, "source": "a"}, {"month": "2025-05", "amount": 2, "source": "b"}]
    out = apply_edits(rows, {"deleted_rows": [0], "added_rows": [{"month": "2026-01-01T00:00:00",
                                                                  "amount": 5.0}]}, table)
    assert out == [rows[1], {"month": "2026-01", "amount": 5, "source": None}]


@pytest.mark.parametrize("given, month", [
    ("2016-10-01T00:00:00", "2016-10"), ("2016-10", "2016-10"), ("2016-1", "2016-01"),
    (1475280000000, "2016-10"),  # 1 Oct 2016 00:00 UTC in milliseconds
    ("", None), ("October", "October"),
    ("Apr 2026", "2026-04"), ("april 2026", "2026-04"), ("Sept 2026", "2026-09"),   # as a month cell shows it
])
def test_months_from_what_a_date_cell_gives(given, month):
    assert parse_month(given) == month


def test_empty_cells_become_absent_fields():
    table = TABLE_BY_NAME["contracts"]
    col = next(c for c in table.cols if c.key == "annual_value")
    assert to_native(col, float("nan")) is None
    draft = {"scalars": {"name": "x", "start": "2025-04", "months": 12}, "extra": {},
             "tables": {"contracts": [{"id": "c", "name": "C", "mechanism": "block", "start": "2025-04"}]}}
    data, _ = assemble(draft)
    assert "annual_value" not in data["contracts"][0]


def test_orphan_child_rows_are_reported():
    draft = {"scalars": {}, "extra": {}, "tables": {"contract_changes": [{"contract": "ghost", "from": "2026-01"}]}}
    _, problems = assemble(draft)
    assert len(problems) == 1 and "'ghost'" in problems[0]
    assert section_of(problems[0]) == "Contracts"


@pytest.mark.parametrize("line, section", [
    ("contracts[msk_prime].changes[0].from: bad", "Contracts"),
    ("workforce.roles[esp].salary: bad", "Workforce"),
    ("capex[x].amount: bad", "Costs"), ("funding.loans[bank].amount: bad", "Funding"),
    ("activity[r].per_month: bad", "Demand"), ("months: must be at most 240", "Basics"),
    ("uncertainty.parameters[0].path: bad", "Risk ranges"),
    ("scenario: the figures are too large to account for", None),   # beside every section
])
def test_problems_go_beside_their_section(line, section):
    assert section_of(line) == section


def test_display_formats():
    assert fmt.money(1234567.4) == "£1,234,567"
    assert fmt.money(-2500) == "(£2,500)"
    assert fmt.signed_money(-2500) == "−£2,500"
    assert fmt.short_money(2_689_244) == "£2.7m"
    assert fmt.month("2025-04", 12) == "Apr 2026"
    assert fmt.month("2025-04", None) == "never"
    assert fmt.pct(0.0351) == "3.5%"


def _activity_rows(stem: str) -> tuple[dict, list[dict]]:
    draft = split(scenario_to_data(load_scenario(next(p for p in SCENARIOS if p.stem == stem))))
    return draft, draft["tables"]["activity"]


def test_a_stream_that_starts_later_shows_and_returns_its_from_month():
    draft, rows = _activity_rows("imaging_scanners")
    # the trust's scans start with the second site: linked to the trust's contract, which starts in Apr 2027
    i = next(i for i, r in enumerate(rows) if r["id"] == "trust_scans")
    data, problems = assemble(draft)
    assert problems == []
    assert scenario_from_data(data).activity[i].from_ == "2027-04"
    # the same stream with the month typed in: shown as a month, not a full date, and returned as one
    rows[i] = {**rows[i], "from": "2027-04"}
    assert frame(rows, TABLE_BY_NAME["activity"])["from"].iloc[i] == "Apr 2027"
    data, problems = assemble({**draft, "tables": {**draft["tables"], "activity": rows}})
    assert problems == []
    assert scenario_from_data(data).activity[i].from_ == "2027-04"


def test_from_and_to_typed_in_the_demand_table_reach_the_scenario_and_the_engine():
    draft, rows = _activity_rows("msk_prime_provider")
    edits = {"edited_rows": {"0": {"from": "2016-01-01T00:00:00", "to": 1488326400000}}}  # 1 Mar 2017 UTC, in ms
    draft["tables"]["activity"] = apply_edits(rows, edits, TABLE_BY_NAME["activity"])
    data, problems = assemble(draft)
    assert problems == []
    sc = scenario_from_data(data)
    assert (sc.activity[0].from_, sc.activity[0].to) == ("2016-01", "2017-03")
    volume = run(sc).detail["activity"][sc.activity[0].id][0]  # (months,) of draw 0; month 0 is Jan 2015
    assert volume[:12].sum() == 0 and volume[12] > 0   # Jan-Dec 2015 empty, Jan 2016 (month 12) has demand
    assert volume[26] > 0 and volume[27:].sum() == 0   # Mar 2017 (month 12 + 14) is the last month with demand


def test_clearing_from_gives_back_the_whole_horizon_and_to_before_from_is_refused():
    draft, rows = _activity_rows("imaging_scanners")
    i = next(i for i, r in enumerate(rows) if r["id"] == "trust_scans")   # from Apr 2027, the second site
    table = TABLE_BY_NAME["activity"]
    cleared = apply_edits(rows, {"edited_rows": {str(i): {"from": None}}}, table)
    assert "from" not in {k for k, v in cleared[i].items() if v is not None}
    backwards = apply_edits(rows, {"edited_rows": {str(i): {"to": "2026-01-01T00:00:00"}}}, table)
    draft["tables"]["activity"] = backwards
    data, problems = assemble(draft)
    assert problems == []  # each cell is a valid month; the schema judges the pair
    with pytest.raises(ScenarioError, match="to 2026-01 is before from 2027-04"):
        scenario_from_data(data)


def test_an_engine_integrity_failure_is_an_internal_error_naming_the_scenario(monkeypatch, caplog):
    from modeller.statements import IntegrityError
    from ui import compute, state

    text = compute.example_yaml("gp_network")

    def broken(_text):
        raise IntegrityError("balance sheet off by £0.01 in month 3")

    monkeypatch.setattr(compute, "result_of", broken)
    with caplog.at_level("ERROR", logger="ui.state"):
        problems = state._engine_problems(text)
    name = compute.scenario_of(text).name
    assert problems == [f"scenario: internal error: the model could not account for “{name}” to the penny. This "
                        "is a fault in the modeller, not in your figures, and it has been logged; your last good "
                        "version is kept."]
    assert section_of(problems[0]) is None  # shown beside every section
    assert "balance sheet off by £0.01" in caplog.text and name in caplog.text


def test_a_tick_box_keeps_true_and_false_and_a_blank_new_row_takes_the_default():
    from ui.columns import Col
    from ui.draft import to_native

    tick = Col("vat", "VAT charged", "bool")
    assert to_native(tick, False) is False     # an unticked box is "no", not the text "False"
    assert to_native(tick, True) is True
    assert to_native(tick, None) is None       # a new row: the schema's default applies
