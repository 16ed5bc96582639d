"""What the workspace hands back: plain frozen records, never live database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WorkspaceInfo:
    """A workspace: its owner and the people it is shared with."""

    id: int
    name: str
    owner: str
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioInfo:
    """A saved document (a scenario, or a review when `kind` is "review") and its latest version."""

    id: int
    kind: str                     # "scenario" or "review"
    workspace_id: int
    workspace_name: str
    owner: str                    # the workspace's owner
    name: str
    tags: tuple[str, ...]
    latest_version_id: int
    latest_number: int            # version 1, 2, ...: how many times it has been saved
    updated_at: datetime          # when the latest version was saved (UTC)
    updated_by: str
    deleted_at: datetime | None   # set while it sits in the bin (undo window)


@dataclass(frozen=True)
class VersionInfo:
    """One immutable saved version, without its text (cheap to list)."""

    id: int
    scenario_id: int
    number: int
    author: str
    created_at: datetime
    note: str
    content_hash: str             # sha256 of the YAML text, hex


@dataclass(frozen=True)
class Version(VersionInfo):
    """One saved version with its canonical YAML text."""

    text: str = ""
    name: str = ""                # the document's name when opened

    def scenario(self):
        """The Scenario this version holds (validated again on the way out)."""
        from modeller.scenario_io import load_scenario

        return load_scenario(self.text, source=f"{self.name} version {self.number}")


@dataclass(frozen=True)
class ReviewNote:
    """A reviewer's note and optional score on a review, optionally about one bid."""

    id: int
    review_id: int
    author: str
    created_at: datetime
    text: str
    bid_version_id: int | None
    criterion: str
    score: float | None


@dataclass(frozen=True)
class Decision:
    """A recorded decision on a review: who decided what, when, and why."""

    id: int
    review_id: int
    author: str
    created_at: datetime
    decision: str
    reason: str
    bid_version_id: int | None


@dataclass(frozen=True)
class Bid:
    """A bid in a review: one saved scenario version, under the review's label for it."""

    review_id: int
    version_id: int
    scenario_id: int
    label: str
    added_by: str
    added_at: datetime
