"""`python -m modeller review FILE [--json] [--xlsx OUT]`: the text, the JSON and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modeller import cli_review
from modeller.__main__ import main
from tests.review_support import BID, REVIEW, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def review_path(tmp_path):
    write(tmp_path, "a.yaml", BID)
    data = {**REVIEW, "bids": [*REVIEW["bids"], {"id": "gone", "name": "Gone", "file": "gone.yaml"}]}
    return write(tmp_path, "review.yaml", data)


def test_text_report(review_path, capsys):
    assert main(["review", review_path, "--draws", "20"]) == 0
    out = capsys.readouterr().out
    assert "Review: Test service (ICB, 2027-04 for 24 months)" in out
    # Bid A: £1,200,000 a year against budgets of 1,150,000 and 1,160,000: over budget from 2027/28
    assert "First year over budget: 2027/28" in out
    assert "(£50,000)" in out                      # 1,150,000 - 1,200,000
    assert "Problem: bid gone: file: no such bid file: gone.yaml" in out
    assert "Start delayed 3 months" in out


def test_json_report(review_path, capsys):
    assert main(["review", review_path, "--json", "--draws", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    a, gone = data["bids"]
    assert a["cost"]["years"][0]["headroom"] == pytest.approx(-50_000, abs=0.005)
    assert [s["test"] for s in a["stress"]] == ["demand_up", "demand_down", "pay_award", "start_delay", "vacancies",
                                                "lose_change"]
    assert {ln["risk"] for ln in a["risk"]["lines"]} == {"demand", "overspend", "delay"}
    assert gone["cost"] is None and gone["problems"][0]["field"] == "file"


def test_an_unreadable_review_exits_1_with_the_field_named(tmp_path, capsys):
    path = write(tmp_path, "review.yaml", {**REVIEW, "term": {"start": "2027-04"}})
    assert main(["review", path]) == 1
    assert "review.yaml: term.months: required field is missing" in capsys.readouterr().err


def test_xlsx_says_plainly_when_the_workbook_is_not_available(review_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli_review, "_workbook_writer", lambda: None)
    assert main(["review", review_path, "--draws", "5", "--xlsx", str(tmp_path / "out.xlsx")]) == 0
    assert "the evaluation workbook (--xlsx) is not available yet" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()


def test_the_example_reviews_run(capsys):
    for name in ("msk_reprocurement", "community_frailty", "wound_care_stress"):
        assert main(["review", str(ROOT / "reviews" / f"{name}.yaml"), "--json", "--draws", "50"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["problems"] == [] and all(b["problems"] == [] for b in data["bids"]), name
        assert all(b["efs"] for b in data["bids"]), name          # R2's ratios for every year of every bid
        if name == "msk_reprocurement":   # an NHS trust at the NHS employer's 14.38% pension is not flagged
            trust = next(b for b in data["bids"] if b["id"] == "trust_consortium")
            assert trust["assumptions"] == []
    # the wound care example's point: the cheapest bid is the one that fails stress tests
    bids = data["bids"]
    cheapest = min(bids, key=lambda b: b["cost"]["present_value"])
    assert cheapest["id"] == "social_enterprise"
    assert sum(not s["survives"] for s in cheapest["stress"]) > max(sum(not s["survives"] for s in b["stress"])
                                                                    for b in bids if b is not cheapest)


def test_every_example_bid_validates(capsys):
    bids = sorted(str(p) for p in (ROOT / "reviews" / "bids").glob("*.yaml"))
    assert len(bids) == 7      # MSK 3, frailty 2, wound care 2
    assert main(["validate", *bids]) == 0
    assert capsys.readouterr().out.count(": OK") == 7


def test_xlsx_writes_the_evaluation_workbook(review_path, tmp_path, capsys):
    out = tmp_path / "panel.xlsx"
    assert main(["review", review_path, "--draws", "5", "--xlsx", str(out)]) == 0
    assert f"Evaluation workbook written to {out}" in capsys.readouterr().out
    assert out.read_bytes()[:2] == b"PK"       # an .xlsx is a zip file
