"""The panel's weighted score and the progress a review reports as it goes."""

from __future__ import annotations

import pytest

from modeller.review import review_file
from modeller.review.run import weighted_score
from tests.review_support import BID, REVIEW, review, write


def test_weighted_score_by_hand():
    rev = review(criteria=[{"id": "quality", "name": "Quality", "weight": 0.6, "max_score": 5},
                           {"id": "value", "name": "Value", "weight": 0.4, "max_score": 10}],
                 bids=[{"id": "a", "name": "A", "file": "a.yaml", "scores": [
                     {"criterion": "quality", "score": 4, "by": "Chair", "date": "2027-01-10"},
                     {"criterion": "quality", "score": 2, "by": "Clinical lead", "date": "2027-01-11"},
                     {"criterion": "value", "score": 9, "by": "Finance lead", "date": "2027-01-10"}]}])
    # quality: mean (4 + 2) / 2 = 3 of 5 = 0.6; value: 9 of 10 = 0.9; 0.6 x 0.6 + 0.4 x 0.9 = 0.72
    assert weighted_score(rev, rev.bids[0]) == pytest.approx(0.72)


def test_weighted_score_over_the_criteria_scored_only():
    rev = review(criteria=[{"id": "quality", "name": "Quality", "weight": 0.6},
                           {"id": "value", "name": "Value", "weight": 0.4}],
                 bids=[{"id": "a", "name": "A", "file": "a.yaml", "scores": [
                     {"criterion": "value", "score": 3, "by": "Finance lead", "date": "2027-01-10"}]}])
    # only value scored: 3 of 5 = 0.6, over its own weight 0.4 -> 0.6
    assert weighted_score(rev, rev.bids[0]) == pytest.approx(0.6)
    assert weighted_score(review(), review().bids[0]) is None      # no scores at all


def test_progress_rises_to_one_naming_each_bid(tmp_path):
    write(tmp_path, "a.yaml", BID)
    data = {**REVIEW, "bids": [REVIEW["bids"][0], {"id": "gone", "name": "Gone", "file": "gone.yaml"}]}
    seen = []
    review_file(write(tmp_path, "review.yaml", data), progress=lambda f, m: seen.append((f, m)), draws=10)
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[0][1] == "Bid 1 of 2: Bid A" and seen[-1][1] == "Bid 2 of 2: Gone"
