"""Linked dates (model book, "Linked dates"): written, resolved, saved and moved with their contract."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from modeller import run, run_batch
from modeller.date_links import DateLink
from modeller.scenario_io import dump_scenario, load_scenario
from tests.helpers import scenario

# MSK: £1.2m a year from Jul 2025 (month 3), doubled from Apr 2026 (month 12); 24 months from Apr 2025
MSK = {"id": "msk", "name": "MSK", "mechanism": "block", "annual_value": 1_200_000, "start": "2025-07",
       "changes": [{"from": "2026-04", "annual_value": 2_400_000}]}
LINKED_COSTS = [
    {"id": "subcontracts", "name": "Subcontracts", "kind": "fixed", "annual": 120_000,
     "from": {"after": "msk.changes[0]", "months": 0}},
    {"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 30_000, "month": {"after": "msk", "months": -2}},
    {"id": "rent", "name": "Rent", "kind": "fixed", "annual": 24_000, "from": "2025-04"},       # not linked
]
LINKED_CAPEX = [{"id": "kit", "name": "Kit", "amount": 60_000, "life_years": 5, "month": {"after": "msk", "months": -1}}]


def linked(delay: int = 0, **parts):
    return scenario(months=24, contracts=[{**MSK, "start_delay_months": delay}], costs=LINKED_COSTS,
                    capex=LINKED_CAPEX, **parts)


def test_a_linked_date_resolves_from_its_contract_and_the_contract_delay():
    s = linked(delay=2)
    by_id = {c.id: c for c in s.costs}
    # the step-up, Apr 2026, delayed 2 months: Jun 2026
    assert by_id["subcontracts"].from_ == "2026-06"
    # two months before the start, Jul 2025, delayed 2 months (Sep 2025): Jul 2025
    assert by_id["setup"].month == "2025-07"
    assert s.capex[0].month == "2025-08"
    assert by_id["rent"].from_ == "2025-04"
    assert s.links == {"costs.subcontracts.from": DateLink("msk", 0, 0), "costs.setup.month": DateLink("msk", None, -2),
                       "capex.kit.month": DateLink("msk", None, -1)}


def test_links_are_saved_as_links_and_load_back_equal():
    s = linked(delay=1)
    text = dump_scenario(s)
    data = yaml.safe_load(text)
    assert data["costs"][0]["from"] == {"after": "msk.changes[0]", "months": 0}
    assert data["costs"][2]["from"] == "2025-04"
    again = load_scenario(text)
    assert again == s and again.links == s.links


def test_a_chain_of_links_adds_each_contracts_delay():
    second = {"id": "second", "name": "Second", "mechanism": "block", "annual_value": 10_000, "start_delay_months": 1,
              "start": {"after": "msk.changes[0]", "months": 3}}
    costs = [{"id": "follow", "name": "Follows second", "kind": "one_off", "amount": 1, "month": {"after": "second"}}]
    s = scenario(months=36, contracts=[{**MSK, "start_delay_months": 2}, second], costs=costs)
    # second starts: Apr 2026 + 2 (msk's delay) + 3 = Sep 2026; the cost follows its start, delayed 1: Oct 2026
    assert s.contracts[1].start == "2026-09"
    assert s.costs[0].month == "2026-10"


def _series(result, draw: int) -> dict[str, np.ndarray]:
    d = result.detail
    return {"subcontracts": d["costs"]["subcontracts"].cost[draw], "setup": d["costs"]["setup"].cost[draw],
            "kit": d["capex"]["kit"].spend[draw], "kit_depreciation": d["capex"]["kit"].depreciation[draw],
            "rent": d["costs"]["rent"].cost[draw]}


@pytest.mark.parametrize("k", [1, 3, 5])
def test_delaying_a_contract_moves_every_linked_line_by_exactly_k_months_and_nothing_else(k):
    batch = run_batch(linked(), {"contracts.msk.start_delay_months": np.array([0, k])})
    before, after = _series(batch, 0), _series(batch, 1)
    for name in ("subcontracts", "setup", "kit", "kit_depreciation"):
        # no indexation in the helpers' BASE, so a moved line is the same amounts k months later
        assert after[name][k:] == pytest.approx(before[name][:-k]), name
        assert after[name][:k] == pytest.approx(np.zeros(k)), name
    assert after["rent"] == pytest.approx(before["rent"])
    # the set-up, £30,000 two months before the start: May 2025 (month 1) at no delay
    assert before["setup"][1] == 30_000 and after["setup"][1 + k] == 30_000


def test_a_delayed_draw_equals_the_scenario_written_with_that_delay():
    batch = run_batch(linked(), {"contracts.msk.start_delay_months": np.array([0, 3])})
    single = run(linked(delay=3))
    for name, series in single.lines.items():
        assert np.allclose(batch.lines[name][1], series[0], atol=1e-6), name


def test_a_draw_that_moves_a_linked_date_before_the_first_month_counts_it_in_month_0():
    # the contract from Apr 2025 (month 0), delayed 2 in the file: the set-up, 2 months before its start, is
    # Apr 2025 + 2 - 2 = Apr 2025. A draw with no delay puts it at Apr 2025 - 2 = Feb 2025, before the first
    # month: it is counted in month 0, once.
    s = scenario(months=12, contracts=[{**MSK, "start": "2025-04", "start_delay_months": 2}], costs=LINKED_COSTS[1:2])
    assert s.costs[0].month == "2025-04"
    batch = run_batch(s, {"contracts.msk.start_delay_months": np.array([2, 0])})
    assert batch.detail["costs"]["setup"].cost[1][0] == 30_000
    assert batch.detail["costs"]["setup"].cost[1].sum() == 30_000


def test_a_plan_step_linked_to_a_delayed_contract_gives_way_to_a_later_step_in_each_draw():
    # contract from Jul 2025 (month 3), delayed 3 in the file: the linked step is at month 6 (20 WTE), after the
    # plain one at month 5 (10 WTE). A draw with no delay moves it to month 3: 20 WTE in months 3-4, then the
    # plain step, now the later one, is in force: 10 WTE from month 5.
    roles = [{"id": "nurse", "name": "Nurse", "salary": 30_000, "recruit_lead_months": 0,
              "plan": [{"from": "2025-09", "wte": 10}, {"from": {"after": "msk"}, "wte": 20}]}]
    s = scenario(contracts=[{**MSK, "start_delay_months": 3}], roles=roles)
    batch = run_batch(s, {"contracts.msk.start_delay_months": np.array([3, 0])})
    target = batch.detail["roles"]["nurse"].target_wte
    assert list(target[0, :8]) == [0, 0, 0, 0, 0, 10, 20, 20]
    assert list(target[1, :8]) == [0, 0, 0, 20, 20, 10, 10, 10]
