"""Contract payments worked by hand: withhold paid on account or at settlement; activity paid on
plan or in arrears, with an annual cap and a marginal rate above plan (docs/MODEL.md)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeller import run, run_batch
from modeller.scenario_io import ScenarioError
from tests.helpers import scenario

REFS = {"id": "refs", "name": "Referrals", "per_month": 100}


def activity_contract(**kw):
    return {"id": "c", "name": "Contract", "mechanism": "activity", "price_per_unit": 50, "activity": "refs",
            "start": "2025-04", **kw}


def lines(contract, per_month=None, acts=(REFS,), **parts):
    """The contract's lines; `per_month`: the referrals drawn in each draw (the plan stays 100)."""
    s = scenario(activity=list(acts), contracts=[contract], **parts)
    if per_month is None:
        return run(s).detail["contracts"]["c"]
    return run_batch(s, {"activity.refs.per_month": np.asarray(per_month, float)}).detail["contracts"]["c"]


def test_withhold_paid_on_account_and_clawed_back_after_31_march():
    block = {"id": "c", "name": "Contract", "mechanism": "block", "annual_value": 120000, "start": "2025-04",
             "withhold": {"share": 0.1, "earned": 0.5, "settle_lag_months": 3}}   # paid: on_account by default
    c = lines(block, months=24)
    # accrued as before: £10,000 x (0.9 + 0.1 x 0.5) = £9,500 a month
    assert c.income[0] == pytest.approx([9500] * 24)
    # cash: the full £10,000 every month; the withhold not earned back, 12 x £10,000 x 0.1 x 0.5 = £6,000,
    # clawed back three months after 31 March 2026 (month 11) -> month 14: £10,000 - £6,000 = £4,000
    expected = np.full(24, 10000.0)
    expected[14] -= 6000
    assert c.receipts[0] == pytest.approx(expected)


def test_activity_on_plan_paid_on_the_plan_and_reconciled_after_the_year():
    c = lines(activity_contract(reconcile_lag_months=2), per_month=[120, 80], months=18)
    # income follows the drawn demand: 120 x £50 = £6,000 and 80 x £50 = £4,000 a month
    assert c.income[0] == pytest.approx([6000] * 18)
    assert c.income[1] == pytest.approx([4000] * 18)
    # cash: the plan, 100 x £50 = £5,000 a month, in both draws; the year's difference two months after
    # 31 March 2026 (month 11) -> month 13: 12 x (6,000 - 5,000) = +£12,000, 12 x (4,000 - 5,000) = -£12,000;
    # 2026/27's ends after the horizon and stays owed
    up, down = np.full(18, 5000.0), np.full(18, 5000.0)
    up[13] += 12000
    down[13] -= 12000
    assert c.receipts[0] == pytest.approx(up)
    assert c.receipts[1] == pytest.approx(down)


def test_activity_in_arrears_paid_on_actuals_after_the_lag():
    c = lines(activity_contract(paid="in_arrears", payment_lag_months=1), per_month=[120], months=12)
    # 120 x £50 = £6,000 a month, a month later; March's still owed at the end
    assert c.receipts[0] == pytest.approx([0] + [6000] * 11)


def test_on_plan_with_withhold_at_settlement_reconciles_the_invoiced_part():
    c = lines(activity_contract(withhold={"share": 0.1, "earned": 0.5, "paid": "at_settlement"}),
              per_month=[120], months=15)
    # income: £6,000 x (0.9 + 0.05) = £5,700 a month
    assert c.income[0] == pytest.approx([5700] * 15)
    # cash: plan £5,000 less the 10% withheld = £4,500 a month; at month 14 (31 March 2026 + 3):
    # reconciliation 12 x £1,000 x 0.9 = £10,800 and the withhold earned 12 x £6,000 x 0.05 = £3,600
    expected = np.full(15, 4500.0)
    expected[14] += 10800 + 3600
    assert c.receipts[0] == pytest.approx(expected)
    # the year settled: cash Apr 2025-Jun 2026 for 2025/26 = 12 x 4,500 + 14,400 = £68,400 = 12 x £5,700
    assert c.receipts[0, :12].sum() + 10800 + 3600 == pytest.approx(c.income[0, :12].sum())


def test_marginal_rate_pays_part_of_the_price_above_plan():
    c = lines(activity_contract(paid="in_arrears", marginal_rate=0.5), per_month=[120, 80, 100], months=12)
    # above plan: 100 x £50 + 20 x £50 x 50% = £5,500 a month
    assert c.income[0] == pytest.approx([5500] * 12)
    # below plan and on plan the units are paid in full: 80 x £50 = £4,000; 100 x £50 = £5,000
    assert c.income[1] == pytest.approx([4000] * 12)
    assert c.income[2] == pytest.approx([5000] * 12)


def test_marginal_rate_counts_the_plan_year_to_date():
    season = [1.5, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]   # Jan-Apr high, May-Aug low
    acts = [{**REFS, "seasonality": season}]
    c = lines(activity_contract(paid="in_arrears", marginal_rate=0.5), per_month=[120], acts=acts, months=12,
              start="2025-04")
    # April: plan 150, actual 180: 150 x £50 + 30 x £50 x 0.5 = £8,250. May: plan 50, actual 60; year to date
    # plan 200, actual 240: paid 200 + 40 x 0.5 = 220 units, 220 - 165 = 55 units = £2,750. Every month the
    # actual is 1.2 x plan, so it earns (1 + 0.2 x 0.5) = 1.1 x the plan's value: 1.1 x 150 x £50 = £8,250 and
    # 1.1 x 50 x £50 = £2,750 (agreeing)
    assert c.income[0, :2] == pytest.approx([8250, 2750])
    assert c.income[0].sum() == pytest.approx(1.1 * 1200 * 50)


def test_activity_cap_binds_in_one_year_and_not_the_next():
    acts = [{**REFS, "to": "2026-09"}]   # 1,200 referrals in 2025/26, 600 in 2026/27 (April-September)
    c = lines(activity_contract(paid="in_arrears", activity_cap=1000, price_per_unit=10), acts=acts, months=24)
    # 2025/26: 100 a month reach the cap of 1,000 in January (month 9): £1,000 a month Apr-Jan, nothing in
    # February and March. 2026/27: 600 units, under the cap: £1,000 a month April-September
    assert c.income[0] == pytest.approx([1000] * 10 + [0, 0] + [1000] * 6 + [0] * 6)


def test_activity_cap_is_pro_rated_to_a_part_year():
    c = lines(activity_contract(paid="in_arrears", activity_cap=1000, price_per_unit=10, start="2025-10"),
              months=12)
    # active October-March, 6 months: cap 1,000 x 6/12 = 500 units, reached in February (Oct-Feb 5 x 100)
    assert c.income[0] == pytest.approx([0] * 6 + [1000] * 5 + [0])


def test_on_plan_bills_the_capped_plan_and_reconciles_to_the_capped_actual():
    c = lines(activity_contract(activity_cap=1100, price_per_unit=10, reconcile_lag_months=1), per_month=[120],
              months=14)
    # plan 1,200 a year billed up to the cap of 1,100: £1,000 a month Apr-Feb, £0 in March (11 x 100 = 1,100);
    # actual 120 a month reaches 1,100 in January (Apr-Dec 9 x 120 = 1,080, January the last 20 units):
    # income £1,200 x 9, £200, £0, £0; reconciliation (1,100 - 1,100 units) x £10 = £0
    assert c.income[0, :12] == pytest.approx([1200] * 9 + [200, 0, 0])
    assert c.receipts[0, :12] == pytest.approx([1000] * 11 + [0])
    # month 12 (April 2026): 2026/27's first plan payment, 100 x £10; the reconciliation a month after
    # 31 March (month 12) adds nothing
    assert c.receipts[0, 12] == pytest.approx(1000)


def test_cap_and_marginal_rate_are_for_activity_contracts_only():
    block = {"id": "c", "name": "Contract", "mechanism": "block", "annual_value": 1, "start": "2025-04",
             "activity_cap": 100}
    with pytest.raises(ScenarioError, match="activity_cap apply to activity contracts only"):
        scenario(contracts=[block])


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 500), st.floats(0, 1), st.one_of(st.none(), st.floats(0, 2000)),
       st.sampled_from(["on_plan", "in_arrears"]), st.sampled_from(["on_account", "at_settlement"]),
       st.floats(0, 0.1), st.floats(0, 1), st.integers(-1, 3), st.integers(0, 6), st.integers(0, 6),
       st.floats(-0.2, 0.5))
def test_receipts_over_a_reconciled_year_equal_its_income(per_month, rate, cap, paid, withhold_paid, share,
                                                          earned, lag, settle, reconcile, growth):
    c = activity_contract(end="2026-03", marginal_rate=rate, activity_cap=cap, paid=paid, payment_lag_months=lag,
                          reconcile_lag_months=reconcile,
                          withhold={"share": share, "earned": earned, "settle_lag_months": settle, "paid": withhold_paid})
    s = scenario(activity=[{**REFS, "annual_growth": 0.1}], contracts=[c], months=24)
    # three draws of demand around the plan; the engine checks the balance sheet in every month of each
    r = run_batch(s, {"activity.refs.per_month": np.array([per_month, 100, 50]),
                      "activity.refs.annual_growth": np.array([growth, 0.1, -0.1])})
    got = r.detail["contracts"]["c"]
    # one NHS year (April 2025-March 2026) with everything settled by month 11 + 6 < 24
    assert got.receipts.sum(axis=1) == pytest.approx(got.income.sum(axis=1), abs=1e-6)
