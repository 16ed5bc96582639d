"""Contract income worked by hand: mechanisms, ramp, changes, delay, lag, withhold, risk share."""

import numpy as np
import pytest

from modeller import run
from tests.helpers import scenario


def contract(**kw):
    base = {"id": "c", "name": "Contract", "mechanism": "block", "annual_value": 120000, "start": "2025-04"}
    return {**base, **kw}


def income(_extra=None, **kw):
    r = run(scenario(contracts=[contract(**kw)], **(_extra or {})))
    return r.detail["contracts"]["c"]


def test_block_with_ramp_change_and_start_delay():
    c = income(ramp_months=3, start_delay_months=2, changes=[{"from": "2025-07", "annual_value": 240000}])
    # starts in June (month 2); ramp: 1/3, 2/3, then full of £10,000; the change moves with
    # the delay from July (month 3) to September (month 5): £20,000 a month
    expected = [0, 0, 10000 / 3, 20000 / 3, 10000, 20000, 20000, 20000, 20000, 20000, 20000, 20000]
    assert c.income[0] == pytest.approx(expected)


def test_activity_and_capitation_mechanisms():
    acts = [{"id": "refs", "name": "Referrals", "per_month": 100, "annual_growth": 0.21}]
    s = scenario(activity=acts, contracts=[
        contract(id="act", mechanism="activity", annual_value=None, price_per_unit=50, activity="refs", share=0.5),
        contract(id="cap", mechanism="capitation", annual_value=None, population=12000, rate_per_head=12,
                 population_growth=0.21)])
    r = run(s)
    # month 6: 100 x 1.21^(6/12) = 110 referrals; 110 x 0.5 x £50 = £2,750
    assert r.detail["contracts"]["act"].income[0, 6] == pytest.approx(2750)
    # month 6: 12,000 x 1.1 people x £12 / 12 = £13,200
    assert r.detail["contracts"]["cap"].income[0, 6] == pytest.approx(13200)


def test_prices_index_from_the_next_april():
    s = scenario(start="2025-01", indexation={"pay": 0, "non_pay": 0, "prices": 0.05},
                 contracts=[contract(start="2025-01")])
    inc = run(s).detail["contracts"]["c"].income[0]
    # Jan-Mar £10,000; from April x 1.05 = £10,500
    assert inc[:3] == pytest.approx([10000] * 3)
    assert inc[3:] == pytest.approx([10500] * 9)


def test_payment_lag_in_advance_and_arrears():
    advance = income(payment_lag_months=-1).receipts[0]
    arrears = income(payment_lag_months=2).receipts[0]
    # in advance: April's and May's income both arrive in April; March's (past the end) never
    assert advance == pytest.approx([20000] + [10000] * 10 + [0])
    # two months in arrears: nothing in April and May; Feb and Mar income still owed at the end
    assert arrears == pytest.approx([0, 0] + [10000] * 10)


def test_withhold_accrued_at_expected_value_and_settled_after_31_march():
    c = income(withhold={"share": 0.1, "earned": 0.5, "settle_lag_months": 3, "paid": "at_settlement"},
               _extra={"months": 24})
    # accrued: £10,000 x (0.9 + 0.1 x 0.5) = £9,500 a month
    assert c.income[0] == pytest.approx([9500] * 24)
    # cash: £9,000 a month, plus the year's earned withhold 12 x £500 = £6,000 three
    # months after 31 March 2026 (month 11) -> month 14
    expected = np.full(24, 9000.0)
    expected[14] += 6000
    assert c.receipts[0] == pytest.approx(expected)


@pytest.mark.parametrize("unit_cost, settlement, retained", [
    # onward care 100 x £1,000 = £100,000 a month = £1.2m a year vs target £1.0m: overspend
    # £200,000; provider keeps half (£100,000) but the cap limits its loss to £60,000, so the
    # commissioner settles £140,000
    (1000, 140000, 60000),
    # £700 a unit: £840,000 vs £1.0m, underspend £160,000; provider keeps half = £80,000,
    # the collar limits its gain to £50,000: it hands back £110,000
    (700, -110000, -50000),
    # £950: £1.14m vs £1.0m, overspend £140,000; the provider's half (£70,000) is over the
    # £60,000 cap, so it keeps £60,000 and the commissioner settles £80,000
    (950, 80000, 60000),
    # £1,000/1.2: exactly on target, nothing to settle
    (1000 / 1.2, 0, 0),
])
def test_risk_share_with_cap_and_collar(unit_cost, settlement, retained):
    acts = [{"id": "refs", "name": "Referrals", "per_month": 100}]
    costs = [{"id": "onward", "name": "Onward care", "kind": "per_unit", "activity": "refs", "unit_cost": unit_cost}]
    rs = {"cost": "onward", "target_annual": 1000000, "provider_share": 0.5, "cap": 60000, "collar": 50000,
          "settle_lag_months": 2}
    s = scenario(activity=acts, costs=costs, months=15, contracts=[contract(risk_share=rs)])
    c = run(s).detail["contracts"]["c"]
    # settled in the year's last month (March 2026, month 11); the cut year 2026/27 (3 months
    # from April, target pro-rated to 3/12) is settled in the last model month
    assert c.risk_share[0, 11] == pytest.approx(settlement, abs=1e-6)
    assert c.provider_retained[0, 11] == pytest.approx(retained, abs=1e-6)
    # cash two months later (month 13), on top of the block's £10,000
    assert c.receipts[0, 13] == pytest.approx(10000 + settlement, abs=1e-6)


def test_risk_share_counts_only_months_the_contract_is_active():
    acts = [{"id": "refs", "name": "Referrals", "per_month": 100}]
    costs = [{"id": "onward", "name": "Onward care", "kind": "per_unit", "activity": "refs", "unit_cost": 1000}]
    rs = {"cost": "onward", "target_annual": 1200000, "provider_share": 0.0}
    s = scenario(activity=acts, costs=costs, contracts=[contract(start="2025-10", risk_share=rs)])
    c = run(s).detail["contracts"]["c"]
    # active Oct-Mar (6 months): cost £600,000 vs target £1.2m x 6/12 = £600,000 -> no settlement,
    # although the cost line ran all year (£1.2m against a pro-rated target it is not compared with)
    assert c.risk_share[0, 11] == pytest.approx(0, abs=1e-6)
