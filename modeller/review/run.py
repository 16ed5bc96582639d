"""A whole review: read every bid, then cost, risk allocation and stress tests for each one that can be
read, keeping each bad bid's problems beside the others' figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from modeller.engine import run
from modeller.review.assumptions import check_assumptions
from modeller.review.cost import commissioner_cost
from modeller.review.efs import efs_ratios
from modeller.review.load import check_bid, check_review, load_bid, load_review
from modeller.review.result import BidReview, Problem, ReviewResult
from modeller.review.risk import risk_allocation
from modeller.review.schema import Bid, Review
from modeller.review.stress import stress_tests

Progress = Callable[[float, str], None]


def weighted_score(review: Review, bid: Bid) -> float | None:
    """Σ weight × mean score / highest score over the criteria scored, divided by their weights (0..1)."""
    got = {}
    for c in review.criteria:
        scores = [s.score / c.max_score for s in bid.scores if s.criterion == c.id]
        if scores:
            got[c.id] = (c.weight, sum(scores) / len(scores))
    weight = sum(w for w, _ in got.values())
    return None if not got or weight == 0 else sum(w * s for w, s in got.values()) / weight


def review_bid(review: Review, bid: Bid, base_dir: Path | None, draws: int, upload: str | None = None,
               progress: Callable[[float], None] | None = None) -> BidReview:
    """One bid's figures, or its problems; never raises for a bid the engine can run."""
    scenario, problems = load_bid(bid, base_dir, upload)
    out = BidReview(bid.id, bid.name, scenario, problems, weighted_score=weighted_score(review, bid))
    if scenario is None:
        return out
    contracts, problems = check_bid(review, bid, scenario)
    out.problems += problems
    if problems:
        return out
    base = run(scenario)
    out.cost = commissioner_cost(review, base, contracts)
    out.stress = stress_tests(review, scenario, contracts)
    out.efs = efs_ratios(scenario, base, contracts=contracts)
    out.assumptions = check_assumptions(scenario, bid.employer)
    out.risk = risk_allocation(review, scenario, base, contracts, draws, review.seed, progress)
    return out


def review_bids(review: Review, base_dir: Path | None = None, progress: Progress | None = None,
                draws: int | None = None, uploads: dict[str, str] | None = None) -> ReviewResult:
    """Review every bid. `progress(fraction, message)` after each bid's chunks of draws; `uploads` maps a bid's
    id to its scenario text (the app's uploaded bids) in place of its file."""
    draws = review.draws if draws is None else draws
    uploads = uploads or {}
    out, count = [], len(review.bids)
    for i, bid in enumerate(review.bids):
        def step(fraction: float, i=i, bid=bid) -> None:
            if progress is not None:
                progress((i + fraction) / count, f"Bid {i + 1} of {count}: {bid.name}")
        try:
            out.append(review_bid(review, bid, base_dir, draws, uploads.get(bid.id), step))
        except Exception as err:  # noqa: BLE001 - one bid's fault must not stop the others
            out.append(BidReview(bid.id, bid.name, None, [Problem(bid.id, "(the model)", (
                f"the modeller could not review this bid ({type(err).__name__}: {err}); this is a fault in the "
                "modeller, not in the bid: please report it with the bid's file attached"))]))
        step(1.0)
    return ReviewResult(review, out, check_review(review))


def review_file(path: str | Path, progress: Progress | None = None, draws: int | None = None) -> ReviewResult:
    """Load a review file and review its bids (bid files are relative to the review file)."""
    path = Path(path)
    return review_bids(load_review(path), path.resolve().parent, progress, draws)
