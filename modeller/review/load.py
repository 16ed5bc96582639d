"""Reading a review file and its bids, with plain messages naming the bid and the field.

A review file that cannot be read at all raises `ReviewError`; everything else (a bid that does not
validate, a missing bid file, a budget year outside the term, a bid whose horizon misses the term) is a
`Problem` kept with the result, so one bad bid never stops the others being reviewed.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from modeller.review.result import Problem
from modeller.review.schema import Bid, Criterion, OptimismBias, Review, Score, StressTest, Term
from modeller.scenario import Scenario, month_number
from modeller.scenario_errors import describe, field_path
from modeller.scenario_io import (
    MAX_FILE_BYTES,
    ScenarioError,
    load_scenario,
    parse_yaml,
    scenario_from_data,
)

_NESTED = {"term": Term, "optimism_bias": OptimismBias, "stress_tests": StressTest, "criteria": Criterion,
           "bids": Bid, "scores": Score}


class ReviewError(ScenarioError):
    """A review file that cannot be used; `lines` holds one plain sentence per problem."""


def _review_fields(loc: tuple) -> list[str]:
    """Field names allowed where an unknown key sits, for the 'did you mean' hint."""
    model: Any = Review
    for part in loc[:-1]:
        if isinstance(part, str):
            model = _NESTED.get(part)
            if model is None:
                return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _describe(e: dict, data: Any) -> str:
    loc = tuple(p for p in e["loc"] if p != "[key]")
    if e["type"] == "extra_forbidden":
        allowed = _review_fields(loc)
        key = str(loc[-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
        fix = f"did you mean '{close[0]}'?" if close else f"fields allowed here: {', '.join(allowed)}"
        return f"{field_path(loc, data)}: unknown field '{key}'; {fix}"
    if e["type"] == "too_short":
        return f"{field_path(loc, data)}: needs at least {e['ctx']['min_length']} item; add one"
    if len(loc) != len(e["loc"]):  # a dict key (an NHS year) that is not valid
        return f"{field_path(loc[:-1], data)}: {e['msg'].removeprefix('Value error, ')}"
    return describe({**e, "loc": loc}, data)


def review_from_data(data: Any, source: str = "review") -> Review:
    """Validate parsed data into a Review, or raise ReviewError listing every problem."""
    if not isinstance(data, dict):
        raise ReviewError(source, ["the file must be a mapping of sections (service:, commissioner:, term:, "
                                   "budget:, bids:, ...)"])
    try:
        return Review.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
        bid_errors = any(e["loc"][:1] == ("bids",) and len(e["loc"]) > 1 for e in errors)
        lines = [_describe(e, data) for e in errors
                 if not (bid_errors and e["type"] == "too_short" and e["loc"] == ("bids",))]
        raise ReviewError(source, list(dict.fromkeys(lines))) from None


def load_review(path_or_text: str | Path, source: str | None = None) -> Review:
    """A review from a file path (a Path, or one line ending .yaml/.yml) or from YAML text."""
    text_given = isinstance(path_or_text, str) and ("\n" in path_or_text or ": " in path_or_text)
    if not text_given:
        path = Path(path_or_text)
        source = source or path.name
        if not path.is_file():
            raise ReviewError(source, [f"no such review file: {path}; check the file name and its folder"])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ReviewError(source, ["the file is larger than 1 MB; review files are limited to 1 MB"])
        path_or_text = path.read_bytes()
    source = source or "review"
    try:
        data = parse_yaml(path_or_text, source)
    except ScenarioError as err:
        raise ReviewError(source, err.problems) from None
    return review_from_data(data, source)


def check_review(review: Review) -> list[Problem]:
    """The review file's own problems: budget or baseline years the term does not cover, term years with
    no budget (their headroom cannot be shown)."""
    years = review.term.years()
    out = []
    for key in ("budget", "baseline"):
        for year in getattr(review, key):
            if year not in years:
                out.append(Problem(None, f"{key}.{year}", f"{year} is outside the term ({years[0]} to "
                                   f"{years[-1]}, {review.term.start} for {review.term.months} months); "
                                   "delete it or correct the year or the term"))
    missing = [y for y in years if y not in review.budget]
    if missing:
        out.append(Problem(None, "budget", f"no budget for {', '.join(missing)}: headroom cannot be judged for "
                           "those years; add the budget for every year of the term"))
    return out


def load_bid(bid: Bid, base_dir: Path | None, upload: str | None = None) -> tuple[Scenario | None, list[Problem]]:
    """A bid's scenario (from an upload, its `scenario_text` or its file), or None and why not."""
    try:
        if upload is not None or bid.scenario_text is not None:
            # parsed as text, never as a path: an upload holding one line that names a server file stays text
            text = upload if upload is not None else bid.scenario_text
            return scenario_from_data(parse_yaml(text, bid.id), bid.id), []
        path = Path(bid.file)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            return None, [Problem(bid.id, "file", f"no such bid file: {bid.file} (looked in {path.parent}); "
                                  "check the name, which is relative to the review file")]
        return load_scenario(path, source=bid.file), []
    except ScenarioError as err:
        return None, [Problem(bid.id, "scenario", f"the bid's scenario does not validate: {p}") for p in err.problems]


def check_bid(review: Review, bid: Bid, scenario: Scenario) -> tuple[list[str], list[Problem]]:
    """(the contract ids the commissioner pays, problems that stop the bid being costed)."""
    out = []
    first, last = month_number(review.term.start), month_number(review.term.end)
    own_first = month_number(scenario.start)
    own_last = own_first + scenario.months - 1
    if own_first > first or own_last < last:
        out.append(Problem(bid.id, "start/months", f"the bid runs {scenario.start} for {scenario.months} months, "
                           f"which does not cover the term ({review.term.start} to {review.term.end}); ask the "
                           "bidder for a scenario that starts by the term's start and runs to its end"))
    ids = [c.id for c in scenario.contracts]
    if bid.contracts is not None:
        unknown = [c for c in bid.contracts if c not in ids]
        out += [Problem(bid.id, f"bids[{bid.id}].contracts", f"the bid has no contract {c!r} (its contracts: "
                        f"{', '.join(ids) or 'none'}); correct the id") for c in unknown]
        chosen = [c for c in bid.contracts if c in ids]
        if not bid.contracts:
            out.append(Problem(bid.id, f"bids[{bid.id}].contracts", "the list is empty; list the ids of the bid's "
                               "contracts the commissioner pays, or delete the line to find them by the "
                               "commissioner's name"))
    else:
        chosen = [c.id for c in scenario.contracts if c.commissioner.strip().lower()
                  == review.commissioner.strip().lower()]
        if not chosen:
            names = sorted({c.commissioner or "(none)" for c in scenario.contracts})
            out.append(Problem(bid.id, "contracts", f"no contract in the bid names the commissioner "
                               f"{review.commissioner!r} (they name {', '.join(names)}); list the contract ids "
                               f"the commissioner pays under bids[{bid.id}].contracts"))
    return chosen, out
