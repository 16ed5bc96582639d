"""What changed between two versions, in plain words with units, and the KPI differences beside it."""

from __future__ import annotations

import pytest

from modeller.engine import run
from modeller.formatting import kpi_value
from modeller.scenario_io import load_scenario
from modeller.workspace.diff import diff_texts
from tests.storage_support import MSK, as_text, edited, msk_data, role

PHYSIO_SALARY = "MSK physiotherapists (band 6), employed: salary (£ per WTE a year)"


def test_a_changed_salary_and_a_moved_step_in_words():
    data = msk_data()
    assert data["contracts"][0]["changes"][0]["from"] == "2016-10"   # the step-up to the whole pathway
    data["contracts"][0]["changes"][0]["from"] = "2017-01"
    role(data, "physio")["salary"] = 42000
    diff = diff_texts(MSK, as_text(data), kpis=False)
    # the employed band 6 physios' salary is £40,823 in the example file; the £60m step-up moves three months on
    # (the dates linked to it move with it, but their links are unchanged, so they are no change of assumption)
    assert [c.text for c in diff.changes] == [
        "MSK prime contract: price change moved Oct 2016 → Jan 2017",
        f"{PHYSIO_SALARY}: £40,823 → £42,000",
    ]
    assert (diff.changes[1].path, diff.changes[1].before, diff.changes[1].after) == \
        ("workforce.roles.physio.salary", 40823, 42000)


def test_added_and_removed_items_by_name():
    data = msk_data()
    data["workforce"]["roles"] = [r for r in data["workforce"]["roles"] if r["id"] != "gpwsi"]
    without = as_text(data)
    assert diff_texts(MSK, without, kpis=False).lines() == \
        ["Removed staff group: GPs with an extended role in MSK (sessional)"]
    assert diff_texts(without, MSK, kpis=False).lines() == \
        ["Added staff group: GPs with an extended role in MSK (sessional)"]


def test_reordering_items_with_ids_is_no_change():
    data = msk_data()
    data["workforce"]["roles"].reverse()
    moved = as_text(data)
    assert load_scenario(moved) != load_scenario(MSK)           # the order really changed
    assert diff_texts(MSK, moved).lines() == ["No assumption changed."]


def test_kpi_differences_beside_the_assumptions():
    after = edited(42000)
    diff = diff_texts(MSK, after)
    names = [k.name for k in diff.kpis]
    # a pay rise changes money KPIs but no head count
    assert "total_ebitda" in names and "staff_cost_share" in names
    assert "peak_wte" not in names and "final_wte" not in names
    before, now = run(load_scenario(MSK)).kpis(), run(load_scenario(after)).kpis()
    ebitda = next(k for k in diff.kpis if k.name == "total_ebitda")
    assert (ebitda.before, ebitda.after) == (before["total_ebitda"], now["total_ebitda"])
    assert ebitda.after < ebitda.before          # more pay, less EBITDA
    start = load_scenario(MSK).start
    assert ebitda.text.startswith(f"Total EBITDA: {kpi_value('total_ebitda', before['total_ebitda'], start)} → ")
    assert ebitda.text.endswith(")") and "(−£" in ebitda.text


@pytest.mark.parametrize("field, value, expected", [
    ("name", "MSK v2", "Name: “{}” → “MSK v2”"),
    ("start", "2014-12", "Start moved Jan 2015 → Dec 2014"),   # the example starts in Jan 2015
])
def test_plain_fields_in_words(field, value, expected):
    data = msk_data()
    before = data[field]
    data[field] = value
    assert diff_texts(MSK, as_text(data), kpis=False).lines() == [expected.format(before)]


def test_a_linked_date_in_words():
    data = msk_data()
    data["contracts"][0]["changes"][0]["from"] = {"after": "msk_prime", "months": 20}
    # the step-up at Oct 2016 becomes 20 months after the contract's start
    assert diff_texts(MSK, as_text(data), kpis=False).lines() == \
        ["MSK prime contract: price change moved Oct 2016 → 20 months after msk_prime"]
