"""The workspace: saved scenarios, their immutable versions and reviews in a database (SQLite by default,
PostgreSQL for a team server). No streamlit here; the app and the CLI both call `Store` (see API.md)."""

from modeller.workspace.database import default_url
from modeller.workspace.diff import Change, Diff, KpiDifference, diff_scenarios, diff_texts
from modeller.workspace.errors import (
    InvalidDocument,
    NotFound,
    StorageUnavailable,
    VersionConflict,
    WorkspaceError,
)
from modeller.workspace.records import (
    Bid,
    Decision,
    ReviewNote,
    ScenarioInfo,
    Version,
    VersionInfo,
    WorkspaceInfo,
)
from modeller.workspace.store import UNDO_DAYS, Store

__all__ = ["Bid", "Change", "Decision", "Diff", "InvalidDocument", "KpiDifference", "NotFound", "ReviewNote",
           "ScenarioInfo", "StorageUnavailable", "Store", "UNDO_DAYS", "Version", "VersionConflict", "VersionInfo",
           "WorkspaceError", "WorkspaceInfo", "default_url", "diff_scenarios", "diff_texts"]
