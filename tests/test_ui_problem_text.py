"""Problems in the editor's words (ui/problem_text.py): table, row and column, not field paths."""

from __future__ import annotations

import pytest

from modeller.scenario_io import load_scenario, scenario_to_data
from tests.conftest import ROOT
from ui.draft import split
from ui.problem_text import readable


@pytest.fixture
def tables():
    t = split(scenario_to_data(load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml")))["tables"]
    t["contracts"].append({"id": "extra", "mechanism": "activity"})
    return t


@pytest.mark.parametrize("line, words", [
    # admin's first plan step is the 12th row of the staffing plan: after founders' 1 step and the 2 steps each
    # of management, data_team, esp, physio and gpwsi (1 + 5 × 2 = 11)
    ("workforce.roles[admin].plan[0].from: required field is missing", "Staffing plan · row 12 (admin): still needs From"),
    ("contracts[msk_prime].start: month 2015-13 is not a valid YYYY-MM",
     "Block contracts · msk_prime · Start: month 2015-13 is not a valid YYYY-MM"),
    ("contracts[msk_prime].changes[0].from: bad", "Contract changes · row 1 (msk_prime) · From: bad"),
    ("contracts[msk_prime].withhold.share: must be at most 1",
     "Every contract: income withheld · msk_prime · Withheld %: must be at most 100%"),
    ("costs[onward_care].unit_cost: bad", "Costs per unit of activity · onward_care · Unit cost (£ per unit): bad"),
    ("funding.equity[0].month: bad", "Equity raised · row 1 · Month: bad"),
    # MSK's range 4 (the start delay) is its only discrete range: row 1 of the discrete table
    ("uncertainty.parameters[4].path: no item 'x'",
     "Discrete values with their probabilities · row 1 · Uncertain input: no item 'x'"),
    # range 3 (the hospital subcontracts) is the 4th three-point range, after ranges 0, 1 and 2
    ("uncertainty.parameters[3].high: bad", "Three-point ranges: low, most likely and high · row 4 · High: bad"),
    ("months: must be at most 240", "Length (months): must be at most 240"),
    # a rate's bounds as the percentages its box takes, not the file's decimals
    ("workforce.roles[esp].fill_rate: must be at most 1.0 (got 1.5); rates and shares are decimals: 1.5% is 0.015",
     "Roles · esp · Fill rate (%): must be at most 100% (got 150%)"),
    ("indexation.pay: must be at least -0.2 (got -0.5)", "Pay inflation (% a year): must be at least -20% (got -50%)"),
    ("contracts[extra]: a activity contract needs price_per_unit and activity",
     "Activity contracts · extra: a activity contract needs Price £/unit and activity"),
    ("scenario: the figures are too large", "scenario: the figures are too large"),      # the whole scenario
    ("contracts: Contract changes row 1 names contract 'ghost'", "Contract changes row 1 names contract 'ghost'"),
])
def test_a_problem_names_the_table_row_and_column(tables, line, words):
    assert readable([line], tables) == [words]


def test_a_half_filled_row_says_once_what_it_still_needs(tables):
    lines = ["contracts[extra].name: required field is missing", "contracts[extra].start: required field is missing",
             "months: must be at most 240"]
    assert readable(lines, tables) == ["Activity contracts · extra: still needs Name, Start",
                                       "Length (months): must be at most 240"]


def test_a_list_shown_as_several_tables_hides_no_row():
    from ui.columns import VIEWS, view_positions

    rows = [{"dist": "pert"}, {"dist": "normal"}, {"dist": None}, {"dist": "triangular"}, {"dist": "weibull"}]
    shown = dict(zip((v.name for v in VIEWS["risk_ranges"]), view_positions(VIEWS["risk_ranges"], rows),
                     strict=True))
    # PERT and triangular share the three-point table; a distribution not chosen yet, or one no table
    # lists, shows there too (validation then says what is wrong), so every row is somewhere, once
    assert shown == {"risk_three_point": [0, 2, 3, 4], "risk_uniform": [], "risk_normal": [1],
                     "risk_lognormal": [], "risk_discrete": []}
    contracts = view_positions(VIEWS["contracts"], [{"mechanism": "block"}, {"mechanism": "activity"}])
    shown = dict(zip((v.name for v in VIEWS["contracts"]), contracts, strict=True))
    # one table per mechanism, the activity contracts' payment terms, and the "every contract" views
    assert contracts[:3] == [[0], [1], []] and shown["contract_activity_payments"] == [1]
    assert all(p == [0, 1] for n, p in shown.items() if n.startswith("contract_") and n != "contract_activity_payments")
