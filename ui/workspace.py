"""The app's side of the workspace: one Store per process, who is acting, and saving/opening the scenario
being edited (with the saved version it was opened from as the parent of the next save).

Every store call may raise `StorageUnavailable`; pages show `str(err)` and keep working in memory.
Session keys: `ws_origin` (the saved version the current scenario came from or was last saved as),
`ws_conflict` (a save that met a newer version), `ws_undo` (the last scenario moved to the bin),
`ws_down` (this session last found the database unavailable: Compare then does not wait for it).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from modeller.cli_workspace import os_user
from modeller.scenario_io import ScenarioError
from modeller.workspace import (
    StorageUnavailable,
    Store,
    Version,
    VersionConflict,
    WorkspaceError,
    default_url,
    diff_texts,
)
from ui import compute, state

ZIP_LIMIT_MB = 20  # a workspace backup larger than this is refused before it is read


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Store:
    """One Store (a pool of connections) per database per process; a failure is not cached, so it is retried."""
    return Store.open(url)


def store() -> Store:
    """The process's Store for the configured database; raises StorageUnavailable (a plain sentence)."""
    try:
        found = _open(default_url())
    except StorageUnavailable as err:
        st.session_state.ws_down = str(err)
        raise
    st.session_state.pop("ws_down", None)
    return found


def store_if_up() -> Store | None:
    """The Store, or None when this session already found it unavailable (other pages never wait on it)."""
    if st.session_state.get("ws_down"):
        return None
    try:
        return store()
    except StorageUnavailable:
        return None


def auth_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (a team server with st.login)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def user() -> str | None:
    """Who is acting: the signed-in e-mail with login configured (None until they sign in), else this computer's user."""
    if not auth_configured():
        return os_user()
    if st.user.is_logged_in:
        return st.user.get("email") or None
    return None


# ---- the scenario being edited and the saved version it came from -------------------------------------------

def _source(v: Version) -> str:
    return f"Saved: {v.name}, version {v.number}"


def _remember(v: Version) -> None:
    """The current scenario now stands for saved version `v`: the next save is a version on top of it."""
    ss = st.session_state
    ss.source = _source(v)
    ss.ws_origin = {"scenario_id": v.scenario_id, "version_id": v.id, "number": v.number, "name": v.name,
                    "source": ss.source}


def origin() -> dict | None:
    """The saved version the current scenario was opened from (or last saved as), while it is still the one
    being edited: opening an example or a file since then forgets it."""
    found = st.session_state.get("ws_origin")
    return found if found and found["source"] == state.source() else None


def save(name: str, note: str, tags: list[str], as_new: bool) -> str:
    """Save the current good scenario: a new version on top of the one it came from, or a new scenario.

    Returns what happened in a sentence. VersionConflict is kept in `ws_conflict` (and re-raised), so the page
    can offer both ways on; other WorkspaceErrors are raised as they are."""
    came_from = None if as_new else origin()
    parent = came_from["version_id"] if came_from else None
    try:  # the Scenario object itself: the store writes it without parsing text again (about half the time)
        saved = store().save(user(), name, state.current_scenario(), note=note, parent_version=parent, tags=tags)
    except VersionConflict as err:
        st.session_state.ws_conflict = {"latest": err.latest, "attempted": err.attempted_text, "note": note,
                                        "tags": tags, "message": str(err), "newer": parent is not None}
        raise
    _remember(saved)
    if parent is not None and saved.id == parent:
        return f"No changes since version {saved.number} of “{saved.name}”: nothing new to save."
    return f"Saved “{saved.name}” as version {saved.number}."


def renamed(info) -> str:
    """After a rename: the scenario being edited, if it came from this one, now says the new name."""
    came_from = origin()
    if came_from and came_from["scenario_id"] == info.id:
        ss = st.session_state
        ss.source = f"Saved: {info.name}, version {came_from['number']}"
        ss.ws_origin = {**came_from, "name": info.name, "source": ss.source}
    return f"Renamed to “{info.name}”."


def keep_mine() -> str:
    """After a conflict: save the text that was not saved as a new version on top of the newest one."""
    c = st.session_state.pop("ws_conflict")
    saved = store().save(user(), c["latest"].name, c["attempted"], note=c["note"], parent_version=c["latest"].id,
                         tags=c["tags"])
    _remember(saved)
    return f"Saved yours as version {saved.number} of “{saved.name}”, on top of version {c['latest'].number}."


def conflict_changes(conflict: dict) -> list[str]:
    """What differs from the newest saved version to the one this person tried to save, in words."""
    return _diff_lines(conflict["latest"].text, conflict["attempted"])


@st.cache_data(max_entries=32, show_spinner=False)
def _diff_lines(before: str, after: str) -> list[str]:
    return diff_texts(before, after).lines()


def open_version(version_id: int) -> list[str]:
    """Make a saved version the scenario being edited; on failure keep the current one and return the problems."""
    v = store().open_version(user(), version_id)
    try:
        scenario = compute.scenario_of(v.text)
    except ScenarioError as err:
        return err.lines
    problems = state._engine_problems(v.text)
    if problems:
        return problems
    st.session_state.pop("ws_conflict", None)
    state._adopt(scenario, _source(v))
    _remember(v)
    return []


def parse_tags(text: str) -> list[str]:
    """ "MSK, bid 2 , " -> ["MSK", "bid 2"] (the store trims, de-duplicates and sorts them too)."""
    return [t.strip() for t in text.split(",") if t.strip()]


@st.cache_data(max_entries=32, show_spinner=False)
def diff_lines(url: str, who: str, version_a: int, version_b: int) -> tuple[list[str], list[str]]:
    """(changed assumptions, KPI differences) between two saved versions, in words; versions never change, so
    the answer is kept per database, user (the access rule) and pair."""
    found = _open(url).diff(who, version_a, version_b)
    changes = [c.text for c in found.changes] or ["No assumption changed."]
    return changes, [k.text for k in found.kpis]


# ---- saved versions as a source for Compare ------------------------------------------------------------------

COMPARE_SCENARIOS = 30  # Compare lists the latest version of this many most recently saved scenarios


def saved_choices(current: str) -> dict[str, str]:
    """Compare's saved-version choices, "workspace:<version id>" -> label: each saved scenario's latest version,
    and every version of the one being edited. Empty when the database or the person is not available."""
    s, who = store_if_up(), user()
    if s is None or who is None:
        return {}
    same = hashlib.sha256(current.encode("utf-8")).hexdigest()
    came_from = origin()
    out = {}
    try:
        for info in s.list_scenarios(who)[:COMPARE_SCENARIOS]:
            if came_from and info.id == came_from["scenario_id"]:
                for v in s.versions(who, info.id):
                    out[f"workspace:{v.id}"] = f"Saved: {info.name}, version {v.number}" + (
                        " (same as current)" if v.content_hash == same else "")
            else:
                out[f"workspace:{info.latest_version_id}"] = f"Saved: {info.name}, version {info.latest_number}"
    except WorkspaceError:
        return {}
    return out


def version_text(version_id: int) -> str:
    """The canonical YAML of a saved version this person can see (versions never change: kept per database,
    user and id)."""
    return _version_text(default_url(), user() or "", version_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _version_text(url: str, who: str, version_id: int) -> str:
    return _open(url).open_version(who, version_id).text
