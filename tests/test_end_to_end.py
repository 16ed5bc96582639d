"""A six-month venture with every KPI and statement worked by hand.

Jan-Jun 2025. FY 2024/25 is Jan-Mar (months 0-2), FY 2025/26 Apr-Jun (months 3-5); pay
rises 10% from 1 April. One block contract of £120,000 a year from February, paid a month
in arrears; one WTE at £24,000 with 10% NI (no threshold) and 10% pension; premises
£12,000 a year committed for 3 months; £3,000 mobilisation; £6,000 of kit over 6 months;
£10,000 opening cash, no other funding; tax at 20% paid in the month charged.
"""

import numpy as np
import numpy_financial as npf
import pytest

from modeller import load_scenario, run

SCENARIO = """
name: Hand-worked venture
start: "2025-01"
months: 6
indexation: {pay: 0.10, non_pay: 0.0, prices: 0.0}
appraisal: {discount_rate: 0.035}
contracts:
  - {id: block, name: Block contract, mechanism: block, annual_value: 120000, start: "2025-02",
     payment_lag_months: 1}
workforce:
  on_costs: {employer_ni_rate: 0.10, ni_threshold: 0, pension_rate: 0.10, other_rate: 0.0}
  roles:
    - {id: nurse, name: Nurse, salary: 24000, plan: [{from: "2025-01", wte: 1}], recruit_lead_months: 1,
       recruit_cost_per_wte: 1000, fill_rate: 1.0, notice_months: 1}
costs:
  - {id: premises, name: Premises, kind: fixed, annual: 12000, from: "2025-01", commitment_months: 3}
  - {id: mobilisation, name: Mobilisation, kind: one_off, amount: 3000, month: "2025-01"}
capex:
  - {id: kit, name: Kit, amount: 6000, month: "2025-01", life_years: 0.5}
vat: {rate: 0.0}    # no VAT here: tests/test_vat.py works VAT by hand
funding: {opening_cash: 10000, minimum_cash: 0}
tax: {corporation_tax_rate: 0.2, small_profits_rate: null, capital_allowances: none,   # one flat rate
      payment_lag_months: 0}                                                     # on accounting profit
"""

# Pre-financing cash flow by month (see test_cash_flow for each figure).
PRE_FINANCING = [-13400, -3400, 5840, 6360, 6360, 3144]
# The appraisal adds the terminal settlement in June: June's income owed, 10,000, and the kit's book value,
# 1,000 (nothing owed: suppliers and tax are paid in the month): 3,144 + 11,000 = 14,144
APPRAISAL = [-13400, -3400, 5840, 6360, 6360, 14144]
# ... in first-year prices: April to June are after one 1 April, divided by 1.02 (the default inflation)
REAL = np.array(APPRAISAL) / np.array([1, 1, 1, 1.02, 1.02, 1.02])
MONTHLY_COST_OF_CAPITAL = 1.08 ** (1 / 12) - 1          # 8% a year, the default


@pytest.fixture(scope="module")
def result():
    return run(load_scenario(SCENARIO))


def test_profit_and_loss(result):
    L = {k: v[0] for k, v in result.lines.items()}
    # £120,000 / 12 = £10,000 a month from February
    assert L["income"] == pytest.approx([0, 10000, 10000, 10000, 10000, 10000], abs=0.005)
    # £24,000/12 x (1 + 10% NI + 10% pension) = £2,400; from April x 1.1 = £2,640
    assert L["pay"] == pytest.approx([2400, 2400, 2400, 2640, 2640, 2640], abs=0.005)
    # premises £1,000 a month; mobilisation £3,000 and the hire (£1,000, due a month before
    # month 0 so paid in month 0) in January
    assert L["non_pay"] == pytest.approx([5000, 1000, 1000, 1000, 1000, 1000], abs=0.005)
    # £6,000 over 6 months from the month after purchase
    assert L["depreciation"] == pytest.approx([0, 1000, 1000, 1000, 1000, 1000], abs=0.005)
    # FY 2024/25 profit: -7,400 + 5,600 + 5,600 = 3,800 -> tax 760 in March
    # FY 2025/26 (cut at June): 3 x 5,360 = 16,080 -> tax 3,216 in June, the last model month
    assert L["tax_charge"] == pytest.approx([0, 0, 760, 0, 0, 3216], abs=0.005)
    assert L["profit_after_tax"].sum() == pytest.approx(3800 + 16080 - 760 - 3216, abs=0.005)


def test_cash_flow(result):
    L = {k: v[0] for k, v in result.lines.items()}
    # month 0: staff 2,400 + suppliers 5,000 + kit 6,000 = -13,400
    # month 2: first receipt 10,000 (February's income) - 2,400 - 1,000 - tax 760 = 5,840
    # month 5: 10,000 - 2,640 - 1,000 - tax 3,216 = 3,144 (June's income is still owed)
    assert L["pre_financing_cf"] == pytest.approx(PRE_FINANCING, abs=0.005)
    assert L["closing_cash"] == pytest.approx(10000 + np.cumsum(PRE_FINANCING), abs=0.005)


def test_terminal_settlement(result):
    L = {k: v[0] for k, v in result.lines.items()}
    assert L["terminal_settlement"] == pytest.approx([0, 0, 0, 0, 0, 11000], abs=0.005)
    assert L["appraisal_cf"] == pytest.approx(APPRAISAL, abs=0.005)


def test_balance_sheet_at_the_end(result):
    bs = {k: v[0, -1] for k, v in result.lines.items()}
    assert bs["debtors"] == pytest.approx(10000, abs=0.005)          # June's income
    assert bs["fixed_assets"] == pytest.approx(6000 - 5000, abs=0.005)
    assert bs["cash"] == pytest.approx(14904, abs=0.005)             # 10,000 + 4,904
    assert bs["total_equity"] == pytest.approx(10000 + 15904, abs=0.005)
    assert bs["balance_check"] == pytest.approx(0, abs=0.005)


def test_every_kpi(result):
    k = result.kpis()
    cum = np.cumsum(PRE_FINANCING)                      # -13,400 -16,800 -10,960 -4,600 1,760 4,904
    months = np.arange(6)
    expected = {
        "total_income": 50000,                           # 5 x 10,000
        "total_ebitda": 24880,                           # -7,400 + 2 x 6,600 + 3 x 6,360
        "total_profit_after_tax": 15904,                 # 19,880 - 760 - 3,216
        "peak_funding_requirement": 16800,               # -min(cum)
        "peak_funding_month": 1,
        "lowest_cash": 10000 - 16800,
        "lowest_cash_month": 1,
        "funding_shortfall": 6800,                       # minimum 0 - (-6,800)
        "funding_shortfall_month": 0,                    # cash -3,400 in January
        "peak_facility_drawn": 0,
        "first_receipt_month": 2,
        "committed_before_first_receipt": 16800,         # payments in months 0 and 1: 13,400 + 3,400
        "peak_exit_cost": 4400,                          # January: a month's notice 2,400 + 2 months' premises
        "peak_exit_cost_month": 0,
        "ebitda_breakeven_month": 2,                     # EBITDA -7,400 then 6,600 a month: the 12 months to
                                                         # month 1 make -800, to month 2 +5,800, then more
        "payback_month": 4,                              # cum first stays >= 0 in May (1,760; then 15,904)
        "npv": float(np.sum(REAL / 1.035 ** ((months + 1) / 12))),
        "npv_nominal": float(np.sum(np.array(APPRAISAL) / 1.08 ** ((months + 1) / 12))),
        "irr": (1 + npf.irr(APPRAISAL)) ** 12 - 1,
        "irr_real": (1 + npf.irr(REAL)) ** 12 - 1,
        "mirr": (1 + npf.mirr(APPRAISAL, MONTHLY_COST_OF_CAPITAL, MONTHLY_COST_OF_CAPITAL)) ** 12 - 1,
        "peak_wte": 1,
        "final_wte": 1,
        "staff_cost_share": 15120 / 50000,               # (3 x 2,400 + 3 x 2,640) / 50,000
    }
    assert cum[1] == -16800
    assert set(k) == set(expected)
    for name, value in expected.items():
        assert k[name] == pytest.approx(value, abs=0.005, rel=1e-9), name


def test_yearly_figures(result):
    years = result.financial_years()
    assert [y["year"] for y in years] == ["2024/25", "2025/26"]
    assert years[0]["income"] == pytest.approx(20000)                 # Feb + Mar
    assert years[1]["profit_after_tax"] == pytest.approx(16080 - 3216)
    assert years[0]["closing_cash"] == pytest.approx(10000 - 10960)   # March
    assert years[1]["wte_at_year_end"] == pytest.approx(1)


def test_statements_by_year(result):
    from modeller.statements import BALANCE_LINES, CASH_LINES

    cash = result.by_year(CASH_LINES)
    # 2024/25 opens with the £10,000 of share capital and closes at 10,000 - 10,960 (March)
    assert cash.loc["2024/25", "opening_cash"] == pytest.approx(10000)
    assert cash.loc["2024/25", "closing_cash"] == pytest.approx(-960)
    # flows are summed: pre-financing cash Apr-Jun = 6,360 + 6,360 + 3,144
    assert cash.loc["2025/26", "pre_financing_cf"] == pytest.approx(15864)
    bs = result.by_year(BALANCE_LINES)
    assert bs.loc["2025/26", "cash"] == pytest.approx(14904)        # June, not a sum of months
    assert result.lines["cumulative_pre_financing_cf"][0, 1] == pytest.approx(-16800)
