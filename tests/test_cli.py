"""The command line contract: run --json, validate, compare, schema (DESIGN §5)."""

import json
import subprocess
import sys

import openpyxl
import pytest

from modeller.engine import run
from modeller.formatting import month_label
from modeller.metrics import KPI_NAMES
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT

MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
GP = ROOT / "scenarios" / "gp_network.yaml"
WOUND = ROOT / "scenarios" / "wound_care_nurse_led.yaml"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "modeller", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_run_json_has_the_contract_keys():
    out = cli("run", MSK, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"scenario", "kpis", "financial_years"}
    assert list(data["kpis"]) == KPI_NAMES
    first = data["financial_years"][0]
    assert set(first) == {"year", "income", "pay", "non_pay", "ebitda", "profit_after_tax", "closing_cash",
                          "wte_at_year_end"}
    assert first["year"] == "2015/16"


def test_run_prints_readable_tables_in_pounds():
    out = cli("run", GP)
    assert out.returncode == 0
    assert "Peak funding requirement" in out.stdout and "£" in out.stdout and "NHS year" in out.stdout


def test_validate_reports_each_bad_file_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MSK.read_text().replace('start: "2015-04"', 'start: "2015-13"', 1))
    out = cli("validate", GP, bad)
    assert out.returncode == 1
    assert f"{GP}: OK" in out.stdout
    assert "bad.yaml: start: month 2015-13 is not a valid YYYY-MM" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_run_writes_the_workbook_alongside_json(tmp_path):
    book = tmp_path / "board.xlsx"
    out = cli("run", GP, "--json", "--xlsx", book)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scenario"] == load_scenario(GP).name  # stdout stays pure JSON
    wb = openpyxl.load_workbook(book)
    assert {"Cover", "Inputs", "Statements", "KPIs", "Checks"} <= set(wb.sheetnames)
    assert "Risk" not in wb.sheetnames


def test_validate_missing_file():
    out = cli("validate", "no_such.yaml")
    assert out.returncode == 1 and "no such file" in out.stdout


def test_compare_shows_differences():
    out = cli("compare", MSK, GP, "--json")
    data = json.loads(out.stdout)
    first, second = list(data["scenarios"])
    a, b = (data["scenarios"][n]["total_income"] for n in (first, second))
    assert data["difference_from_first"][second]["total_income"] == pytest.approx(b - a)
    text = cli("compare", MSK, GP).stdout
    assert " vs " in text


def test_compare_three_keeps_every_difference_and_each_scenarios_dates():
    out = cli("compare", MSK, GP, WOUND, "--json")
    data = json.loads(out.stdout)
    first, *others = list(data["scenarios"])
    assert len(others) == 2 and set(data["difference_from_first"]) == set(others)
    for n in others:
        want = data["scenarios"][n]["npv"] - data["scenarios"][first]["npv"]
        assert data["difference_from_first"][n]["npv"] == pytest.approx(want)
    # MSK starts in Apr 2015 and the GP network in 2025: each column's months use its own start
    text = cli("compare", MSK, GP).stdout
    gp = load_scenario(GP)
    receipt = run(gp).kpis()["first_receipt_month"]
    row = next(line for line in text.splitlines() if line.startswith("First contract receipt"))
    assert month_label(gp.start, receipt) in row, row


def test_schema_is_json_schema_with_the_sections():
    schema = json.loads(cli("schema").stdout)
    assert {"contracts", "workforce", "funding", "uncertainty"} <= set(schema["properties"])


def test_risk_json_with_a_shortfall_risk_and_a_workbook(tmp_path):
    book = tmp_path / "risk.xlsx"
    out = cli("risk", GP, "--draws", "200", "--seed", "3", "--shortfall-risk", "0.1", "--json", "--xlsx", book)
    assert out.returncode == 0, out.stderr
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert "Risk" in sheets and "Statements" in sheets
    data = json.loads(out.stdout)
    assert data["draws"] == 200 and data["seed"] == 3
    assert {"kpis", "probability_of_shortfall", "tornado", "switching_values", "commitment"} <= set(data)
    assert set(data["kpis"]["npv"]) == {"mean", "p10", "p50", "p90"}


def test_risk_rejects_a_percentage_as_shortfall_risk():
    out = cli("risk", GP, "--shortfall-risk", "5")
    assert out.returncode == 2 and "between 0 and 1" in out.stderr  # a usage error, as argparse gives
