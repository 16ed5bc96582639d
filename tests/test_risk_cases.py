"""A small hand-built venture for the risk tests: fast to run, with numbers worked by hand.

Without uncertainty: 100 referrals a month at £200 from Jun 2025 (month 2), paid a month in
arrears, so £20,000 arrives each month from month 3. Three clinicians at £60,000 (no
on-costs) from May 2025 cost £15,000 a month; premises £2,000 a month. Opening cash
£30,000, minimum £10,000, an interest-free £20,000 facility: month 0 ends at £28,000,
month 1 at £11,000, month 2 needs £16,000 of the facility, then +£3,000 a month repays it.
"""

from __future__ import annotations

from tests.helpers import scenario

UNCERTAINTY = {
    "draws": 400,
    "seed": 11,
    "parameters": [
        {"path": "contracts.clinic.price_per_unit", "dist": "triangular", "low": 170, "mode": 200, "high": 230},
        {"path": "activity.referrals.per_month", "dist": "normal", "mean": 100, "sd": 10},
        {"path": "contracts.clinic.start_delay_months", "dist": "discrete", "values": [0, 1, 2],
         "probabilities": [0.5, 0.3, 0.2]},
    ],
    "correlations": [{"a": "contracts.clinic.price_per_unit", "b": "activity.referrals.per_month", "rho": 0.5}],
}


def clinic(uncertainty: dict | None = None, **funding):
    """The venture above; `uncertainty` adds a section, `funding` replaces funding fields."""
    parts = dict(
        months=24,
        activity=[{"id": "referrals", "name": "Referrals", "per_month": 100}],
        contracts=[{"id": "clinic", "name": "Clinic", "mechanism": "activity", "price_per_unit": 200,
                    "activity": "referrals", "start": "2025-06", "payment_lag_months": 1}],
        roles=[{"id": "clinician", "name": "Clinician", "salary": 60000, "recruit_lead_months": 0,
                "plan": [{"from": "2025-05", "wte": 3}]}],
        costs=[{"id": "premises", "name": "Premises", "kind": "fixed", "annual": 24000, "from": "2025-04"}],
        funding={"opening_cash": 30000, "minimum_cash": 10000, "facility": {"limit": 20000, "annual_rate": 0.0},
                 **funding},
    )
    if uncertainty is not None:
        parts["uncertainty"] = uncertainty
    return scenario(**parts)


def test_the_case_runs_as_worked_by_hand():
    from modeller import run

    cash = run(clinic()).lines["closing_cash"][0]
    # 30,000 - 2,000 = 28,000; - 15,000 - 2,000 = 11,000; month 2 would be -6,000, the facility lifts it to 10,000
    assert cash[:3].tolist() == [28000, 11000, 10000]
