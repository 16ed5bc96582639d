"""Excel export without LibreOffice: structure, names, formula conventions, injection, risk sheet."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from modeller.engine import run
from modeller.export import build_workbook, workbook_bytes
from modeller.export.layout import FIRST_COL
from modeller.metrics import KPI_NAMES
from modeller.scenario_io import load_scenario, scenario_from_data
from tests.conftest import ROOT

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
TIMELINE_SHEETS = ["Timeline", "Activity", "Workforce", "Costs", "Income", "Funding", "Statements", "Checks"]
BOARD_SHEETS = ["Cover", "Annual", "KPIs", "Charts"]
# (a name starting with a tab or newline is refused by the scenario schema: it never reaches a sheet)
HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "=WEBSERVICE(\"http://x\")", "=1/0"]


@pytest.fixture(scope="module")
def msk():
    sc = load_scenario(MSK)
    wb, sheets = build_workbook(sc, run(sc))
    return sc, wb, sheets


def _hostile_scenario():
    data = load_scenario(MSK).model_dump(mode="json", by_alias=True)
    data["name"] = HOSTILE[0]
    data["description"] = HOSTILE[1]
    data["contracts"][0]["name"] = HOSTILE[2]
    data["contracts"][0]["commissioner"] = HOSTILE[3]
    data["workforce"]["roles"][0]["name"] = HOSTILE[4]
    data["costs"][0]["name"] = HOSTILE[5]
    data["funding"]["equity"][0]["source"] = "=cmd|' /C calc'!A0"
    return scenario_from_data(data, "hostile")


def test_sheets_in_the_order_a_board_reads(msk):
    """Summaries first, then the inputs, then the workings (LibreOffice prints in this order)."""
    _, wb, _ = msk
    assert wb.sheetnames == [*BOARD_SHEETS, "Inputs", "Timeline", "Activity", "Workforce", "Costs", "Income",
                             "Funding", "Statements", "IRR workings", "Checks"]
    assert wb.active.title == "Cover"


def test_user_text_never_becomes_a_formula():
    sc = _hostile_scenario()
    wb = load_workbook(io.BytesIO(workbook_bytes(sc)))
    found = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and (c.value in HOSTILE or c.value.startswith("=cmd")):
                    found[c.value] = c
    # each hostile string is on the sheet as text, with the quote prefix that keeps Excel from evaluating it
    assert set(found) == set(HOSTILE) | {"=cmd|' /C calc'!A0"}
    for value, cell in found.items():
        assert cell.data_type == "s", value
        assert cell.quotePrefix, value


def test_scalar_inputs_are_named_and_styled(msk):
    sc, wb, _ = msk
    names = wb.defined_names
    for path, expected in [("contracts_msk_prime_annual_value", 12_000_000), ("workforce_roles_esp_salary", 50273),
                           ("funding_facility_limit", 4_000_000), ("tax_payment_lag_months", 9),
                           ("activity_referrals_annual_growth", 0.04)]:
        sheet, ref = names[path].attr_text.split("!")
        cell = wb[sheet][ref.replace("$", "")]
        assert cell.value == expected
        assert cell.fill.fgColor.rgb.endswith("FFF2CC")  # the one input style
    start = wb["Inputs"][names["contracts_msk_prime_start"].attr_text.split("!")[1].replace("$", "")]
    assert (start.value.year, start.value.month) == (2015, 4)


def _r1c1(formula: str, col: int) -> str:
    """A formula with column letters relative to `col`, so copies across a row compare equal."""
    from openpyxl.utils import column_index_from_string

    def rel(m):
        if m.group(1):  # absolute column
            return m.group(0)
        return f"C[{column_index_from_string(m.group(2)) - col}]{m.group(3)}"
    return re.sub(r"(\$?)\b([A-Z]{1,3})(\$?\d+)\b", rel, formula)


def test_one_formula_per_row_and_no_volatile_lookups(msk):
    sc, wb, sheets = msk
    checked = 0
    for title in TIMELINE_SHEETS:
        ws = wb[title]
        for row in ws.iter_rows(min_row=2, min_col=FIRST_COL, max_col=FIRST_COL + sc.months - 1):
            shapes = {_r1c1(c.value, c.column) for c in row if isinstance(c.value, str)}
            formulas = [c.value for c in row if isinstance(c.value, str)]
            if formulas:
                checked += 1
                assert len(shapes) == 1, (title, row[0].row, list(shapes)[:2])
                assert not re.search(r"OFFSET|INDIRECT", formulas[0], re.I)
    assert checked > 300


def test_no_hard_coded_assumptions_in_formulas(msk):
    """Formulas hold only structural numbers (0, 1, 2 year digits, 3 March, 4 April, 12 months); values live on Inputs."""
    _, wb, _ = msk
    allowed = {"0", "1", "2", "3", "4", "12"}
    for title in TIMELINE_SHEETS:
        for row in wb[title].iter_rows(min_row=2, min_col=FIRST_COL, max_col=FIRST_COL):
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    text = re.sub(r"'[^']*'!|\$?[A-Z]{1,3}\$?\d+|[A-Za-z_][A-Za-z0-9_]*", "", c.value)
                    assert set(re.findall(r"\d+(?:\.\d+)?", text)) <= allowed, (title, c.coordinate, c.value)


def test_freeze_panes_and_print_setup(msk):
    sc, wb, _ = msk
    for title in TIMELINE_SHEETS:
        ws = wb[title]
        assert ws.freeze_panes == "E6"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$5"
        if title != "Checks":  # monthly workings: landscape, a year of months a page across
            assert (ws.page_setup.orientation, ws.page_setup.fitToWidth) == ("landscape", sc.months // 12)
    # Checks prints its results (failing months, integrity, alerts) on one page; the monthly flags stay on screen
    checks = wb["Checks"]
    assert (checks.page_setup.orientation, checks.page_setup.fitToWidth) == ("portrait", 1)
    assert checks.print_area == f"'Checks'!$A$1:$C${checks.max_row}"


def test_money_format_brackets_negatives(msk):
    _, wb, sheets = msk
    st = sheets["Statements"]
    cell = wb["Statements"].cell(st.rows["staff_payments"], FIRST_COL)
    assert cell.number_format == '£#,##0;(£#,##0);"-"'


def test_native_charts(msk):
    _, wb, _ = msk
    charts = wb["Charts"]._charts
    assert [c.title.tx.rich.p[0].r[0].t for c in charts] == [
        "Cash against the minimum", "Income by contract", "WTE by role (in post and agency)"]
    assert len(charts[2].series) == 12  # one series per role in the MSK example: 7 employed, 5 seconded


def test_no_risk_sheet_without_a_risk_report():
    # the Risk sheet from real reports is tested in tests/test_export_risk.py
    sc = load_scenario(MSK)
    assert "Risk" not in load_workbook(io.BytesIO(workbook_bytes(sc))).sheetnames


def test_minimal_scenario_has_only_the_cash_chart():
    from tests.helpers import scenario

    wb, _ = build_workbook(scenario(), None)
    assert len(wb["Charts"]._charts) == 1  # no contracts or roles: an empty chart would be a broken part


def _cell(wb, name: str):
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    return wb[sheet.strip("'")][ref.replace("$", "")]


def test_kpis_sheet_holds_no_irr_search(msk):
    """The IRR search (values up to 1e120) lives on the IRR workings sheet; KPIs reads two named cells."""
    _, wb, _ = msk
    kpis = [c.value for row in wb["KPIs"].iter_rows() for c in row if c.value is not None]
    assert not any(isinstance(v, str) and ("SUMPRODUCT" in v or "IRR search" in v) for v in kpis)
    assert wb["KPIs"].max_row == 4 + len(KPI_NAMES)
    for name in ("irr_bracketed", "irr_guess", "irr_real_bracketed", "irr_real_guess"):
        assert wb.defined_names[name].attr_text.startswith("'IRR workings'!")
    assert "irr_bracketed" in _cell(wb, "kpi_irr").value and "irr_guess" in _cell(wb, "kpi_irr").value
    assert "irr_real_bracketed" in _cell(wb, "kpi_irr_real").value
    assert "MIRR(" in _cell(wb, "kpi_mirr").value


def test_inputs_print_at_a_readable_size(msk):
    """Portrait A4, one page wide, a print area of A:E about 100 units wide (LibreOffice prints ~7 pt a
    unit: ~75%, text near 8.5 pt); long text wraps instead of widening the page (it printed at 4-5 pt)."""
    sc, wb, _ = msk
    ws = wb["Inputs"]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("portrait", int(ws.PAPERSIZE_A4), 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area == f"'Inputs'!$A$1:$E${ws.max_row}"
    assert 90 <= sum(ws.column_dimensions[c].width for c in "ABCDE") <= 100
    description = next(r for r in ws.iter_rows(min_col=1, max_col=2) if r[0].value == "Description")[1]
    assert description.value == sc.description and len(sc.description) > 300
    assert description.alignment.wrap_text
    assert f"B{description.row}:E{description.row}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.row_dimensions[description.row].height >= 4 * 15  # 300 characters over 63 units: 4-5 lines
    notes = [ws.cell(r, 5) for r in range(6, ws.max_row + 1) if ws.cell(r, 5).value]
    assert len(notes) > 40 and all(c.alignment.wrap_text for c in notes)
    long_note = next(c for c in notes if len(c.value) > 60)
    assert ws.row_dimensions[long_note.row].height >= 2 * 15


def test_board_sheets_page_setup(msk):
    sc, wb, _ = msk
    for title, orientation in (("Cover", "portrait"), ("Annual", "landscape"), ("KPIs", "landscape"),
                               ("Charts", "portrait"), ("IRR workings", "landscape")):
        setup = wb[title].page_setup
        assert (setup.orientation, setup.fitToWidth) == (orientation, 1), title
    assert all(wb[t].page_setup.fitToHeight == 1 for t in ("Cover", "Charts"))  # one page each
    assert wb["IRR workings"].page_setup.fitToHeight == 2   # a page for each search: nominal, real


def test_cover_keeps_integrity_apart_from_business_alerts(msk):
    _, wb, _ = msk
    cover = {c.value: wb["Cover"].cell(c.row, 2).value for c in wb["Cover"]["A"] if isinstance(c.value, str)}
    assert cover["Model integrity"] == '=IF(model_integrity="OK","All checks pass","FAIL")'
    assert "business_alerts" in cover["Business alerts"]
    assert cover["  Funding shortfall"] == "=alert_shortfall"
    assert cover["Peak cost to walk away"] == "=kpi_peak_exit_cost"
    assert "kpi_peak_exit_cost_month" in cover["Peak cost to walk away reached in"]
    assert cover["Spent before the first contract receipt"] == "=kpi_committed_before_first_receipt"
    assert not any("master_check" in str(v) for v in cover.values())
    integrity = _cell(wb, "model_integrity").value
    assert "check_balance" in integrity and "check_errors" in integrity and "alert" not in integrity


def test_integrity_checks_fail_on_an_error_cell(msk):
    """COUNTIF(range,0) skips error cells: a month showing #VALUE! would have passed."""
    _, wb, _ = msk
    for name in ("check_balance", "check_cash"):
        assert "SUMPRODUCT(--ISERROR(" in _cell(wb, name).value
    counts = [c for c in wb["Checks"]["A"] if str(c.value).startswith("Cells showing an error on ")]
    assert [c.value.rsplit(" ", 1)[1] for c in counts] == [
        "Inputs", "Timeline", "Activity", "Workforce", "Costs", "Income", "Funding", "Statements", "Annual", "KPIs"]
    assert all("ISERROR" in wb["Checks"].cell(c.row, 3).value for c in counts)


def test_every_numeric_input_row_reads_the_schema(msk):
    """Each numeric input of the scenario is a named row whose unit and note are its schema field's and
    whose label ends with the field's label; £ prices per unit or head show pence, rates %, lags months."""
    from modeller.export.scenario_inputs import number_format
    from modeller.fields import field_of
    from modeller.paths import numeric_paths

    sc, wb, _ = msk
    ws = wb["Inputs"]
    paths = [p for p in numeric_paths(sc) if p != "months" and ".seasonality." not in p]
    named = [p for p in paths if p.replace(".", "_") in wb.defined_names]
    # only a block contract's activity share and population growth (which it never reads) are left out
    assert {p.split(".", 2)[2] for p in set(paths) - set(named)} <= {"share", "population_growth", "reconcile_lag_months", "marginal_rate"}
    assert len(named) > 80
    for path in named:
        spec = field_of(path)
        cell = _cell(wb, path.replace(".", "_"))
        label, unit, note = (ws.cell(cell.row, c).value for c in (1, 3, 5))
        assert (unit, note) == (spec.unit, spec.help), path
        assert label.lower().endswith(spec.label.lower()), (path, label)
        assert cell.number_format == number_format(spec), path
    formats = {"contracts.msk_prime.annual_value": '£#,##0;(£#,##0);"-"',
               "costs.onward_care.unit_cost": '£#,##0.00;(£#,##0.00);"-"',
               "workforce.roles.esp.fill_rate": "0.00%", "contracts.msk_prime.payment_lag_months": "0",
               "workforce.roles.esp.plan.1.wte": '#,##0.0;(#,##0.0);"-"'}
    assert {p: _cell(wb, p.replace(".", "_")).number_format for p in formats} == formats
