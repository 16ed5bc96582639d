"""Risk allocation: the risk-share split at and beyond the cap and collar (by hand), demand and delay in £
for each side (by hand), and the property that both sides' shares add up to the over/underspend."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeller.engine import run, run_batch
from modeller.review.risk import overspend_by_year, risk_allocation, split_variance
from modeller.scenario_io import scenario_from_data
from tests.review_support import bid, review


@pytest.mark.parametrize(("variance", "provider", "commissioner"), [
    (400_000, 200_000, 200_000),        # inside: half each
    (600_000, 300_000, 300_000),        # at the cap: 0.5 x 600,000 = 300,000 = the cap
    (1_000_000, 300_000, 700_000),      # beyond the cap: 500,000 capped at 300,000; the rest 700,000
    (-400_000, -200_000, -200_000),     # at the collar: the provider keeps 200,000 of the saving
    (-1_000_000, -200_000, -800_000),   # beyond the collar: -500,000 held at -200,000; -800,000 clawed back
])
def test_split_at_and_beyond_cap_and_collar(variance, provider, commissioner):
    kept, settled = split_variance(np.array([variance]), 0.5, cap=300_000, collar=200_000)
    assert kept[0] == pytest.approx(provider, abs=0.005)
    assert settled[0] == pytest.approx(commissioner, abs=0.005)


def _one_year(mechanism: str, parameters: list[dict], **contract) -> tuple:
    data = bid(months=12, activity=[{"id": "visits", "name": "Visits", "per_month": 1000}],
               costs=[{"id": "supplies", "name": "Supplies", "kind": "per_unit", "activity": "visits",
                       "unit_cost": 60, "vat": False}],
               uncertainty={"draws": 20, "seed": 1, "parameters": parameters})
    c = {"id": "service", "name": "Service", "commissioner": "ICB", "mechanism": mechanism, "start": "2027-04"}
    c.update({"block": {"annual_value": 1_200_000}, "activity": {"activity": "visits", "price_per_unit": 100}}
             [mechanism])
    c.update(contract)
    data["contracts"] = [c]
    scenario = scenario_from_data(data, "bid")
    rev = review(term={"start": "2027-04", "months": 12}, budget={"2027/28": 2_000_000},
                 baseline={"2027/28": 1_800_000})
    lines = risk_allocation(rev, scenario, run(scenario), ["service"], 20, 1).lines
    return {ln.risk: ln for ln in lines}


MORE_VISITS = [{"path": "activity.visits.per_month", "dist": "discrete", "values": [1100], "probabilities": [1]}]


def test_demand_under_an_activity_contract_is_the_commissioners():
    risk = _one_year("activity", MORE_VISITS)["demand"]
    # 100 visits a month above plan x 12 = 1,200 visits; the commissioner pays £100 each = £120,000
    assert risk.commissioner_expected == pytest.approx(120_000, abs=0.01)
    assert risk.commissioner_p90 == pytest.approx(120_000, abs=0.01)
    # the provider spends £60 on each and is paid £100: 1,200 x (60 - 100) = -£48,000, a gain
    assert risk.provider_expected == pytest.approx(-48_000, abs=0.01)


def test_demand_under_a_block_contract_is_the_providers():
    risk = _one_year("block", MORE_VISITS)["demand"]
    # the same 1,200 visits at £60 each, paid nothing more: £72,000 to the provider, nothing to the commissioner
    assert risk.provider_expected == pytest.approx(72_000, abs=0.01)
    assert risk.commissioner_expected == 0


def test_delay_loses_the_provider_its_payments_and_costs_the_commissioner_todays_service():
    late = [{"path": "contracts.service.start_delay_months", "dist": "discrete", "values": [2],
             "probabilities": [1]}]
    risk = _one_year("block", late)["delay"]
    # two months lost of £1,200,000 / 12 = £100,000: the provider loses £200,000
    assert risk.provider_expected == pytest.approx(200_000, abs=0.01)
    # the commissioner keeps today's service two months (1,800,000 / 12 x 2 = 300,000), saves 200,000
    assert risk.commissioner_expected == pytest.approx(100_000, abs=0.01)


def test_overspend_comes_from_the_monte_carlo_risk_share_lines():
    dearer = [{"path": "costs.supplies.unit_cost", "dist": "discrete", "values": [100], "probabilities": [1]}]
    share = {"cost": "supplies", "target_annual": 720_000, "provider_share": 0.5, "cap": 100_000}
    risk = _one_year("block", dearer, risk_share=share)["overspend"]
    # 12,000 visits x £100 = 1,200,000 against 720,000: 480,000 over; the provider's 240,000 capped at 100,000
    assert risk.provider_expected == pytest.approx(100_000, abs=0.01)
    assert risk.commissioner_expected == pytest.approx(380_000, abs=0.01)   # 480,000 - 100,000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(share=st.floats(0, 1), cap=st.none() | st.floats(0, 500_000), collar=st.none() | st.floats(0, 500_000),
       target=st.floats(0, 2_000_000), costs=st.lists(st.floats(0, 200), min_size=1, max_size=8),
       months=st.integers(6, 30))
def test_both_sides_add_up_to_the_overspend_in_every_draw(share, cap, collar, target, costs, months):
    data = bid(months=months, activity=[{"id": "visits", "name": "Visits", "per_month": 1000}],
               costs=[{"id": "supplies", "name": "Supplies", "kind": "per_unit", "activity": "visits",
                       "unit_cost": 60, "vat": False}], indexation={"pay": 0, "non_pay": 0.03, "prices": 0.02})
    data["contracts"][0]["risk_share"] = {"cost": "supplies", "target_annual": target, "provider_share": share,
                                          "cap": cap, "collar": collar}
    scenario = scenario_from_data(data, "bid")
    over = {"costs.supplies.unit_cost": np.array(costs)}
    result = run_batch(scenario, over, draws=len(costs))
    line = result.detail["contracts"]["service"]
    ends = np.flatnonzero(result.timeline.year_end)
    provider, commissioner = line.provider_retained[:, ends], line.risk_share[:, ends]
    variance = overspend_by_year(result, scenario.contracts[0], over)
    np.testing.assert_allclose(provider + commissioner, variance, atol=0.005)
    if cap is not None:
        assert np.all(provider <= cap + 0.005)
    if collar is not None:
        assert np.all(provider >= -collar - 0.005)
