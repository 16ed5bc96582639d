"""What changed between two versions, in plain words with units, and the KPI differences beside it."""

from __future__ import annotations

import pytest

from modeller.engine import run
from modeller.formatting import kpi_value
from modeller.scenario_io import load_scenario
from modeller.workspace.diff import diff_texts
from tests.conftest import ROOT

MSK = (ROOT / "scenarios" / "msk_prime_provider.yaml").read_text(encoding="utf-8")
STEP_UP = '{from: "2016-10", annual_value: 60000000}'


def test_a_changed_salary_and_a_moved_step_in_words():
    after = MSK.replace("salary: 40823", "salary: 42000").replace(STEP_UP, STEP_UP.replace("2016-10", "2017-01"))
    diff = diff_texts(MSK, after, kpis=False)
    # the band 6 physio's salary is £40,823 in the example file; the £60m step-up moves three months later
    assert [c.text for c in diff.changes] == [
        "MSK prime contract: price change moved Oct 2016 → Jan 2017",
        "MSK physiotherapist (band 6): salary (£ per WTE a year): £40,823 → £42,000",
    ]
    assert (diff.changes[1].path, diff.changes[1].before, diff.changes[1].after) == \
        ("workforce.roles.physio.salary", 40823, 42000)


def test_added_and_removed_items_by_name():
    admin_start = MSK.index("    - id: admin")
    admin_end = MSK.index("    - id: management")
    without_admin = MSK[:admin_start] + MSK[admin_end:]
    lines = diff_texts(MSK, without_admin, kpis=False).lines()
    assert lines == ["Removed staff group: Referral management and booking staff (band 2)"]
    assert diff_texts(without_admin, MSK, kpis=False).lines() == \
        ["Added staff group: Referral management and booking staff (band 2)"]


def test_reordering_items_with_ids_is_no_change():
    admin_start, admin_end = MSK.index("    - id: admin"), MSK.index("    - id: management")
    esp_start = MSK.index("    - id: esp")
    moved = MSK[:esp_start] + MSK[admin_start:admin_end] + MSK[esp_start:admin_start] + MSK[admin_end:]
    assert load_scenario(moved) != load_scenario(MSK)           # the order really changed
    assert diff_texts(MSK, moved).lines() == ["No assumption changed."]


def test_kpi_differences_beside_the_assumptions():
    after = MSK.replace("salary: 40823", "salary: 42000")
    diff = diff_texts(MSK, after)
    names = [k.name for k in diff.kpis]
    # a pay rise changes money KPIs but no head count
    assert "total_ebitda" in names and "staff_cost_share" in names
    assert "peak_wte" not in names and "final_wte" not in names
    before, now = run(load_scenario(MSK)).kpis(), run(load_scenario(after)).kpis()
    ebitda = next(k for k in diff.kpis if k.name == "total_ebitda")
    assert (ebitda.before, ebitda.after) == (before["total_ebitda"], now["total_ebitda"])
    assert ebitda.after < ebitda.before          # more pay, less EBITDA
    assert ebitda.text.startswith(f"Total EBITDA: {kpi_value('total_ebitda', before['total_ebitda'], '2015-04')} → ")
    assert ebitda.text.endswith(")") and "(−£" in ebitda.text


@pytest.mark.parametrize("edit, expected", [
    (("name: MSK prime provider scale-up (illustrative)", "name: MSK v2"),
     "Name: “MSK prime provider scale-up (illustrative)” → “MSK v2”"),
    (('start: "2015-02"              #', 'start: "2014-12"              #'), "Start moved Feb 2015 → Dec 2014"),
])
def test_plain_fields_in_words(edit, expected):
    assert expected in diff_texts(MSK, MSK.replace(*edit, 1), kpis=False).lines()


def test_a_linked_date_in_words():
    linked = MSK.replace(STEP_UP, STEP_UP.replace('"2016-10"', "{after: msk_prime, months: 20}"))
    lines = diff_texts(MSK, linked, kpis=False).lines()
    # the step-up at Oct 2016 becomes 20 months after the contract's Apr 2015 start: Dec 2016
    assert lines == ["MSK prime contract: price change moved Oct 2016 → 20 months after msk_prime"]
