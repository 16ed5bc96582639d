"""The workbook is live: LibreOffice recalculates it to the engine's numbers, before and after edits.

Every example is exported, recalculated once per session (two LibreOffice processes at a
time, each with its own profile) and compared line by line with the engine to 1p.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from modeller.engine import run
from modeller.export import build_workbook
from modeller.export.annual_sheet import annual_rows
from modeller.export.layout import FIRST_COL
from modeller.export.recalc import recalculate
from modeller.metrics import KPI_NAMES, MONTH_KPIS
from modeller.paths import with_value
from modeller.scenario import month_number
from modeller.scenario_io import load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import ROOT, SCENARIOS, require_tool
from tests.helpers import scenario

pytestmark = pytest.mark.libreoffice
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
PENNY = 0.01
EDIT_MONTHS = 48   # past the step-up and into the first tax charge (MSK from Jan 2015 is charged tax in Dec 2018)
MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
# (parameter path, new value): a contract value, a salary, payment lags, a facility limit, a growth
# rate, a recruitment lead time (an earlier shift) and the tax lag
EDITS = [("contracts.msk_prime.annual_value", 10_000_000), ("workforce.roles.esp.salary", 61_000),
         ("contracts.msk_prime.payment_lag_months", 2), ("funding.facility.limit", 400_000),
         ("activity.referrals.annual_growth", 0.12), ("workforce.roles.esp.recruit_lead_months", 9),
         ("costs.premises.payment_lag_months", -1), ("tax.payment_lag_months", 0),
         ("vat.rate", 0.05), ("vat.recoverable_share", 0.5),   # VAT: a lower rate, half of it recovered
         # corporation tax: the main rate, an upper limit that puts MSK's profits in the marginal-relief band
         # (where the small profits rate counts too), and depreciation instead of the annual investment allowance
         ("tax.corporation_tax_rate", 0.3), ("tax.upper_limit", 5_000_000),
         ("tax.capital_allowances", "none"),
         ("contracts.msk_prime.start_delay_months", 3), ("contracts.msk_prime.ramp_months", 4),
         ("workforce.roles.esp.plan.1.from", "2016-03"),
         # the step-up moved: everything linked to it (the hospital subcontracts) moves with it
         ("contracts.msk_prime.changes.0.from", "2017-01"),
         # the appraisal: general inflation (the deflator), the cost of capital, the residual value
         ("appraisal.inflation", 0.05), ("appraisal.cost_of_capital", 0.12), ("appraisal.residual_value", "none")]
# calc-sheet rows against the engine's own series: (sheet, key suffix, detail section, attribute)
DETAIL = [("Income", s, "contracts", a) for s, a in (("earned", "earned"), ("income", "income"),
          ("receipts", "receipts"), ("withhold_income", "withhold_income"), ("rs_settle", "risk_share"),
          ("rs_retained", "provider_retained"), ("active", "active"))] + \
         [("Workforce", s, "roles", a) for s, a in (("target", "target_wte"), ("in_post", "in_post_wte"),
          ("agency", "agency_wte"), ("hires", "hires_wte"), ("leavers", "leavers_wte"),
          ("loaded", "loaded_pay_per_wte"), ("staff_cost", "staff_cost"), ("agency_cost", "agency_cost"),
          ("recruitment", "recruitment_cost"), ("staff_paid", "staff_paid"), ("exit_cost", "exit_cost"))] + \
         [("Costs", s, "costs", s) for s in ("cost", "paid", "exit_cost", "vat", "vat_recoverable", "vat_reclaimed")]


def edited(sc, path: str, value):
    """The scenario with one input changed, as the engine sees it. `paths.with_value` sets numbers; a
    month (the one month edit, a plan step's start) and a choice are set in the scenario's data."""
    if not isinstance(value, str):
        return with_value(sc, path, value)
    data = scenario_to_data(sc)   # with its linked dates, which follow a date edited here as in the workbook
    *parents, field = path.split(".")
    node = data
    for key in parents:           # ids name list items: workforce.roles.esp.plan.1
        node = next(i for i in node if i.get("id") == key) if isinstance(node, list) and not key.isdigit() else (
            node[int(key)] if isinstance(node, list) else node[key])
    node[field] = value
    return scenario_from_data(data, "edited")


def edit_workbook(wb, dst: Path, name: str, value) -> None:
    """Change one named input cell with openpyxl, as a board member would in Excel (then put it back)."""
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    cell = wb[sheet][ref.replace("$", "")]
    if isinstance(value, str) and value[:4].isdigit():  # a month: the workbook holds it as a date
        value = date(int(value[:4]), int(value[5:]), 1)
    old, cell.value = cell.value, value
    wb.save(dst)
    cell.value = old


class Values:
    """Computed values of a recalculated workbook, read once (read-only mode is much faster)."""

    def __init__(self, path: Path):
        wb = load_workbook(path, data_only=True, read_only=True)
        self.sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
        wb.close()

    def __getitem__(self, sheet: str) -> list[list]:
        return self.sheets[sheet]

    def cell(self, sheet: str, row: int, col: int):
        rows = self.sheets[sheet]
        if row > len(rows) or col > len(rows[row - 1]):
            return None
        return rows[row - 1][col - 1]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """{label: (scenario, result, sheets, recalculated workbook)} for every example and every edit."""
    require_tool("soffice")
    base = tmp_path_factory.mktemp("xlsx")
    jobs = {}
    for path in SCENARIOS:
        sc = load_scenario(path)
        res = run(sc)
        wb, sheets = build_workbook(sc, res)
        wb.save(base / f"{path.stem}.xlsx")
        jobs[path.stem] = (sc, res, sheets, base / f"{path.stem}.xlsx")
    # edits on the MSK example cut to EDIT_MONTHS (past its step-up and its first tax charge): fewer cells
    short = scenario_to_data(load_scenario(MSK)) | {"months": EDIT_MONTHS}
    msk = scenario_from_data(short, "msk30")
    wb, msk_sheets = build_workbook(msk, None)
    wb.save(base / "msk30.xlsx")
    jobs["msk30"] = (msk, run(msk), msk_sheets, base / "msk30.xlsx")
    exported = load_workbook(base / "msk30.xlsx")
    for i, (path, value) in enumerate(EDITS):
        sc = edited(msk, path, value)
        dst = base / f"edit{i}.xlsx"
        edit_workbook(exported, dst, path.replace(".", "_"), value)
        jobs[f"edit:{path}"] = (sc, run(sc), msk_sheets, dst)
    # a board member types "500k" into a money input: the workbook must say it no longer adds up
    dst = base / "text500k.xlsx"
    edit_workbook(exported, dst, "contracts_msk_prime_annual_value", "500k")
    jobs["text:500k"] = (msk, None, msk_sheets, dst)
    minimal = scenario()  # no activity, contracts, staff or costs: every sum over nothing must still work
    wb, sheets = build_workbook(minimal, None)
    wb.save(base / "minimal.xlsx")
    jobs["minimal"] = (minimal, run(minimal), sheets, base / "minimal.xlsx")
    outs = recalculate([job[3] for job in jobs.values()], base / "out")
    return {k: (*job[:3], Values(out)) for (k, job), out in zip(jobs.items(), outs, strict=True)}


def _row(rows: list[list], r: int, months: int) -> np.ndarray:
    return np.array([v or 0.0 for v in rows[r - 1][FIRST_COL - 1:FIRST_COL - 1 + months]], dtype=float)


def _assert_kpis(wb, sc, res, label: str) -> None:
    kpis = res.kpis()
    lines = {"lowest_cash_month": "closing_cash", "peak_exit_cost_month": "exit_cost", "peak_funding_month": None}
    for i, name in enumerate(KPI_NAMES):
        got, want = wb.cell("KPIs", 5 + i, 2), kpis[name]
        if want is None:
            assert got == "none", (label, name, got)
        elif name in MONTH_KPIS and got != want and lines.get(name):
            # a tie to within float noise (cash held at the minimum): the months' values agree to 1p
            series = res.lines[lines[name]][0]
            assert abs(series[int(got)] - series[want]) <= PENNY, (label, name, got, want)
        else:
            tol = 1e-6 if name in ("irr", "irr_real", "mirr", "staff_cost_share") else PENNY
            assert got == pytest.approx(want, abs=tol), (label, name)


@pytest.mark.parametrize("stem", [p.stem for p in SCENARIOS] + ["minimal"])
def test_every_line_equals_the_engine(recalculated, stem):
    sc, res, sheets, wb = recalculated[stem]
    errors = [(title, r, v) for title, rows in wb.sheets.items() for r, row in enumerate(rows, start=1)
              for v in row if isinstance(v, str) and v.startswith(ERRORS)]
    assert errors == []
    compared = 0
    for key, r in sheets["Statements"].rows.items():
        if key in res.lines:
            np.testing.assert_allclose(_row(wb["Statements"], r, sc.months), res.lines[key][0], rtol=0,
                                       atol=PENNY, err_msg=f"{stem} Statements {key}")
            compared += 1
    assert compared == len(res.lines)
    for sheet, suffix, section, attr in DETAIL:
        for item_id, item in res.detail[section].items():
            r = sheets[sheet].rows.get(f"{item_id}.{suffix}")
            if r is not None:
                np.testing.assert_allclose(_row(wb[sheet], r, sc.months), getattr(item, attr)[0], rtol=0,
                                           atol=PENNY, err_msg=f"{stem} {sheet} {item_id}.{suffix}")
    for aid, units in res.detail["activity"].items():
        np.testing.assert_allclose(_row(wb["Activity"], sheets["Activity"].rows[f"units.{aid}"], sc.months),
                                   units[0], rtol=0, atol=PENNY)
    _assert_kpis(wb, sc, res, stem)
    rows = annual_rows()
    for y, year in enumerate(res.financial_years()):
        assert wb.cell("Annual", 4, 3 + y) == year["year"]
        for key in ("income", "pay", "non_pay", "ebitda", "profit_after_tax", "closing_cash"):
            assert wb.cell("Annual", rows[key], 3 + y) == pytest.approx(year[key], abs=PENNY), (stem, key)
        assert wb.cell("Annual", rows["wte_total"], 3 + y) == pytest.approx(year["wte_at_year_end"], abs=1e-6)
    _assert_checks_and_alerts(wb, sheets, res, stem)
    _assert_cover_dates(wb, sc, res)


def _assert_checks_and_alerts(wb, sheets, res, label: str) -> None:
    """Integrity passes for every sound workbook; business alerts follow the engine's KPIs, apart from it."""
    checks, kpis = sheets["Checks"].rows, res.kpis()
    for name in ("check_balance", "check_cash", "check_errors", "check_inputs", "model_integrity"):
        assert wb.cell("Checks", checks[name], 3) == "OK", (label, name)
    limit = res.scenario.funding.facility.limit
    expected = {"alert_shortfall": kpis["funding_shortfall"] > 0,
                "alert_facility": limit > PENNY / 2 and kpis["peak_facility_drawn"] >= limit - PENNY / 2,
                "alert_payback": kpis["payback_month"] is None, "alert_npv": kpis["npv"] < -PENNY / 2}
    for name, alert in expected.items():
        assert wb.cell("Checks", checks[name], 3) == ("ALERT" if alert else "none"), (label, name)
    cover = {row[0]: row[1] for row in wb["Cover"] if row and isinstance(row[0], str)}
    assert cover["Model integrity"] == "All checks pass", label
    raised = sum(expected.values())
    assert cover["Business alerts"] == ("None" if raised == 0 else f"{raised} alert" + "s" * (raised > 1)), label


def _assert_cover_dates(wb, sc, res) -> None:
    """The Cover shows month KPIs as dates (a month number + 1 indexes the Timeline's dates)."""
    cover = {row[0]: row[1] for row in wb["Cover"] if row and isinstance(row[0], str)}
    kpis = res.kpis()
    for key, label in (("ebitda_breakeven_month", "EBITDA break-even from"), ("payback_month", "Payback from"),
                       ("peak_funding_month", "Peak funding requirement reached in")):
        got = cover[label]
        if kpis[key] is None:
            assert got == "never", (label, got)
        else:
            n = month_number(sc.start) + kpis[key]  # e.g. Apr 2015 + 18 months = Oct 2016
            assert (got.year, got.month) == (n // 12, n % 12 + 1), (label, got)


@pytest.mark.parametrize("path", [p for p, _ in EDITS])
def test_edited_input_recalculates_to_the_engine(recalculated, path):
    sc, res, sheets, wb = recalculated[f"edit:{path}"]
    _assert_kpis(wb, sc, res, path)
    _assert_checks_and_alerts(wb, sheets, res, path)
    np.testing.assert_allclose(_row(wb["Statements"], sheets["Statements"].rows["closing_cash"], sc.months),
                               res.lines["closing_cash"][0], rtol=0, atol=PENNY)
    before = recalculated["msk30"][3]
    kpi_rows = range(5, 5 + len(KPI_NAMES))
    cash = sheets["Statements"].rows["closing_cash"]
    # paying tax earlier moves only cash: the appraisal counts the tax the month it is charged (paid, or
    # owed at the end and settled then), and MSK cut at 48 months is charged tax only in its last month
    changed = any(wb.cell("KPIs", r, 2) != before.cell("KPIs", r, 2) for r in kpi_rows) or (
        path == "tax.payment_lag_months" and np.any(_row(wb["Statements"], cash, sc.months)
                                                     != _row(before["Statements"], cash, sc.months)))
    assert changed, "the edit changed no KPI"


def test_text_in_a_money_input_fails_integrity_apart_from_alerts(recalculated):
    """"500k" typed over the contract value: every integrity check fails (COUNTIF alone would have
    skipped the error cells), the Cover says FAIL, and the business alerts say they cannot tell."""
    _, _, sheets, wb = recalculated["text:500k"]
    checks = sheets["Checks"].rows
    for name in ("check_balance", "check_cash", "check_errors", "check_inputs", "model_integrity"):
        assert wb.cell("Checks", checks[name], 3) == "FAIL", name
    errors = {row[0].rsplit(" ", 1)[1]: row[2] for row in wb["Checks"]
              if row and str(row[0]).startswith("Cells showing an error on ")}
    assert errors["Inputs"] == 0 and errors["Statements"] > 0 and errors["KPIs"] > 0
    for name in ("alert_shortfall", "alert_facility", "alert_payback", "alert_npv"):
        assert wb.cell("Checks", checks[name], 3) == "cannot tell", name
    cover = {row[0]: tuple(row[1:3]) for row in wb["Cover"] if row and isinstance(row[0], str)}
    assert cover["Model integrity"] == ("FAIL", "do not rely on these figures: see the Checks sheet")
    assert cover["  Every numeric input holds a number"][0] == "FAIL"
    assert cover["Business alerts"] == ("cannot tell", "the model fails its integrity checks")
    assert cover["  Funding shortfall"] == ("cannot tell", None)
