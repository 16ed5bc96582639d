"""The Compare page's parts: choosing scenarios (the one being edited, saved versions, the workspace's saved
versions, examples, uploaded files), the lettered legend, the headline table, cash charts and risk results."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from modeller.result import Result
from modeller.scenario_io import ScenarioError, dump_scenario
from ui import charts, compute, risk_runs, state
from ui import workspace as ws
from ui.compare_table import LETTERS, Span, comparison_table, lettered, risk_table, span_note

FIGURE_WIDTH, VALUE_WIDTH, DIFFERENCE_WIDTH = 200, 102, 94  # pixels: four scenarios fit a 1366-pixel screen
PANEL_WIDTH = 360                     # pixels: two cash charts side by side
RISK_PAGE = "ui/pages/risk.py"
CHART_VIEWS = ("A chart each, own scale", "A chart each, same scale", "All on one chart")


def choices() -> dict[str, str]:
    """Stable key -> label of every scenario this person can compare, each scenario once.

    Keys: "current", "saved:<label>", "workspace:<version id>", "example:<stem>", "upload:<label>". The example the
    current scenario was opened from, while unedited, is the same scenario: it is listed once,
    as the current one, and says so. Saved versions and uploads identical to the current one say so.
    """
    ss = st.session_state
    current, name = state.current_yaml(), state.current_scenario().name
    examples = compute.examples()
    same = state.loaded_example()
    same = same if same in examples and compute.example_yaml(same) == current else None
    out = {"current": f"Current: {name}" + (" (same as the example)" if same else "")}
    for label, text in [*state.saved_versions().items(), *ss.get("compare_uploads", {}).items()]:
        kind = "upload" if label.startswith("Upload:") else "saved"
        out[f"{kind}:{label}"] = label + (" (same as current)" if text == current else "")
    out.update(ws.saved_choices(current))
    out.update({f"example:{stem}": f"Example: {ex_name}" for stem, (ex_name, _) in examples.items() if stem != same})
    return out


def yaml_of(key: str) -> str:
    """The canonical YAML a choice stands for (examples are loaded only when picked)."""
    kind, _, rest = key.partition(":")
    if kind == "current":
        return state.current_yaml()
    if kind == "example":
        return compute.example_yaml(rest)
    if kind == "upload":
        return st.session_state.compare_uploads[rest]
    if kind == "workspace":
        return ws.version_text(int(rest))
    return state.saved_versions()[rest]


def uploads() -> None:
    """Files uploaded only for comparing; bad ones are listed with their problems."""
    files = st.file_uploader("Add scenario files to compare", type=["yaml", "yml"], accept_multiple_files=True,
                             key="compare_upload", max_upload_size=1)
    ss = st.session_state
    ss.setdefault("compare_uploads", {})
    problems = []
    for f in files or []:
        label = f"Upload: {f.name}"
        if label in ss.compare_uploads:
            continue
        try:
            ss.compare_uploads[label] = dump_scenario(state.read_upload(f.getvalue(), f.name))
        except ScenarioError as err:
            problems += err.lines
    if problems:
        st.error("**Not added:**\n\n" + "\n".join(f"- {p}" for p in problems), icon="🚫")


def default_pick(options: dict[str, str]) -> list[str]:
    """The scenario being edited and the first example that is not the same scenario."""
    name = state.current_scenario().name
    others = [k for k, label in options.items() if k.startswith("example:") and label != f"Example: {name}"]
    return ["current"] + others[:1]


def legend(results: dict[str, Result]) -> None:
    """One card per letter: its full name (as text: names are user input) and the months it covers."""
    cols = st.columns(len(results))
    for col, (letter, (name, result)) in zip(cols, zip(LETTERS, results.items(), strict=False), strict=True):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"**{letter}**" + (" · baseline" if letter == "A" else ""))
            st.text(name)
            st.caption(Span.of(result).text())


def headline(results: dict[str, Result]) -> None:
    """The headline table in lettered columns, and a note when the plans cover different periods."""
    table = comparison_table(results)
    columns = {"Figure": st.column_config.TextColumn("Figure", pinned=True, width=FIGURE_WIDTH)}
    for col in table.columns[1:]:  # tooltips name letters only: scenario names are user text, tooltips Markdown
        if col.startswith("Δ"):
            help_text = f"{col.split()[1]}'s figure minus A's; money to three figures"
            columns[col] = st.column_config.TextColumn(col, help=help_text, width=DIFFERENCE_WIDTH)
        else:
            columns[col] = st.column_config.TextColumn(col, width=VALUE_WIDTH)
    st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table), key="compare_table",
                 column_config=columns)
    st.caption("Δ columns: each scenario's figure minus A's (money to three figures). Dates are calendar months, "
               "and so are their differences.")
    note = span_note(results)
    if note:
        st.info(note, icon=":material/calendar_month:")


LINES = {"closing_cash": ("Closing cash", "money"), "income": ("Income", "money"),
         "wte_total": ("Staff (WTE incl. agency)", "WTE")}


def panels(results: dict[str, Result], line: str, same_scale: bool = False) -> alt.Chart:
    """One small chart per scenario of an engine line, on the plan's own dates (cash: minimum cash dashed).

    Each panel has its own y scale unless `same_scale`, so a £10m plan does not flatten a £50k one.
    """
    title, unit = LINES[line]
    frames = []
    for letter, r in zip(LETTERS, results.values(), strict=False):
        one = charts.long_frame(pd.DataFrame({title: r.lines[line][0]}, index=r.timeline.dates), r.scenario.start,
                                unit)
        one["panel"] = f"{letter}: {r.scenario.name}"
        one["minimum"] = r.scenario.funding.minimum_cash
        frames.append(one)
    data = pd.concat(frames, ignore_index=True)
    x = alt.X("date:T", axis=alt.Axis(format="%b %Y", title=None, labelAngle=0, tickCount=5))
    y_axis = charts.money_axis() if unit == "money" else alt.Axis(title=None)
    layers = [alt.Chart().mark_line(interpolate="step-after", color=charts.PALETTE[0]).encode(
        x=x, y=alt.Y("value:Q", axis=y_axis, title=None),
        tooltip=[alt.Tooltip("Month:N"), alt.Tooltip("Amount:N", title=title)])]
    if line == "closing_cash":
        layers.append(alt.Chart().mark_line(strokeDash=[6, 4], color="#000000", strokeWidth=1).encode(
            x=x, y="minimum:Q"))
    return alt.layer(*layers, data=data).properties(width=PANEL_WIDTH, height=170 if line == "closing_cash" else 140
                                                    ).facet(
        facet=alt.Facet("panel:N", sort=list(dict.fromkeys(data["panel"])), title=None,
                        header=alt.Header(labelLimit=PANEL_WIDTH, labelFontSize=12, labelAnchor="start")),
        columns=2,
    ).resolve_scale(x="independent", y="shared" if same_scale else "independent")


def by_letter(results: dict[str, Result]) -> dict[str, Result]:
    """Results keyed "A: scenario name", for chart legends (the legend cards above give where each came from)."""
    return {f"{letter}: {r.scenario.name}": r for letter, r in zip(LETTERS, results.values(), strict=False)}


def over_time(results: dict[str, Result]) -> None:
    """Closing cash, income and staff: a chart per scenario (own or same scale) or all on one chart."""
    view = st.segmented_control("Charts of cash, income and staff", CHART_VIEWS, key="compare_chart_view", default=CHART_VIEWS[0]
                                ) or CHART_VIEWS[0]
    if view == CHART_VIEWS[2]:
        named = by_letter(results)
        st.subheader("Closing cash")
        st.altair_chart(charts.overlay(named, "closing_cash"), width="stretch", key="compare_cash")
        left, right = st.columns(2)
        with left:
            st.subheader("Income")
            st.altair_chart(charts.overlay(named, "income", columns=1), width="stretch", key="compare_income")
        with right:
            st.subheader(LINES["wte_total"][0])
            st.altair_chart(charts.overlay(named, "wte_total", unit="WTE", columns=1), width="stretch",
                            key="compare_wte")
        if len({r.scenario.start for r in results.values()}) > 1:
            st.caption("The plans start in different months, so these charts count months from each plan's start.")
        return
    same = view == CHART_VIEWS[1]
    for line, key in (("closing_cash", "compare_cash"), ("income", "compare_income"), ("wte_total", "compare_wte")):
        st.subheader(LINES[line][0])
        st.altair_chart(panels(results, line, same_scale=same), key=key)
    st.caption("Each plan on its own dates; dashed: its minimum cash."
               + ("" if same else " Each chart has its own scale: read the axis before comparing."))


def where_to_run(key: str, text: str) -> str:
    """How to get a risk run for one compared scenario (the Risk page runs only the scenario being edited)."""
    kind = key.partition(":")[0]
    if kind == "current" or text == state.current_yaml():
        return "it is the scenario being edited: run it on the Risk page"
    if kind == "example":
        return "open the example on the Scenario page, then run it on the Risk page"
    if kind == "upload":
        return "upload its file on the Scenario page, then run it on the Risk page"
    if kind == "workspace":
        return "open it on the Workspace page, then run it on the Risk page"
    return "a saved version can be run only while it is being edited: run each version before saving the next"


def risk(results: dict[str, Result], texts: dict[str, str], keys: dict[str, str]) -> None:
    """Each scenario's risk run (P10/P50/P90) beside its base case, or how to get one.

    `texts` and `keys` map each compared scenario's label to its YAML text and its choice key."""
    runs = {name: getattr(risk_runs.run_for(texts[name]), "mc", None) for name in results}
    if any(mc is not None for mc in runs.values()):
        table = risk_table(results, runs)
        st.dataframe(table, hide_index=True, width="stretch", height=38 + 35 * len(table), key="compare_risk",
                     column_config={"Figure": st.column_config.TextColumn("Figure", pinned=True, width=FIGURE_WIDTH),
                                    **{k: st.column_config.TextColumn(k, width=VALUE_WIDTH)
                                       for k in lettered(list(results))}})
        st.caption("P10: one draw in ten is lower; P50: the middle draw; P90: nine in ten are lower. For NPV the "
                   "low figure is the bad case; for peak funding, the high one.")
    missing = [f"- {letter}: {where_to_run(keys[name], texts[name])}."
               for letter, name in zip(LETTERS, results, strict=False) if runs[name] is None]
    if missing:
        st.info("**No risk run yet for:**\n" + "\n".join(missing) + "\n\nThe app keeps your latest risk run only.",
                icon=":material/casino:")
        if (compute.ROOT / RISK_PAGE).exists():
            st.page_link(RISK_PAGE, label="Go to the Risk page", icon=":material/casino:")
