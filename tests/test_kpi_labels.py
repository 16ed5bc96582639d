"""Every KPI is named and written the same way in every layer: the app's cards and Compare table, the
workbook's KPIs sheet and `python -m modeller run`. The one source is `modeller.metrics.KPIS` (label,
unit) with `modeller.formatting.kpi_value`; a layer that renames a KPI, or writes it in another unit,
fails here."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from modeller.engine import run
from modeller.export import workbook_bytes
from modeller.formatting import kpi_value
from modeller.metrics import KPI_NAMES, KPIS
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT
from ui import exports

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"   # the app opens on it
LABELS = [KPIS[name].label for name in KPI_NAMES]
BY_LABEL = {KPIS[name].label: name for name in KPI_NAMES}


@pytest.fixture(scope="module")
def msk():
    scenario = load_scenario(MSK)
    return scenario, run(scenario)


@pytest.fixture(scope="module")
def written(msk) -> dict[str, str]:
    """KPI label -> the one way of writing its value (MSK's own figures, months from its start)."""
    scenario, result = msk
    k = result.kpis()
    return {KPIS[name].label: kpi_value(name, k[name], scenario.start) for name in KPI_NAMES}


def test_every_kpi_has_its_own_label():
    assert len(set(LABELS)) == len(LABELS)  # else a table row or a card could stand for two KPIs


def test_msk_shows_every_kind_of_figure(written):
    # the other tests prove formatting only for the kinds of value MSK has: £, %, WTE, a date and "never"
    assert {KPIS[BY_LABEL[label]].unit for label in written} == {"£", "%", "WTE", "month"}
    assert "never" in written.values()                                 # MSK never falls short of its minimum


# ---- the app (AppTest) ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", ["scenario", "overview", "cash"])
def test_every_card_is_a_kpi_titled_and_written_as_everywhere(app, written, page):
    app.switch_page(f"ui/pages/{page}.py").run()
    assert not app.exception
    cards = {m.label: m.value for m in app.metric}
    assert cards, page
    assert set(cards) <= set(LABELS), f"cards titled other than a KPI: {set(cards) - set(LABELS)}"
    assert cards == {label: written[label] for label in cards}


def test_the_compare_table_names_and_writes_every_kpi_as_everywhere(app, written):
    app.switch_page("ui/pages/compare.py").run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("Figure")
    assert [f for f in table.index if f in BY_LABEL] == LABELS  # every KPI, in the registry's order
    assert dict(table["A"].loc[LABELS]) == written             # A is the scenario being edited: MSK


def test_the_headline_figures_csv_names_and_writes_every_kpi_as_everywhere(msk, written):
    rows = list(csv.DictReader(io.StringIO(exports.kpis_csv(msk[1]).decode())))
    assert [r["kpi"] for r in rows] == KPI_NAMES
    assert {r["label"]: r["shown"] for r in rows} == written
    assert [r["unit"] for r in rows] == [KPIS[name].unit for name in KPI_NAMES]


# ---- the workbook (openpyxl, no recalculation) ------------------------------------------------------

def _kpis_sheet(scenario, result) -> tuple[dict[str, int], list[tuple]]:
    """The KPIs sheet's header (name -> column index) and the rows below it, as written (no values computed)."""
    ws = load_workbook(io.BytesIO(workbook_bytes(scenario, result)))["KPIs"]
    rows = list(ws.iter_rows())
    top = next(i for i, row in enumerate(rows) if row[0].value == "KPI")
    header = {cell.value: j for j, cell in enumerate(rows[top]) if cell.value}
    return header, [row for row in rows[top + 1:] if row[0].value]


def _unit_in_excel(row: tuple, header: dict[str, int]) -> str:
    """The unit a row's number formats write, in the KPIS registry's terms."""
    value, unit = row[header["Value"]], row[header["Unit"]].value
    month = row[header["Month"]] if "Month" in header else None
    if month is not None and month.value is not None and month.number_format == "mmm yyyy":   # "Apr 2025"
        return "month"
    if "£" in value.number_format:
        return "£"
    if value.number_format.endswith("%"):
        return "%"
    return "WTE" if unit == "WTE" else f"unknown: {value.number_format!r}, {unit!r}"


def test_the_workbook_kpis_sheet_uses_the_same_labels_and_units(msk):
    header, rows = _kpis_sheet(*msk)
    assert [row[header["KPI"]].value for row in rows] == LABELS
    assert [_unit_in_excel(row, header) for row in rows] == [KPIS[name].unit for name in KPI_NAMES]


# ---- the command line (a subprocess, as a person runs it) ------------------------------------------

def _cli_kpis(text: str) -> dict[str, str]:
    """KPI label -> value from `run`'s first table: the rows between its dashed rule and the blank line."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+( +-+)+", line))
    out = {}
    for line in lines[rule + 1:]:
        if not line.strip():
            break
        label, value = re.fullmatch(r"(\S.*?) {2,}(\S.*?)\s*", line).groups()
        out[label] = value
    return out


def test_the_command_line_names_and_writes_every_kpi_as_the_app(written):
    done = subprocess.run([sys.executable, "-m", "modeller", "run", str(MSK)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    shown = _cli_kpis(done.stdout)
    assert list(shown) == LABELS
    assert shown == written
