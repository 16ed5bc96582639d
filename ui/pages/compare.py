"""Compare page: two to four scenarios side by side: figures with calendar differences, risk, cash, income, staff."""

import streamlit as st

from ui import compare as cmp
from ui import compute, layout

st.title("Compare scenarios")
layout.stale_warning()
with st.expander("Add uploaded files to the list", expanded=False):
    cmp.uploads()
options = cmp.choices()
picked = st.multiselect("Scenarios (two to four; the first, A, is the baseline)", list(options), key="compare_pick",
                        default=cmp.default_pick(options), format_func=options.get, max_selections=4)
if len(picked) < 2:
    st.info("Choose at least two scenarios. Save versions of the one you are editing on the Scenario page.")
    st.stop()

texts = {options[key]: cmp.yaml_of(key) for key in picked}
results = {name: compute.result_of(text) for name, text in texts.items()}
cmp.legend(results)
st.subheader("Headline figures")
cmp.headline(results)
st.subheader("Risk results")
cmp.risk(results, texts, dict(zip(texts, picked, strict=True)))
cmp.over_time(results)
