"""Keeping people's data safe: the zip backup round trip, and a plain StorageUnavailable for a database that is
missing, locked, read-only or unreachable (the app then keeps working in memory)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile

import pytest

from modeller.workspace import InvalidDocument, StorageUnavailable, Store, WorkspaceError
from modeller.workspace.database import default_url
from tests import storage_support
from tests.conftest import ROOT

store, store_url = storage_support.store, storage_support.store_url   # the fixtures: SQLite and PostgreSQL

MSK, edited = storage_support.MSK, storage_support.edited
CLINIC = (ROOT / "scenarios" / "wound_care_nurse_led.yaml").read_text(encoding="utf-8")


def filled(store: Store) -> dict:
    """Alice's workspace: MSK with two versions, a tagged clinic, a review with a bid, a note and a decision."""
    v1 = store.save("alice", "MSK", MSK, note="first")
    v2 = store.save("alice", "MSK", edited(42000), parent_version=v1.id,
                    note="pay award")
    store.save("alice", "Clinic", CLINIC, tags=["wound care"])
    review = store.save_review("alice", "Round 1", "title: Round 1\n")
    store.add_bid("alice", review.scenario_id, v2.id, "Bid A")
    store.add_note("alice", review.scenario_id, "Strong", bid_version_id=v2.id, criterion="quality", score=4.5)
    store.decide("alice", review.scenario_id, "Award to bid A", "best value", v2.id)
    return {"v1": v1, "v2": v2, "review": review}


def snapshot(store: Store, user: str) -> dict:
    """Everything a user's workspace holds, without ids (which differ after an import)."""
    out = {}
    for kind in ("scenario", "review"):
        for s in store.list_scenarios(user, kind=kind):
            versions = [(v.number, v.author, v.note, store.open_version(user, v.id).text, v.created_at)
                        for v in store.versions(user, s.id)]
            out[(kind, s.name)] = (s.tags, versions)
            if kind == "review":
                out["bids"] = [(b.label, store.open_version(user, b.version_id).number)
                               for b in store.bids(user, s.id)]
                out["notes"] = [(n.author, n.text, n.criterion, n.score) for n in store.notes(user, s.id)]
                out["decisions"] = [(d.decision, d.reason, d.bid_version_id is not None)
                                    for d in store.decisions(user, s.id)]
    return out


def test_export_import_round_trip(store, tmp_path):
    filled(store)
    data = store.export_zip("alice")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "manifest.json" in names and sum(n.endswith(".yaml") for n in names) == 4   # 2 + 1 + 1 versions
    restored = Store.open(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    restored.import_zip("alice", data)
    assert snapshot(restored, "alice") == snapshot(store, "alice")
    assert snapshot(store, "alice")["bids"] == [("Bid A", 2)]
    again = restored.import_zip("alice", data)   # importing twice keeps both, under new names
    assert sorted(s.name for s in again) == ["Clinic (imported)", "MSK (imported)", "Round 1 (imported)"]
    restored.close()


def test_a_bad_file_in_the_zip_imports_nothing(store):
    filled(store)
    source = zipfile.ZipFile(io.BytesIO(store.export_zip("alice")))
    manifest = json.loads(source.read("manifest.json"))
    msk_v2 = next(d for d in manifest["documents"] if d["name"] == "MSK")["versions"][1]["file"]
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        for name in source.namelist():
            text = source.read(name).decode()
            if name == msk_v2:
                text = re.sub(r"(?m)^months: \d+", "months: -3", text, count=1)   # MSK version 1 is read (and written) before it
            zf.writestr(name, text)
    with pytest.raises(InvalidDocument, match="months"):
        store.import_zip("bob", broken.getvalue())
    assert store.list_scenarios("bob") == [] and store.list_scenarios("bob", kind="review") == []


def test_not_a_workspace_zip(store):
    with pytest.raises(WorkspaceError, match="not a workspace zip"):
        store.import_zip("alice", b"hello")
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("notes.txt", "hi")
    with pytest.raises(WorkspaceError, match="no readable manifest.json"):
        store.import_zip("alice", empty.getvalue())


def test_a_missing_folder_is_a_plain_message(tmp_path):
    with pytest.raises(StorageUnavailable) as caught:
        Store.open(f"sqlite:///{tmp_path / 'no such folder' / 'w.sqlite3'}")
    assert str(caught.value).startswith(f"The workspace database at {tmp_path / 'no such folder' / 'w.sqlite3'} "
                                        "cannot be opened (its folder is missing or not accessible)")
    assert "nothing was saved" in str(caught.value)


def test_a_read_only_database_is_a_plain_message(tmp_path):
    path = tmp_path / "w.sqlite3"
    (tmp_path / "empty.sqlite3").touch()
    with pytest.raises(StorageUnavailable, match="is read-only"):       # an empty one cannot even be set up
        Store.open(f"sqlite:///file:{tmp_path / 'empty.sqlite3'}?mode=ro&uri=true")
    writable = Store.open(f"sqlite:///{path}")
    v1 = writable.save("alice", "MSK", MSK)
    writable.close()
    read_only = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true")   # opens: reading still works
    assert [s.name for s in read_only.list_scenarios("alice")] == ["MSK"]
    with pytest.raises(StorageUnavailable) as caught:
        read_only.save("alice", "MSK", edited(42000), parent_version=v1.id)
    assert "is read-only, so nothing can be saved" in str(caught.value)
    read_only.close()


def test_a_locked_database_is_a_plain_message(tmp_path):
    path = tmp_path / "w.sqlite3"
    opened = Store.open(f"sqlite:///{path}", busy_seconds=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")      # another program holds the write lock
    try:
        with pytest.raises(StorageUnavailable, match="is busy"):
            opened.save("alice", "MSK", MSK)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert opened.save("alice", "MSK", MSK).number == 1   # works again once the lock is gone
    opened.close()


def test_a_locked_postgresql_table_is_a_plain_message():
    import psycopg

    url = storage_support.postgres().fresh_database()
    opened = Store.open(url, busy_seconds=0.3)
    v1 = opened.save("alice", "MSK", MSK)
    server = storage_support.postgres()
    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(f"host={server.folder} user=postgres dbname=postgres") as holder:
        holder.execute(f'LOCK TABLE "{schema}".documents IN ACCESS EXCLUSIVE MODE')   # another program's lock
        with pytest.raises(StorageUnavailable, match="is busy"):
            opened.save("alice", "MSK", edited(42000), parent_version=v1.id)
    assert opened.save("alice", "MSK", edited(42000), parent_version=v1.id).number == 2   # lock gone: works
    opened.close()


def test_an_unreachable_server_is_a_plain_message(tmp_path):
    url = f"postgresql+psycopg://nobody@/modeller?host={tmp_path}"   # no server listens there
    with pytest.raises(StorageUnavailable, match="cannot be reached"):
        Store.open(url, busy_seconds=1)


def test_the_default_database_lives_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MODELLER_DATABASE_URL", raising=False)
    monkeypatch.setenv("MODELLER_DATA_DIR", str(tmp_path / "data"))
    assert default_url() == f"sqlite:///{tmp_path / 'data' / 'workspace.sqlite3'}"
    opened = Store.open()                  # creates the folder on first run
    opened.save("alice", "MSK", MSK)
    opened.close()
    assert (tmp_path / "data" / "workspace.sqlite3").is_file()
    monkeypatch.setenv("MODELLER_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    assert Store.open().list_scenarios("alice") == []      # the URL wins over the data folder
