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
    assert first["year"] == "2014/15"   # MSK mobilises from Jan 2015, in NHS year 2014/15


def test_run_prints_readable_tables_in_pounds():
    out = cli("run", GP)
    assert out.returncode == 0
    assert "Peak funding requirement" in out.stdout and "£" in out.stdout and "NHS year" in out.stdout


def test_validate_reports_each_bad_file_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MSK.read_text().replace('start: "2015-01"', 'start: "2015-13"', 1))   # the model's start
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


# --- one rule for file and command line; an engine fault is an internal error, never a traceback ---

def _main(capsys, *args):
    from modeller.__main__ import main

    try:
        code = main([str(a) for a in args])
    except SystemExit as stop:  # argparse's own exit on a usage error
        code = stop.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_integrity_error_is_an_internal_error_naming_the_scenario(capsys, monkeypatch):
    import modeller.__main__ as cli_module
    from modeller.statements import IntegrityError

    def broken(scenario):
        raise IntegrityError("balance sheet out by £0.01 in month 3 of draw 0")

    monkeypatch.setattr(cli_module, "run", broken)
    code, out, err = _main(capsys, "run", GP)
    name = load_scenario(GP).name
    assert code == 2 and out == ""
    assert err.startswith(f"internal error while running {name} ({GP}): IntegrityError: balance sheet out by")
    assert "please report it" in err and "Traceback" not in err


def test_an_unexpected_exception_in_compare_names_the_scenario_being_run(capsys, monkeypatch):
    import modeller.__main__ as cli_module

    calls = []

    def second_fails(scenario):
        calls.append(scenario.name)
        if len(calls) == 2:
            raise ZeroDivisionError("float division by zero")
        return run(scenario)

    monkeypatch.setattr(cli_module, "run", second_fails)
    code, _, err = _main(capsys, "compare", MSK, GP)
    assert code == 2 and f"internal error while running {load_scenario(GP).name} ({GP}): ZeroDivisionError" in err


@pytest.mark.parametrize("args, phrase", [
    (["--draws", "300000"], "--draws must be from 1 to 200,000"),
    (["--draws", "0"], "--draws must be from 1 to 200,000"),
    (["--draws", "ten"], "--draws must be a whole number"),
    (["--seed", str(2**200)], "--seed must be from 0 to 4,294,967,295"),
    (["--seed", "-1"], "--seed must be from 0 to 4,294,967,295"),
    (["--shortfall-risk", "nan"], "between 0 and 1"),
])
def test_risk_options_obey_the_files_limits(capsys, args, phrase):
    code, out, err = _main(capsys, "risk", GP, *args)
    assert code == 2 and phrase in err and out == ""


def test_draws_that_would_run_for_minutes_are_refused(capsys, tmp_path):
    costs = "".join(f'  - {{id: c{i}, name: C, kind: one_off, amount: 1, month: "2025-05"}}\n' for i in range(100))
    big = tmp_path / "big.yaml"
    big.write_text('name: Big\nstart: "2025-04"\nmonths: 240\ncosts:\n' + costs)
    code, _, err = _main(capsys, "risk", big, "--draws", "200000")
    assert code == 1 and "big.yaml: --draws: 200,000 draws of 240 months and 100 items" in err
    assert "use at most 50,000 draws" in err


@pytest.mark.parametrize("count", [1, 5])
def test_compare_takes_two_to_four_files(capsys, count):
    code, out, err = _main(capsys, "compare", *[GP] * count)
    assert code == 2 and f"compare takes 2 to 4 scenario files; got {count}" in err and out == ""


def test_one_file_given_three_times_gives_three_columns(capsys):
    code, out, _ = _main(capsys, "compare", GP, GP, GP, "--json")
    assert code == 0
    assert len(json.loads(out)["scenarios"]) == 3


def test_a_folder_and_a_pipe_are_named_for_what_they_are(capsys, tmp_path):
    import os

    code, out, err = _main(capsys, "validate", tmp_path)
    assert code == 1 and "is a folder, not a scenario file" in out
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, out, err = _main(capsys, "validate", fifo)  # never opened: reading would wait for a writer
    assert code == 1 and "pipe.yaml: " in out and "is not a regular file" in out
    code, _, err = _main(capsys, "run", fifo)
    assert code == 1 and "is not a regular file" in err


def test_an_empty_scenario_shows_no_negative_zero(capsys, tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text('name: Empty\nstart: "2025-04"\nmonths: 12\n')
    code, out, _ = _main(capsys, "run", empty)
    assert code == 0 and "£-0" not in out and "-£0" not in out
    code, out, _ = _main(capsys, "run", empty, "--json")
    assert code == 0 and "-0.0" not in out
    code, out, _ = _main(capsys, "compare", empty, empty)
    assert code == 0 and "£-0" not in out


def test_validate_refuses_what_run_could_not_account_for(capsys):
    from tests.conftest import ROOT as root

    bad = root / "tests" / "bad_scenarios" / "magnitude_growth_over_240_months.yaml"
    code, out, _ = _main(capsys, "validate", bad)
    assert code == 1 and "contracts[tariff].price_per_unit: the money this scenario moves" in out
    code, _, err = _main(capsys, "run", bad)  # the same check, not an IntegrityError traceback
    assert code == 1 and "accounted for to the penny" in err and "Traceback" not in err


def test_compare_json_gives_month_differences_in_calendar_months(capsys):
    code, out, _ = _main(capsys, "compare", MSK, GP, "--json")
    data = json.loads(out)
    first, second = list(data["scenarios"])
    assert data["starts"] == {first: "2015-01", second: "2025-04"}
    a, b = (data["scenarios"][n]["first_receipt_month"] for n in (first, second))
    # each month counted from its own start: (2025 − 2015) × 12 + (4 − 1) = 123 months between the starts, plus b − a
    assert data["difference_from_first"][second]["first_receipt_month"] == 123 + b - a
    assert data["difference_from_first"][second]["npv"] == pytest.approx(
        data["scenarios"][second]["npv"] - data["scenarios"][first]["npv"])


# --- the JSON Schema `schema` prints: every numeric field with its label, unit and help -----------

def _numeric(node: dict) -> bool:
    """A property that holds a number (or a list of numbers), optional or not."""
    options = node.get("anyOf", [node])
    return any(o.get("type") in ("number", "integer")
               or (o.get("type") == "array" and o.get("items", {}).get("type") in ("number", "integer"))
               for o in options)


def _properties(schema: dict):
    """(where, name, property) for every property of the root and of every definition."""
    for where, node in [("Scenario", schema), *schema["$defs"].items()]:
        for name, prop in node.get("properties", {}).items():
            yield where, name, prop


def _at(schema: dict, pattern: str) -> list[dict]:
    """The property nodes a field pattern (`contracts.<id>.changes.<n>.population`) names."""
    def expand(nodes):
        out = []
        for n in nodes:
            if "$ref" in n:
                out += expand([schema["$defs"][n["$ref"].rsplit("/", 1)[-1]]])
            elif "anyOf" in n or "oneOf" in n:
                out += expand(n.get("anyOf", []) + n.get("oneOf", []))
            else:
                out.append(n)
        return out

    nodes, named = [schema], []
    for part in pattern.split("."):
        if part in ("<id>", "<n>"):
            nodes = [n["items"] for n in expand(nodes) if "items" in n]
        else:
            nodes = named = [n["properties"][part] for n in expand(nodes) if part in n.get("properties", {})]
    return named


def test_the_schema_gives_every_numeric_field_a_title_unit_and_description(capsys):
    from modeller.fields import input_fields

    code, out, _ = _main(capsys, "schema")
    schema = json.loads(out)
    numeric = [(w, n, p) for w, n, p in _properties(schema) if _numeric(p)]
    assert len(numeric) > 60                                           # every section's figures, not a few
    for where, name, prop in numeric:
        assert prop.get("title") and prop.get("unit") and prop.get("description"), f"{where}.{name}"
    for pattern, field in input_fields().items():                      # and the same words every layer reads
        props = _at(schema, pattern)
        assert props, pattern
        for prop in props:
            assert (prop["title"], prop["unit"], prop["description"]) == (field.label, field.unit, field.help), pattern
