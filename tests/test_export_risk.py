"""The workbook's Risk sheet, built from real risk reports of example scenarios (300 draws, to stay fast).

Every answer is a labelled row with its value and unit; months read as dates from the scenario's
start; "none in range" where a switching value is None; the risk transfer per NHS year; user
text never becomes a formula.
"""

from __future__ import annotations

import copy
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from modeller.export import styles as S
from modeller.export import workbook_bytes
from modeller.export.risk_sheet import COMMITMENT_LABELS, MONTHS, PATH_COL, write_risk
from modeller.fields import field_of, input_label
from modeller.formatting import month_label
from modeller.metrics import KPIS, MONTH_KPIS
from modeller.risk.report import risk_report
from modeller.scenario_io import load_scenario, scenario_from_data

ROOT = Path(__file__).resolve().parents[1] / "scenarios"
DRAWS = 300
MONTH_TEXT = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")


def _case(name: str, level: float | None = None):
    sc = load_scenario(ROOT / name)
    return sc, risk_report(sc, draws=DRAWS, shortfall_probability=level)


@pytest.fixture(scope="module")
def msk():
    """Starts Jan 2015 (mobilisation) and has a risk share on msk_prime: the risk transfer is not empty."""
    return _case("msk_prime_provider.yaml")


@pytest.fixture(scope="module")
def community():
    """Starts Apr 2025, no risk share; commitment answers allow a 10% risk of a shortfall."""
    return _case("community_first_contract.yaml", level=0.10)


def sheet(report: dict, scenario):
    wb = Workbook()
    write_risk(wb, report, scenario)
    return wb["Risk"]


def row_labelled(ws, label: str) -> int:
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label]
    assert rows, f"no row labelled {label!r}"
    return rows[0]


def table(ws, header: tuple[str, ...], after: int = 1) -> list[tuple]:
    """The rows under the first header row (from `after`) whose first cells are `header`, to a blank row."""
    n = len(header)
    start = next(r for r in range(after, ws.max_row + 1)
                 if tuple(ws.cell(r, c).value for c in range(1, n + 1)) == header)
    out = []
    for r in range(start + 1, ws.max_row + 2):
        values = tuple(ws.cell(r, c).value for c in range(1, PATH_COL + 1))
        if values[0] is None:
            return out
        out.append((r, values))
    return out


@pytest.mark.parametrize("case", ["msk", "community"])
def test_draws_seed_and_shortfall_are_stated(case, request):
    sc, report = request.getfixturevalue(case)
    ws = sheet(report, sc)
    assert ws.cell(row_labelled(ws, "Draws"), 2).value == DRAWS
    assert ws.cell(row_labelled(ws, "Seed"), 2).value == report["seed"] == 42
    assert ws.cell(row_labelled(ws, "Scenario"), 2).value == sc.name
    p = ws.cell(row_labelled(ws, "Probability of a funding shortfall"), 2)
    assert p.value == pytest.approx(report["probability_of_shortfall"]) and p.number_format == "0.00%"
    first = ws.cell(row_labelled(ws, "Typical first shortfall month (median)"), 2).value
    assert first == month_label(sc.start, report["typical_shortfall_month"])
    assert MONTH_TEXT.match(first)


def test_months_read_from_the_scenarios_own_start(msk):
    sc, report = msk
    assert sc.start == "2015-01"
    ws = sheet(report, sc)
    rows = {v[0]: v for _, v in table(ws, ("KPI", "Mean", "P10", "P50", "P90", "Base case"))}
    first_receipt = rows[KPIS["first_receipt_month"].label]
    # first receipt in model month 3 of a plan starting Jan 2015 -> "Apr 2015"
    assert report["deterministic"]["first_receipt_month"] == 3 and first_receipt[5] == "Apr 2015"
    month_rows = [rows[KPIS[k].label] for k in MONTH_KPIS]
    for v in month_rows:
        for cell in v[1:6]:
            assert isinstance(cell, str) and (MONTH_TEXT.match(cell) or cell in ("never", "–")), v
    shortfall = rows[KPIS["funding_shortfall_month"].label]
    stats = report["kpis"]["funding_shortfall_month"]
    assert shortfall[3] == month_label(sc.start, stats["p50"])
    assert stats["p90"] is None and shortfall[4] == "never"   # some draws never fall short
    assert stats["mean"] is None and shortfall[1] == "–"


def test_money_kpis_equal_the_report(msk):
    sc, report = msk
    ws = sheet(report, sc)
    rows = {v[0]: (r, v) for r, v in table(ws, ("KPI", "Mean", "P10", "P50", "P90", "Base case"))}
    r, npv = rows[KPIS["npv"].label]
    assert list(npv[1:5]) == pytest.approx([report["kpis"]["npv"][c] for c in ("mean", "p10", "p50", "p90")])
    assert npv[5] == pytest.approx(report["deterministic"]["npv"])
    assert ws.cell(r, 2).number_format.startswith("£")
    r, wte = rows[KPIS["peak_wte"].label]
    assert wte[3] == pytest.approx(report["kpis"]["peak_wte"]["p50"]) and "WTE" in ws.cell(r, 4).number_format
    extra = rows["Agency cost for demand above plan"][1]
    assert extra[4] == pytest.approx(report["agency_cost_above_plan"]["p90"])
    total = rows["Agency cost in total"][1]
    assert list(total[1:5]) == pytest.approx([report["agency_cost_total"][c] for c in ("mean", "p10", "p50", "p90")])
    assert total[1] >= extra[1] - 0.01  # demand above plan is part of the total


@pytest.mark.parametrize("case", ["msk", "community"])
def test_commitment_answers_are_labelled_rows_with_units(case, request):
    sc, report = request.getfixturevalue(case)
    ws = sheet(report, sc)
    rows = table(ws, ("Question", "Answer", "Basis", "Checked by the engine", "In words"))
    assert [v[0] for _, v in rows] == [COMMITMENT_LABELS[q] for q in report["commitment"]]
    formats = {"months": MONTHS, "WTE": '#,##0.0" WTE"', "£": "£#,##0;(£#,##0);£0"}
    for (r, values), answer in zip(rows, report["commitment"].values(), strict=True):
        label, value, basis, checked, sentence = values[:5]
        assert sentence == answer["sentence"] and basis == answer["basis"]
        if answer["value"] is None:
            assert value == "no answer (see the sentence)"
        else:
            assert value == pytest.approx(answer["value"])
            assert ws.cell(r, 2).number_format == formats[answer["unit"]]
        if answer["holds_at_answer"] and answer["fails_beyond"]:
            assert checked == "goal met at the answer, missed just beyond"
    every = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("{" in v or "'question'" in v for v in every)  # no Python dict in a cell


def test_commitment_basis_states_the_accepted_risk(community):
    sc, report = community
    ws = sheet(report, sc)
    rows = table(ws, ("Question", "Answer", "Basis", "Checked by the engine", "In words"))
    facility = next(v for _, v in rows if v[0] == COMMITMENT_LABELS["minimum_facility_limit"])
    assert facility[2] == "P(shortfall) ≤ 10% over 1,000 draws (seed 42)"
    assert facility[1] == report["commitment"]["minimum_facility_limit"]["value"] > 0


@pytest.mark.parametrize("case", ["msk", "community"])
def test_switching_values_none_in_range_and_checked(case, request):
    sc, report = request.getfixturevalue(case)
    ws = sheet(report, sc)
    rows = table(ws, ("Input", "What happens", "Value", "Checked by the engine"))
    assert len(rows) == len(report["switching_values"])
    assert any(s["value"] is None for s in report["switching_values"])  # the case under test is present
    for (_, v), s in zip(rows, report["switching_values"], strict=True):
        assert (v[0], v[PATH_COL - 1]) == (input_label(sc, s["parameter"]), s["parameter"])
        assert v[1] == ("NPV reaches zero" if s["target"] == "npv_zero" else "a funding shortfall appears")
        if s["value"] is None:
            assert v[2] == "none in range" and v[3] == "nothing to check"
        else:
            assert v[2] == pytest.approx(s["value"]) and v[3] == ("yes" if s["checked"] else
                                                                  "no: the engine run there does not switch")
    delays = [r for r, v in rows if v[PATH_COL - 1].endswith("start_delay_months") and isinstance(v[2], float)]
    assert all(ws.cell(r, 3).number_format == MONTHS for r in delays)  # a delay reads "2 months"
    if case == "community":
        assert delays  # the frailty service's delay switches NPV (6 months) and cash (4 months) over 300 draws


def test_tornado_names_inputs_as_the_scenario_does_in_their_units(msk):
    """Each input by its label and unit (the path beside it, on screen only); low and high in the
    schema unit's format: a delay in months, a unit cost in £ to the penny, a rate as %."""
    sc, report = msk
    ws = sheet(report, sc)
    rows = table(ws, ("Input", "Low", "High", "NPV at low", "NPV at high", "Peak funding at low",
                      "Peak funding at high"))
    assert [v[PATH_COL - 1] for _, v in rows] == [t["parameter"] for t in report["tornado"]]
    labels = {v[PATH_COL - 1]: (r, v[0]) for r, v in rows}
    assert labels["contracts.msk_prime.start_delay_months"][1] == "MSK prime contract: start delay (months)"
    assert all(label not in ("", path) for path, (_, label) in labels.items())  # every path names an input
    formats = {"contracts.msk_prime.start_delay_months": MONTHS, "costs.onward_care.unit_cost": S.MONEY_P}
    for path, fmt in formats.items():
        r = labels[path][0]
        assert ws.cell(r, 2).number_format == ws.cell(r, 3).number_format == fmt, path
    rate = next(r for path, (r, _) in labels.items() if field_of(path).kind == "%")
    assert ws.cell(rate, 2).number_format == S.RATE
    assert ws.print_area == f"'Risk'!$A$1:$G${ws.max_row}"  # the paths are not printed


def test_risk_transfer_rows_match_the_report_per_year(msk):
    sc, report = msk
    ws = sheet(report, sc)
    years = report["risk_transfer"]["msk_prime"]
    # from Jan 2015, NHS year 2014/15 (nothing shared before the contract), to Mar 2020
    assert [y["year"] for y in years] == ["2014/15", "2015/16", "2016/17", "2017/18", "2018/19", "2019/20"]
    r = row_labelled(ws, "Contract: MSK prime contract")
    rows = table(ws, ("NHS year", "Who", "Mean", "P10", "P50", "P90"), after=r)
    assert len(rows) == 2 * len(years)
    for i, y in enumerate(years):
        for (_, v), key, who in zip(rows[2 * i:2 * i + 2], ("provider_retained", "commissioner_settled"),
                                    ("Provider retains", "Commissioner settles"), strict=True):
            assert v[:2] == (y["year"], who)
            assert list(v[2:6]) == pytest.approx([y[key][c] for c in ("mean", "p10", "p50", "p90")])


def test_no_risk_share_says_so(community):
    sc, report = community
    assert report["risk_transfer"] == {}
    ws = sheet(report, sc)
    assert row_labelled(ws, "No contract has a risk share: all demand risk stays with the provider.")


def test_user_text_never_becomes_a_formula(msk):
    sc, report = msk
    report = copy.deepcopy(report)
    report["scenario"] = "=HYPERLINK(\"http://x\",\"y\")"
    report["tornado"][0]["parameter"] = "+cmd|' /c calc'!A0"
    report["switching_values"][0]["parameter"] = "@SUM(A1)"
    report["commitment"]["minimum_facility_limit"]["sentence"] = "-2+3"
    data = sc.model_dump(mode="json", by_alias=True)
    data["contracts"][0]["name"] = "=1+1"
    ws = load_workbook(io.BytesIO(_saved(report, scenario_from_data(data, "hostile"))))["Risk"]
    texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for evil in ("=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /c calc'!A0", "@SUM(A1)", "-2+3", "Contract: =1+1"):
        assert texts[evil].data_type == "s", evil
    assert all(texts[e].quotePrefix for e in ("=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /c calc'!A0", "@SUM(A1)",
                                               "-2+3"))


def _saved(report: dict, scenario) -> bytes:
    wb = Workbook()
    write_risk(wb, report, scenario)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_full_workbook_reads_months_from_the_scenario_start(msk):
    """Built as the app and CLI build it: months from the scenario's Apr 2015, contracts by name."""
    sc, report = msk
    ws = load_workbook(io.BytesIO(workbook_bytes(sc, None, report)))["Risk"]
    assert ws.cell(row_labelled(ws, "Draws"), 2).value == DRAWS
    receipt = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == KPIS["first_receipt_month"].label)
    assert ws.cell(receipt, 6).value == "Apr 2015"
    assert row_labelled(ws, "Contract: MSK prime contract")  # contracts by name, as the board knows them


def test_risk_sheet_after_charts_and_its_headlines_on_the_cover(msk):
    """The Risk sheet prints after the Charts; the Cover links its headline cells (not copies)."""
    sc, report = msk
    wb = load_workbook(io.BytesIO(workbook_bytes(sc, None, report)))
    assert wb.sheetnames[:6] == ["Cover", "Annual", "KPIs", "Charts", "Risk", "Inputs"]
    cover, risk = wb["Cover"], wb["Risk"]
    rows = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(1, cover.max_row + 1)}
    linked = {"Chance of a funding shortfall": report["probability_of_shortfall"],
              "NPV: P10": report["kpis"]["npv"]["p10"], "NPV: P50 (median)": report["kpis"]["npv"]["p50"],
              "NPV: P90": report["kpis"]["npv"]["p90"],
              "Peak funding requirement: P90": report["kpis"]["peak_funding_requirement"]["p90"]}
    for label, value in linked.items():
        formula = rows[label]
        assert formula.startswith("=Risk!$"), (label, formula)
        assert risk[formula.split("!")[1].replace("$", "")].value == pytest.approx(value), label
    assert rows["Risk (Monte Carlo)"] == "=Risk!$B$3" and risk["B3"].value == DRAWS
