"""Bad review files: each problem is a plain sentence naming the bid and the field, and one bad bid never
stops the others being reviewed."""

from __future__ import annotations

import copy

import pytest

from modeller.review import ReviewError, load_review, review_file
from tests.conftest import ROOT
from tests.review_support import BID, REVIEW, bid, write

GOOD = {"id": "good", "name": "Good bid", "file": "good.yaml"}


def _review(tmp_path, bids: list[dict], files: dict[str, dict], **parts) -> str:
    for name, data in files.items():
        write(tmp_path, name, data)
    data = {**copy.deepcopy(REVIEW), "bids": bids, **parts}
    return write(tmp_path, "review.yaml", data)


def _by_id(result):
    return {b.id: b for b in result.bids}


def test_a_bid_that_does_not_validate_names_the_bid_and_field_and_the_others_are_reviewed(tmp_path):
    broken = bid()
    broken["contracts"][0]["annual_value"] = "a lot"
    path = _review(tmp_path, [GOOD, {"id": "broken", "name": "Broken", "file": "broken.yaml"}],
                   {"good.yaml": BID, "broken.yaml": broken})
    bids = _by_id(review_file(path, draws=10))
    assert bids["good"].reviewed and not bids["good"].problems
    assert not bids["broken"].reviewed
    line = bids["broken"].problems[0].line()
    assert line.startswith("bid broken: scenario: the bid's scenario does not validate")
    assert "contracts[service].annual_value: must be a number, got 'a lot'" in line


def test_a_missing_bid_file(tmp_path):
    path = _review(tmp_path, [GOOD, {"id": "gone", "name": "Gone", "file": "bids/gone.yaml"}], {"good.yaml": BID})
    bids = _by_id(review_file(path, draws=10))
    assert bids["good"].reviewed
    problem = bids["gone"].problems[0]
    assert (problem.bid, problem.field) == ("gone", "file")
    assert "no such bid file: bids/gone.yaml" in problem.message and "relative to the review file" in problem.message


def test_a_budget_in_years_outside_the_term(tmp_path):
    path = _review(tmp_path, [GOOD], {"good.yaml": BID},
                   budget={"2027/28": 1_000_000, "2028/29": 1_000_000, "2031/32": 1_000_000})
    result = review_file(path, draws=10)
    assert result.bids[0].reviewed
    assert [p.line() for p in result.problems] == [
        "budget.2031/32: 2031/32 is outside the term (2027/28 to 2028/29, 2027-04 for 24 months); delete it or "
        "correct the year or the term"]


def test_a_term_year_without_budget_is_named(tmp_path):
    path = _review(tmp_path, [GOOD], {"good.yaml": BID}, budget={"2027/28": 1_000_000})
    assert [p.field for p in review_file(path, draws=10).problems] == ["budget"]
    assert "no budget for 2028/29" in review_file(path, draws=10).problems[0].message


def test_a_bid_whose_horizon_does_not_cover_the_term(tmp_path):
    short = bid(months=12)
    path = _review(tmp_path, [GOOD, {"id": "short", "name": "Short", "file": "short.yaml"}],
                   {"good.yaml": BID, "short.yaml": short})
    bids = _by_id(review_file(path, draws=10))
    assert bids["good"].reviewed and not bids["short"].reviewed
    assert bids["short"].problems[0].line() == (
        "bid short: start/months: the bid runs 2027-04 for 12 months, which does not cover the term (2027-04 to "
        "2029-03); ask the bidder for a scenario that starts by the term's start and runs to its end")


def test_a_bid_with_no_contract_for_the_commissioner(tmp_path):
    other = bid()
    other["contracts"][0]["commissioner"] = "A council"
    path = _review(tmp_path, [{"id": "other", "name": "Other", "file": "o.yaml"}], {"o.yaml": other})
    problem = review_file(path, draws=10).bids[0].problems[0]
    assert problem.field == "contracts"
    assert "no contract in the bid names the commissioner 'ICB' (they name A council)" in problem.message
    assert "bids[other].contracts" in problem.message


def test_listed_contract_ids_override_the_commissioner_name(tmp_path):
    other = bid()
    other["contracts"][0]["commissioner"] = "A council"
    path = _review(tmp_path, [{"id": "other", "name": "Other", "file": "o.yaml", "contracts": ["service", "nope"]}],
                   {"o.yaml": other})
    problem = review_file(path, draws=10).bids[0].problems[0]
    assert problem.line() == "bid other: bids[other].contracts: the bid has no contract 'nope' (its contracts: " \
                             "service); correct the id"


def test_an_empty_contract_list_is_named(tmp_path):
    path = _review(tmp_path, [{"id": "none", "name": "None", "file": "a.yaml", "contracts": []}], {"a.yaml": BID})
    problem = review_file(path, draws=10).bids[0].problems[0]
    assert problem.field == "bids[none].contracts" and problem.message.startswith("the list is empty")


@pytest.mark.parametrize(("change", "message"), [
    ({"budget": {"2027/2028": 1}}, "budget: '2027/2028' is not an NHS year; write it as \"2027/28\""),
    ({"term": {"start": "April 2027", "months": 24}}, "term.start: month April 2027 is not a valid YYYY-MM"),
    ({"bids": [{"id": "a", "name": "A"}]}, "bids[a]: give the bid's scenario as `file` (a path) or `scenario_text`"),
    ({"optimism_bias": {"category": "hospitals"}}, "optimism_bias.category: 'hospitals' is not allowed; choose"),
    ({"stress_tests": [{"id": "late", "name": "Late", "kind": "start_delay", "size": 1.5}]},
     "stress_tests[late]: a start_delay stress test's size is a whole number of months, got 1.5"),
    ({"budgets": {}}, "budgets: unknown field 'budgets'; did you mean 'budget'?"),
    ({"bids": [{"id": "a", "name": "A", "file": "a.yaml", "scores": [
        {"criterion": "speed", "score": 3, "by": "Me", "date": "2027-01-01"}]}]},
     "bids[a].scores: criterion 'speed' is not one of the review's criteria"),
])
def test_an_unreadable_review_file_names_the_field(tmp_path, change, message):
    path = write(tmp_path, "review.yaml", {**copy.deepcopy(REVIEW), **change})
    with pytest.raises(ReviewError) as err:
        load_review(path)
    assert any(message in line for line in err.value.lines), err.value.lines
    assert all(line.startswith("review.yaml: ") for line in err.value.lines)


def test_an_uploaded_bid_text_is_reviewed_like_a_file(tmp_path):
    import yaml

    path = _review(tmp_path, [{"id": "up", "name": "Uploaded", "scenario_text": yaml.safe_dump(BID)}], {})
    result = review_file(path, draws=10)
    assert result.bids[0].reviewed
    assert result.bids[0].cost.years[0].nominal == pytest.approx(1_200_000, abs=0.005)   # 12 x £100,000


def test_an_uploaded_bid_naming_a_server_file_is_read_as_text_not_opened():
    # one line that names an existing file would be opened by load_scenario; an upload is text, always
    from modeller.review.load import load_bid
    from modeller.review.schema import Bid

    bid = Bid(id="sneaky", name="Sneaky", file="x.yaml")
    scenario, problems = load_bid(bid, None, upload=str(ROOT / "scenarios" / "gp_network.yaml"))
    assert scenario is None and problems and all(p.bid == "sneaky" for p in problems)
