"""Loans, the facility and corporation tax worked by hand."""

import numpy as np
import numpy_financial as npf
import pytest

from modeller import run
from tests.helpers import scenario


def test_loan_is_an_annuity_with_interest_on_last_months_balance():
    loan = {"id": "bank", "month": "2025-04", "amount": 120000, "annual_rate": 0.06, "term_months": 10}
    s = scenario(funding={"opening_cash": 0, "minimum_cash": 0, "loans": [loan]})
    ln = run(s).detail["loans"]["bank"]
    payment = -npf.pmt(0.005, 10, 120000)           # 0.5% a month over 10 months
    assert ln.interest[0, 1] == pytest.approx(600)   # 120,000 x 0.5%
    assert (ln.interest + ln.principal)[0, 1:11] == pytest.approx([payment] * 10)
    assert ln.balance[0, 10] == pytest.approx(0, abs=1e-6)
    assert ln.principal[0].sum() == pytest.approx(120000)


def test_facility_holds_cash_at_minimum_and_repays():
    contracts = [{"id": "c", "name": "C", "mechanism": "block", "annual_value": 120000, "start": "2025-06"}]
    costs = [{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 60000, "from": "2025-04"}]
    s = scenario(contracts=contracts, costs=costs,
                 funding={"opening_cash": 0, "minimum_cash": 1000, "facility": {"limit": 100000, "annual_rate": 0.12}})
    r = run(s)
    fac, cash = r.lines["facility"][0], r.lines["closing_cash"][0]
    # April: rent 5,000 and 1,000 minimum -> draw 6,000. May: 1% interest 60 + rent 5,000 -> 11,060
    assert fac[:2] == pytest.approx([6000, 11060])
    assert cash[:2] == pytest.approx([1000, 1000])
    # June onward the contract's £10,000 less rent 5,000 less interest repays the facility
    assert fac[2] == pytest.approx(11060 - (10000 - 5000 - 110.60))
    assert r.kpis()["peak_facility_drawn"] == pytest.approx(11060)
    assert r.kpis()["funding_shortfall"] == 0


def test_facility_limit_leaves_a_shortfall():
    costs = [{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 60000, "from": "2025-04"}]
    s = scenario(costs=costs, funding={"opening_cash": 0, "minimum_cash": 0,
                                       "facility": {"limit": 8000, "annual_rate": 0.0}})
    k = run(s).kpis()
    # 12 x 5,000 = 60,000 of rent; facility covers 8,000 -> lowest cash -52,000 in March
    assert k["lowest_cash"] == pytest.approx(-52000)
    assert k["funding_shortfall"] == pytest.approx(52000)
    assert k["funding_shortfall_month"] == 1       # May: 10,000 of rent against 8,000


def test_tax_losses_carried_forward():
    contracts = [{"id": "c", "name": "C", "mechanism": "block", "annual_value": 120000, "start": "2026-04"}]
    costs = [{"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 50000, "month": "2025-04"}]
    s = scenario(months=24, contracts=contracts, costs=costs,
                 tax={"corporation_tax_rate": 0.25, "small_profits_rate": None, "payment_lag_months": 9})
    r = run(s)
    # one flat 25% (small_profits_rate null): 2025/26: loss 50,000, no tax. 2026/27: profit 120,000 less
    # 50,000 losses = 70,000 x 25% (marginal relief across the limits: tests/test_corporation_tax.py)
    charge = r.lines["tax_charge"][0]
    assert charge[11] == 0
    assert charge[23] == pytest.approx(17500)
    # paid 9 months after March 2027: past the horizon, so still payable at the end
    assert r.lines["tax_paid"][0].sum() == 0
    assert r.lines["tax_payable"][0, -1] == pytest.approx(17500)


def test_equity_raised_in_the_first_month_counts_as_share_capital():
    # (a raise dated before the first month is refused: tests/bad_scenarios/date_before_start.yaml)
    s = scenario(funding={"opening_cash": 1000, "minimum_cash": 0,
                          "equity": [{"month": "2025-04", "amount": 5000, "source": "Founders"}]})
    r = run(s)
    assert r.lines["equity_raised"][0, 0] == 5000
    assert r.lines["share_capital"][0, -1] == 6000
    assert np.all(r.lines["closing_cash"][0] == 6000)


def test_a_tiny_loan_rate_repays_like_a_zero_rate():
    # Found by hypothesis: 1 - (1+r)^-n rounds to 0 for r = 3.6e-64 and the payment became NaN.
    loan = {"id": "bank", "month": "2025-04", "amount": 1200, "annual_rate": 3.6e-63, "term_months": 12}
    ln = run(scenario(funding={"loans": [loan]})).detail["loans"]["bank"]
    assert ln.principal[0, 1:].sum() == pytest.approx(1100)  # 11 of 12 monthly £100 repayments in the horizon


def test_integrity_check_fails_on_nan():
    from modeller.statements import IntegrityError, check_balances

    lines = {"balance_check": np.array([[0.0, np.nan]]), "opening_cash": np.zeros((1, 2)),
             "net_cash_flow": np.zeros((1, 2)), "closing_cash": np.zeros((1, 2))}
    with pytest.raises(IntegrityError):
        check_balances(lines)
