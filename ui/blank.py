"""The blank template: the smallest scenario that runs, for a person starting from nothing."""

from __future__ import annotations

import datetime as dt


def blank_data(today: dt.date | None = None) -> dict:
    """A one-contract, one-role venture starting next April, ready to be overwritten."""
    today = today or dt.date.today()
    year = today.year + (1 if today.month >= 4 else 0)
    start = f"{year}-04"
    return {
        "schema_version": 1,
        "name": "New venture",
        "description": "Blank template: replace every figure with your own.",
        "start": start,
        "months": 60,
        "indexation": {"pay": 0.03, "non_pay": 0.02, "prices": 0.0},
        "activity": [{"id": "referrals", "name": "Referrals", "per_month": 100, "annual_growth": 0.0}],
        "contracts": [{"id": "main_contract", "name": "Main contract", "commissioner": "ICB",
                       "mechanism": "block", "annual_value": 500000, "start": start}],
        "workforce": {"roles": [{"id": "clinician", "name": "Clinician", "salary": 50000,
                                 "plan": [{"from": start, "wte": 5}]}]},
        "costs": [{"id": "premises", "name": "Premises", "kind": "fixed", "annual": 50000, "from": start}],
        "funding": {"opening_cash": 50000},
    }
