"""Small scenario builders for engine tests: a minimal valid scenario plus the parts under test."""

from __future__ import annotations

import copy

from modeller.scenario_io import scenario_from_data

BASE = {
    "name": "Test venture",
    "start": "2025-04",
    "months": 12,
    "indexation": {"pay": 0.0, "non_pay": 0.0, "prices": 0.0},
    "workforce": {"on_costs": {"employer_ni_rate": 0.0, "ni_threshold": 0, "pension_rate": 0.0, "other_rate": 0.0}},
    "funding": {"opening_cash": 0, "minimum_cash": 0},
    "tax": {"corporation_tax_rate": 0.0, "small_profits_rate": None, "payment_lag_months": 0},   # no tax
    "vat": {"rate": 0.0},   # like the other rates, none unless a test sets it (tests/test_vat.py)
}


def scenario(**parts):
    """BASE with top-level sections replaced (workforce roles via roles=[...])."""
    data = copy.deepcopy(BASE)
    roles = parts.pop("roles", None)
    data.update(parts)
    if roles is not None:
        data["workforce"] = {**data["workforce"], "roles": roles}
    return scenario_from_data(data, "test")


def line(result, name, draw=0):
    return result.lines[name][draw]
