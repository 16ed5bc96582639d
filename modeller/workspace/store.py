"""The workspace store: saved scenarios and their immutable versions, with the access rule enforced on every call.

Every public method takes the acting user first. A user reaches only documents in workspaces they own or that
are shared with them; anything else is `NotFound`, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modeller.scenario import Scenario
from modeller.workspace import access, documents
from modeller.workspace.database import default_url, guarded, make_engine, migrate, shown
from modeller.workspace.errors import NotFound, VersionConflict, WorkspaceError
from modeller.workspace.models import Document, Member, VersionRow, Workspace
from modeller.workspace.records import ScenarioInfo, Version, VersionInfo, WorkspaceInfo
from modeller.workspace.reviews import ReviewsMixin

UNDO_DAYS = 30  # a deleted scenario can be restored for this long, then it is purged


def now() -> datetime:
    return datetime.now(UTC)


class Store(ReviewsMixin):
    """One database of workspaces. Open once per process; every call uses its own short transaction."""

    def __init__(self, engine: Engine, where: str):
        self.engine = engine
        self.where = where

    @classmethod
    def open(cls, url: str | None = None, busy_seconds: float | None = None) -> Store:
        """Connect (SQLite file under the data folder unless MODELLER_DATABASE_URL or `url` says otherwise),
        migrate to the newest schema and purge binned documents past the undo window."""
        url = url or default_url()
        where = shown(url)
        engine = make_engine(url) if busy_seconds is None else make_engine(url, busy_seconds)
        try:
            with guarded(where):
                migrate(engine)
            store = cls(engine, where)
            store.purge_expired()
        except Exception:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    # -- sessions ---------------------------------------------------------------------------------------------

    @contextmanager
    def _read(self):
        with guarded(self.where), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self):
        """One transaction: everything in it is written, or nothing is."""
        with guarded(self.where), Session(self.engine.execution_options(workspace_write=True),
                                          expire_on_commit=False) as session, session.begin():
            yield session

    # -- workspaces -------------------------------------------------------------------------------------------

    def workspaces(self, user: str) -> list[WorkspaceInfo]:
        """The user's own workspaces, then those shared with them."""
        user = access.check_user(user)
        with self._write() as session:
            access.own_workspace(session, user, now())
            rows = session.scalars(select(Workspace).where(Workspace.id.in_(access.visible_ids(user)))
                                   .order_by(Workspace.owner != user, Workspace.owner, Workspace.name)).all()
            return [access.workspace_info(session, w) for w in rows]

    def create_workspace(self, user: str, name: str) -> WorkspaceInfo:
        user, name = access.check_user(user), documents.check_name(name, "workspace")
        with self._write() as session:
            if session.scalar(select(Workspace.id).where(Workspace.owner == user, Workspace.name == name)):
                raise WorkspaceError(f"You already have a workspace called {name!r}; choose another name.")
            row = Workspace(name=name, owner=user, created_at=now())
            session.add(row)
            session.flush()
            return access.workspace_info(session, row)

    def share(self, user: str, workspace_id: int, other_user: str) -> WorkspaceInfo:
        """Let `other_user` see and save into one of the user's own workspaces."""
        user, other = access.check_user(user), access.check_user(other_user, "the person to share with")
        with self._write() as session:
            ws = access.owned_workspace(session, user, workspace_id)
            if other != user and not session.get(Member, (ws.id, other)):
                session.add(Member(workspace_id=ws.id, user=other, added_by=user, added_at=now()))
                session.flush()
            return access.workspace_info(session, ws)

    def unshare(self, user: str, workspace_id: int, other_user: str) -> WorkspaceInfo:
        user, other = access.check_user(user), access.check_user(other_user, "the person to stop sharing with")
        with self._write() as session:
            ws = access.owned_workspace(session, user, workspace_id)
            member = session.get(Member, (ws.id, other))
            if member:
                session.delete(member)
                session.flush()
            return access.workspace_info(session, ws)

    # -- listing and opening ----------------------------------------------------------------------------------

    def list_scenarios(self, user: str, workspace: int | None = None, include_deleted: bool = False,
                       kind: str = "scenario") -> list[ScenarioInfo]:
        """Scenarios (or reviews) the user can see, the most recently saved first; `workspace` narrows to one."""
        user = access.check_user(user)
        with self._read() as session:
            where = [Document.kind == kind, Document.workspace_id.in_(access.visible_ids(user))]
            if workspace is not None:
                access.workspace(session, user, workspace)
                where.append(Document.workspace_id == workspace)
            if not include_deleted:
                where.append(Document.deleted_at.is_(None))
            return documents.infos(session, where)

    def get(self, user: str, scenario_id: int) -> ScenarioInfo:
        user = access.check_user(user)
        with self._read() as session:
            doc = access.document(session, user, scenario_id)
            return documents.infos(session, [Document.id == doc.id])[0]

    def versions(self, user: str, scenario_id: int) -> list[VersionInfo]:
        """Every saved version, newest first, without the text."""
        user = access.check_user(user)
        with self._read() as session:
            doc = access.document(session, user, scenario_id)
            cols = documents.INFO_COLUMNS
            rows = session.execute(select(*cols).where(VersionRow.document_id == doc.id)
                                   .order_by(VersionRow.number.desc())).all()
            return [documents.version_info(r) for r in rows]

    def open_version(self, user: str, version_id: int) -> Version:
        user = access.check_user(user)
        with self._read() as session:
            row = session.get(VersionRow, version_id)
            if row is None:
                raise NotFound(f"There is no saved version {version_id} in your workspaces.")
            doc = access.document(session, user, row.document_id, what="saved version", shown_id=version_id)
            return documents.version(row, doc.name)

    def latest(self, user: str, scenario_id: int) -> Version:
        user = access.check_user(user)
        with self._read() as session:
            doc = access.document(session, user, scenario_id)
            return documents.version(documents.latest_row(session, doc.id), doc.name)

    # -- saving -----------------------------------------------------------------------------------------------

    def save(self, user: str, name: str, yaml_text: str | Scenario, note: str = "", parent_version: int | None = None,
             tags: Iterable[str] = (), workspace: int | None = None) -> Version:
        """Save a new version (see API.md: a stale `parent_version` raises VersionConflict). `yaml_text` is the
        scenario's YAML, or the Scenario itself (no text to parse again)."""
        text = documents.canonical("scenario", yaml_text, name)
        return self._save("scenario", user, name, text, note, parent_version, tags, workspace)

    def _save(self, kind: str, user: str, name: str, text: str, note: str, parent_version: int | None,
              tags: Iterable[str], workspace: int | None, author: str | None = None) -> Version:
        user = access.check_user(user)
        note = documents.check_note(note)
        tags = documents.check_tags(tags)
        name = documents.check_name(name, kind) if parent_version is None else name
        for _attempt in range(2):
            try:
                with self._write() as session:
                    if parent_version is None:
                        return self._create(session, kind, user, name, text, note, tags, workspace)
                    return self._add_version(session, kind, user, parent_version, text, note, tags)
            except IntegrityError:
                # another writer took the version number, the name or the first workspace between our read and
                # our write: run the checks again now the winner's write is visible (they raise the conflict)
                continue
        raise WorkspaceError("The save clashed with other saves twice; nothing was written. Please save again.")

    def _create(self, session: Session, kind: str, user: str, name: str, text: str, note: str,
                tags: list[str], workspace: int | None) -> Version:
        ws = access.writable_workspace(session, user, workspace, now())
        clash = session.scalar(select(Document).where(Document.workspace_id == ws.id, Document.kind == kind,
                                                      Document.name == name))
        if clash is not None:
            if clash.deleted_at is not None:
                raise WorkspaceError(f"A deleted {kind} is called {name!r}; restore it from the bin or choose "
                                     "another name.")
            latest = documents.version(documents.latest_row(session, clash.id), clash.name)
            raise VersionConflict(f"A {kind} called {name!r} is already saved (version {latest.number}, by "
                                  f"{latest.author}); open it and save on top of it, or choose another name.",
                                  latest, text)
        doc = Document(workspace_id=ws.id, kind=kind, name=name, tags=tags, created_at=now(), created_by=user)
        session.add(doc)
        session.flush()
        return documents.add_version(session, doc, 1, text, user, note, now())

    def _add_version(self, session: Session, kind: str, user: str, parent_version: int, text: str, note: str,
                     tags: list[str]) -> Version:
        parent = session.get(VersionRow, parent_version)
        if parent is None:
            raise NotFound(f"There is no saved version {parent_version} in your workspaces.")
        doc = access.document(session, user, parent.document_id, what="saved version", shown_id=parent_version,
                              lock=True, kind=kind)
        if doc.deleted_at is not None:
            raise WorkspaceError(f"{doc.name!r} is in the bin; restore it before saving a new version.")
        latest = documents.latest_row(session, doc.id)
        if latest.id != parent.id:
            raise VersionConflict(f"{doc.name!r} was saved again by {latest.author} at "
                                  f"{documents.when(latest.created_at)} (version {latest.number}) after the "
                                  f"version you opened (version {parent.number}); both are kept here: compare "
                                  "them and save again on top of the newest.",
                                  documents.version(latest, doc.name), text)
        if tags:
            doc.tags = tags
        if latest.text == text:
            return documents.version(latest, doc.name)
        return documents.add_version(session, doc, latest.number + 1, text, user, note, now())

    # -- managing ---------------------------------------------------------------------------------------------

    def duplicate(self, user: str, scenario_id: int, new_name: str, workspace: int | None = None) -> Version:
        """A new scenario whose version 1 is the latest text of this one."""
        source = self.latest(user, scenario_id)
        kind = self.get(user, scenario_id).kind
        note = f"Copy of {source.name} version {source.number}"
        return self._save(kind, user, new_name, source.text, note, None, (), workspace)

    def rename(self, user: str, scenario_id: int, new_name: str) -> ScenarioInfo:
        user = access.check_user(user)
        with self._write() as session:
            doc = access.document(session, user, scenario_id, lock=True)
            new_name = documents.check_name(new_name, doc.kind)
            if new_name != doc.name and session.scalar(select(Document.id).where(
                    Document.workspace_id == doc.workspace_id, Document.kind == doc.kind, Document.name == new_name)):
                raise WorkspaceError(f"Another {doc.kind} in this workspace is already called {new_name!r}; "
                                     "choose another name.")
            doc.name = new_name
            session.flush()
            return documents.infos(session, [Document.id == doc.id])[0]

    def tag(self, user: str, scenario_id: int, tags: Iterable[str]) -> ScenarioInfo:
        """Replace the tag set."""
        user, tags = access.check_user(user), documents.check_tags(tags)
        with self._write() as session:
            doc = access.document(session, user, scenario_id, lock=True)
            doc.tags = tags
            session.flush()
            return documents.infos(session, [Document.id == doc.id])[0]

    def delete(self, user: str, scenario_id: int) -> ScenarioInfo:
        """Move to the bin: hidden from lists, restorable with `undelete` for UNDO_DAYS days."""
        user = access.check_user(user)
        with self._write() as session:
            doc = access.document(session, user, scenario_id, lock=True)
            if doc.deleted_at is None:
                doc.deleted_at, doc.deleted_by = now(), user
                session.flush()
            return documents.infos(session, [Document.id == doc.id])[0]

    def undelete(self, user: str, scenario_id: int) -> ScenarioInfo:
        user = access.check_user(user)
        with self._write() as session:
            doc = access.document(session, user, scenario_id, lock=True)
            doc.deleted_at, doc.deleted_by = None, None
            session.flush()
            return documents.infos(session, [Document.id == doc.id])[0]

    def purge_expired(self, at: datetime | None = None) -> int:
        """Remove for good what has been in the bin longer than UNDO_DAYS; how many documents went."""
        cutoff = (at or now()) - timedelta(days=UNDO_DAYS)
        with self._write() as session:
            old = session.scalars(select(Document).where(Document.deleted_at.is_not(None),
                                                         Document.deleted_at < cutoff)).all()
            for doc in old:
                session.delete(doc)
            return len(old)

    # -- diff and archives --------------------------------------------------------------------------------------

    def diff(self, user: str, version_a: int, version_b: int, kpis: bool = True):
        """What changed from version_a to version_b, in plain words (modeller.workspace.diff.Diff)."""
        from modeller.workspace.diff import diff_versions

        return diff_versions(self.open_version(user, version_a), self.open_version(user, version_b), kpis)

    def export_zip(self, user: str, workspace: int | None = None) -> bytes:
        from modeller.workspace.archive import export_zip

        return export_zip(self, user, workspace)

    def import_zip(self, user: str, data: bytes, workspace: int | None = None) -> list[ScenarioInfo]:
        from modeller.workspace.archive import import_zip

        return import_zip(self, user, data, workspace)

    def count_versions(self, user: str, scenario_id: int) -> int:
        user = access.check_user(user)
        with self._read() as session:
            doc = access.document(session, user, scenario_id)
            return session.scalar(select(func.count()).where(VersionRow.document_id == doc.id)) or 0

