"""The editor's contract payment columns: activity terms shown for activity contracts only, and every
new field surviving the round trip from a scenario to the editor's tables and back."""

from ui.columns import VIEWS, view_positions
from ui.draft import assemble, split


def test_activity_payment_terms_show_for_activity_contracts_only():
    views = VIEWS["contracts"]
    shown = dict(zip((v.name for v in views), view_positions(views, [{"mechanism": "block"},
                                                                      {"mechanism": "activity"}]), strict=True))
    assert shown["contract_activity_payments"] == [1]
    assert shown["contracts_activity"] == [1] and shown["contract_withholds"] == [0, 1]


def test_payment_fields_round_trip_through_the_editor():
    contract = {"id": "c", "name": "C", "mechanism": "activity", "activity": "refs", "price_per_unit": 50.0,
                "start": "2025-04", "paid": "in_arrears", "reconcile_lag_months": 2, "activity_cap": 900.0,
                "marginal_rate": 0.5, "withhold": {"share": 0.1, "paid": "at_settlement"}}
    data = {"name": "T", "start": "2025-04", "months": 12,
            "activity": [{"id": "refs", "name": "Refs", "per_month": 100.0}], "contracts": [contract]}
    draft = split(data)
    row = draft["tables"]["contracts"][0]
    assert (row["paid"], row["reconcile_lag_months"], row["activity_cap"], row["marginal_rate"],
            row["withhold_paid"]) == ("in_arrears", 2, 900.0, 0.5, "at_settlement")
    back, problems = assemble(draft)
    assert not problems
    got = back["contracts"][0]
    assert (got["paid"], got["activity_cap"], got["marginal_rate"], got["withhold"]["paid"]) == (
        "in_arrears", 900.0, 0.5, "at_settlement")
