"""The Review page's inputs and runs: an example review or uploaded files, read into content, and each
finished review kept once for every visitor (keyed on that content), as `ui.risk_runs` keeps Monte Carlo runs.

Everything a run depends on is text (the review file and each bid's scenario), so two visitors who give the
same files share one run; an uploaded review never reads a file on the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import streamlit as st

from modeller.review import ReviewError, review_bids
from modeller.review.load import review_from_data
from modeller.review.result import BidReview, Problem, ReviewResult
from modeller.review.schema import Review
from modeller.review.stress import stress_batch, stress_overrides
from modeller.scenario_io import MAX_FILE_BYTES, ScenarioError, parse_yaml
from ui.compute import ROOT
from ui.risk_runs import FinishedRuns

REVIEWS_DIR = ROOT / "reviews"
MAX_BID_FILES = 12
DRAWS_RANGE = (10, 20_000)
MAX_WORK = 120_000   # bids x draws the app runs at once (6 bids x 10,000 draws take about 10 s on 2 cores)


@dataclass(frozen=True)
class Inputs:
    """What a review run reads: the review's text, each bid's scenario text by bid id, where it came from."""
    name: str                          # "Example: ..." or the uploaded file's name
    review_text: str
    bid_texts: tuple[tuple[str, str], ...]   # (bid id, scenario YAML text), sorted
    missing: tuple[tuple[str, str], ...] = ()   # (bid id, why it has no scenario): a problem for that bid
    base_dir: str | None = None        # an example's folder, for a bid file that is not there (named in a problem)
    problems: tuple[str, ...] = field(default=())  # uploads that were left out, as sentences naming the file


def examples() -> dict[str, str]:
    """Example review files by stem: their service's name (for the picker)."""
    out = {}
    for path in sorted(REVIEWS_DIR.glob("*.yaml")):
        try:
            out[path.stem] = read_review(path.read_bytes(), path.name).service
        except ReviewError:
            continue  # a broken example is reported by the tests, not by the app
    return out


def read_review(content: bytes | str, filename: str) -> Review:
    """A Review from a file's content, or ReviewError whose lines name the file and the field."""
    try:
        data = parse_yaml(content, filename)
    except ScenarioError as err:
        raise ReviewError(filename, err.problems) from None
    return review_from_data(data, filename)


def _text(content: bytes, filename: str, kind: str) -> str:
    """A file's text, checked for size, encoding and YAML (ScenarioError names the file otherwise).

    The text always ends with a new line, so it can never be taken for the name of a file on the server."""
    if len(content) > MAX_FILE_BYTES:
        raise ScenarioError(filename, [f"the file is {len(content) / 1e6:.1f} MB; {kind} files are limited to 1 MB"])
    parse_yaml(content, filename)
    return content.decode("utf-8").rstrip("\n") + "\n"


def example_inputs(stem: str) -> Inputs:
    """An example review and its bids' files, read from `reviews/`."""
    path = REVIEWS_DIR / f"{stem}.yaml"
    content = path.read_bytes()
    review = read_review(content, path.name)
    texts = {}
    for bid in review.bids:
        if bid.file is None:
            continue
        bid_path = REVIEWS_DIR / bid.file
        if bid_path.is_file() and bid_path.resolve().is_relative_to(REVIEWS_DIR):
            texts[bid.id] = bid_path.read_text(encoding="utf-8").rstrip("\n") + "\n"
    # a bid file that is not there stays out of `bid_texts`: the review names it as that bid's problem
    return Inputs(f"Example: {review.service}", content.decode("utf-8"), tuple(sorted(texts.items())),
                  base_dir=str(REVIEWS_DIR))


def _match(bid, files: dict[str, bytes]) -> str | None:
    """The uploaded file name for a bid: its `file`'s name, else its id with .yaml or .yml."""
    wanted = [Path(bid.file).name] if bid.file else []
    wanted += [f"{bid.id}.yaml", f"{bid.id}.yml"]
    return next((name for name in wanted if name in files), None)


def upload_inputs(review_name: str, review_content: bytes, bid_files: dict[str, bytes]) -> Inputs:
    """An uploaded review and its uploaded bid files (matched by file name). Raises ReviewError when the review
    itself cannot be read; a bid file that cannot be read is a problem of that bid only."""
    if len(review_content) > MAX_FILE_BYTES:
        raise ReviewError(review_name, [f"the file is {len(review_content) / 1e6:.1f} MB; review files are "
                                        "limited to 1 MB"])
    review = read_review(review_content, review_name)
    texts, missing, used = {}, {}, set()
    for bid in review.bids:
        if bid.scenario_text is not None:
            continue
        name = _match(bid, bid_files)
        if name is None:
            missing[bid.id] = (f"no uploaded bid file named {Path(bid.file).name!r} (the review's "
                               f"bids[{bid.id}].file); upload it with the bid files")
            continue
        used.add(name)
        try:
            texts[bid.id] = _text(bid_files[name], name, "bid")
        except ScenarioError as err:
            missing[bid.id] = f"the uploaded file {name} cannot be read: " + "; ".join(err.problems)
    unused = tuple(f"{name}: no bid in the review names this file; name it in a bid's `file`, or remove it"
                   for name in sorted(set(bid_files) - used))
    return Inputs(review_name, review_content.decode("utf-8"), tuple(sorted(texts.items())),
                  tuple(sorted(missing.items())), None, unused)


def with_bid_texts(inputs: Inputs, texts: dict[str, str], source: str) -> Inputs:
    """The inputs with some bids' scenarios replaced (by saved versions from the workspace): a bid replaced is no
    longer missing; the run key follows the texts, so a different version is a different run."""
    if not texts:
        return inputs
    bids = {**dict(inputs.bid_texts), **texts}
    missing = tuple((b, why) for b, why in inputs.missing if b not in texts)
    return replace(inputs, name=f"{inputs.name} ({source})", bid_texts=tuple(sorted(bids.items())), missing=missing)


def work_problem(bids: int, draws: int) -> str | None:
    """A sentence when a run would hold the server too long, else None."""
    if bids * draws <= MAX_WORK:
        return None
    return (f"{bids} bids × {draws:,} draws is more than this app runs at once ({MAX_WORK:,} bid-draws); "
            f"lower the draws to {MAX_WORK // bids:,} or fewer, or run it with `python -m modeller review`")


@dataclass(frozen=True)
class Run:
    """A finished review: the result, and each reviewed bid's closing cash by month under each stress test."""
    key: tuple
    result: ReviewResult
    cash: dict[str, dict[str, list[float]]]   # bid id -> {"As bid" or stress name: closing cash by month}


@st.cache_resource(show_spinner=False)
def finished_runs() -> FinishedRuns:
    """The one store of finished reviews for this server (created once, draws nothing)."""
    return FinishedRuns(size=6)


@st.cache_resource(show_spinner=False)
def finished_workbooks() -> FinishedRuns:
    """Evaluation workbooks of finished reviews, as bytes, for every visitor."""
    return FinishedRuns(size=6)


def _review(inputs: Inputs, draws: int, progress: Callable[[float, str], None] | None) -> ReviewResult:
    review = read_review(inputs.review_text, inputs.name)
    missing = dict(inputs.missing)
    base_dir = Path(inputs.base_dir) if inputs.base_dir else None
    runnable = review.model_copy(update={"bids": tuple(b for b in review.bids if b.id not in missing)})
    done = review_bids(runnable, base_dir, progress, draws, dict(inputs.bid_texts))
    by_id = {b.id: b for b in done.bids}
    bids = [by_id.get(b.id) or BidReview(b.id, b.name, None, [Problem(b.id, "file", missing[b.id])])
            for b in review.bids]
    return ReviewResult(review, bids, done.problems)


def stress_cash(result: ReviewResult) -> dict[str, dict[str, list[float]]]:
    """Closing cash by month of each reviewed bid as it is and under each stress test (one engine batch)."""
    out = {}
    for bid in result.bids:
        if not bid.reviewed:
            continue
        tests = [stress_overrides(t, bid.scenario, bid.cost.contracts) for t in result.review.stress_tests]
        cash = stress_batch(bid.scenario, tests).lines["closing_cash"].tolist()
        out[bid.id] = {"As bid": cash[0], **{t.name: cash[i] for i, t in enumerate(result.review.stress_tests, 1)}}
    return out


def key_of(inputs: Inputs, draws: int) -> tuple:
    """Everything a run depends on: the texts, the bids with no scenario, the example's folder, the draws."""
    return inputs.review_text, inputs.bid_texts, inputs.missing, inputs.base_dir, draws


def run_review(inputs: Inputs, draws: int, progress: Callable[[float, str], None] | None = None) -> Run:
    """The review of these inputs at these draws: a finished run if any visitor made one."""
    store, key = finished_runs(), key_of(inputs, draws)
    run = store.get(key)
    if run is None:
        result = _review(inputs, draws, progress)
        run = Run(key, result, stress_cash(result))
        store.put(key, run)
    return run


def run_with_progress(inputs: Inputs, draws: int) -> Run:
    """Run (or fetch) the review with a progress bar drawn here, outside any cache, and keep it as this person's."""
    bar = st.progress(0.0, text="Reviewing the bids…")
    run = run_review(inputs, draws, lambda f, message: bar.progress(min(max(f, 0.0), 1.0), text=message))
    done = sum(b.reviewed for b in run.result.bids)
    bar.progress(1.0, text=f"{done} of {len(run.result.bids)} bids reviewed")
    st.session_state.review_last = run
    return run


def last_run() -> Run | None:
    return st.session_state.get("review_last")


def json_bytes(result: ReviewResult) -> bytes:
    """The review's every figure as JSON (the same as `python -m modeller review FILE --json`)."""
    return json.dumps(result.to_json(), indent=2).encode("utf-8")


def workbook_writer():
    """The evaluation workbook's writer (result -> .xlsx bytes), or None in a version without it."""
    try:
        from modeller.review.workbook import review_workbook_bytes
    except ImportError:
        return None
    return review_workbook_bytes


def workbook_bytes(run: Run) -> bytes | None:
    """The evaluation workbook of a finished run, written once per run for every visitor."""
    write = workbook_writer()
    if write is None:
        return None
    store, key = finished_workbooks(), run.key
    data = store.get(key)
    if data is None:
        data = write(run.result)
        store.put(key, data)
    return data
