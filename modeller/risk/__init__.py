"""Risk and commitment analyses on the batch engine: Monte Carlo, tornado, switching values, goal seek."""

from modeller.risk.montecarlo import MonteCarloResult, simulate

__all__ = ["MonteCarloResult", "simulate"]
