"""The model book (docs/MODEL.md) is held to the model: its worked example is run by the engine and
agrees to the penny, its generated tables equal what the schema and the KPI registry give, and the
anchors other layers link to exist."""

from __future__ import annotations

import math
import re

import pytest

from modeller import run
from modeller.fields import input_fields
from modeller.formatting import month_label
from modeller.metrics import KPI_NAMES, KPIS
from modeller.result import YEAR_FIELDS
from modeller.scenario_io import load_scenario
from modeller.statements import BALANCE_LINES, CASH_LINES, PNL_LINES
from tools.model_book import ANCHORS, BLOCKS, BOOK, generated, render, slug

TEXT = BOOK.read_text(encoding="utf-8")
MONTH = re.compile(r"[A-Z][a-z]{2} [0-9]{4}")
YEAR = re.compile(r"[0-9]{4}/[0-9]{2}")


def section(title: str) -> str:
    """A `## title` section of the book, up to the next `## ` heading."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", TEXT, re.S | re.M)
    assert found, f"the book has no '## {title}' section"
    return found.group(1)


EXAMPLE = section("Worked example")


def tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every Markdown table as (header cells, body rows of cells)."""
    out, block = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif block:
            out.append((block[0], block[2:]))
            block = []
    return out


def figure(text: str) -> tuple[float, float]:
    """(value, tolerance) of a figure as the book writes it: half a unit in its last digit shown.

    "(3,687.50)" and "£2,812.50" are money, "154.26%" a percentage, "1.0 WTE" WTE, "month 4 (Jun
    2026)" a month number, "never" none (NaN)."""
    text = text.strip()
    if text == "never":
        return math.nan, 0.0
    if text.startswith("month "):
        return float(text.split()[1]), 0.0
    number = re.sub(r"[£,()%]|WTE", "", text).strip()
    decimals = len(number.partition(".")[2])
    value, tolerance = float(number), 0.5 * 10.0**-decimals
    if text.startswith("("):
        value = -value
    if text.endswith("%"):
        value, tolerance = value / 100, tolerance / 100
    return value, tolerance


def key_of(cells: list[str]) -> str | None:
    found = re.fullmatch(r"`([a-z_]+)`", cells[1]) if len(cells) > 1 else None
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def result():
    return run(load_scenario(re.search(r"```yaml\n(.*?)```", EXAMPLE, re.S).group(1), "docs/MODEL.md"))


def month_rows(start: str):
    """(key, month index or "Total", text) for every figure of the example's month-by-month tables."""
    for header, rows in tables(EXAMPLE):
        months = [h for h in header if MONTH.fullmatch(h)]
        if not months or "Discounted" in header:
            continue
        assert months == [month_label(start, m) for m in range(len(months))], "columns are months 0, 1, ..."
        for cells in rows:
            key = key_of(cells)
            for column, text in zip(header[2:], cells[2:], strict=True):
                if key and text:
                    yield key, (months.index(column) if column in months else column), text


def test_the_example_runs_and_every_monthly_figure_agrees_to_the_penny(result):
    checked = set()
    for key, column, text in month_rows(result.scenario.start):
        line = result.lines[key][0]
        expected, tolerance = figure(text)
        got = line.sum() if column == "Total" else line[column]
        assert got == pytest.approx(expected, abs=tolerance), f"{key} in {column}: book {text}, engine {got:.4f}"
        if tolerance >= 0.005 and "WTE" not in text:
            assert tolerance == 0.005, f"{key}: money in the book is shown to the penny ({text})"
        checked.add(key)
    # every statement line is worked by hand in the book, and the walk-away cost and WTE
    missing = set(PNL_LINES + CASH_LINES + BALANCE_LINES + ["exit_cost", "wte_total"]) - checked
    assert not missing, f"the worked example has no row for {sorted(missing)}"


def test_the_example_years_agree(result):
    years = {y["year"]: y for y in result.financial_years()}
    checked = set()
    for header, rows in tables(EXAMPLE):
        if not any(YEAR.fullmatch(h) for h in header):
            continue
        for cells in rows:
            key = key_of(cells)
            for column, text in zip(header[2:], cells[2:], strict=True):
                expected, tolerance = figure(text)
                assert years[column][key] == pytest.approx(expected, abs=tolerance), f"{key} in {column}"
                checked.add(key)
    assert set(years) == {"2025/26", "2026/27"}
    assert checked == set(YEAR_FIELDS) | {"closing_cash", "wte_at_year_end"}


def test_the_example_kpis_agree(result):
    kpis = result.kpis()
    rows = {key_of(cells): cells[2] for header, body in tables(EXAMPLE) if "Value" in header for cells in body}
    assert list(rows) == KPI_NAMES, "the example lists every KPI, in the registry's order"
    for name, text in rows.items():
        expected, tolerance = figure(text)
        got = math.nan if kpis[name] is None else kpis[name]
        assert got == pytest.approx(expected, abs=tolerance, nan_ok=True), f"{name}: book {text}, engine {got}"
        if KPIS[name].unit == "£":
            assert tolerance == 0.005, f"{name}: money to the penny"
        if text.startswith("month "):
            assert text == f"month {got:.0f} ({month_label(result.scenario.start, got)})"
    # the hand-worked appraisal, as in the book (terms rounded to 4 places):
    # -17,138.2977 + 4,287.8447 + 4,082.3857 + 4,225.7734 + 4,213.6763 + 18,919.4531 = 18,590.8355
    assert kpis["npv"] == pytest.approx(18590.8355, abs=6 * 0.00005)
    # -17,077.6221 + 4,257.5375 + 4,119.9633 + 4,249.5724 + 4,222.4054 + 18,891.5263 = 18,663.3828
    assert kpis["npv_nominal"] == pytest.approx(18663.3828, abs=6 * 0.00005)
    # monthly 23.67314%: 1.2367314^12 - 1 = 1,180.28%; real, monthly 23.08931%: 1.2308931^12 - 1 = 1,109.61%
    assert kpis["irr"] == pytest.approx(1.2367314**12 - 1, abs=0.00005)
    assert kpis["irr_real"] == pytest.approx(1.2308931**12 - 1, abs=0.00005)
    # (35,970.9635 / 17,187.50)^(12/5) x 1.08 - 1 = 535.62%
    assert kpis["mirr"] == pytest.approx((35970.9635 / 17187.50) ** (12 / 5) * 1.08 - 1, abs=0.00005)


def test_the_npv_table_sums_to_the_npv():
    header, rows = next((h, r) for h, r in tables(EXAMPLE) if "Discounted" in h)
    assert header[2:] == ["Appraisal cash flow", "Deflator", "In first-year prices", "Discount factor", "Discounted"]
    months = [cells for cells in rows if cells[1]]
    for m, cells in enumerate(months):
        flow, deflator, real = figure(cells[2])[0], float(cells[3]), figure(cells[4])[0]
        factor, value = float(cells[5]), figure(cells[6])[0]
        assert deflator == (1.02 if m >= 2 else 1.0)                  # one 1 April passed from April (month 2)
        assert factor == pytest.approx(1.035 ** (-(m + 1) / 12), abs=5e-10)
        assert flow / deflator == pytest.approx(real, abs=0.00005)
        assert flow / deflator * factor == pytest.approx(value, abs=0.00006)
    discounted = [figure(cells[6])[0] for cells in months]
    assert round(sum(discounted), 4) == figure(rows[-1][6].strip("*"))[0], "the total adds up the terms shown"


@pytest.mark.parametrize("name", list(BLOCKS))
def test_generated_tables_match_the_model(name):
    assert generated(TEXT, name) == BLOCKS[name](), \
        f"docs/MODEL.md's {name} table is out of date: run `python -m tools.model_book`"


def test_the_tool_leaves_an_up_to_date_book_unchanged():
    assert render(TEXT) == TEXT


def test_every_input_and_kpi_is_in_the_book():
    inputs = generated(TEXT, "inputs")
    for pattern in input_fields():
        assert f"| `{pattern}` |" in inputs
    formulas = section("KPIs")
    for name in KPI_NAMES:
        assert formulas.count(f"| `{name}` |") == 2, f"{name}: in the KPI table and in 'KPI formulas'"


def test_linked_sections_exist():
    headings = {slug(h) for h in re.findall(r"^#{2,4} (.+)$", TEXT, re.M)}
    assert len(headings) == len(re.findall(r"^#{2,4} ", TEXT, re.M)), "headings are unique"
    assert not set(ANCHORS) - headings
    for target in re.findall(r"\]\(#([^)]+)\)", TEXT):
        assert target in headings, f"the book links to #{target}, which is no heading"


def test_slug_is_githubs():
    assert slug("Month 0 and the timeline") == "month-0-and-the-timeline"
    assert slug("How much can I commit?") == "how-much-can-i-commit"
    assert slug("NHS-year table") == "nhs-year-table"
