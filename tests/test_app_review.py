"""Review page (issue 12) in AppTest: choosing and uploading a review, each section, the best on each line,
text from files shown as text, one bad bid beside good ones, the run shared by every visitor."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui import review_details, review_runs, review_table
from ui.review_table import BEST, Line

REVIEWS = ROOT / "reviews"
DRAWS = 20  # few draws: these tests are about the page, not the Monte Carlo


def _clear():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240).run()
    at.switch_page("ui/pages/review.py").run()
    assert not at.exception
    return at


def run_example(stem: str) -> AppTest:
    at = open_page()
    at.selectbox(key="review_example").set_value(stem).run()
    at.number_input(key="review_draws").set_value(DRAWS).run()
    at.button(key="review_run").click().run()
    assert not at.exception
    return at


@pytest.fixture(scope="module")
def msk():
    _clear()
    at = run_example("msk_reprocurement")
    yield at
    _clear()


def frame(at: AppTest, column: str):
    """The page's table with this column (AppTest does not find a dataframe by its key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def table(at: AppTest):
    return frame(at, "Measure").set_index("Measure")


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


# ---- the side-by-side table ----

def test_the_table_has_a_column_per_bid_and_a_line_per_question(msk):
    t = frame(msk, "Measure")
    assert list(t.columns) == ["Measure", "GP-led partnership", "NHS trust consortium", "Independent-sector provider"]
    # each question a heading line, its bids' cells empty, above its measures
    headings = t[(t.iloc[:, 1:] == "").all(axis=1)]["Measure"]
    assert list(headings) == ["COST TO THE COMMISSIONER", "RISK ALLOCATION", "STRESS TESTS",
                              "FINANCIAL STANDING (EFS)", "ASSUMPTIONS TO CHECK", "PANEL SCORE"]
    assert headings.index[0] == 0 and t["Measure"][1] == "Paid over the term, cash (£)"


def test_the_weighted_score_line_marks_the_highest_by_hand(msk):
    # GP-led 4,3,5,4,3 of 5 at 20% each: (0.8+0.6+1.0+0.8+0.6) x 0.2 = 76%; trust 3,4,4,3,3 = 17/25 = 68%;
    # independent 3,4,2,3,2 = 14/25 = 56%
    row = table(msk).loc["Weighted score (% of the highest possible)"]
    assert list(row) == [BEST + "76%", "68%", "56%"]
    assert list(table(msk).loc["Integration, collaboration and service sustainability (points; weight 20%)"]
                ) == [BEST + "5 of 5", "4 of 5", "2 of 5"]


def test_the_first_year_over_budget_marks_the_bid_never_over(msk):
    row = table(msk).loc["First NHS year over budget"]
    assert list(row) == ["2029/30", "2030/31", BEST + "never"]


def test_cost_lines_are_money_and_the_lowest_present_value_is_marked(msk):
    t = table(msk)
    row = t.loc["Present value at 3.5% a year (£)"]
    values = [float(v.removeprefix(BEST).strip("£").replace(",", "")) for v in row]
    assert all(v.startswith(("£", BEST + "£")) for v in row)
    best = values.index(min(values))
    assert [v.startswith(BEST) for v in row] == [i == best for i in range(3)]
    # a risk line per risk, side and statistic: 3 risks x 2 sides x (expected, P90)
    assert sum(m.endswith(("expected (£)", "P90 (£)")) for m in t.index) == 12
    # every bid survives 5 of 6 stress tests (all fail the 3-month delay): no best to mark
    assert list(t.loc["Stress tests survived (cash stays at or above the bid's minimum)"]) == ["5 of 6"] * 3


def test_a_line_marks_every_tied_best_and_nothing_when_all_are_equal():
    assert Line("q", "m", ["a", "b", "c"], [3.0, 1.0, 1.0], "lower").best() == {1, 2}
    assert Line("q", "m", ["a", "b"], [2.0, 2.0], "higher").best() == set()
    assert Line("q", "m", ["a", "b"], [2.0, None], "higher").best() == set()  # only one bid to compare
    assert Line("q", "m", ["a", "b"], [2.0, 5.0], "").marked() == ["a", "b"]  # the provider's lines: no best


# ---- notes, charts, details, downloads ----

def test_notes_say_what_stands_out_and_the_reviewers_notes_as_text(msk):
    shown = texts(msk)
    assert "Strong local clinical leadership; onward-care risk share with a £250k cap and collar." in shown
    assert any(line.startswith("• Over budget from 2029/30") for line in shown)
    assert any("in 1 of 6 stress tests: Start delayed 3 months (from" in line for line in shown)


def test_charts_of_affordability_and_of_cash_under_each_stress(msk):
    charts = msk.get("vega_lite_chart")
    assert len(charts) == 2
    afford, stress = (json.loads(c.proto.spec) for c in charts)
    assert "Paid by the commissioner (£)" in json.dumps(afford, ensure_ascii=False)
    assert "Closing cash (£)" in json.dumps(stress, ensure_ascii=False)
    bars, budget = (pa.ipc.open_stream(d.data.data).read_pandas() for d in charts[0].proto.datasets)
    assert set(bars["Bid"]) == {"GP-led partnership", "NHS trust consortium", "Independent-sector provider"}
    in_file = yaml.safe_load((REVIEWS / "msk_reprocurement.yaml").read_text())["budget"]
    assert list(budget["budget"]) == list(in_file.values()) and len(in_file) == 5
    lines = pa.ipc.open_stream(charts[1].proto.datasets[0].data.data).read_pandas()
    assert list(dict.fromkeys(lines["Series"]))[:2] == ["As bid", "Demand 10% higher"]
    stress_rows = frame(msk, "Cash stays at or above the minimum")
    assert list(stress_rows["Cash stays at or above the minimum"]) == ["yes", "yes", "yes", "no", "yes", "yes"]


def test_details_of_each_bid(msk):
    cost = frame(msk, "Headroom (£)")
    assert list(cost["NHS year"]) == ["2027/28", "2028/29", "2029/30", "2030/31", "2031/32", "Term"]
    assert cost["Months"].iloc[-1] == 60
    assert frame(msk, "Reference range").shape[0] == 1  # GP-led: one input to check
    assert frame(msk, "Ratio").shape[0] == 8          # the 8 EFS ratios
    msk.selectbox(key="review_detail_bid").set_value("independent_sector").run()
    assert not msk.exception
    assert "Every checked input is within its reference range." in texts(msk)


def test_downloads_json_and_the_evaluation_workbook_of_every_bid(msk):
    labels = [b.proto.label for b in msk.get("download_button")]
    assert labels[-2:] == ["The review's figures (JSON)", "The evaluation workbook (Excel)"]
    run = msk.session_state["review_last"]
    data = json.loads(review_runs.json_bytes(run.result))
    assert [b["id"] for b in data["bids"]] == ["gp_partnership", "trust_consortium", "independent_sector"]
    book = openpyxl.load_workbook(io.BytesIO(review_runs.workbook_bytes(run)))
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) >= 4   # summary first, a sheet per bid
    assert review_runs.workbook_bytes(run) is review_runs.workbook_bytes(run)  # written once per run


# ---- uploads: one bad bid never stops the others; text from files stays text ----

def _review_text(notes: str) -> bytes:
    text = (REVIEWS / "wound_care_stress.yaml").read_text(encoding="utf-8")
    return text.replace("bids/", "").replace("notes: Lowest price", f"notes: {notes!r} # Lowest price", 1).encode()


def upload_run(review: bytes, bids: dict[str, bytes]) -> AppTest:
    at = open_page()
    at.radio(key="review_source").set_value("upload").run()
    at.file_uploader(key="review_upload").set_value(("wound.yaml", review, "application/x-yaml")).run()
    at.file_uploader(key="review_bid_uploads").set_value(
        [(name, data, "application/x-yaml") for name, data in bids.items()]).run()
    at.number_input(key="review_draws").set_value(DRAWS).run()
    at.button(key="review_run").click().run()
    assert not at.exception
    return at


def test_an_upload_with_a_missing_and_a_markdown_note_reviews_the_other_bid():
    _clear()
    markdown = "**Bold** [click](http://example.com) <b>tag</b>"
    good = (REVIEWS / "bids" / "wound_nhs_trust.yaml").read_bytes()
    at = upload_run(_review_text(markdown), {"wound_nhs_trust.yaml": good, "stray.yaml": good})
    problems = " ".join(h.proto.body for h in at.get("html"))
    assert "no uploaded bid file named &#x27;wound_social_enterprise.yaml&#x27;" in problems
    assert "bids[social_enterprise].file" in problems
    assert "stray.yaml: no bid in the review names this file" in problems
    row = table(at).loc["Paid over the term, cash (£)"]
    assert row.iloc[0] == review_table.NOT_REVIEWED and row.iloc[1].startswith("£")
    assert any(b.proto.label == "The evaluation workbook (Excel)" for b in at.get("download_button"))
    assert markdown in texts(at)   # verbatim: not read as Markdown
    assert not any("click" in m.value for m in at.markdown)


def test_a_bid_file_that_is_not_yaml_is_that_bids_problem_only():
    _clear()
    at = upload_run(_review_text("n"), {"wound_nhs_trust.yaml": (REVIEWS / "bids" / "wound_nhs_trust.yaml").read_bytes(),
                                        "wound_social_enterprise.yaml": b"name: [unclosed\n"})
    problems = " ".join(h.proto.body for h in at.get("html"))
    assert "the uploaded file wound_social_enterprise.yaml cannot be read" in problems
    assert table(at).loc["Paid over the term, cash (£)"].iloc[1].startswith("£")


def test_a_review_file_that_does_not_validate_names_the_field():
    at = open_page()
    at.radio(key="review_source").set_value("upload").run()
    bad = _review_text("n").replace(b'"2027/28": 1500000', b'"2027/29": 1500000')
    at.file_uploader(key="review_upload").set_value(("wound.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    assert at.error[0].value.startswith("The review file cannot be used")
    problems = " ".join(h.proto.body for h in at.get("html"))
    assert "wound.yaml: budget: &#x27;2027/29&#x27; is not an NHS year" in problems
    assert len(at.button) == 0  # nothing to run


def test_upload_limits_and_a_one_line_upload_is_never_a_server_path():
    review = _review_text("n")
    big = b"# " + b"x" * 1_000_001 + b"\n"
    got = review_runs.upload_inputs("w.yaml", review, {"wound_nhs_trust.yaml": big})
    assert dict(got.missing)["nhs_trust"] == ("the uploaded file wound_nhs_trust.yaml cannot be read: the file is "
                                              "1.0 MB; bid files are limited to 1 MB")
    with pytest.raises(review_runs.ReviewError, match="review files are limited to 1 MB"):
        review_runs.upload_inputs("w.yaml", big, {})
    # an uploaded bid whose whole text is the name of a file on the server is read as YAML text, not as that file
    server_file = str(REVIEWS / "bids" / "wound_nhs_trust.yaml").encode()
    got = review_runs.upload_inputs("w.yaml", review, {"wound_nhs_trust.yaml": server_file})
    result = review_runs.run_review(got, DRAWS).result
    assert not result.bids[1].reviewed
    assert "does not validate" in result.bids[1].problems[0].message


def test_too_much_work_is_refused_in_a_sentence():
    assert review_runs.work_problem(6, 20_000) is None           # 6 x 20,000 = 120,000: the limit
    assert review_runs.work_problem(7, 20_000) == (             # 120,000 // 7 = 17,142
        "7 bids × 20,000 draws is more than this app runs at once (120,000 bid-draws); lower the draws to 17,142 "
        "or fewer, or run it with `python -m modeller review`")


# ---- one run for every visitor, its bar outside the cache ----

def test_a_second_visitor_gets_the_finished_run_without_rerunning():
    _clear()
    inputs = review_runs.example_inputs("wound_care_stress")
    calls = []
    first = review_runs.run_review(inputs, DRAWS, lambda f, m: calls.append((f, m)))
    assert calls and calls[-1][0] == 1.0
    calls.clear()
    assert review_runs.run_review(inputs, DRAWS, lambda f, m: calls.append((f, m))) is first
    assert calls == []
    # and in the app, a second session draws the page from that run with no replayed widget
    at = run_example("wound_care_stress")
    assert at.session_state["review_last"] is first
    assert list(table(at).loc["Stress tests survived (cash stays at or above the bid's minimum)"]) == [
        "3 of 6", BEST + "5 of 6"]


def test_plain_notes_rank_the_cost():
    result = review_runs.run_review(review_runs.example_inputs("wound_care_stress"), DRAWS).result
    cheapest = review_details.plain_notes(result, result.bids[0])
    assert cheapest[0].endswith("number 1 of 2, cheapest first.")
    assert cheapest[1] == "Within budget every year, even with optimism bias."


def test_every_example_review_is_offered():
    assert set(review_runs.examples()) == {p.stem for p in Path(REVIEWS).glob("*.yaml")}
