"""The Review page's sections, drawn with Streamlit. Text from the files people give (names, notes, problems)
is shown as text or escaped HTML, never read as Markdown."""

from __future__ import annotations

import html

import streamlit as st

from modeller.review import ReviewError
from modeller.review.efs import guidance
from modeller.review.result import ReviewResult
from ui import fmt, review_charts, review_details, review_runs, review_table, workspace

SOURCES = {"example": "An example review", "upload": "Upload a review file and its bids"}


def plain_list(lines: list[str], tone: str = "error") -> None:
    """A list of sentences from people's files in a coloured box, escaped (no Markdown, no live links)."""
    colours = {"error": ("#fdecea", "#b3261e"), "warning": ("#fff4e5", "#8a5300"), "info": ("#e8f1fb", "#0b4f8a")}
    bg, fg = colours[tone]
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    st.html(f'<div style="background:{bg};color:{fg};border-radius:0.5rem;padding:0.6rem 1rem;">'
            f'<ul style="margin:0;padding-left:1.2rem;">{items}</ul></div>')


def bold_text(text: str) -> None:
    st.html(f"<p style='margin:0.4rem 0 0.1rem 0;font-weight:600;'>{html.escape(text)}</p>")


def choose() -> review_runs.Inputs | None:
    """The review to run: an example, or an uploaded review file with its bid files. None (and why) if none."""
    source = st.radio("Review", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="review_source")
    if source == "example":
        examples = review_runs.examples()
        stem = st.selectbox("Example review", list(examples), format_func=examples.get, key="review_example")
        return review_runs.example_inputs(stem)
    review_file = st.file_uploader("Review file (YAML, up to 1 MB)", type=["yaml", "yml"], key="review_upload",
                                   max_upload_size=1)
    bid_files = st.file_uploader(f"Bid files: each bid's scenario (YAML, up to 1 MB each, at most "
                                 f"{review_runs.MAX_BID_FILES}), named as in the review's `file:` lines",
                                 type=["yaml", "yml"], accept_multiple_files=True, key="review_bid_uploads",
                                 max_upload_size=1)
    if review_file is None:
        st.info("Upload a review file (its bids' scenario files beside it), or choose an example review.")
        return None
    files = {f.name: f.getvalue() for f in (bid_files or [])}
    if len(files) > review_runs.MAX_BID_FILES:
        plain_list([f"{len(files)} bid files uploaded; only the first {review_runs.MAX_BID_FILES} are read: "
                    "review fewer bids at a time"], "warning")
        files = dict(list(files.items())[:review_runs.MAX_BID_FILES])
    try:
        inputs = review_runs.upload_inputs(review_file.name, review_file.getvalue(), files)
    except ReviewError as err:
        st.error("The review file cannot be used. Correct it and upload it again:", icon=":material/block:")
        plain_list(err.lines)
        return None
    if inputs.problems:
        plain_list(list(inputs.problems), "warning")
    return inputs


def saved_bids(inputs: review_runs.Inputs) -> review_runs.Inputs:
    """Bids taken from the workspace: any bid's file replaced by a version saved on the Workspace page (a
    negotiation round, a corrected bid). Nothing to offer when no database or no saved scenario is available."""
    choices = workspace.saved_choices("")
    if not choices:
        return inputs
    review = review_runs.read_review(inputs.review_text, inputs.name)
    picked = {}
    with st.expander("Bids from your saved scenarios (Workspace)", expanded=False):
        st.caption("Use a version saved on the Workspace page in place of a bid's file.")
        for bid in review.bids:
            key = st.selectbox(bid.name, ["", *choices], key=f"review_saved_{bid.id}",
                               format_func=lambda k: "the review's own file" if not k else choices[k])
            if key:
                picked[bid.id] = workspace.version_text(int(key.split(":", 1)[1]))
    return review_runs.with_bid_texts(inputs, picked, "with saved versions")


def summary(inputs: review_runs.Inputs) -> None:
    """What is being bought, by whom, for how long, and the review's settings, from the review file."""
    r = review_runs.read_review(inputs.review_text, inputs.name)
    years = r.term.years()
    bold_text(r.service)
    st.text(f"Commissioner: {r.commissioner}. Term: {r.term.months} months from {fmt.month_label(r.term.start, 0)} "
            f"({years[0]} to {years[-1]}). {len(r.bids)} bid{'s' * (len(r.bids) != 1)}: "
            + ", ".join(b.name for b in r.bids) + ".")
    ob = r.optimism_bias
    uplifts = [f"{what} +{fmt.pct(share)}" for what, share in (("operating costs", ob.opex), ("capital", ob.capex),
                                                                ("mobilisation time", ob.duration)) if share]
    st.caption(f"Present values at {fmt.pct(r.discount_rate)} a year (real), in {years[0]} prices with inflation "
               f"of {fmt.pct(r.inflation)} a year. Optimism bias (Green Book): {ob.category.replace('_', ' ')}, "
               f"{fmt.pct(ob.mitigation, 0)} mitigated, so " + (", ".join(uplifts) or "no uplift") + ".")


def problems(result: ReviewResult) -> None:
    """The review's own problems, then each bid's (one bad bid never stops the others)."""
    if result.problems:
        st.warning("The review file has problems; the figures below leave those parts out:", icon=":material/warning:")
        plain_list([p.line() for p in result.problems], "warning")
    bad = [p.line() for b in result.bids for p in b.problems]
    if bad:
        st.error("Some bids have problems; the other bids are reviewed in full:", icon=":material/block:")
        plain_list([f"{b.name}: {p.field}: {p.message}" for b in result.bids for p in b.problems])


def side_by_side(result: ReviewResult) -> None:
    st.subheader("The bids side by side")
    st.caption(f"{review_table.BEST.strip()} marks the best bid on each line for the commissioner: the lowest cost, "
               "the latest year over budget, the least risk left with the commissioner, the most stress tests "
               "survived, the lowest EFS risk rating, the fewest inputs to check, the highest score. The "
               "provider's own share of each risk is shown, not marked. Risk: £ over the term from each bid's "
               "Monte Carlo, a cost to that side (P90: a 1 in 10 chance of more). Stress tests: survives, or the "
               "month cash first falls below the bid's minimum and the extra funding it would need. EFS: each "
               "ratio's worst rating in the term's NHS years.")
    table = review_table.frame(result)
    st.dataframe(review_table.styled(table), width="stretch", hide_index=True, key="review_table",
                 height=38 + 35 * len(table), column_config={"Measure": st.column_config.TextColumn(width=340)})


def notes(result: ReviewResult) -> None:
    st.subheader("Notes on each bid")
    cols = st.columns(min(len(result.bids), 3))
    for i, bid in enumerate(result.bids):
        with cols[i % len(cols)]:
            bold_text(bid.name)
            st.markdown("**What stands out**")
            for line in review_details.plain_notes(result, bid):
                st.text("• " + line)
            spec = next(b for b in result.review.bids if b.id == bid.id)
            st.markdown("**The reviewer's notes**")
            st.text(spec.notes or "No notes.")
            for s in spec.scores:
                if s.note:
                    st.text(f"{s.criterion}, {s.by} on {s.date}: {s.note}")


def charts(run: review_runs.Run) -> None:
    result, names = run.result, review_table.names(run.result)
    if not any(b.reviewed for b in result.bids):
        return
    st.subheader("Affordability against the budget by NHS year")
    st.caption("Bars: what each bid costs the commissioner in each NHS year (cash of that year: contract "
               "payments, CQUIN earned back and risk-share settlements). Black line: the commissioner's budget. "
               "Hover a bar for its optimism bias and headroom.")
    st.altair_chart(review_charts.affordability(result, names), width="stretch", key="review_afford_chart")
    st.subheader("Cash under each stress test")
    reviewed = {b.id: name for b, name in zip(result.bids, names, strict=True) if b.reviewed}
    pick = st.selectbox("Bid", list(reviewed), format_func=reviewed.get, key="review_stress_bid")
    bid = next(b for b in result.bids if b.id == pick)
    st.caption("The provider's closing cash by month as bid (thick black line) and under each stress test; the "
               f"dashed line is the bid's own minimum cash ({fmt.money(bid.scenario.funding.minimum_cash)}).")
    st.altair_chart(review_charts.stress_cash(run.cash[pick], bid.scenario.start, bid.scenario.funding.minimum_cash),
                    width="stretch", key="review_stress_chart")
    st.dataframe(review_details.stress_table(bid), width="stretch", hide_index=True, key="review_stress_table")


def details(result: ReviewResult) -> None:
    st.subheader("Each bid in full")
    names = review_table.names(result)
    labels = dict(zip([b.id for b in result.bids], names, strict=True))
    pick = st.selectbox("Bid", list(labels), format_func=labels.get, key="review_detail_bid")
    bid = next(b for b in result.bids if b.id == pick)
    if not bid.reviewed:
        plain_list([p.line() for p in bid.problems] or ["This bid could not be reviewed."])
        return
    st.markdown("**Cost to the commissioner by NHS year**")
    st.dataframe(review_details.cost_table(bid), width="stretch", hide_index=True, key="review_cost_table")
    c = bid.cost
    st.caption(f"Optimism bias: operating {fmt.money(c.optimism_bias_present_value)} (present value), capital "
               f"{fmt.money(c.optimism_bias_capex)}" + (f", mobilisation {c.optimism_bias_delay_months:.1f} months "
                                                         "longer" if c.optimism_bias_delay_months else "")
               + f". Contracts paid by the commissioner: {', '.join(c.contracts)}.")
    st.markdown("**Risk allocation**")
    st.dataframe(review_details.risk_table(bid), width="stretch", hide_index=True, key="review_risk_table",
                 column_config={"Who carries it": st.column_config.TextColumn(width="large")})
    st.caption(f"{bid.risk.draws:,} draws, seed {bid.risk.seed}; {bid.risk.uncertain_inputs} uncertain inputs in "
               "the bid" + (" (none: every draw is the bid as planned)" if not bid.risk.uncertain_inputs else "")
               + ".")
    st.markdown("**Financial standing: EFS ratios by NHS year (value and risk rating)**")
    efs = review_details.efs_table(bid, result.review.term.years())
    st.dataframe(review_table.styled(efs), width="stretch", hide_index=True, key="review_efs_table")
    g = guidance()
    st.caption(f"Ratings from {g['publisher']}, {g['title']} ({g['version']}): {g['url']}")
    st.markdown(f"**Assumptions to check ({len(bid.assumptions)})**")
    if bid.assumptions:
        st.dataframe(review_details.assumptions_table(bid), width="stretch", hide_index=True,
                     key="review_assumptions_table")
        st.caption("Nothing is changed: each is the bid's own value, to check with the bidder. [check]: a "
                   "plausible range not yet read in a primary source.")
    else:
        st.text("Every checked input is within its reference range.")


def downloads(run: review_runs.Run) -> None:
    st.subheader("Download")
    c1, c2 = st.columns(2)
    c1.download_button("The review's figures (JSON)", review_runs.json_bytes(run.result), file_name="review.json",
                       mime="application/json", key="review_json", icon=":material/download:")
    if review_runs.workbook_writer() is None:
        c2.caption("The evaluation workbook for the panel is not in this version yet.")
        return
    try:
        data = review_runs.workbook_bytes(run)
    except Exception as err:  # noqa: BLE001 - the page stays up; the fault is named
        c2.error(f"The evaluation workbook could not be written ({type(err).__name__}); please report it with the "
                 "review file attached.")
        return
    c2.download_button("The evaluation workbook (Excel)", data, file_name="review.xlsx", key="review_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:")
