"""Draws of uncertain inputs: Latin hypercube, inverse CDFs, Iman-Conover rank correlation.

Sampling is kept apart from the model (as monaco does): `sample` turns a scenario's
`uncertainty:` section into `{path: array(draws)}` overrides for `run_batch`, reproducibly
from a seed. Draws are clipped to the field's own bounds (a fill rate never exceeds 1) and
whole-month fields are rounded.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats
from scipy.stats import qmc

from modeller.fields import InputField, field_of
from modeller.scenario import Parameter, Scenario

PERT_LAMBDA = 4.0


def ppf(p: Parameter, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a parameter's distribution at uniforms `u` in (0, 1)."""
    u = np.asarray(u, dtype=float)
    if p.dist in ("triangular", "pert", "uniform") and p.high == p.low:
        return np.full_like(u, p.low)
    width = (p.high - p.low) if p.high is not None and p.low is not None else 0.0
    if p.dist == "uniform":
        return p.low + width * u
    if p.dist == "triangular":
        return stats.triang.ppf(u, (p.mode - p.low) / width, loc=p.low, scale=width)
    if p.dist == "pert":
        a = 1 + PERT_LAMBDA * (p.mode - p.low) / width
        b = 1 + PERT_LAMBDA * (p.high - p.mode) / width
        return p.low + width * stats.beta.ppf(u, a, b)
    if p.dist == "normal":
        return p.mean + p.sd * stats.norm.ppf(u)
    if p.dist == "lognormal":
        return p.median * np.exp(p.sigma * stats.norm.ppf(u))
    cum = np.cumsum(p.probabilities)
    index = np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), len(cum) - 1)
    return np.asarray(p.values, dtype=float)[index]


def mean(p: Parameter) -> float:
    """The distribution's mean (triangular (a+b+c)/3, PERT (a+4m+b)/6, ...)."""
    if p.dist == "uniform":
        return (p.low + p.high) / 2
    if p.dist == "triangular":
        return (p.low + p.mode + p.high) / 3
    if p.dist == "pert":
        return (p.low + PERT_LAMBDA * p.mode + p.high) / (PERT_LAMBDA + 2)
    if p.dist == "normal":
        return p.mean
    if p.dist == "lognormal":
        return p.median * float(np.exp(p.sigma**2 / 2))
    return float(np.dot(p.values, p.probabilities))


@lru_cache(maxsize=1024)
def spec_of(path: str) -> InputField:
    """`fields.field_of`, remembered: a risk analysis asks after the same few paths many times,
    and finding a path's pattern walks every field of the schema."""
    return field_of(path)


def field_bounds(path: str) -> tuple[float, float]:
    """(lowest, highest) value the schema allows at a path (-inf / inf where it sets none),
    read from the schema's description of the field, optional fields (`Money | None`) included."""
    spec = spec_of(path)
    return spec.low, spec.high


def to_field(path: str, values: np.ndarray) -> np.ndarray:
    """Values made legal for the field: clipped to its bounds, rounded if it is whole months."""
    spec = spec_of(path)
    out = np.clip(np.asarray(values, dtype=float), spec.low, spec.high)
    return np.rint(out) if spec.whole else out


def latin_hypercube(draws: int, dims: int, seed: int) -> np.ndarray:
    """(draws, dims) uniforms, one stratum per draw in each dimension."""
    if dims == 0:
        return np.zeros((draws, 0))
    return qmc.LatinHypercube(d=dims, rng=np.random.default_rng(seed)).random(draws)


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """A lower factor L with L @ L.T == matrix, also for a semi-definite matrix."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return vectors * np.sqrt(np.clip(values, 0.0, None))


def iman_conover(u: np.ndarray, rank_corr: np.ndarray, seed: int) -> np.ndarray:
    """Reorder each column of `u` so the columns' rank correlation approaches `rank_corr`.

    Iman & Conover (1982): build van der Waerden scores, give them the target correlation
    by a Cholesky-like transform, then give each column of `u` the ranks of those scores.
    Each column keeps its own values, so the Latin hypercube strata are untouched.

    With no more draws than parameters (n <= k) the scores' own correlation matrix is singular
    (rank at most n - 1) and no k x k correlation can be imposed: the draws stay independent.
    """
    n, k = u.shape
    if k < 2 or n < 3 or n <= k:
        return u
    rng = np.random.default_rng([seed, 1])
    base = stats.norm.ppf(np.arange(1, n + 1) / (n + 1))
    scores = np.column_stack([rng.permutation(base) for _ in range(k)])
    current = np.corrcoef(scores, rowvar=False)
    pearson = 2 * np.sin(np.pi * np.asarray(rank_corr) / 6)  # normal scores: Spearman -> Pearson
    target = scores @ np.linalg.inv(np.linalg.cholesky(current)).T @ _sqrt_psd(pearson).T
    out = np.empty_like(u)
    for j in range(k):
        out[np.argsort(target[:, j]), j] = np.sort(u[:, j])
    return out


def correlation_matrix(scenario: Scenario) -> np.ndarray:
    """Target rank correlations among the uncertain parameters, in their listed order."""
    u = scenario.uncertainty
    paths = [p.path for p in u.parameters]
    rho = np.eye(len(paths))
    for c in u.correlations:
        i, j = paths.index(c.a), paths.index(c.b)
        rho[i, j] = rho[j, i] = c.rho
    return rho


def sample(scenario: Scenario, draws: int, seed: int) -> dict[str, np.ndarray]:
    """Overrides {path: (draws,) values} for every uncertain parameter of the scenario."""
    u_section = scenario.uncertainty
    if u_section is None or not u_section.parameters:
        return {}
    params = u_section.parameters
    u = latin_hypercube(draws, len(params), seed)
    if u_section.correlations:
        u = iman_conover(u, correlation_matrix(scenario), seed)
    return {p.path: to_field(p.path, ppf(p, u[:, j])) for j, p in enumerate(params)}


def quantiles(p: Parameter, probs: tuple[float, ...]) -> list[float]:
    """Quantiles of a parameter as the engine would see them (clipped, whole months rounded)."""
    return [float(v) for v in to_field(p.path, ppf(p, np.asarray(probs)))]


def param_by_path(scenario: Scenario, path: str) -> Parameter | None:
    if scenario.uncertainty is None:
        return None
    return next((p for p in scenario.uncertainty.parameters if p.path == path), None)


__all__ = ["correlation_matrix", "field_bounds", "iman_conover", "latin_hypercube", "mean", "param_by_path",
           "ppf", "quantiles", "sample", "to_field"]
