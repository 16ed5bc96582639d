"""The access rule, on SQLite and PostgreSQL: a user reaches only their own workspaces and those shared with
them, through every public function of the store."""

from __future__ import annotations

import io
import zipfile

import pytest

from modeller.workspace import NotFound, Store
from tests import storage_support

store, store_url = storage_support.store, storage_support.store_url   # the fixtures: SQLite and PostgreSQL

MSK, edited = storage_support.MSK, storage_support.edited
REVIEW = "title: MSK procurement round 1\ncriteria: [value, quality]\n"


@pytest.fixture
def alices(store):
    """Alice's scenario (two versions) and review, unshared."""
    v1 = store.save("alice", "Alice's MSK", MSK)
    v2 = store.save("alice", "x", edited(42000), parent_version=v1.id)
    review = store.save_review("alice", "Alice's review", REVIEW)
    store.add_bid("alice", review.scenario_id, v2.id, "Bid A")
    return store, v1, v2, review


def every_call(store: Store, v1, v2, review) -> dict:
    """Every store function that takes an id of Alice's, as Bob would call it."""
    sid, rid = v1.scenario_id, review.scenario_id
    ws = store.get("alice", sid).workspace_id
    return {
        "get": lambda: store.get("bob", sid),
        "versions": lambda: store.versions("bob", sid),
        "open_version": lambda: store.open_version("bob", v1.id),
        "latest": lambda: store.latest("bob", sid),
        "save on top": lambda: store.save("bob", "x", MSK, parent_version=v2.id),
        "save into workspace": lambda: store.save("bob", "Mine", MSK, workspace=ws),
        "duplicate": lambda: store.duplicate("bob", sid, "Stolen"),
        "rename": lambda: store.rename("bob", sid, "Renamed"),
        "tag": lambda: store.tag("bob", sid, ["x"]),
        "delete": lambda: store.delete("bob", sid),
        "undelete": lambda: store.undelete("bob", sid),
        "count_versions": lambda: store.count_versions("bob", sid),
        "diff": lambda: store.diff("bob", v1.id, v2.id, kpis=False),
        "list one workspace": lambda: store.list_scenarios("bob", workspace=ws),
        "export one workspace": lambda: store.export_zip("bob", workspace=ws),
        "import into workspace": lambda: store.import_zip("bob", store.export_zip("bob"), workspace=ws),
        "share": lambda: store.share("bob", ws, "carol"),
        "unshare": lambda: store.unshare("bob", ws, "alice"),
        "save_review on top": lambda: store.save_review("bob", "x", REVIEW + "round: 2\n", parent_version=review.id),
        "add_bid": lambda: store.add_bid("bob", rid, v1.id, "Bid B"),
        "bids": lambda: store.bids("bob", rid),
        "add_note": lambda: store.add_note("bob", rid, "looks fine"),
        "notes": lambda: store.notes("bob", rid),
        "decide": lambda: store.decide("bob", rid, "Award"),
        "decisions": lambda: store.decisions("bob", rid),
    }


def test_bob_cannot_reach_alices_unshared_work_through_any_function(alices):
    store, v1, v2, review = alices
    for name, call in every_call(store, v1, v2, review).items():
        with pytest.raises(NotFound):
            call()
            pytest.fail(f"{name} let Bob reach Alice's work")
    assert store.list_scenarios("bob") == [] and store.list_scenarios("bob", kind="review") == []
    assert [w.owner for w in store.workspaces("bob")] == ["bob"]
    names = zipfile.ZipFile(io.BytesIO(store.export_zip("bob"))).namelist()
    assert names == ["manifest.json"]
    # nothing Bob tried changed Alice's work
    info = store.get("alice", v1.scenario_id)
    assert (info.name, info.tags, info.latest_number, info.deleted_at) == ("Alice's MSK", (), 2, None)


def test_a_missing_id_and_someone_elses_id_read_the_same(alices):
    store, v1, *_ = alices
    with pytest.raises(NotFound) as theirs:
        store.get("bob", v1.scenario_id)
    with pytest.raises(NotFound) as missing:
        store.get("bob", 999_999)
    assert str(theirs.value).replace(str(v1.scenario_id), "N") == str(missing.value).replace("999999", "N")


def test_sharing_lets_bob_read_and_save_until_unshared(alices):
    store, v1, v2, review = alices
    ws = store.get("alice", v1.scenario_id).workspace_id
    assert store.share("alice", ws, "bob").shared_with == ("bob",)
    assert {s.name for s in store.list_scenarios("bob")} == {"Alice's MSK"}
    v3 = store.save("bob", "x", edited(43000), parent_version=v2.id)
    assert (v3.number, v3.author) == (3, "bob")
    store.add_note("bob", review.scenario_id, "Bid A is good value", bid_version_id=v2.id, criterion="value",
                   score=4)
    assert [(n.author, n.score) for n in store.notes("alice", review.scenario_id)] == [("bob", 4.0)]
    with pytest.raises(NotFound):       # only the owner decides who sees a workspace
        store.share("bob", ws, "carol")
    assert {w.owner for w in store.workspaces("bob")} == {"alice", "bob"}
    store.unshare("alice", ws, "bob")
    with pytest.raises(NotFound):
        store.open_version("bob", v3.id)
    assert store.list_scenarios("bob") == []


def test_carol_sees_nothing_shared_with_bob(alices):
    store, v1, *_ = alices
    store.share("alice", store.get("alice", v1.scenario_id).workspace_id, "bob")
    with pytest.raises(NotFound):
        store.get("carol", v1.scenario_id)
    assert store.list_scenarios("carol") == []
