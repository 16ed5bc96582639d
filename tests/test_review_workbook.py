"""The evaluation workbook of a review: its structure, and LibreOffice's recalculation equal to the engine's
cost to the commissioner to 1p, as written and after the panel edits the review's inputs in the workbook."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from modeller.engine import run
from modeller.export.recalc import recalculate
from modeller.review import load_review, review_bids, review_file
from modeller.review.cost import commissioner_cost
from modeller.review.schema import OptimismBias, Term
from modeller.review.workbook import build_review_workbook, sheet_title, write_review_workbook
from modeller.review.workbook_bid import CALC_COL, COL
from tests.conftest import ROOT, require_tool

REVIEW = ROOT / "reviews" / "msk_reprocurement.yaml"
DRAWS = 10
PENNY = 0.01
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
YEAR_FIELDS = ("months", "contract_payments", "cquin", "risk_share", "nominal", "real", "discount_factor",
               "present_value", "optimism_bias", "budget", "headroom", "headroom_with_bias", "baseline",
               "against_baseline")
TOTALS = ("nominal", "real", "present_value", "optimism_bias_present_value", "optimism_bias_capex",
          "optimism_bias_delay_months", "present_value_with_bias", "baseline_present_value", "saving_present_value",
          "first_unaffordable_year", "first_unaffordable_year_with_bias")
# the panel's edits, typed into the workbook's input cells: a dearer discount rate and inflation, less of the
# optimism bias mitigated, a 2028/29 budget cut below every bid's cost, and 2029/30's baseline deleted
EDITS = {"discount_rate": 0.05, "inflation": 0.03, "optimism_bias_mitigation": 0.2, "budget_2028_29": 12_000_000,
         "baseline_2029_30": None}


@pytest.fixture(scope="module")
def reviewed():
    return review_file(REVIEW, draws=DRAWS)


@pytest.fixture(scope="module")
def part_year():
    """The MSK review over October 2027 to March 2030 (2027/28 has 6 months), with no budget for 2028/29:
    the review file's budgets beyond 2029/30 are problems; 2028/29 has no headroom."""
    review = load_review(REVIEW)
    budget = {y: v for y, v in review.budget.items() if y != "2028/29"}
    review = review.model_copy(update={"term": Term(start="2027-10", months=30), "budget": budget})
    return review_bids(review, REVIEW.parent, draws=DRAWS)


def edited_review(review):
    """The review with EDITS applied, as the engine sees it."""
    budget = dict(review.budget) | {"2028/29": EDITS["budget_2028_29"]}
    baseline = {y: v for y, v in review.baseline.items() if y != "2029/30"}
    bias = OptimismBias(category=review.optimism_bias.category, mitigation=EDITS["optimism_bias_mitigation"])
    return review.model_copy(update={"discount_rate": EDITS["discount_rate"], "inflation": EDITS["inflation"],
                                     "optimism_bias": bias, "budget": budget, "baseline": baseline})


def set_input(wb, name: str, value) -> None:
    sheet, ref = wb.defined_names[name].attr_text.split("!")
    wb[sheet][ref.replace("$", "")].value = value


def at(values, ref: str):
    """The value at an absolute reference such as 'GP-led partnership'!$D$30."""
    sheet, addr = ref.rsplit("!", 1)
    return values[sheet.strip("'").replace("''", "'")][addr.replace("$", "")].value


@pytest.fixture(scope="module")
def recalculated(reviewed, part_year, tmp_path_factory):
    """{label: (review result, expected costs by bid id, sheets, Summary rows, recalculated workbook)} for the
    MSK review as written and as edited, the part-year term and the wound-care example."""
    require_tool("soffice")
    base = tmp_path_factory.mktemp("review_xlsx")
    wound = review_file(ROOT / "reviews" / "wound_care_stress.yaml", draws=DRAWS)
    jobs = {}
    for label, result in (("review", reviewed), ("part", part_year), ("wound", wound)):
        wb, sheets, rows = build_review_workbook(result)
        wb.save(base / f"{label}.xlsx")
        jobs[label] = (result, {b.id: b.cost for b in result.bids}, sheets, rows)
    wb, sheets, rows = build_review_workbook(reviewed)
    for name, value in EDITS.items():
        set_input(wb, name, value)
    wb.save(base / "edited.xlsx")
    review2 = edited_review(reviewed.review)
    jobs["edited"] = (reviewed, {b.id: commissioner_cost(review2, run(b.scenario), b.cost.contracts)
                                 for b in reviewed.bids}, sheets, rows)
    outs = recalculate([base / f"{label}.xlsx" for label in jobs], base / "out")
    return {label: (*job, load_workbook(out, data_only=True)) for (label, job), out in zip(jobs.items(), outs,
                                                                                         strict=True)}


def test_sheets_names_and_print_setup(reviewed):
    wb, sheets, _ = build_review_workbook(reviewed)
    assert wb.sheetnames == ["Summary", "GP-led partnership", "NHS trust consortium", "Independent-sector provider",
                             "Inputs"]
    for name in ("discount_rate", "inflation", "optimism_bias_mitigation", "optimism_bias_opex", "budget_2027_28",
                 "budget_2031_32", "baseline_2031_32", "tolerance"):
        assert name in wb.defined_names, name
    for ws in wb:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_area, ws.title
    for title in wb.sheetnames[1:4]:
        assert wb[title].page_setup.orientation == "landscape"
        # the monthly payments (column V on) are workings, not printed: the print area stops at the cost table
        assert wb[title].print_area.split("!")[1].startswith(f"$A$1:${COL['capex']}$")


def test_cost_is_formulas_of_the_payments_and_the_inputs(reviewed):
    wb, sheets, _ = build_review_workbook(reviewed)
    gp = reviewed.bids[0]
    ws = wb[sheets[gp.id].title]
    r = sheets[gp.id].year_rows["2028/29"]
    assert ws[f"{COL['real']}{r}"].value == f"={COL['nominal']}{r}/{COL['prices']}{r}"
    assert ws[f"{COL['discount_factor']}{r}"].value == f"=1/(1+discount_rate)^{COL['k']}{r}"
    assert "budget_2028_29" in ws[f"{COL['budget']}{r}"].value
    assert ws[f"{COL['contract_payments']}{r}"].value.startswith("=SUMIFS(")
    # the payments themselves are values (one a month of the term), marked grey as the sheet says
    first = ws[f"{CALC_COL['contract_payments']}{r}"]
    assert isinstance(first.value, float) and first.fill.fgColor.rgb.endswith("EDEDED")
    months = [ws[f"{CALC_COL['year']}{i}"].value for i in range(1, 200)]
    assert sum(m is not None and "/" in m for m in months) == reviewed.review.term.months   # 60 months


def test_user_text_is_never_a_formula(reviewed):
    bids = [dataclasses.replace(reviewed.bids[0], name="=HYPERLINK(\"http://x\",\"y\")"), *reviewed.bids[1:]]
    wb, sheets, _ = build_review_workbook(dataclasses.replace(reviewed, bids=bids))
    header = wb["Summary"]["C4"]
    assert header.value.startswith("=HYPERLINK") and header.data_type == "s"
    assert sheets[bids[0].id].title == "=HYPERLINK(\"http x\",\"y\")"   # the characters Excel forbids go


def test_sheet_titles_fit_excel():
    taken = {"summary"}
    assert sheet_title("A/B: the [best] bid?", taken) == "A B the best bid"
    long = "An independent-sector provider with a long name"
    assert sheet_title(long, taken) == long[:31]
    assert sheet_title(long, taken) == long[:27] + " (2)"    # 27 + 4 = 31 characters
    assert sheet_title("Summary", taken) == "Summary (2)"


def test_a_bid_that_cannot_be_read_says_so_and_the_others_are_written(tmp_path):
    review = load_review(REVIEW)
    result = review_bids(review, REVIEW.parent, draws=5, uploads={"trust_consortium": "name: [not closed"})
    write_review_workbook(result, tmp_path / "w.xlsx")
    wb = load_workbook(tmp_path / "w.xlsx")
    ws = wb["Summary"]
    assert [ws.cell(5, c).value for c in (3, 4, 5)] == ["yes", "NO: see its sheet", "yes"]
    texts = [c.value for row in wb["NHS trust consortium"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Problem: ") for t in texts)
    assert any("Present value" in str(c.value) for row in wb["GP-led partnership"].iter_rows() for c in row)


@pytest.mark.libreoffice
@pytest.mark.parametrize("label", ["review", "edited", "part", "wound"])
def test_recalculated_cost_equals_the_engine(recalculated, label):
    reviewed, expected, sheets, rows, values = recalculated[label]
    errors = [(ws.title, c.coordinate) for ws in values for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith(ERRORS)]
    assert errors == []
    for bid in reviewed.bids:
        cost, sheet = expected[bid.id], sheets[bid.id]
        ws = values[sheet.title]
        for yc in cost.years:
            r = sheet.year_rows[yc.year]
            for key in YEAR_FIELDS:
                got, want = ws[f"{COL[key]}{r}"].value, getattr(yc, key)
                if want is None:
                    assert got in (None, ""), (label, bid.id, yc.year, key, got)
                else:
                    tol = 1e-9 if key == "discount_factor" else PENNY
                    assert got == pytest.approx(want, abs=tol), (label, bid.id, yc.year, key)
        for key in TOTALS:
            got, want = at(values, sheet.cells[key]), getattr(cost, key)
            if key.startswith("first_"):
                assert got == (want or "none"), (label, bid.id, key)
            elif want is None:
                assert got in (None, ""), (label, bid.id, key, got)
            else:
                assert got == pytest.approx(want, abs=PENNY), (label, bid.id, key)
    summary = values["Summary"]
    pv = rows["Present value with optimism bias"]
    for j, bid in enumerate(reviewed.bids):
        assert summary.cell(pv, 3 + j).value == pytest.approx(expected[bid.id].present_value_with_bias, abs=PENNY)
    cheapest = min(reviewed.bids, key=lambda b: expected[b.id].present_value_with_bias)
    assert summary.cell(pv, 3 + len(reviewed.bids)).value == cheapest.name


@pytest.mark.libreoffice
def test_edited_inputs_change_the_figures_by_hand(recalculated, reviewed):
    _, expected, sheets, _, values = recalculated["edited"]
    gp = reviewed.bids[0]
    sheet = sheets[gp.id]
    ws = values[sheet.title]
    r = sheet.year_rows["2029/30"]           # k = 2
    # discount factor 1 / 1.05² = 1 / 1.1025 = 0.907029...; price index 1.03² = 1.0609
    assert ws[f"{COL['discount_factor']}{r}"].value == pytest.approx(1 / 1.1025, abs=1e-12)
    assert ws[f"{COL['prices']}{r}"].value == pytest.approx(1.0609, abs=1e-12)
    nominal = ws[f"{COL['nominal']}{r}"].value
    assert ws[f"{COL['present_value']}{r}"].value == pytest.approx(nominal / 1.0609 / 1.1025, abs=PENNY)
    # optimism bias: outsourcing's 41% upper bound, 20% mitigated: 41% × 0.8 = 32.8% of the cash cost
    assert ws[f"{COL['optimism_bias']}{r}"].value == pytest.approx(nominal * 0.328, abs=PENNY)
    # 2029/30's baseline deleted: no against-baseline figure that year, no baseline PV, no saving
    assert ws[f"{COL['against_baseline']}{r}"].value in (None, "")
    assert at(values, sheet.cells["saving_present_value"]) in (None, "")
    # the 2028/29 budget cut to £12,000,000, below every bid's cost (each is over £12.7m that year)
    for bid in reviewed.bids:
        assert at(values, sheets[bid.id].cells["first_unaffordable_year"]) == "2028/29"
        assert expected[bid.id].first_unaffordable_year == "2028/29"


def test_written_file_opens(reviewed, tmp_path):
    out = tmp_path / "panel.xlsx"
    write_review_workbook(reviewed, out)
    assert Path(out).read_bytes()[:2] == b"PK"
    assert load_workbook(out).sheetnames[0] == "Summary"


@pytest.mark.libreoffice
def test_part_year_and_a_year_without_budget(recalculated):
    result, expected, sheets, _, values = recalculated["part"]
    gp = result.bids[0]
    ws = values[sheets[gp.id].title]
    rows = sheets[gp.id].year_rows
    assert list(rows) == ["2027/28", "2028/29", "2029/30"]
    assert [ws[f"{COL['months']}{r}"].value for r in rows.values()] == [6, 12, 12]   # Oct-Mar, then whole years
    assert ws[f"{COL['budget']}{rows['2028/29']}"].value in (None, "")
    assert ws[f"{COL['headroom']}{rows['2028/29']}"].value in (None, "")
    # the budgets the file gives for 2030/31 and 2031/32 fall outside the term: said at the foot of the Summary
    texts = [c.value for row in values["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Problems with the review file" in texts
    assert sum(t.startswith("budget.2030/31") or t.startswith("budget.2031/32") for t in texts) == 2
