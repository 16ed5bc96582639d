"""The Workforce sheet's new rules recalculate in LibreOffice to the engine's figures, to 1p: rolling-peak
and monthly staffing, NI per person, pension per role, TUPE transfers, redundancy, levy and Employment
Allowance."""

from __future__ import annotations

import numpy as np
import pytest

from modeller import run
from modeller.export import build_workbook
from modeller.export.recalc import recalculate
from tests.conftest import require_tool
from tests.helpers import scenario
from tests.test_export_recalc import PENNY, Values, _row

pytestmark = pytest.mark.libreoffice
SEASONS = [1.5, 1, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1]


def _scenario():
    acts = [{"id": "visits", "name": "Visits", "per_month": 2000, "annual_growth": 0.1, "seasonality": SEASONS}]
    on_costs = {"employer_ni_rate": 0.15, "ni_threshold": 5000, "pension_rate": 0.1438, "other_rate": 0.005}
    roles = [
        {"id": "nurse", "name": "Nurses", "salary": 36000, "recruit_cost_per_wte": 3000, "fill_rate": 0.9,
         "attrition_annual": 0.1, "redundancy_weeks": 6, "pension_rate": 0.237,
         "driver": {"activity": "visits", "units_per_wte_month": 20}},
        {"id": "hca", "name": "Assistants", "salary": 25000, "recruit_lead_months": 2, "recruit_cost_per_wte": 1000,
         "driver": {"activity": "visits", "units_per_wte_month": 50, "share": 0.5, "staffing_basis": "monthly"}},
        {"id": "gp", "name": "GP founders", "salary": 90000, "wte_per_person": 0.1, "notice_months": 0,
         "plan": [{"from": "2025-04", "wte": 0.2}]},
        {"id": "therapist", "name": "Therapists", "salary": 40000, "redundancy_weeks": 10, "recruit_lead_months": 0,
         "plan": [{"from": "2025-04", "wte": 10}, {"from": "2025-09", "wte": 60}],
         "transfers": [{"from": "2025-09", "wte": 40, "salary": 38000, "pension_rate": 0.1438},
                       {"from": "2026-01", "wte": 5, "salary": 42000}]},
        {"id": "acp", "name": "Seconded ACPs", "salary": 50000, "employment": "seconded",
         "plan": [{"from": "2025-06", "wte": 30}]},
    ]
    return scenario(months=30, activity=acts, roles=roles,
                    workforce={"employment_allowance": 10500, "on_costs": on_costs},
                    contracts=[{"id": "block", "name": "Block", "mechanism": "block", "annual_value": 12_000_000,
                                "start": "2025-04"}])


ROLE_ROWS = {"target": "target_wte", "transferred": "transferred_wte", "in_post": "in_post_wte",
             "agency": "agency_wte", "hires": "hires_wte", "loaded": "loaded_pay_per_wte",
             "staff_cost": "staff_cost", "recruitment": "recruitment_cost", "staff_paid": "staff_paid",
             "exit_cost": "exit_cost"}


def test_workforce_sheet_recalculates_to_the_engine(tmp_path):
    require_tool("soffice")
    sc = _scenario()
    res = run(sc)
    employer = res.detail["employer"]["all"]
    assert employer.levy[0].sum() > 0 and employer.allowance[0].sum() == pytest.approx(10500 * 3)   # both apply
    wb, sheets = build_workbook(sc, res)
    wb.save(tmp_path / "wf.xlsx")
    values = Values(recalculate([tmp_path / "wf.xlsx"], tmp_path / "out")[0])
    wf = sheets["Workforce"].rows
    for rid, role in res.detail["roles"].items():
        for key, attr in ROLE_ROWS.items():
            np.testing.assert_allclose(_row(values["Workforce"], wf[f"{rid}.{key}"], sc.months),
                                       getattr(role, attr)[0], rtol=0, atol=PENNY, err_msg=f"{rid}.{key}")
    for key, attr in (("_total.levy", "levy"), ("_total.allowance", "allowance")):
        np.testing.assert_allclose(_row(values["Workforce"], wf[key], sc.months), getattr(employer, attr)[0],
                                   rtol=0, atol=PENNY, err_msg=key)
    for key in ("pay_employed", "staff_payments", "ebitda", "exit_cost", "closing_cash"):
        np.testing.assert_allclose(_row(values["Statements"], sheets["Statements"].rows[key], sc.months),
                                   res.lines[key][0], rtol=0, atol=PENNY, err_msg=key)
