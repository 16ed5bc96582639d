"""VAT on costs and capital spending, worked by hand (model book, "VAT").

Most health care is exempt, so a provider pays VAT on its purchases and recovers none of it (the
default: rate 20%, recoverable share 0): the VAT is a cost, paid with the invoice. A recoverable share
is paid with the invoice too and reclaimed the month after payment.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeller import run, run_batch
from modeller.fields import is_engine_input
from modeller.statements import TOLERANCE
from tests.helpers import line, scenario

RENT = {"id": "rent", "name": "Rent", "kind": "fixed", "annual": 120_000, "from": "2025-04"}  # £10,000 a month


def vat(rate=0.20, share=0.0):
    return {"rate": rate, "recoverable_share": share}


def test_an_exempt_provider_bears_the_vat_as_a_cost_and_pays_it_with_the_invoice():
    r = run(scenario(costs=[RENT], vat=vat(share=0.0)))
    # 10,000 a month before VAT; VAT 20% x 10,000 = 2,000, none recoverable: cost and cash 12,000
    assert line(r, "non_pay_costs")[:3] == pytest.approx([10_000] * 3)
    assert line(r, "irrecoverable_vat")[:3] == pytest.approx([2_000] * 3)
    assert line(r, "non_pay")[:3] == pytest.approx([12_000] * 3)
    assert line(r, "supplier_payments")[:3] == pytest.approx([-12_000] * 3)
    assert line(r, "vat_reclaimed") == pytest.approx(np.zeros(12))
    assert line(r, "vat_receivable") == pytest.approx(np.zeros(12))
    assert line(r, "creditors") == pytest.approx(np.zeros(12))   # paid in the month


def test_a_provider_that_recovers_all_its_vat_pays_it_and_reclaims_it_the_month_after():
    r = run(scenario(costs=[RENT], vat=vat(share=1.0)))
    # cost 10,000 (no irrecoverable VAT); paid 12,000; the 2,000 comes back the next month
    assert line(r, "non_pay")[:3] == pytest.approx([10_000] * 3)
    assert line(r, "irrecoverable_vat") == pytest.approx(np.zeros(12))
    assert line(r, "supplier_payments")[:3] == pytest.approx([-12_000] * 3)
    assert line(r, "vat_reclaimed")[:3] == pytest.approx([0, 2_000, 2_000])
    # owed back by HMRC at each month end: that month's 2,000; the last month's stays owed after the end
    assert line(r, "vat_receivable")[[0, 1, 11]] == pytest.approx([2_000, 2_000, 2_000])
    # operating cash: -12,000 in month 0; -12,000 + 2,000 = -10,000 after
    assert line(r, "operating_cf")[:3] == pytest.approx([-12_000, -10_000, -10_000])


def test_the_reclaim_follows_the_payment_not_the_invoice():
    r = run(scenario(costs=[{**RENT, "payment_lag_months": 1}], vat=vat(share=1.0)))
    # April's invoice (10,000 + 2,000 VAT) is paid in May and its VAT reclaimed in June
    assert line(r, "supplier_payments")[:3] == pytest.approx([0, -12_000, -12_000])
    assert line(r, "vat_reclaimed")[:3] == pytest.approx([0, 0, 2_000])
    # the supplier is owed the invoice, VAT and all: 12,000; HMRC owes April's 2,000 until June
    assert line(r, "creditors")[:3] == pytest.approx([12_000] * 3)
    assert line(r, "vat_receivable")[:3] == pytest.approx([2_000, 4_000, 4_000])


def test_part_recovery_splits_the_vat():
    r = run(scenario(costs=[RENT], vat=vat(rate=0.20, share=0.25)))
    # 2,000 of VAT: 25% recoverable = 500 reclaimed next month; 1,500 a cost
    assert line(r, "irrecoverable_vat")[0] == pytest.approx(1_500)
    assert line(r, "non_pay")[0] == pytest.approx(11_500)
    assert line(r, "supplier_payments")[0] == pytest.approx(-12_000)
    assert line(r, "vat_reclaimed")[:2] == pytest.approx([0, 500])


def test_capital_vat_is_capitalised_and_depreciated_with_the_item():
    kit = {"id": "scanner", "name": "Scanner", "amount": 300_000, "month": "2025-04", "life_years": 5}
    r = run(scenario(capex=[kit], vat=vat(share=0.0)))
    # paid 300,000 + 20% VAT = 360,000, all capitalised; 360,000 / 60 months = 6,000 a month from May
    assert line(r, "capex_paid")[0] == pytest.approx(-360_000)
    assert line(r, "capex_capitalised")[0] == pytest.approx(360_000)
    assert line(r, "capex_vat")[0] == pytest.approx(60_000)
    assert line(r, "depreciation")[:3] == pytest.approx([0, 6_000, 6_000])
    assert line(r, "fixed_assets")[:3] == pytest.approx([360_000, 354_000, 348_000])
    assert r.detail["capex"]["scanner"].spend[0, 0] == pytest.approx(360_000)  # what capital allowances read


def test_recoverable_capital_vat_is_reclaimed_not_capitalised():
    kit = {"id": "scanner", "name": "Scanner", "amount": 300_000, "month": "2025-04", "life_years": 5}
    r = run(scenario(capex=[kit], vat=vat(share=0.5)))
    # VAT 60,000: half (30,000) capitalised, half reclaimed in May; 330,000 / 60 = 5,500 a month
    assert line(r, "capex_paid")[0] == pytest.approx(-360_000)
    assert line(r, "capex_capitalised")[0] == pytest.approx(330_000)
    assert line(r, "vat_reclaimed")[:2] == pytest.approx([0, 30_000])
    assert line(r, "vat_receivable")[:2] == pytest.approx([30_000, 0])
    assert line(r, "depreciation")[1] == pytest.approx(5_500)


def test_a_line_without_vat_is_unchanged():
    exempt = {**RENT, "vat": False}
    kit = {"id": "kit", "name": "Kit", "amount": 12_000, "month": "2025-04", "life_years": 1, "vat": False}
    r = run(scenario(costs=[exempt], capex=[kit], vat=vat(share=0.5)))
    assert line(r, "non_pay")[:2] == pytest.approx([10_000] * 2)
    assert line(r, "supplier_payments")[:2] == pytest.approx([-10_000] * 2)
    assert line(r, "capex_paid")[0] == pytest.approx(-12_000)
    assert line(r, "depreciation")[1] == pytest.approx(1_000)   # 12,000 / 12
    for name in ("irrecoverable_vat", "vat_reclaimed", "vat_receivable", "capex_vat", "vat_recoverable"):
        assert line(r, name) == pytest.approx(np.zeros(12)), name


def test_one_off_and_per_unit_costs_carry_vat():
    costs = [{"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 5_000, "month": "2025-05"},
             {"id": "kit", "name": "Dressings", "kind": "per_unit", "activity": "visits", "unit_cost": 2}]
    activity = [{"id": "visits", "name": "Visits", "per_month": 100}]
    r = run(scenario(costs=costs, activity=activity, vat=vat()))
    # dressings 100 x £2 = 200 + 40 VAT; set-up in May 5,000 + 1,000 VAT
    assert line(r, "irrecoverable_vat")[:2] == pytest.approx([40, 1_040])
    assert line(r, "supplier_payments")[:2] == pytest.approx([-240, -6_240])


def test_the_cost_to_walk_away_includes_the_irrecoverable_vat_still_to_pay():
    committed = {**RENT, "commitment_months": 12}
    # month 0: 11 months still to run x 10,000 x 1.2 = 132,000; recoverable VAT comes back, so it is not a cost
    assert line(run(scenario(costs=[committed], vat=vat(share=0.0))), "exit_cost")[0] == pytest.approx(132_000)
    assert line(run(scenario(costs=[committed], vat=vat(share=1.0))), "exit_cost")[0] == pytest.approx(110_000)
    assert line(run(scenario(costs=[{**committed, "vat": False}])), "exit_cost")[0] == pytest.approx(110_000)


def test_the_engine_reads_the_vat_rate_and_recoverable_share_for_each_draw():
    assert is_engine_input("vat.rate") and is_engine_input("vat.recoverable_share")
    s = scenario(costs=[RENT], vat=vat())
    r = run_batch(s, {"vat.rate": np.array([0.0, 0.20, 0.05]), "vat.recoverable_share": np.array([0.0, 0.0, 0.5])})
    # 10,000 x 0 = 0; 10,000 x 20% = 2,000; 10,000 x 5% x (1 - 50%) = 250 (and 250 reclaimed next month)
    assert r.lines["irrecoverable_vat"][:, 0] == pytest.approx([0, 2_000, 250])
    assert r.lines["vat_reclaimed"][:, 1] == pytest.approx([0, 0, 250])
    assert r.lines["supplier_payments"][:, 0] == pytest.approx([-10_000, -12_000, -10_500])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rate=st.floats(0, 0.5), share=st.floats(0, 1), lag=st.integers(-1, 3), charged=st.booleans(),
       capex_month=st.integers(0, 13), months=st.integers(1, 14))
def test_the_balance_sheet_balances_and_every_reclaim_is_owed_first(rate, share, lag, charged, capex_month, months):
    start = "2025-04"
    kit = {"id": "kit", "name": "Kit", "amount": 50_000, "month": f"{2025 + (3 + capex_month) // 12}-"
           f"{(3 + capex_month) % 12 + 1:02d}", "life_years": 1, "vat": charged}
    costs = [{**RENT, "payment_lag_months": lag, "commitment_months": 6, "vat": charged},
             {"id": "once", "name": "Once", "kind": "one_off", "amount": 7_000, "month": "2025-06",
              "payment_lag_months": lag}]
    s = scenario(costs=costs, capex=[kit], vat=vat(rate, share), months=months, start=start)
    draws = run_batch(s, {"vat.rate": np.array([rate, rate / 2]), "vat.recoverable_share": np.array([share, 1.0])})
    # run_batch raises IntegrityError unless the balance sheet balances every month of every draw
    assert np.all(draws.lines["vat_receivable"] >= -TOLERANCE)
    owed = np.cumsum(draws.lines["vat_recoverable"] - draws.lines["vat_reclaimed"], axis=1)
    np.testing.assert_allclose(draws.lines["vat_receivable"], owed, atol=TOLERANCE)
