"""KPI helpers: IRR and NPV against numpy-financial, 'stays from' months, timeline basics."""

from pathlib import Path

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modeller import load_scenario, run
from modeller.metrics import IRR_GRID, first_true, irr, irr_roots, npv, stays_from
from modeller.timeline import Timeline

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
AMOUNT = st.floats(1e3, 1e7)     # £ in a month


def npf_annual(flows: np.ndarray) -> float:
    """numpy-financial's IRR (monthly, the root nearest 0%), annualised as metrics.irr is."""
    return (1 + npf.irr(flows)) ** 12 - 1


@pytest.mark.parametrize("draws", [3, 200])   # both evaluation paths: powers (few draws), Horner (many)
def test_irr_matches_numpy_financial(draws):
    rng = np.random.default_rng(7)
    flows = np.concatenate([-rng.uniform(1, 5, (draws, 6)), rng.uniform(0, 3, (draws, 54))], axis=1) * 1e5
    expected = [(1 + npf.irr(f)) ** 12 - 1 for f in flows]
    assert irr(flows) == pytest.approx(expected, abs=1e-10)


def test_irr_is_nan_when_flows_never_change_sign():
    assert np.isnan(irr(np.array([[100.0, 200.0, 300.0]])))[0]


def test_npv_discounts_month_m_by_m_plus_one_twelfths():
    # £1,035 received in month 11 is worth exactly £1,000 at 3.5% a year
    flows = np.zeros((1, 12))
    flows[0, 11] = 1035
    assert npv(flows, 0.035)[0] == pytest.approx(1000)


def test_stays_from_and_first_true():
    ok = np.array([[False, True, False, True, True], [True, True, True, True, False]])
    # row 0 holds from month 3 on; row 1 fails in the last month, so never
    assert stays_from(ok).tolist()[0] == 3
    assert np.isnan(stays_from(ok)[1])
    assert first_true(ok).tolist() == [1, 0]


def test_financial_years_from_january_and_from_april():
    jan = Timeline("2025-01", 15)
    # Jan-Mar 2025 are in 2024/25 (index year 0); April 2025 starts 2025/26 and the first uplift
    assert jan.fy.tolist()[:4] == [0, 0, 0, 1]
    assert jan.fy_labels == ["2024/25", "2025/26"]          # Jan 2025 .. Mar 2026
    assert np.flatnonzero(jan.year_end).tolist() == [2, 14]
    apr = Timeline("2025-04", 13)
    # an April start: no uplift in month 0, the first on 1 April 2026 (month 12)
    assert apr.fy.tolist()[0] == 0 and apr.fy.tolist()[11] == 0 and apr.fy.tolist()[12] == 1
    assert apr.march_index.tolist() == [11, 23]


def test_irr_found_when_the_last_month_is_negative():
    # Reported by the scenario work: at -99% a month the last month dominates, so a search
    # bracketed only by -99%..+100% missed this root. Invest 1,000, earn 150 for 11 months,
    # then pay 100 in the last month.
    flows = np.array([[-1000.0] + [150.0] * 11 + [-100.0]])
    assert irr(flows)[0] == pytest.approx((1 + npf.irr(flows[0])) ** 12 - 1, abs=1e-10)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_irr_agrees_with_numpy_financial_on_every_example(path):
    # back_pain_capitation and gp_network have a second root near -85% a year: both take the one
    # nearest 0% there (numpy-financial by its rule, metrics.irr by its bracket's midpoint)
    flows = np.asarray(run(load_scenario(path)).lines["pre_financing_cf"][0])
    assert irr(flows[None])[0] == pytest.approx(npf_annual(flows), rel=0, abs=1e-9)


@st.composite
def conventional_flows(draw) -> np.ndarray:
    """Money out for 1-24 months, then money in (some months nothing) up to 10 years: one sign
    change, so exactly one IRR (Descartes' rule of signs)."""
    out = draw(st.lists(AMOUNT, min_size=1, max_size=24))
    back = draw(st.lists(st.one_of(st.just(0.0), AMOUNT), min_size=1, max_size=96))
    back[draw(st.integers(0, len(back) - 1))] = draw(AMOUNT)    # at least one month of money in
    return np.array([-a for a in out] + back)


@settings(max_examples=300, deadline=None)
@given(conventional_flows())
def test_irr_agrees_with_numpy_financial_where_the_root_is_unique(flows):
    monthly = npf.irr(flows)
    if IRR_GRID[0] < monthly < IRR_GRID[-1]:
        assert irr(flows[None])[0] == pytest.approx(npf_annual(flows), rel=0, abs=1e-9)
        assert irr_roots(flows).size == 1
    else:   # outside the searched -99%..+100% a month: no IRR rather than a wrong one
        assert np.isnan(irr(flows[None])[0])


def test_with_two_roots_irr_takes_the_falling_one():
    # -100 + 199.5 x - 99.32 x^2 with x = 1/(1+i): (1+i)^2 - 1.995 (1+i) + 0.9932 = (1+i - 1.04)(1+i - 0.955),
    # so i = +4% or -4.5% a month. The value is positive between the roots: at +4% it falls through zero as
    # the rate rises, at -4.5% it rises. metrics.irr (and the workbook) take the falling root, +4%, though the
    # bracket of -4.5% (-5%..-2%, midpoint -3.5%) is nearer zero than +4%'s (3%..5%, midpoint 4%).
    # numpy-financial, nearest 0%, takes +4% too here (tests/test_appraisal.py has a case where they differ).
    flows = np.array([-100.0, 199.5, -99.32])
    low, high = 0.955**12 - 1, 1.04**12 - 1
    assert irr_roots(flows) == pytest.approx([low, high], abs=1e-12)
    assert irr(flows[None])[0] == pytest.approx(high, abs=1e-12)
    assert npf_annual(flows) == pytest.approx(high, abs=1e-12)


def test_a_rising_root_is_taken_when_no_root_falls():
    # money in first, then out (a loan, seen by the borrower): 100 - 110 / (1+i) rises through zero at
    # i = 10% a month, and no root falls, so irr takes that one: 1.1^12 - 1
    assert irr(np.array([[100.0, -110.0]]))[0] == pytest.approx(1.1**12 - 1, abs=1e-12)


def test_irr_roots_is_empty_without_a_sign_change():
    assert irr_roots(np.array([100.0, 200.0, 300.0])).size == 0


@pytest.mark.parametrize("flows, monthly", [
    ([-1000.0, 990.0], -0.01),          # 990 / 1000 = 1 + i: the root lies on the grid rate -1%
    ([-1000.0, 500.0, 500.0], 0.0),     # on the grid rate 0%, exactly
])
def test_irr_on_a_grid_rate_is_exact(flows, monthly):
    # Newton's step landed a rounding error outside the bracket, was refused, and halvings left
    # -1% a month out by 1.6e-6 a year; irr_roots counted a root at 0% twice
    assert irr(np.array([flows]))[0] == pytest.approx((1 + monthly) ** 12 - 1, abs=1e-12)
    assert irr_roots(np.array(flows)) == pytest.approx([(1 + monthly) ** 12 - 1], abs=1e-12)


def test_ebitda_break_even_is_when_the_past_twelve_months_stay_in_profit():
    from tests.helpers import scenario

    # £10,000 a month of income from June (month 2); rent £8,000 a month from April; a £5,000 one-off in
    # December 2026 (month 20). Months 0-1: EBITDA -£8,000 each; then +£2,000 a month, and -£3,000 in month 20.
    # The 12 months to month 9: -8,000 x 2 + 2,000 x 8 = 0, so break-even from month 9 (Jan 2026); the one-off
    # month does not undo it: the 12 months to month 20 make 2,000 x 11 - 3,000 = £19,000. (Month by month, the
    # old rule, it would have been month 21.)
    s = scenario(months=24, contracts=[{"id": "c", "name": "C", "mechanism": "block", "annual_value": 120_000,
                                        "start": "2025-06"}],
                 costs=[{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 96_000, "from": "2025-04"},
                        {"id": "fix", "name": "Repair", "kind": "one_off", "amount": 5_000, "month": "2026-12"}])
    assert run(s).kpis()["ebitda_breakeven_month"] == 9
