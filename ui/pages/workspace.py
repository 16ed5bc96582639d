"""Workspace page: save the scenario being edited as a version, open saved versions, see what changed, back up."""

import streamlit as st

from modeller.workspace import StorageUnavailable
from ui import layout
from ui import workspace as ws
from ui import workspace_view as view
from ui.draft import escape

layout.header("Workspace", "saved scenarios and their versions")
who = view.identity()
if who is None:
    st.stop()
try:
    store = ws.store()
except StorageUnavailable as err:
    st.error(escape(str(err)), icon="🚫")
    st.info("Your scenario is still here, in this browser tab: every other page works on it, and the Export page "
            "downloads it as a YAML file. Saving comes back when the database does.", icon=":material/info:")
    st.stop()
st.caption(f"Saved in {store.where} · you are {who}")
view.flash()
view.conflict()
view.save_form(store)
view.undo_note(store, who)
view.saved(store, who)
view.bin_part(store, who)
view.backup(store, who)
