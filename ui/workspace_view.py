"""The Workspace page's parts: who is signed in, saving (and a version conflict), the saved scenarios with
their versions, what changed between two versions, the bin, and the zip backup. Names, notes and tags are
user text: shown as text or escaped, never read as Markdown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from modeller.workspace import InvalidDocument, ScenarioInfo, Store, WorkspaceError, default_url
from ui import state
from ui import workspace as ws
from ui.draft import escape


def when(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%d %b %Y %H:%M} UTC"


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {escape(line)}" for line in lines)


def _act(action: Callable[[], str | None]) -> None:
    """Run a button's action: its sentence is shown after the rerun; a workspace error is shown here."""
    try:
        said = action()
    except InvalidDocument as err:
        st.error(escape(str(err)) + ("\n\n" + bullets(err.problems) if err.problems else ""), icon="🚫")
        return
    except WorkspaceError as err:  # includes StorageUnavailable, NotFound, VersionConflict: one plain sentence
        if "ws_conflict" not in st.session_state:
            st.error(escape(str(err)), icon="🚫")
            return
    else:
        if said:
            st.session_state.ws_flash = said
    st.rerun()


def identity() -> str | None:
    """Who is acting, said on the page; with login configured and nobody signed in, a sign-in button."""
    who = ws.user()
    if who:
        return who
    if ws.auth_configured() and not st.user.is_logged_in:
        st.info("Sign in to see your saved scenarios. The other pages work without signing in, on the scenario in "
                "this browser tab.", icon=":material/login:")
        if st.button("Sign in", key="ws_login", type="primary", icon=":material/login:"):
            st.login()
    else:
        st.error("Your sign-in gave no e-mail address, so your saved scenarios cannot be found. Ask whoever runs "
                 "this server to include the e-mail claim in the login settings.", icon="🚫")
    return None


def flash() -> None:
    said = st.session_state.pop("ws_flash", None)
    if said:
        st.success(escape(said), icon="✅")


def save_form(store: Store) -> None:
    """Name, note and tags for the scenario being edited; saved on top of the version it was opened from."""
    st.subheader("Save the scenario being edited")
    came_from = ws.origin()
    as_new = False
    if came_from:
        st.caption(f"Opened from version {came_from['number']} of the saved scenario below; saving adds a new "
                   "version on top of it.")
        st.text(f"Saved scenario: {came_from['name']}")
        as_new = st.toggle("Save as a new scenario instead", key="ws_as_new")
    if state.is_stale():
        st.warning("The scenario being edited has problems: its last valid version is what gets saved.", icon="⏸️")
    default = came_from["name"] if came_from else state.current_scenario().name
    left, mid, right = st.columns([2, 3, 2])
    name = left.text_input("Name", value=default, key=f"ws_name_{st.session_state.version}",
                           disabled=bool(came_from) and not as_new, max_chars=200,
                           help="A new scenario's name; rename a saved one below.")
    note = mid.text_input("Note (optional)", key="ws_note", max_chars=1000,
                          placeholder="What this version changes, for whoever reads it later")
    tags = right.text_input("Tags (optional, separated by commas)", key="ws_tags",
                            help="Replace the saved scenario's tags; leave empty to keep them.")
    if st.button("Save to the workspace", key="ws_save", type="primary", icon=":material/save:"):
        _act(lambda: ws.save(name.strip(), note, ws.parse_tags(tags), as_new))


def conflict() -> None:
    """Someone saved first: say so, show what differs, and offer both ways on (nothing is lost either way)."""
    c = st.session_state.get("ws_conflict")
    if not c:
        return
    latest = c["latest"]
    head = "**Someone saved a newer version.** " if c["newer"] else "**That name is already saved.** "
    st.warning(head + escape(c["message"]), icon="⚠️")
    st.markdown(f"How yours differs from version {latest.number} (saved by {escape(latest.author)} at "
                f"{when(latest.created_at)}):")
    st.markdown(bullets(ws.conflict_changes(c)))
    left, mid, right = st.columns(3)
    if left.button("Keep mine as a new version on top of theirs", key="ws_keep_mine", type="primary"):
        _act(ws.keep_mine)
    if mid.button("Open theirs in the editor", key="ws_open_theirs"):
        _act(lambda: _open(latest.id))
    if right.button("Decide later", key="ws_conflict_close"):
        st.session_state.pop("ws_conflict")
        st.rerun()


def _open(version_id: int) -> str:
    problems = ws.open_version(version_id)
    if problems:
        raise InvalidDocument("That saved version cannot be opened with this version of the modeller.", problems)
    o = st.session_state.ws_origin
    return f"Opened version {o['number']} of “{o['name']}”: it is the scenario being edited now."


def undo_note(store: Store, who: str) -> None:
    gone = st.session_state.get("ws_undo")
    if not gone:
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.info(f"Moved “{escape(gone['name'])}” to the bin. It can be restored for {gone['days']} days.",
              icon=":material/delete:")
    if right.button("Undo", key="ws_undo_button"):
        st.session_state.pop("ws_undo")
        _act(lambda: f"Restored “{store.undelete(who, gone['id']).name}”.")


def scenario_table(found: list[ScenarioInfo]) -> pd.DataFrame:
    return pd.DataFrame({
        "Name": [s.name for s in found],
        "Tags": [", ".join(s.tags) for s in found],
        "Latest version": [s.latest_number for s in found],
        "Saved by": [s.updated_by for s in found],
        "When": [when(s.updated_at) for s in found],
        "Workspace": [s.workspace_name for s in found],
    })


def saved(store: Store, who: str) -> None:
    """The saved scenarios, and one of them in detail."""
    st.subheader("Saved scenarios")
    found = store.list_scenarios(who)
    if not found:
        st.info("Nothing saved yet. Save the scenario being edited above.", icon=":material/inventory_2:")
        return
    st.dataframe(scenario_table(found), hide_index=True, width="stretch", key="ws_table")
    by_id = {s.id: s for s in found}
    came_from = ws.origin()
    first = came_from["scenario_id"] if came_from and came_from["scenario_id"] in by_id else found[0].id
    picked = st.selectbox("Saved scenario", list(by_id), index=list(by_id).index(first), key="ws_pick",
                          format_func=lambda i: by_id[i].name)
    detail(store, who, by_id[picked])


def detail(store: Store, who: str, info: ScenarioInfo) -> None:
    """Versions of one saved scenario: open one, see what changed, and rename, tag, duplicate or delete it."""
    versions = store.versions(who, info.id)
    st.dataframe(pd.DataFrame({"Version": [v.number for v in versions], "Saved by": [v.author for v in versions],
                               "When": [when(v.created_at) for v in versions], "Note": [v.note for v in versions]}),
                 hide_index=True, width="stretch", key="ws_versions",
                 height=38 + 35 * min(len(versions), 8))
    numbers = {v.id: v.number for v in versions}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    pick = left.selectbox("Version to open", list(numbers), key=f"ws_open_pick_{info.id}",
                          format_func=lambda i: f"Version {numbers[i]}")
    if right.button("Open in the editor", key="ws_open", icon=":material/open_in_new:"):
        _act(lambda: _open(pick))
    changed(who, versions)
    manage(store, who, info)


def changed(who: str, versions: list) -> None:
    """What changed between two versions: assumptions in words with units, and the KPI differences beside."""
    st.markdown("**What changed between two versions**")
    if len(versions) < 2:
        st.caption("Only one version so far: save again to see what changed.")
        return
    numbers = {v.id: v.number for v in versions}
    ids = list(numbers)
    a, b = st.columns(2)
    before = a.selectbox("From", ids, index=1, key=f"ws_from_{versions[0].scenario_id}",
                         format_func=lambda i: f"Version {numbers[i]}")
    after = b.selectbox("To", ids, index=0, key=f"ws_to_{versions[0].scenario_id}",
                        format_func=lambda i: f"Version {numbers[i]}")
    changes, kpis = ws.diff_lines(default_url(), who, before, after)
    left, right = st.columns(2)
    with left, st.container(border=True, key="ws_diff_changes"):
        st.markdown("**Assumptions**")
        st.markdown(bullets(changes))
    with right, st.container(border=True, key="ws_diff_kpis"):
        st.markdown("**Key figures**")
        st.markdown(bullets(kpis) if kpis else "No key figure changed.")


def manage(store: Store, who: str, info: ScenarioInfo) -> None:
    st.markdown("**Rename, tag, duplicate or delete**")
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2], vertical_alignment="bottom")
    new_name = c1.text_input("New name", value=info.name, key=f"ws_rename_{info.id}", max_chars=200)
    if c1.button("Rename", key="ws_rename"):
        _act(lambda: ws.renamed(store.rename(who, info.id, new_name.strip())))
    tags = c2.text_input("Tags (separated by commas)", value=", ".join(info.tags), key=f"ws_tag_{info.id}")
    if c2.button("Set tags", key="ws_tag"):
        _act(lambda: f"Tags of “{store.tag(who, info.id, ws.parse_tags(tags)).name}” set.")
    copy_name = c3.text_input("Name of the copy", value=f"{info.name} (copy)", key=f"ws_copy_{info.id}",
                              max_chars=200)
    if c3.button("Duplicate", key="ws_duplicate"):
        _act(lambda: f"Saved a copy as “{store.duplicate(who, info.id, copy_name.strip()).name}”.")
    if c4.button("Delete", key="ws_delete", icon=":material/delete:"):
        _act(lambda: _delete(store, who, info))


def _delete(store: Store, who: str, info: ScenarioInfo) -> None:
    from modeller.workspace import UNDO_DAYS

    gone = store.delete(who, info.id)
    st.session_state.ws_undo = {"id": gone.id, "name": gone.name, "days": UNDO_DAYS}


def bin_part(store: Store, who: str) -> None:
    gone = [s for s in store.list_scenarios(who, include_deleted=True) if s.deleted_at is not None]
    if not gone:
        return
    with st.expander(f"Bin ({len(gone)})"):
        by_id = {s.id: s for s in gone}
        pick = st.selectbox("Deleted scenario", list(by_id), key="ws_bin_pick",
                            format_func=lambda i: f"{by_id[i].name} (deleted {when(by_id[i].deleted_at)})")
        if st.button("Restore", key="ws_restore"):
            st.session_state.pop("ws_undo", None)
            _act(lambda: f"Restored “{store.undelete(who, pick).name}”.")


def backup(store: Store, who: str) -> None:
    """The whole workspace as a zip of YAML versions (the backup), and importing one."""
    st.subheader("Backup: export or import the workspace")
    left, right = st.columns(2)
    with left:
        st.caption("Every saved scenario you can see, all versions, as YAML files with a manifest of authors, "
                   "times, notes and tags.")
        if st.button("Prepare the zip", key="ws_export"):
            try:
                st.session_state.ws_zip = store.export_zip(who)
            except WorkspaceError as err:
                st.error(escape(str(err)), icon="🚫")
        if st.session_state.get("ws_zip"):
            st.download_button("Download the workspace (.zip)", st.session_state.ws_zip, key="ws_download",
                               file_name=f"workspace-{dt.date.today():%Y-%m-%d}.zip", mime="application/zip",
                               icon=":material/download:")
    with right:
        up = st.file_uploader(f"Import a workspace zip (up to {ws.ZIP_LIMIT_MB} MB)", type=["zip"],
                              key="ws_import_file", max_upload_size=ws.ZIP_LIMIT_MB)
        if up is not None and st.button("Import", key="ws_import"):
            data = up.getvalue()
            if len(data) > ws.ZIP_LIMIT_MB * 1_000_000:
                st.error(f"{escape(up.name)} is {len(data) / 1e6:.1f} MB; a workspace zip is limited to "
                         f"{ws.ZIP_LIMIT_MB} MB.", icon="🚫")
                return
            _act(lambda: _import(store, who, data))


def _import(store: Store, who: str, data: bytes) -> str:
    added = store.import_zip(who, data)
    names = ", ".join(f"“{s.name}”" for s in added)
    return f"Imported {len(added)} saved item{'s' * (len(added) != 1)}: {names}."
