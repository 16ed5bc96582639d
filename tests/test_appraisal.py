"""Appraisal (issue 10): the terminal settlement, real and nominal NPV, real and nominal IRR and MIRR,
worked by hand; MIRR against numpy-financial; properties over generated cases."""

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeller import run, run_batch
from modeller.appraisal import deflator, net_operating_assets, settlement_lines
from modeller.metrics import irr, mirr, npv
from modeller.scenario_io import scenario_from_data
from modeller.statements import TOLERANCE
from modeller.timeline import Timeline

ONE_PERCENT_A_MONTH = 1.01**12 - 1   # an annual rate whose monthly factor is exactly 1/1.01


def balance_sheet(**lines) -> dict:
    """A two-month balance sheet from its parts, totals added as the engine adds them."""
    L = {k: np.array([v], float) for k, v in lines.items()}
    L["total_assets"] = L["cash"] + L["debtors"] + L["fixed_assets"]
    L["total_liabilities"] = (L["creditors"] + L["deferred_income"] + L["tax_payable"] + L["loans"]
                              + L["facility"])
    return L


# month 1 (the last): cash 5,000; debtors 12,000; equipment at book value 9,500; creditors 3,000; deferred
# income 1,000; tax payable 4,500; a loan of 20,000 and 2,000 drawn on the facility
CASE = balance_sheet(cash=[7000, 5000], debtors=[8000, 12000], fixed_assets=[10000, 9500],
                     creditors=[2000, 3000], deferred_income=[0, 1000], tax_payable=[1000, 4500],
                     loans=[20000, 20000], facility=[0, 2000], pre_financing_cf=[-500, 700])


def test_settlement_collects_debtors_pays_creditors_and_tax_and_keeps_the_equipment():
    # total assets 5,000 + 12,000 + 9,500 = 26,500, less cash 5,000 = 21,500;
    # liabilities 3,000 + 1,000 + 4,500 + 20,000 + 2,000 = 30,500, less loans and facility = 8,500;
    # settlement 21,500 - 8,500 = 13,000 (= 12,000 + 9,500 - 3,000 - 1,000 - 4,500), in the last month only
    lines = settlement_lines(CASE)
    assert lines["terminal_settlement"][0].tolist() == [0.0, 13000.0]
    assert lines["appraisal_cf"][0].tolist() == [-500.0, 13700.0]      # 700 + 13,000


def test_settlement_without_residual_value_leaves_the_equipment_out():
    # 13,000 - 9,500 of equipment = 3,500
    assert settlement_lines(CASE, "none")["terminal_settlement"][0, -1] == 3500.0
    # month 0 for reference: 8,000 + 10,000 - 2,000 - 1,000 = 15,000 (book); 5,000 (none)
    assert net_operating_assets(CASE)[0].tolist() == [15000.0, 13000.0]


def test_settlement_counts_an_operating_balance_added_to_the_totals():
    # another asset in the totals (e.g. VAT to reclaim, 600) is settled too: 13,000 + 600
    L = dict(CASE, total_assets=CASE["total_assets"] + 600)
    assert settlement_lines(L)["terminal_settlement"][0, -1] == 13600.0


# A two-month case from March: month 0 is in index year 0, month 1 (April) in year 1.
# Nominal flows: -1,000 then 1,100. With 10% inflation, month 1 in first-year prices: 1,100 / 1.1 = 1,000.
MARCH = Timeline("2026-03", 2)
NOMINAL = np.array([[-1000.0, 1100.0]])


def test_deflator_steps_at_each_later_first_of_april():
    assert deflator(MARCH, 0.10).tolist() == [[1.0, pytest.approx(1.1)]]
    assert deflator(Timeline("2026-02", 14), 0.02)[0, [0, 1, 2, 13]].tolist() == pytest.approx([1, 1, 1.02, 1.02])


def test_npv_real_and_nominal_by_hand():
    real = NOMINAL / deflator(MARCH, 0.10)                          # [-1,000, 1,000]
    # at 1% a month, month m is divided by 1.01^(m+1):
    # real:    -1,000 / 1.01 + 1,000 / 1.0201 = -990.09901 + 980.29605 = -9.80296
    assert npv(real, ONE_PERCENT_A_MONTH)[0] == pytest.approx(-1000 / 1.01 + 1000 / 1.0201, abs=1e-9)
    assert npv(real, ONE_PERCENT_A_MONTH)[0] == pytest.approx(-9.80296, abs=1e-5)
    # nominal: -990.09901 + 1,100 / 1.0201 = -990.09901 + 1,078.32565 = 88.22664
    assert npv(NOMINAL, ONE_PERCENT_A_MONTH)[0] == pytest.approx(88.22664, abs=1e-5)


def test_irr_real_and_nominal_by_hand():
    # nominal: -1,000 + 1,100 / (1+i) = 0, i = 10% a month; annual 1.1^12 - 1 = 213.84%
    assert irr(NOMINAL)[0] == pytest.approx(1.1**12 - 1, abs=1e-10)
    # real: -1,000 + 1,000 / (1+i) = 0, i = 0: the whole nominal return was inflation
    assert irr(NOMINAL / deflator(MARCH, 0.10))[0] == pytest.approx(0.0, abs=1e-12)


def test_mirr_by_hand():
    # -1,000, 600, 600 at 1% a month: PV of inflows 600 / 1.01 + 600 / 1.0201 = 594.05941 + 588.17763 =
    # 1,182.23704; monthly MIRR = (1,182.23704 / 1,000)^(1/2) x 1.01 - 1 = 1.0873072 x 1.01 - 1 = 9.81803%;
    # annual 1.0981803^12 - 1 = 207.46%
    flows = np.array([[-1000.0, 600.0, 600.0]])
    monthly = (1182.23704 / 1000) ** 0.5 * 1.01 - 1
    assert monthly == pytest.approx(0.0981803, abs=1e-7)
    assert mirr(flows, ONE_PERCENT_A_MONTH)[0] == pytest.approx((1 + monthly) ** 12 - 1, abs=1e-6)


def test_mirr_is_nan_without_both_inflows_and_outflows():
    assert np.isnan(mirr(np.array([[100.0, 200.0], [-5.0, -1.0], [0.0, 0.0]]), 0.08)).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e7, 1e7), min_size=2, max_size=120), st.floats(0, 0.5))
def test_mirr_agrees_with_numpy_financial(flows, annual):
    flows = np.array(flows)
    monthly = (1 + annual) ** (1 / 12) - 1
    expected = npf.mirr(flows, monthly, monthly)
    got = mirr(flows[None], annual)[0]
    if np.isnan(expected):
        assert np.isnan(got)
    else:
        assert got == pytest.approx((1 + expected) ** 12 - 1, rel=1e-9, abs=1e-12)


def test_mirr_of_a_batch_with_a_rate_per_draw_is_each_draw_on_its_own():
    rng = np.random.default_rng(3)
    flows = np.concatenate([-rng.uniform(1, 5, (50, 6)), rng.uniform(-1, 3, (50, 54))], axis=1) * 1e5
    rates = rng.uniform(0, 0.2, 50)
    batch = mirr(flows, rates[:, None])
    one_by_one = [(1 + npf.mirr(f, (1 + r) ** (1 / 12) - 1, (1 + r) ** (1 / 12) - 1)) ** 12 - 1
                  for f, r in zip(flows, rates, strict=True)]
    assert batch == pytest.approx(one_by_one, rel=1e-9)


def test_irr_with_two_roots_takes_the_falling_one():
    # -100 + 209 x - 108.64 x^2, x = 1/(1+i): (1+i)^2 - 2.09 (1+i) + 1.0864 = (1+i - 1.12)(1+i - 0.97), so i = +12%
    # or -3% a month. The value is positive between them and negative outside: at +12% it falls through zero
    # as the rate rises (above 12% the flows lose value); at -3% it rises. irr takes +12% though -3% is nearer
    # zero (numpy-financial's choice): a venture paying a bill at the end is not shown a negative return.
    flows = np.array([[-100.0, 209.0, -108.64]])
    assert irr(flows)[0] == pytest.approx(1.12**12 - 1, abs=1e-10)
    assert (1 + npf.irr(flows[0])) ** 12 - 1 == pytest.approx(0.97**12 - 1, abs=1e-10)


def small_venture(months: int = 4, lag: int = 3, **extra) -> dict:
    """£10,000 a month of income paid `lag` months in arrears; £6,000 a month of rent paid in the month."""
    return {"name": "Small", "start": "2026-04", "months": months,
            "contracts": [{"id": "c", "name": "C", "mechanism": "block", "annual_value": 120000,
                           "start": "2026-04", "payment_lag_months": lag}],
            "costs": [{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 72000, "from": "2026-04",
                       "vat": False}],
            **extra}


def test_payback_counts_the_settlement():
    # receipts: month 0's 10,000 arrives in month 3; rent 4 x 6,000 = 24,000: cumulative cash flow before
    # financing ends at 10,000 - 24,000 = -14,000, so it never pays back on cash alone. At the end 30,000 is
    # owed to it (months 1-3) and tax on 40,000 - 24,000 = 16,000 of profit is owed (at most 60%: 9,600):
    # the settlement is at least 30,000 - 9,600 = 20,400 > 14,000, so the appraisal pays back in month 3
    result = run(scenario_from_data(small_venture()))
    L, k = result.lines, result.kpis()
    assert L["cumulative_pre_financing_cf"][0, -1] == pytest.approx(-14000)
    assert L["debtors"][0, -1] == pytest.approx(30000)
    assert L["terminal_settlement"][0, -1] == pytest.approx(30000 - L["tax_payable"][0, -1])
    assert L["terminal_settlement"][0, :-1].tolist() == [0.0, 0.0, 0.0]
    assert k["payback_month"] == 3


TWO_YEARS = scenario_from_data(small_venture(months=24, lag=1, capex=[{"id": "kit", "name": "Kit", "amount": 50000,
                                                                 "month": "2026-04", "life_years": 5}]))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 0.2), min_size=1, max_size=20))
def test_with_no_inflation_the_real_npv_at_r_is_the_nominal_npv_at_r(rates):
    r = np.array(rates)
    zero = np.zeros_like(r)
    k = run_batch(TWO_YEARS, {"appraisal.inflation": zero, "appraisal.discount_rate": r,
                       "appraisal.cost_of_capital": r}).kpi_arrays
    assert k["npv"] == pytest.approx(k["npv_nominal"], rel=1e-12, abs=1e-6)
    assert np.allclose(k["irr"], k["irr_real"], equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(months=st.integers(1, 36), value=st.floats(0, 1.4e6), rent=st.floats(0, 1.4e6), start=st.sampled_from(
    ["2025-01", "2025-04", "2025-11"]))
def test_a_horizon_that_collects_and_pays_everything_leaves_nothing_to_settle(months, value, rent, start):
    # paid in the month, tax paid in the month it is charged, no equipment: nothing is left at the end
    # (profits under £1.5m a year: no quarterly instalments, which could fall after the end)
    data = small_venture(months=months, lag=0, tax={"payment_lag_months": 0})
    data["start"] = data["contracts"][0]["start"] = data["costs"][0]["from"] = start
    data["contracts"][0]["annual_value"], data["costs"][0]["annual"] = value, rent
    L = run(scenario_from_data(data)).lines
    assert np.abs(L["terminal_settlement"]).max() <= TOLERANCE
    assert L["appraisal_cf"][0] == pytest.approx(L["pre_financing_cf"][0], abs=TOLERANCE)
