"""The workspace store on SQLite and on a real PostgreSQL server: the same tests on both."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from modeller.scenario_io import dump_scenario, load_scenario
from modeller.workspace import (
    UNDO_DAYS,
    InvalidDocument,
    NotFound,
    Store,
    VersionConflict,
    WorkspaceError,
)
from modeller.workspace import documents as documents_module
from modeller.workspace.store import now
from tests import storage_support
from tests.conftest import ROOT

store, store_url = storage_support.store, storage_support.store_url   # the fixtures: SQLite and PostgreSQL

MSK, edited, physio_salary = storage_support.MSK, storage_support.edited, storage_support.physio_salary
CANONICAL = dump_scenario(load_scenario(MSK))


def test_save_and_open_round_trip(store):
    v1 = store.save("alice", "MSK", MSK, note="first go", tags=["msk", " bid "])
    assert (v1.number, v1.author, v1.note, v1.name) == (1, "alice", "first go", "MSK")
    opened = store.open_version("alice", v1.id)
    assert opened.text == CANONICAL            # the project's own dump, not the file's comments
    assert opened.content_hash == hashlib.sha256(CANONICAL.encode()).hexdigest()
    assert opened.scenario() == load_scenario(MSK)
    info = store.get("alice", v1.scenario_id)
    assert (info.name, info.tags, info.latest_number, info.owner) == ("MSK", ("bid", "msk"), 1, "alice")
    assert info.updated_at.tzinfo is not None


def test_saving_the_scenario_object_stores_the_same_text(store):
    from_text = store.save("alice", "From text", MSK)
    from_object = store.save("alice", "From object", load_scenario(MSK))
    assert from_object.text == from_text.text and from_object.content_hash == from_text.content_hash


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_stored_text_is_the_projects_own_dump(path):
    text = path.read_text(encoding="utf-8")
    assert documents_module.canonical("scenario", text) == dump_scenario(load_scenario(text))


def test_every_save_is_a_new_immutable_version(store):
    v1 = store.save("alice", "MSK", MSK)
    v2 = store.save("alice", "MSK", edited(42000), parent_version=v1.id, note="pay award")
    same = store.save("alice", "ignored", edited(42000), parent_version=v2.id)
    assert same.id == v2.id                   # identical text: nothing written
    listed = store.versions("alice", v1.scenario_id)
    assert [v.number for v in listed] == [2, 1]
    assert [v.note for v in listed] == ["pay award", ""]
    assert store.open_version("alice", v1.id).text == CANONICAL   # version 1 untouched
    assert physio_salary(store.latest("alice", v1.scenario_id).text) == 42000


def test_second_writer_gets_a_conflict_and_nothing_is_lost(store):
    v1 = store.save("alice", "MSK", MSK)
    first = store.save("alice", "MSK", edited(42000), parent_version=v1.id)   # tab 1 saves
    with pytest.raises(VersionConflict) as caught:
        store.save("alice", "MSK", edited(43000), parent_version=v1.id)       # tab 2 opened v1 too
    err = caught.value
    assert err.latest.id == first.id and physio_salary(err.latest.text) == 42000
    assert physio_salary(err.attempted_text) == 43000
    assert "saved again by alice" in str(err) and "version 2" in str(err)
    assert [v.number for v in store.versions("alice", v1.scenario_id)] == [2, 1]
    third = store.save("alice", "MSK", err.attempted_text, parent_version=err.latest.id)
    assert third.number == 3 and physio_salary(third.text) == 43000


def test_a_new_scenario_under_a_taken_name_is_a_conflict(store):
    v1 = store.save("alice", "MSK", MSK)
    with pytest.raises(VersionConflict) as caught:
        store.save("alice", "MSK", edited(42000))
    assert caught.value.latest.id == v1.id
    assert len(store.list_scenarios("alice")) == 1


@pytest.fixture
def patient_store(store_url):
    """A store whose writers wait up to a minute for each other: twenty writers on a loaded two-core machine can
    queue for longer than the default 10 s, and these tests are about losing nothing, not about waiting."""
    opened = Store.open(store_url, busy_seconds=60)
    yield opened
    opened.close()


def test_twenty_parallel_new_scenarios_are_all_saved(patient_store):
    store = patient_store
    names = [f"Bid {i}" for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        saved = list(pool.map(lambda n: store.save("alice", n, MSK), names))
    assert sorted(s.name for s in store.list_scenarios("alice")) == sorted(names)
    assert len({v.id for v in saved}) == 20


def test_ten_parallel_saves_on_one_scenario_all_kept(patient_store):
    """Each writer retries on a conflict on top of the newest version: every edit ends up as a version (ten
    writers: each retry re-validates the whole scenario, so the work grows as the square of the writers)."""
    store = patient_store
    v1 = store.save("alice", "MSK", MSK)

    def save_until_kept(salary: int):
        parent, text = v1.id, edited(salary)
        while True:
            try:
                return store.save("alice", "MSK", text, parent_version=parent)
            except VersionConflict as err:
                parent = err.latest.id

    salaries = [41000 + i for i in range(10)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(save_until_kept, salaries))
    versions = store.versions("alice", v1.scenario_id)
    assert [v.number for v in versions] == list(range(11, 0, -1))   # 1 + 10 saves, no gaps, no duplicates
    texts = [store.open_version("alice", v.id).text for v in versions[:-1]]
    assert sorted(physio_salary(t) for t in texts) == salaries


def test_invalid_yaml_is_refused_with_the_field_named_and_nothing_saved(store):
    with pytest.raises(InvalidDocument) as caught:
        store.save("alice", "Broken", re.sub(r"(?m)^months: \d+", "months: -3", MSK, count=1))
    assert [line.split(":")[1].strip() for line in caught.value.problems] == ["months"]
    assert store.list_scenarios("alice") == []


def test_a_failed_save_writes_nothing(store, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(documents_module, "add_version", fail)   # after the document row is written
    with pytest.raises(RuntimeError):
        store.save("alice", "MSK", MSK)
    monkeypatch.undo()
    assert store.list_scenarios("alice", include_deleted=True) == []
    assert store.save("alice", "MSK", MSK).number == 1    # the name was not left taken


def test_delete_and_undelete(store):
    v1 = store.save("alice", "MSK", MSK)
    binned = store.delete("alice", v1.scenario_id)
    assert binned.deleted_at is not None
    assert store.list_scenarios("alice") == []
    assert [s.id for s in store.list_scenarios("alice", include_deleted=True)] == [v1.scenario_id]
    with pytest.raises(WorkspaceError, match="in the bin"):
        store.save("alice", "MSK", edited(42000), parent_version=v1.id)
    with pytest.raises(WorkspaceError, match="deleted scenario is called 'MSK'"):
        store.save("alice", "MSK", MSK)
    assert store.undelete("alice", v1.scenario_id).deleted_at is None
    assert [s.name for s in store.list_scenarios("alice")] == ["MSK"]


def test_the_bin_is_emptied_after_the_undo_window(store):
    v1 = store.save("alice", "MSK", MSK)
    keep = store.save("alice", "Keep", MSK)
    store.delete("alice", v1.scenario_id)
    assert store.purge_expired(now() + timedelta(days=UNDO_DAYS - 1)) == 0
    assert store.purge_expired(now() + timedelta(days=UNDO_DAYS + 1)) == 1
    with pytest.raises(NotFound):
        store.undelete("alice", v1.scenario_id)
    assert [s.id for s in store.list_scenarios("alice", include_deleted=True)] == [keep.scenario_id]


def test_rename_tag_duplicate(store):
    v1 = store.save("alice", "MSK", MSK)
    other = store.save("alice", "Other", MSK)
    assert store.rename("alice", v1.scenario_id, "MSK prime").name == "MSK prime"
    with pytest.raises(WorkspaceError, match="already called 'Other'"):
        store.rename("alice", v1.scenario_id, "Other")
    assert store.tag("alice", v1.scenario_id, ["b", "a", "a"]).tags == ("a", "b")
    copy = store.duplicate("alice", v1.scenario_id, "MSK copy")
    assert copy.scenario_id not in (v1.scenario_id, other.scenario_id)
    assert copy.text == v1.text and copy.note == "Copy of MSK prime version 1"


def test_names_and_users_are_checked_in_plain_words(store):
    with pytest.raises(WorkspaceError, match="needs a name"):
        store.save("alice", "  ", MSK)
    with pytest.raises(WorkspaceError, match="No name was given for the user"):
        store.save("", "MSK", MSK)
    with pytest.raises(WorkspaceError, match="control character"):
        store.save("alice", "MSK\x07", MSK)


def test_alembic_head_matches_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from modeller.workspace.models import Base

    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert MigrationContext.configure(conn).get_current_revision() == "0001"


def test_opening_twice_migrates_once(store_url):
    first = Store.open(store_url)
    first.save("alice", "MSK", MSK)
    second = Store.open(store_url)     # upgrade head on an up-to-date database changes nothing
    assert [s.name for s in second.list_scenarios("alice")] == ["MSK"]
    first.close()
    second.close()
