"""Review page: a commissioner's review of competing bids: cost, risk allocation, stress tests, standing, scores."""

import streamlit as st

from ui import review_runs, review_view

st.title("Review bids")
st.caption("For a commissioner: what each bid costs you, which risks it leaves with you, whether the provider "
           "still stands after a bad year, and the panel's scores, side by side.")
inputs = review_view.choose()
if inputs is None:
    st.stop()
inputs = review_view.saved_bids(inputs)
review_view.summary(inputs)
review = review_runs.read_review(inputs.review_text, inputs.name)
lowest, highest = review_runs.DRAWS_RANGE
draws = int(st.number_input("Monte Carlo draws for each bid's risk allocation", lowest, highest,
                            min(max(review.draws, lowest), highest), step=500, key="review_draws",
                            help=f"The review file asks for {review.draws:,}; the app runs {lowest:,} to {highest:,}."))
too_much = review_runs.work_problem(len(review.bids), draws)
if too_much:
    review_view.plain_list([too_much])
if st.button("Review the bids", type="primary", key="review_run", disabled=bool(too_much)):
    review_runs.run_with_progress(inputs, draws)
run = review_runs.last_run()
if run is None:
    st.caption("Press **Review the bids** to work out every bid's figures.")
    st.stop()
if run.key != review_runs.key_of(inputs, draws):
    st.warning("These results are for an earlier review or number of draws: press Review the bids to update.",
               icon=":material/pause_circle:")
review_view.problems(run.result)
review_view.side_by_side(run.result)
review_view.notes(run.result)
review_view.charts(run)
review_view.details(run.result)
review_view.downloads(run)
