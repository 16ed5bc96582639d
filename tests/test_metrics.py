"""KPI helpers: IRR and NPV against numpy-financial, 'stays from' months, timeline basics."""

import numpy as np
import numpy_financial as npf
import pytest

from modeller.metrics import first_true, irr, npv, stays_from
from modeller.timeline import Timeline


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
