"""Workspace page (AppTest): save, list, open a version, what changed, delete and undo, a version conflict offering
both, a database that cannot be opened, sign-in, backup zip, and Compare picking saved versions."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from modeller.cli_workspace import os_user
from modeller.scenario_io import dump_scenario
from modeller.workspace import StorageUnavailable, Store, default_url

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "ui/pages/workspace.py"
MSK = "MSK prime provider scale-up (illustrative)"


@pytest.fixture
def data_dir(monkeypatch):
    """A fresh default database for each test (the app opens sqlite:///<dir>/workspace.sqlite3), in a folder of
    our own: pytest runs started meanwhile on this machine prune old tmp_path folders."""
    with tempfile.TemporaryDirectory(prefix="workspace_app_") as folder:
        monkeypatch.delenv("MODELLER_DATABASE_URL", raising=False)
        monkeypatch.setenv("MODELLER_DATA_DIR", folder)
        st.cache_data.clear()
        yield Path(folder)


@pytest.fixture
def at(data_dir):
    return _workspace(AppTest.from_file(APP, default_timeout=60).run())


def _workspace(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _texts(at) -> str:
    """Everything the page says in Markdown, text, captions and alerts, escapes removed."""
    parts = [e.value for kind in ("markdown", "text", "caption", "success", "info", "warning", "error")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def _frame(at, first_column: str):
    """The table whose first column is `first_column` (AppTest does not find dataframes by key)."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def _save(at, note: str = "") -> AppTest:
    at.text_input(key="ws_note").set_value(note)
    return at.button(key="ws_save").click().run()


def _edit_minimum_cash(at, value: float) -> AppTest:
    at.switch_page("ui/pages/scenario.py").run()
    at.segmented_control(key="section").set_value("Funding").run()
    at.number_input(key=f"ed{at.session_state['version']}_minimum_cash").set_value(value).run()
    return _workspace(at)


def _two_versions(at) -> AppTest:
    _save(at, "as the example")
    _edit_minimum_cash(at, 400000.0)
    return _save(at, "more cash kept back")


def test_save_lists_the_scenario_and_the_next_save_is_version_2(at):
    _save(at, "as the example")
    assert f"Saved “{MSK}” as version 1." in _texts(at)
    table = _frame(at, "Name")
    assert list(table["Name"]) == [MSK] and list(table["Latest version"]) == [1]
    assert list(table["Saved by"]) == [os_user()]
    assert at.session_state["source"] == f"Saved: {MSK}, version 1"   # the sidebar says where it came from
    # saving again unchanged writes nothing
    _save(at)
    assert "No changes since version 1" in _texts(at)
    _edit_minimum_cash(at, 400000.0)
    _save(at, "more cash kept back")
    versions = _frame(at, "Version")
    assert list(versions["Version"]) == [2, 1]
    assert list(versions["Note"]) == ["more cash kept back", "as the example"]


def test_what_changed_names_the_assumption_in_words_and_the_kpis_beside(at):
    _two_versions(at)
    said = _texts(at)
    # the edit: minimum cash £250,000 (the example) -> £400,000
    assert "Minimum cash (£): £250,000 → £400,000" in said
    # the facility keeps cash at the minimum, so the lowest cash moves with it: £400,000 − £250,000 = +£150,000
    assert "Lowest cash: £250,000 → £400,000 (+£150,000)" in said


def test_opening_version_1_makes_it_the_scenario_being_edited(at):
    _two_versions(at)
    at.selectbox(key="ws_open_pick_1").set_value(1).run()  # version id 1 (the list is newest first)
    at.button(key="ws_open").click().run()
    assert not at.exception
    assert f"Opened version 1 of “{MSK}”" in _texts(at)
    assert at.session_state["source"] == f"Saved: {MSK}, version 1"
    at.switch_page("ui/pages/overview.py").run()
    assert not at.exception
    assert "minimum_cash: 250000" in at.session_state["good_yaml"]


def test_renaming_the_scenario_being_edited_renames_where_it_came_from(at):
    _save(at)
    at.text_input(key="ws_rename_1").set_value("MSK plan B").run()
    at.button(key="ws_rename").click().run()
    assert "Renamed to “MSK plan B”." in _texts(at)
    assert at.session_state["source"] == "Saved: MSK plan B, version 1"
    _edit_minimum_cash(at, 400000.0)
    _save(at)
    assert "Saved “MSK plan B” as version 2." in _texts(at)   # still on top of the renamed scenario


def test_delete_moves_to_the_bin_and_undo_brings_it_back(at):
    _save(at)
    at.button(key="ws_delete").click().run()
    assert f"Moved “{MSK}” to the bin" in _texts(at)
    assert "Nothing saved yet" in _texts(at)
    at.button(key="ws_undo_button").click().run()
    assert f"Restored “{MSK}”." in _texts(at)
    assert list(_frame(at, "Name")["Name"]) == [MSK]


def test_someone_saving_first_gives_a_conflict_that_offers_both_and_loses_nothing(at, data_dir):
    _save(at, "mine, first")
    other = Store.open(default_url())   # another session of the same person saves version 2 first
    theirs = other.latest(os_user(), 1).scenario()
    funding = theirs.funding.model_copy(update={"minimum_cash": 300000.0})
    other.save(os_user(), MSK, dump_scenario(theirs.model_copy(update={"funding": funding})), note="theirs",
               parent_version=1)
    _edit_minimum_cash(at, 400000.0)
    _save(at, "mine, second")
    said = _texts(at)
    assert "Someone saved a newer version." in said
    assert "Minimum cash (£): £300,000 → £400,000" in said   # theirs -> mine
    at.button(key="ws_keep_mine").click().run()
    assert "Saved yours as version 3" in _texts(at)
    versions = other.versions(os_user(), 1)
    assert [v.note for v in versions] == ["mine, second", "theirs", "mine, first"]
    other.close()


def test_open_theirs_after_a_conflict(at, data_dir):
    _save(at)
    other = Store.open(default_url())
    theirs = other.latest(os_user(), 1).scenario()
    other.save(os_user(), MSK, dump_scenario(theirs.model_copy(update={"months": 48})), parent_version=1)
    _edit_minimum_cash(at, 400000.0)
    _save(at)
    at.button(key="ws_open_theirs").click().run()
    assert f"Opened version 2 of “{MSK}”" in _texts(at)
    assert "months: 48" in at.session_state["good_yaml"]
    other.close()


def test_an_unusable_database_says_so_and_every_other_page_keeps_working(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/no such folder/workspace.sqlite3"  # an explicit URL's folder is not created
    monkeypatch.setenv("MODELLER_DATABASE_URL", url)
    with pytest.raises(StorageUnavailable) as err:
        Store.open(url)
    at = _workspace(AppTest.from_file(APP, default_timeout=60).run())
    assert [e.value.replace("\\", "") for e in at.error] == [str(err.value)]
    assert "Your scenario is still here" in _texts(at)
    for page in ("ui/pages/overview.py", "ui/pages/compare.py", "ui/pages/scenario.py"):
        at.switch_page(page).run()
        assert not at.exception, page


def test_with_login_configured_a_signed_out_person_gets_a_sign_in_button(data_dir):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
    at.user = {"is_logged_in": False}
    at = _workspace(at.run())
    assert at.button(key="ws_login").label == "Sign in"
    assert "Sign in to see your saved scenarios" in _texts(at)
    assert not [b for b in at.button if b.key == "ws_save"]   # nothing to save into until signed in
    at.user = {"is_logged_in": True, "email": "lead@icb.nhs.uk"}
    at.run()
    assert "you are lead@icb.nhs.uk" in _texts(at)
    _save(at)
    assert list(_frame(at, "Name")["Saved by"]) == ["lead@icb.nhs.uk"]


def test_backup_zip_imports_back_as_a_copy(at):
    _save(at)
    at.button(key="ws_export").click().run()
    data = at.session_state["ws_zip"]
    assert data[:2] == b"PK"
    at.file_uploader(key="ws_import_file").set_value(("backup.zip", data, "application/zip")).run()
    at.button(key="ws_import").click().run()
    assert f"Imported 1 saved item: “{MSK} (imported)”." in _texts(at)


def test_a_bad_zip_is_refused_in_a_sentence(at):
    at.file_uploader(key="ws_import_file").set_value(("notes.zip", b"not a zip", "application/zip")).run()
    at.button(key="ws_import").click().run()
    assert at.error and "zip" in at.error[0].value.lower()
    assert not at.exception


def test_compare_picks_saved_versions(at):
    _two_versions(at)   # version 2 (minimum cash £400,000) is the scenario being edited
    at.switch_page("ui/pages/compare.py").run()
    pick = at.multiselect(key="compare_pick")
    assert f"Saved: {MSK}, version 1" in pick.options
    assert f"Saved: {MSK}, version 2 (same as current)" in pick.options
    pick.set_value(["current", "workspace:1"]).run()   # version ids: 1 is the unedited example
    assert not at.exception
    table = at.dataframe[0].value.set_index("Figure")
    # A keeps £400,000 back, B (version 1) £250,000: B − A = −£150,000, shown to three figures
    assert list(table.loc["Lowest cash"]) == ["£400,000", "£250,000", "−£150k"]


def test_review_takes_a_bid_from_a_saved_version(data_dir):
    # the NHS trust's bid, saved as a negotiation round under another name: the Review page runs that version
    bid = (ROOT / "reviews" / "bids" / "wound_nhs_trust.yaml").read_text(encoding="utf-8")
    round_two = bid.replace("\nname: \"", "\nname: \"Round two: ", 1)
    assert round_two != bid
    version = Store.open(default_url()).save(os_user(), "Trust bid, round two", round_two)
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.switch_page("ui/pages/review.py").run()
    at.selectbox(key="review_example").set_value("wound_care_stress").run()
    choice = at.selectbox(key="review_saved_nhs_trust")
    assert any("Trust bid, round two" in o for o in choice.options)   # offered by its saved name
    choice.set_value(f"workspace:{version.id}").run()
    at.number_input(key="review_draws").set_value(10).run()
    at.button(key="review_run").click().run()
    assert not at.exception
    bids = {b.id: b for b in at.session_state["review_last"].result.bids}
    assert bids["nhs_trust"].scenario.name.startswith("Round two: ")
    assert not bids["social_enterprise"].scenario.name.startswith("Round two: ")   # the other bid: its own file
