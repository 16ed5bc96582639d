"""Reviews kept like scenarios: a review is a versioned YAML document of kind "review"; its bids are saved
scenario versions; reviewers' notes and scores and each decision are append-only records with who and when."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select

from modeller.scenario_text import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, check_text
from modeller.workspace import access, documents
from modeller.workspace.errors import NotFound, WorkspaceError
from modeller.workspace.models import DecisionRow, ReviewBid, ReviewNoteRow, VersionRow
from modeller.workspace.records import Bid, Decision, ReviewNote, Version

MAX_SCORE = 1e6


def _text(value: str | None, what: str, limit: int = MAX_TEXT_LENGTH, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise WorkspaceError(f"The {what} is empty; write it before saving.")
    try:
        return check_text(value, limit, lines=limit == MAX_TEXT_LENGTH)
    except ValueError as exc:
        raise WorkspaceError(f"The {what} {exc}.") from None


def _score(score: float | None) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score) \
            or abs(score) > MAX_SCORE:
        raise WorkspaceError(f"The score {score!r} is not a number between -1,000,000 and 1,000,000; "
                             "type a plain number such as 3 or 7.5.")
    return float(score)


class ReviewsMixin:
    """Review methods of `Store` (they use its sessions and its save)."""

    def save_review(self, user: str, name: str, yaml_text: str, note: str = "", parent_version: int | None = None,
                    tags: Iterable[str] = (), workspace: int | None = None) -> Version:
        """Save a review document; the same rules as `Store.save`."""
        text = documents.canonical("review", yaml_text, name)
        return self._save("review", user, name, text, note, parent_version, tags, workspace)

    def _bid_version(self, session, user: str, version_id: int | None) -> VersionRow | None:
        if version_id is None:
            return None
        row = session.get(VersionRow, version_id) if isinstance(version_id, int) else None
        if row is None:
            raise NotFound(f"There is no saved version {version_id} in your workspaces.")
        access.document(session, user, row.document_id, what="saved version", shown_id=version_id,
                        kind="scenario")
        return row

    def add_bid(self, user: str, review_id: int, version_id: int, label: str) -> Bid:
        """Put a saved scenario version in a review as a bid."""
        user, label = access.check_user(user), _text(label, "bid label", MAX_NAME_LENGTH, required=True)
        with self._write() as session:
            access.document(session, user, review_id, kind="review")
            row = self._bid_version(session, user, version_id)
            if session.get(ReviewBid, (review_id, version_id)):
                raise WorkspaceError(f"Version {version_id} is already a bid in this review.")
            bid = ReviewBid(review_id=review_id, version_id=version_id, label=label, added_by=user,
                            added_at=datetime.now(UTC))
            session.add(bid)
            session.flush()
            return Bid(review_id, version_id, row.document_id, label, user, documents.utc(bid.added_at))

    def bids(self, user: str, review_id: int) -> list[Bid]:
        user = access.check_user(user)
        with self._read() as session:
            access.document(session, user, review_id, kind="review")
            rows = session.execute(select(ReviewBid, VersionRow.document_id)
                                   .join(VersionRow, VersionRow.id == ReviewBid.version_id)
                                   .where(ReviewBid.review_id == review_id).order_by(ReviewBid.added_at)).all()
            return [Bid(b.review_id, b.version_id, doc_id, b.label, b.added_by, documents.utc(b.added_at))
                    for b, doc_id in rows]

    def add_note(self, user: str, review_id: int, text: str, bid_version_id: int | None = None,
                 criterion: str = "", score: float | None = None) -> ReviewNote:
        """A reviewer's note, optionally about one bid and with a score against a criterion."""
        user = access.check_user(user)
        text, criterion = _text(text, "note"), _text(criterion, "criterion", MAX_NAME_LENGTH)
        score = _score(score)
        if not text and score is None:
            raise WorkspaceError("The note is empty and has no score; write a note or give a score.")
        with self._write() as session:
            access.document(session, user, review_id, kind="review")
            self._bid_version(session, user, bid_version_id)
            row = ReviewNoteRow(review_id=review_id, bid_version_id=bid_version_id, author=user,
                                created_at=datetime.now(UTC), criterion=criterion, score=score, text=text)
            session.add(row)
            session.flush()
            return _note(row)

    def notes(self, user: str, review_id: int) -> list[ReviewNote]:
        user = access.check_user(user)
        with self._read() as session:
            access.document(session, user, review_id, kind="review")
            rows = session.scalars(select(ReviewNoteRow).where(ReviewNoteRow.review_id == review_id)
                                   .order_by(ReviewNoteRow.id)).all()
            return [_note(r) for r in rows]

    def decide(self, user: str, review_id: int, decision: str, reason: str = "",
               bid_version_id: int | None = None) -> Decision:
        """Record a decision (append-only: a changed mind is a new decision)."""
        user = access.check_user(user)
        decision, reason = _text(decision, "decision", required=True), _text(reason, "reason")
        with self._write() as session:
            access.document(session, user, review_id, kind="review")
            self._bid_version(session, user, bid_version_id)
            row = DecisionRow(review_id=review_id, bid_version_id=bid_version_id, author=user,
                              created_at=datetime.now(UTC), decision=decision, reason=reason)
            session.add(row)
            session.flush()
            return _decision(row)

    def decisions(self, user: str, review_id: int) -> list[Decision]:
        user = access.check_user(user)
        with self._read() as session:
            access.document(session, user, review_id, kind="review")
            rows = session.scalars(select(DecisionRow).where(DecisionRow.review_id == review_id)
                                   .order_by(DecisionRow.id)).all()
            return [_decision(r) for r in rows]


def _note(row: ReviewNoteRow) -> ReviewNote:
    return ReviewNote(id=row.id, review_id=row.review_id, author=row.author, created_at=documents.utc(row.created_at),
                      text=row.text, bid_version_id=row.bid_version_id, criterion=row.criterion, score=row.score)


def _decision(row: DecisionRow) -> Decision:
    return Decision(id=row.id, review_id=row.review_id, author=row.author, created_at=documents.utc(row.created_at),
                    decision=row.decision, reason=row.reason, bid_version_id=row.bid_version_id)
