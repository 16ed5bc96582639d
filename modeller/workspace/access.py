"""Who may reach what: a user reaches workspaces they own or that are shared with them, and nothing else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, union
from sqlalchemy.orm import Session

from modeller.scenario_text import check_text
from modeller.workspace.errors import NotFound, WorkspaceError
from modeller.workspace.models import USER_LENGTH, Document, Member, Workspace
from modeller.workspace.records import WorkspaceInfo

OWN_WORKSPACE = "My workspace"


def check_user(user: str, what: str = "the user") -> str:
    """A user name: an e-mail from the login provider, or the computer's user name locally."""
    if not isinstance(user, str) or not user.strip():
        raise WorkspaceError(f"No name was given for {what}; sign in, or pass --user NAME on the command line.")
    user = user.strip()
    try:
        return check_text(user, USER_LENGTH)
    except ValueError as exc:
        raise WorkspaceError(f"The name for {what} {exc}.") from None


def visible_ids(user: str) -> Select:
    """Ids of the workspaces the user owns or that are shared with them (a subquery)."""
    return union(select(Workspace.id).where(Workspace.owner == user),
                 select(Member.workspace_id).where(Member.user == user))


def can_see(session: Session, user: str, workspace_id: int) -> bool:
    ws = session.get(Workspace, workspace_id)
    if ws is None:
        return False
    return ws.owner == user or session.get(Member, (workspace_id, user)) is not None


def workspace(session: Session, user: str, workspace_id: int) -> Workspace:
    if not isinstance(workspace_id, int) or not can_see(session, user, workspace_id):
        raise NotFound(f"There is no workspace {workspace_id} among yours or those shared with you.")
    return session.get(Workspace, workspace_id)


def owned_workspace(session: Session, user: str, workspace_id: int) -> Workspace:
    ws = workspace(session, user, workspace_id)
    if ws.owner != user:
        raise NotFound(f"Workspace {workspace_id} is shared with you by {ws.owner}; only they can change who "
                       "it is shared with.")
    return ws


def own_workspace(session: Session, user: str, at: datetime) -> Workspace:
    """The user's personal workspace, created on first need."""
    ws = session.scalar(select(Workspace).where(Workspace.owner == user).order_by(Workspace.id).limit(1))
    if ws is None:
        ws = Workspace(name=OWN_WORKSPACE, owner=user, created_at=at)
        session.add(ws)
        session.flush()
    return ws


def writable_workspace(session: Session, user: str, workspace_id: int | None, at: datetime) -> Workspace:
    return own_workspace(session, user, at) if workspace_id is None else workspace(session, user, workspace_id)


def document(session: Session, user: str, document_id: int, what: str | None = None, shown_id: int | None = None,
             lock: bool = False, kind: str | None = None) -> Document:
    """The document if the user may reach it, else NotFound (the same words whether it exists or not)."""
    query = select(Document).where(Document.id == document_id)
    if lock:
        query = query.with_for_update()  # PostgreSQL: the second writer waits, then sees the first's version
    doc = session.scalar(query) if isinstance(document_id, int) else None
    if doc is None or not can_see(session, user, doc.workspace_id) or (kind and doc.kind != kind):
        noun = what or (kind or (doc.kind if doc is not None and can_see(session, user, doc.workspace_id)
                                 else "scenario"))
        raise NotFound(f"There is no {noun} {shown_id if shown_id is not None else document_id} in your "
                       "workspaces or those shared with you.")
    return doc


def workspace_info(session: Session, ws: Workspace) -> WorkspaceInfo:
    members = session.scalars(select(Member.user).where(Member.workspace_id == ws.id).order_by(Member.user)).all()
    return WorkspaceInfo(id=ws.id, name=ws.name, owner=ws.owner, shared_with=tuple(members))
