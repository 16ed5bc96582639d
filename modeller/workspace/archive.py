"""A whole workspace as a zip of YAML files plus a manifest: export, and import all-or-nothing (the backup).

Layout: `manifest.json` and one YAML file per saved version, `<workspace>/<scenarios|reviews>/<name>/v0001.yaml`.
The manifest keeps what the YAML cannot: names, tags, each version's author, time and note, and each review's
bids, notes and decisions (bids named by scenario and version number, so they survive new ids on import).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, datetime

from sqlalchemy import select

from modeller.scenario_io import MAX_FILE_BYTES
from modeller.workspace import access, documents
from modeller.workspace.errors import InvalidDocument, WorkspaceError
from modeller.workspace.models import (
    DecisionRow,
    Document,
    ReviewBid,
    ReviewNoteRow,
    VersionRow,
    Workspace,
)
from modeller.workspace.records import ScenarioInfo

FORMAT = "clinical-venture-modeller workspace"
FORMAT_VERSION = 1
MAX_FILES = 50_000
MAX_TOTAL_BYTES = 500_000_000   # uncompressed: a zip bomb is refused before anything is read
MANIFEST = "manifest.json"


def _folder(name: str) -> str:
    """A name as a portable folder name."""
    return re.sub(r"[^A-Za-z0-9._ -]+", "_", name).strip(" .")[:80] or "unnamed"


def export_zip(store, user: str, workspace: int | None = None) -> bytes:
    """Every live scenario and review the user can see (or those in one workspace), all their versions."""
    user = access.check_user(user)
    with store._read() as session:
        where = [Document.deleted_at.is_(None), Document.workspace_id.in_(access.visible_ids(user))]
        if workspace is not None:
            access.workspace(session, user, workspace)
            where.append(Document.workspace_id == workspace)
        rows = session.execute(select(Document, Workspace).join(Workspace, Workspace.id == Document.workspace_id)
                               .where(*where).order_by(Document.kind.desc(), Document.id)).all()
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_by": user,
                    "exported_at": datetime.now(UTC).isoformat(), "documents": []}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for doc, ws in rows:
                entry = _export_document(session, zf, doc, ws)
                if doc.kind == "review":
                    entry.update(_review_records(session, doc.id))
                manifest["documents"].append(entry)
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        return buffer.getvalue()


def _export_document(session, zf: zipfile.ZipFile, doc: Document, ws: Workspace) -> dict:
    folder = f"{_folder(ws.name)} ({ws.owner})/{doc.kind}s/{_folder(doc.name)} ({doc.id})"
    versions = []
    for v in session.scalars(select(VersionRow).where(VersionRow.document_id == doc.id).order_by(VersionRow.number)):
        path = f"{folder}/v{v.number:04d}.yaml"
        zf.writestr(path, v.text)
        versions.append({"file": path, "number": v.number, "author": v.author, "note": v.note,
                         "created_at": documents.utc(v.created_at).isoformat(), "content_hash": v.content_hash})
    return {"kind": doc.kind, "workspace": ws.name, "owner": ws.owner, "name": doc.name, "tags": list(doc.tags),
            "versions": versions}


def _ref(session, version_id: int | None) -> dict | None:
    """A version named by its scenario's workspace, name and number (ids change on import)."""
    if version_id is None:
        return None
    row = session.execute(select(Document.name, Workspace.name, Workspace.owner, VersionRow.number)
                          .join(Document, Document.id == VersionRow.document_id)
                          .join(Workspace, Workspace.id == Document.workspace_id)
                          .where(VersionRow.id == version_id)).first()
    return None if row is None else {"scenario": row[0], "workspace": row[1], "owner": row[2], "number": row[3]}


def _review_records(session, review_id: int) -> dict:
    bids = session.scalars(select(ReviewBid).where(ReviewBid.review_id == review_id)).all()
    notes = session.scalars(select(ReviewNoteRow).where(ReviewNoteRow.review_id == review_id)
                            .order_by(ReviewNoteRow.id)).all()
    decisions = session.scalars(select(DecisionRow).where(DecisionRow.review_id == review_id)
                                .order_by(DecisionRow.id)).all()
    return {
        "bids": [{"bid": _ref(session, b.version_id), "label": b.label, "added_by": b.added_by,
                  "added_at": documents.utc(b.added_at).isoformat()} for b in bids],
        "notes": [{"bid": _ref(session, n.bid_version_id), "author": n.author, "text": n.text,
                   "criterion": n.criterion, "score": n.score, "created_at": documents.utc(n.created_at).isoformat()}
                  for n in notes],
        "decisions": [{"bid": _ref(session, d.bid_version_id), "author": d.author, "decision": d.decision,
                       "reason": d.reason, "created_at": documents.utc(d.created_at).isoformat()}
                      for d in decisions],
    }


def _open(data: bytes) -> tuple[zipfile.ZipFile, dict]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, TypeError):
        raise WorkspaceError("The file is not a workspace zip; choose a .zip made by Export workspace.") from None
    infos = zf.infolist()
    if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise WorkspaceError(f"The zip holds more than {MAX_FILES:,} files or {MAX_TOTAL_BYTES // 1_000_000:,} MB; "
                             "a workspace export is far smaller. Check it is the right file.")
    try:
        manifest = json.loads(_member(zf, MANIFEST))
    except (KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise WorkspaceError(f"The zip has no readable {MANIFEST}; choose a .zip made by Export workspace.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise WorkspaceError(f"The zip's {MANIFEST} is not a workspace manifest; choose a .zip made by Export "
                             "workspace.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise WorkspaceError(f"The zip was made by a newer version of the modeller (format "
                             f"{manifest.get('format_version')!r}); update the modeller, then import it.")
    return zf, manifest


def _member(zf: zipfile.ZipFile, name: str) -> str:
    info = zf.getinfo(name)
    if info.file_size > MAX_FILE_BYTES:
        raise WorkspaceError(f"{name} in the zip is {info.file_size / 1e6:.1f} MB; files are limited to 1 MB.")
    return zf.read(info).decode("utf-8")


def _time(value, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise WorkspaceError(f"{where}: the time {value!r} in the manifest is not a date and time; "
                             "export the workspace again.") from None
    return documents.utc(moment)


def import_zip(store, user: str, data: bytes, workspace: int | None = None) -> list[ScenarioInfo]:
    """Add every document in the zip to one workspace (the user's own unless given): all or nothing."""
    user = access.check_user(user)
    zf, manifest = _open(data)
    entries = manifest.get("documents")
    if not isinstance(entries, list):
        raise WorkspaceError(f"The zip's {MANIFEST} lists no documents; export the workspace again.")
    with store._write() as session:
        ws = access.writable_workspace(session, user, workspace, datetime.now(UTC))
        made: dict[tuple, int] = {}     # (owner, workspace, name, number) in the zip -> new version id
        ids, reviews = [], []
        for entry in sorted(entries, key=lambda e: str(e.get("kind")) != "scenario" if isinstance(e, dict) else 1):
            doc = _import_document(session, zf, ws, entry, made)
            ids.append(doc.id)
            if doc.kind == "review":
                reviews.append((doc, entry))
        for doc, entry in reviews:
            _import_review_records(session, doc, entry, made, user)
        session.flush()
        return documents.infos(session, [Document.id.in_(ids)])


def _import_document(session, zf: zipfile.ZipFile, ws: Workspace, entry, made: dict) -> Document:
    if not isinstance(entry, dict) or entry.get("kind") not in ("scenario", "review") \
            or not isinstance(entry.get("versions"), list) or not entry["versions"]:
        raise WorkspaceError(f"An entry in the zip's {MANIFEST} is not a scenario or review with versions; export "
                             "the workspace again.")
    kind = entry["kind"]
    name = _free_name(session, ws.id, kind, documents.check_name(str(entry.get("name", "")), kind))
    doc = Document(workspace_id=ws.id, kind=kind, name=name, tags=documents.check_tags(entry.get("tags") or []),
                   created_at=datetime.now(UTC), created_by=access.check_user(str(entry["versions"][0].get("author"))))
    session.add(doc)
    session.flush()
    for number, v in enumerate(sorted(entry["versions"], key=lambda v: v.get("number", 0)), start=1):
        where = f"{entry.get('name')} version {v.get('number')}"
        try:
            raw = _member(zf, str(v.get("file")))
        except KeyError:
            raise WorkspaceError(f"{where}: the file {v.get('file')!r} named in the manifest is missing from the "
                                 "zip; export the workspace again.") from None
        except UnicodeDecodeError:
            raise InvalidDocument(f"{where}: the file is not UTF-8 text.") from None
        text = documents.canonical(kind, raw, where)
        row = documents.add_version(session, doc, number, text, access.check_user(str(v.get("author"))),
                                    documents.check_note(str(v.get("note") or "")),
                                    _time(v.get("created_at"), where))
        made[_key(entry.get("owner"), entry.get("workspace"), entry.get("name"), v.get("number"))] = row.id
    return doc


def _free_name(session, workspace_id: int, kind: str, name: str) -> str:
    taken = set(session.scalars(select(Document.name).where(Document.workspace_id == workspace_id,
                                                            Document.kind == kind)))
    if name not in taken:
        return name
    for n in range(1, 10_000):
        candidate = f"{name} (imported{'' if n == 1 else f' {n}'})"
        if candidate not in taken:
            return candidate
    raise WorkspaceError(f"Too many scenarios are called {name!r}; rename some before importing.")


def _bid(ref, made: dict) -> int | None:
    if not isinstance(ref, dict):
        return None
    return made.get(_key(ref.get("owner"), ref.get("workspace"), ref.get("scenario"), ref.get("number")))


def _key(owner, workspace, name, number) -> tuple:
    return str(owner), str(workspace), str(name), number


def _import_review_records(session, doc: Document, entry: dict, made: dict, user: str) -> None:
    where = f"review {doc.name}"
    for b in entry.get("bids") or []:
        version_id = _bid(b.get("bid"), made)
        if version_id is not None:
            session.add(ReviewBid(review_id=doc.id, version_id=version_id, label=str(b.get("label") or "Bid"),
                                  added_by=access.check_user(str(b.get("added_by") or user)),
                                  added_at=_time(b.get("added_at"), where)))
    for n in entry.get("notes") or []:
        score = n.get("score")
        session.add(ReviewNoteRow(review_id=doc.id, bid_version_id=_bid(n.get("bid"), made),
                                  author=access.check_user(str(n.get("author"))),
                                  created_at=_time(n.get("created_at"), where), criterion=str(n.get("criterion") or ""),
                                  score=float(score) if isinstance(score, int | float) else None,
                                  text=str(n.get("text") or "")))
    for d in entry.get("decisions") or []:
        session.add(DecisionRow(review_id=doc.id, bid_version_id=_bid(d.get("bid"), made),
                                author=access.check_user(str(d.get("author"))),
                                created_at=_time(d.get("created_at"), where), decision=str(d.get("decision") or ""),
                                reason=str(d.get("reason") or "")))
