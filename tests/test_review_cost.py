"""Cost to the commissioner, optimism bias and affordability headroom, worked by hand."""

from __future__ import annotations

import pytest

from modeller.engine import run
from modeller.review.cost import commissioner_cost
from modeller.scenario_io import scenario_from_data
from tests.review_support import bid, review

CQUIN = {"share": 0.1, "earned": 0.5, "settle_lag_months": 3}


def _cost(rev, data):
    scenario = scenario_from_data(data, "bid")
    return commissioner_cost(rev, run(scenario), [c.id for c in scenario.contracts])


def test_cost_by_year_nominal_real_and_present_value():
    data = bid(indexation={"pay": 0, "non_pay": 0, "prices": 0.02})
    data["contracts"][0]["withhold"] = CQUIN
    rev = review(baseline={"2027/28": 1_200_000, "2028/29": 1_250_000},
                 optimism_bias={"category": "outsourcing", "mitigation": 0.5})
    cost = _cost(rev, data)
    y1, y2 = cost.years
    # 2027/28: £1,200,000 earned; 10% withheld, half of it earned back
    assert y1.contract_payments == pytest.approx(1_080_000, abs=0.005)   # 1,200,000 x 0.9
    assert y1.cquin == pytest.approx(60_000, abs=0.005)                  # 1,200,000 x 0.1 x 0.5
    assert y1.nominal == pytest.approx(1_140_000, abs=0.005)
    # 2028/29: prices up 2% from 1 April 2028: 1,224,000 earned -> 1,101,600 + 61,200 = 1,162,800
    assert y2.nominal == pytest.approx(1_162_800, abs=0.005)
    assert y2.real == pytest.approx(1_140_000, abs=0.005)                # 1,162,800 / 1.02
    assert y2.present_value == pytest.approx(1_140_000 / 1.035, abs=0.005)   # 1,101,449.28
    assert cost.present_value == pytest.approx(1_140_000 + 1_140_000 / 1.035, abs=0.01)
    # headroom: 1,150,000 - 1,140,000 = 10,000; 1,160,000 - 1,162,800 = -2,800: 2028/29 is unaffordable
    assert y1.headroom == pytest.approx(10_000, abs=0.005)
    assert y2.headroom == pytest.approx(-2_800, abs=0.005)
    assert cost.first_unaffordable_year == "2028/29"
    # against today's spend: 1,140,000 - 1,200,000 = -60,000 (cheaper)
    assert y1.against_baseline == pytest.approx(-60_000, abs=0.005)
    # baseline PV 1,200,000 + 1,250,000 / 1.02 / 1.035 = 2,384,065.93; saving = that - the bid's PV
    assert cost.baseline_present_value == pytest.approx(1_200_000 + 1_250_000 / 1.02 / 1.035, abs=0.01)
    assert cost.saving_present_value == pytest.approx(cost.baseline_present_value - cost.present_value, abs=0.01)


def test_optimism_bias_outsourcing_on_payments_shown_separately():
    data = bid(indexation={"pay": 0, "non_pay": 0, "prices": 0.02})
    data["contracts"][0]["withhold"] = CQUIN
    rev = review(optimism_bias={"category": "outsourcing", "mitigation": 0.5})
    cost = _cost(rev, data)
    y1, y2 = cost.years
    # outsourcing's upper bound 41% on operating costs, half mitigated: 0.41 x (1 - 0.5) = 20.5%
    assert y1.optimism_bias == pytest.approx(233_700, abs=0.005)   # 1,140,000 x 0.205
    assert y2.optimism_bias == pytest.approx(238_374, abs=0.005)   # 1,162,800 x 0.205
    # PV of the uplift: 233,700 + 238,374 / 1.02 / 1.035 = 233,700 + 225,797.10
    assert cost.optimism_bias_present_value == pytest.approx(233_700 + 238_374 / 1.02 / 1.035, abs=0.01)
    assert cost.present_value_with_bias == pytest.approx(cost.present_value + cost.optimism_bias_present_value,
                                                         abs=0.01)
    # with the uplift 2027/28 is over budget too: 1,150,000 - 1,140,000 - 233,700 = -223,700
    assert y1.headroom_with_bias == pytest.approx(-223_700, abs=0.005)
    assert cost.first_unaffordable_year_with_bias == "2027/28"
    assert cost.nominal == pytest.approx(1_140_000 + 1_162_800, abs=0.01)   # the payments themselves unchanged


def test_optimism_bias_capital_and_duration():
    data = bid(capex=[{"id": "kit", "name": "Kit", "amount": 100_000, "month": "2027-04", "life_years": 5,
                       "vat": False}])
    data["contracts"][0]["start"] = "2027-07"      # three months' mobilisation inside the term
    rev = review(optimism_bias={"category": "equipment_development", "mitigation": 0.25})
    cost = _cost(rev, data)
    # equipment/development: capex 200% x (1 - 0.25) = 150% of £100,000 spent in year 0
    assert cost.optimism_bias_capex == pytest.approx(150_000, abs=0.005)
    # duration 54% x 0.75 = 40.5% of 3 months' mobilisation = 1.215 months
    assert cost.optimism_bias_delay_months == pytest.approx(1.215)
    assert cost.optimism_bias_present_value == 0          # no operating bound for this category
    # 2027/28 pays nine months of £100,000: 900,000; headroom 1,150,000 - 900,000 = 250,000
    assert cost.years[0].nominal == pytest.approx(900_000, abs=0.005)
    assert cost.years[0].headroom == pytest.approx(250_000, abs=0.005)


def test_risk_share_settlement_is_paid_by_the_commissioner():
    data = bid(months=12, costs=[{"id": "onward", "name": "Onward care", "kind": "fixed", "annual": 1_300_000,
                                  "from": "2027-04", "vat": False}])
    data["contracts"][0]["risk_share"] = {"cost": "onward", "target_annual": 1_000_000, "provider_share": 0.5,
                                          "cap": 100_000}
    rev = review(term={"start": "2027-04", "months": 12}, budget={"2027/28": 1_500_000})
    cost = _cost(rev, data)
    y1 = cost.years[0]
    # overspend 1,300,000 - 1,000,000 = 300,000; provider's half 150,000 capped at 100,000;
    # the commissioner settles 300,000 - 100,000 = 200,000 on top of the block's 1,200,000
    assert y1.risk_share == pytest.approx(200_000, abs=0.005)
    assert y1.contract_payments == pytest.approx(1_200_000, abs=0.005)
    assert y1.nominal == pytest.approx(1_400_000, abs=0.005)
    assert y1.headroom == pytest.approx(100_000, abs=0.005)     # 1,500,000 - 1,400,000


def test_only_the_commissioners_contracts_count():
    data = bid()
    data["contracts"].append({"id": "other", "name": "Other", "commissioner": "A council", "mechanism": "block",
                              "annual_value": 500_000, "start": "2027-04"})
    cost = _cost(review(), data)
    assert cost.contracts == ["service", "other"]       # _cost passes every contract: both are paid for
    scenario = scenario_from_data(data, "bid")
    only = commissioner_cost(review(), run(scenario), ["service"])
    assert only.years[0].nominal == pytest.approx(1_200_000, abs=0.005)   # the council's £500,000 left out
