"""Sampling: distributions have the right moments, Latin hypercube strata, Iman-Conover correlations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from modeller import load_scenario
from modeller.risk.sampling import (
    field_bounds,
    iman_conover,
    latin_hypercube,
    mean,
    ppf,
    sample,
    to_field,
)
from modeller.scenario import MAX_MONEY, Parameter
from modeller.scenario_io import scenario_from_data, scenario_to_data
from tests.conftest import ROOT
from tests.test_risk_cases import UNCERTAINTY, clinic

U = latin_hypercube(20000, 1, seed=3)[:, 0]


def test_latin_hypercube_puts_one_draw_in_each_stratum():
    u = latin_hypercube(50, 2, seed=1)
    for j in range(2):
        assert sorted(np.floor(u[:, j] * 50).astype(int)) == list(range(50))


@pytest.mark.parametrize("param, expected_mean", [
    (Parameter(path="x", dist="triangular", low=1, mode=2, high=6), (1 + 2 + 6) / 3),   # (a+b+c)/3 = 3
    (Parameter(path="x", dist="pert", low=1, mode=2, high=6), (1 + 4 * 2 + 6) / 6),     # (a+4m+b)/6 = 2.5
    (Parameter(path="x", dist="uniform", low=10, high=20), 15.0),
    (Parameter(path="x", dist="normal", mean=5, sd=2), 5.0),
    (Parameter(path="x", dist="lognormal", median=2, sigma=0.3), 2 * np.exp(0.3**2 / 2)),  # m e^(s²/2)
    (Parameter(path="x", dist="discrete", values=[0, 3, 6], probabilities=[0.5, 0.3, 0.2]), 0.9 + 1.2),
])
def test_sample_mean_matches_the_distribution(param, expected_mean):
    assert mean(param) == pytest.approx(expected_mean)
    assert ppf(param, U).mean() == pytest.approx(expected_mean, rel=2e-3)


def test_triangular_variance_and_bounds():
    p = Parameter(path="x", dist="triangular", low=1, mode=2, high=6)
    x = ppf(p, U)
    # var = (a²+b²+c²-ab-ac-bc)/18 = (1+4+36-2-6-12)/18 = 21/18
    assert x.var() == pytest.approx(21 / 18, rel=5e-3)
    assert x.min() >= 1 and x.max() <= 6


def test_normal_spread_and_discrete_frequencies():
    assert ppf(Parameter(path="x", dist="normal", mean=5, sd=2), U).std() == pytest.approx(2, rel=5e-3)
    d = ppf(Parameter(path="x", dist="discrete", values=[0, 3, 6], probabilities=[0.5, 0.3, 0.2]), U)
    assert [np.mean(d == v) for v in (0, 3, 6)] == pytest.approx([0.5, 0.3, 0.2], abs=1e-3)


def test_lognormal_median():
    x = ppf(Parameter(path="x", dist="lognormal", median=2, sigma=0.3), U)
    assert np.median(x) == pytest.approx(2, rel=2e-3)


def test_iman_conover_reaches_the_rank_correlation_and_keeps_the_values():
    u = latin_hypercube(5000, 3, seed=2)
    target = np.array([[1, 0.7, 0], [0.7, 1, -0.3], [0, -0.3, 1]])
    v = iman_conover(u, target, seed=2)
    assert stats.spearmanr(v).statistic == pytest.approx(target, abs=0.03)
    assert np.array_equal(np.sort(v, axis=0), np.sort(u, axis=0))


def test_scenario_sample_rounds_whole_months_and_correlates():
    s = clinic(UNCERTAINTY)
    draws = sample(s, 2000, seed=5)
    delay = draws["contracts.clinic.start_delay_months"]
    assert set(np.unique(delay)) == {0, 1, 2}
    rho = stats.spearmanr(draws["contracts.clinic.price_per_unit"], draws["activity.referrals.per_month"]).statistic
    assert rho == pytest.approx(0.5, abs=0.05)


def test_draws_are_clipped_to_the_field_bounds():
    assert field_bounds("workforce.roles.clinician.fill_rate") == (0.0, 1.0)
    assert to_field("workforce.roles.clinician.fill_rate", np.array([1.3, -0.1, 0.5])).tolist() == [1.0, 0.0, 0.5]
    assert to_field("contracts.clinic.start_delay_months", np.array([-2.0, 1.4, 2.6])).tolist() == [0, 1, 3]


def test_an_optional_money_field_keeps_its_limits():
    # `cap: Money | None`: the limits of Money sit inside the optional type; they were missed, so a
    # wide normal range on the cap drew negative caps, a limit on losses below nothing
    assert field_bounds("contracts.msk_prime.risk_share.cap") == (0.0, MAX_MONEY)
    data = scenario_to_data(load_scenario(ROOT / "scenarios" / "msk_prime_provider.yaml"))
    data["uncertainty"] = {"parameters": [{"path": "contracts.msk_prime.risk_share.cap", "dist": "normal",
                                           "mean": 300_000, "sd": 200_000}]}
    s = scenario_from_data(data)
    cap = sample(s, 2000, seed=1)["contracts.msk_prime.risk_share.cap"]
    # P(normal below 0) = P(z < -1.5) = 6.7%: about 130 of 2,000 draws would be negative unclipped
    assert cap.min() == 0.0 and 100 < np.sum(cap == 0.0) < 170



def test_no_more_draws_than_parameters_leaves_the_draws_independent():
    # 3 draws of 4 correlated parameters: the scores' 4 x 4 correlation has rank <= 2, so Cholesky
    # would fail ("not positive definite"); the draws are returned as they are instead
    u = np.random.default_rng(1).random((3, 4))
    rho = np.full((4, 4), 0.5) + 0.5 * np.eye(4)
    assert np.array_equal(iman_conover(u, rho, seed=7), u)
    five = np.random.default_rng(2).random((5, 4))            # one more draw than parameters: reordered
    reordered = iman_conover(five, rho, seed=7)
    assert np.array_equal(np.sort(reordered, axis=0), np.sort(five, axis=0))
