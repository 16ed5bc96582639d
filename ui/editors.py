"""Widgets that edit the draft: labelled inputs for scalars, st.data_editor tables for lists.

Keys come from `state.editor_key`, which changes whenever a new scenario is loaded, so
widgets always start from the scenario they edit. A table editor's edit state is relative
to the rows it was first drawn with (`bases`); when Streamlit has dropped that state
(the person visited another page or section), the editor is redrawn from the draft.
"""

from __future__ import annotations

import re

import streamlit as st

from modeller.date_links import linked_dates
from modeller.dates_shift import is_month, months_between
from ui import state
from ui.columns import (
    SCALAR_BY_KEY,
    SECTION_SCALARS,
    TABLES,
    VIEWS,
    Col,
    Table,
    section_of,
    view_positions,
    view_table,
)
from ui.draft import (
    MONTH_PATTERN,
    apply_edits,
    dated_before_start,
    escape,
    frame,
    month_label,
    shift_draft,
    to_display,
    to_native,
)
from ui.links import path_label, path_options, ref_options, ref_paths
from ui.problem_text import readable
from ui.renames import apply_renames, renamed_ids

TABLE_HELP = {
    "contract_changes": "Each row changes a contract's value from a month on: the scale-up.",
    "plan_steps": "Each row sets a role's target WTE from a month on. Staff are recruited ahead of each step.",
    "roles": "Fill in the three driver columns instead of a staffing plan to size a role from demand.",
    "risk_ranges": "Each row makes one input uncertain, in the units its own box shows (rates as percentages: "
                   "4 is 4%, as everywhere in the editor). Fill in the columns its distribution uses; the Risk page "
                   "samples them.",
}


_PENCE_UNITS = ("£ per unit", "£ per head a year")   # prices small enough to need pence


def _column(c: Col, choices: list[str] | None = None, labels: dict[str, str] | None = None):
    cc = st.column_config
    if choices is not None:
        # a link to another table: only the ids (or input paths) that exist can be picked
        return cc.SelectboxColumn(c.label, options=choices, help=c.help or None, required=c.key in _REQUIRED_LINKS,
                                  width="large" if labels else "medium",
                                  format_func=(lambda v: labels.get(v, v)) if labels else None)
    if c.kind == "id":
        return cc.TextColumn(c.label, help=c.help, required=True, validate=r"^[a-z][a-z0-9_]*$", width="small")
    if c.kind == "select":
        return cc.SelectboxColumn(c.label, options=list(c.options), required=True, help=c.help, width="small")
    if c.kind == "bool":
        return cc.CheckboxColumn(c.label, help=c.help or None, width="small")
    if c.kind == "money":
        pence = c.unit in _PENCE_UNITS  # 60p a head must not show as £0
        return cc.NumberColumn(c.label, help=c.help, format="£%,.2f" if pence else "£%,.0f", min_value=0,
                               step=0.01 if pence else 1)
    if c.kind == "pct":
        return cc.NumberColumn(c.label, help=c.help or "per cent: type 3.5 for 3.5%", format="%.2f%%", step=0.01)
    if c.kind == "int":
        return cc.NumberColumn(c.label, help=c.help, format="%d", step=1, width="small")
    if c.kind == "wte":
        return cc.NumberColumn(c.label, help=c.help or "whole-time equivalents", format="%.1f", min_value=0,
                               step=0.1, width="small")
    if c.kind == "num":
        return cc.NumberColumn(c.label, help=c.help, format="%,.2f", min_value=0)
    if c.kind == "real":
        return cc.NumberColumn(c.label, help=c.help, format="%g")
    if c.kind == "month":
        return cc.TextColumn(c.label, help=(c.help + "; " if c.help else "") + "a month: Apr 2026 or 2026-04; or a "
                             "link that moves with a contract: msk_prime -2 (2 months before its start), "
                             "msk_prime.changes[0] (with its first change)", validate=MONTH_PATTERN, width="small")
    width = "large" if c.key in ("seasonality", "path") else "medium"
    return cc.TextColumn(c.label, help=c.help, width=width)


_REQUIRED_LINKS = ("contract", "role", "path", "a", "b")
_PATH_COLUMNS = {"risk_ranges": ("path",), "correlations": ("a", "b")}


def _links(table: Table, base: list[dict], tables: dict[str, list[dict]]) -> dict:
    """Column configs of the table's links: dropdowns of the ids or input paths that exist now."""
    out = {}
    for c in table.cols:
        current = [r.get(c.key) for r in base]
        if c.refers_to:
            out[c.key] = _column(c, ref_options(c, tables, current))
        elif c.key in _PATH_COLUMNS.get(table.name, ()):
            if table.name == "risk_ranges":
                options = path_options(state.current_scenario(), current)
            else:
                options = ref_paths(tables.get("risk_ranges", []), current)
            out[c.key] = _column(c, options, {p: path_label(p, tables) for p in options})
    return out


def table_editor(table: Table, rows_now: list[dict], tables: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    """Draw one table editor; return its rows with the person's edits applied, and any ids renamed.

    `tables` holds every table as edited so far in this run: links offer the ids in them."""
    ss = st.session_state
    key = state.editor_key(table.name)
    if key not in ss or table.name not in ss.bases:
        ss.bases[table.name] = rows_now  # a fresh editor starts from the draft as it is now
    base = ss.bases[table.name]
    st.markdown(f"**{table.title}**")
    if table.name in TABLE_HELP:
        st.caption(TABLE_HELP[table.name])
    config = {c.key: _column(c) for c in table.cols} | _links(table, base, tables)
    for path in _PATH_COLUMNS.get(table.name, ()):
        config[path]["width"] = 360  # an input in words; two of them and a number fit 1366 pixels
    st.data_editor(frame(base, table), key=key, num_rows="dynamic", hide_index=True, width="stretch", placeholder="",
                   column_config=config)
    return apply_edits(base, ss.get(key), table), renamed_ids(base, ss.get(key), table)


def views_editor(table: Table, rows_now: list[dict], tables: dict[str, list[dict]]) -> tuple[list[dict], dict, bool]:
    """Draw a wide table as several narrow editors (`VIEWS`); return its rows with every view's edits
    applied, any ids renamed, and whether a row moved between views (the editors must be redrawn)."""
    ss = st.session_state
    views = VIEWS[table.name]
    if any(state.editor_key(v.name) not in ss for v in views) or table.name not in ss.bases:
        ss.bases[table.name] = rows_now
    base = ss.bases[table.name]
    combined: dict = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    for view, positions in zip(views, view_positions(views, base), strict=True):
        edits = _view_editor(table, view, [base[i] for i in positions], tables) or {}
        for pos, changes in (edits.get("edited_rows") or {}).items():
            combined["edited_rows"].setdefault(positions[int(pos)], {}).update(changes)
        combined["deleted_rows"] += [positions[int(i)] for i in edits.get("deleted_rows") or []]
        combined["added_rows"] += [{**({view.where[0]: view.values()[0]} if view.where else {}), **row}
                                   for row in edits.get("added_rows") or []]
    moved = any(v.where and v.where[0] in changes for v in views for changes in combined["edited_rows"].values())
    return apply_edits(base, combined, table), renamed_ids(base, combined, table), moved


_MIN_WIDTH = {"id": 140, "text": 170, "ref": 140, "select": 110, "month": 90}


def column_width(c: Col) -> int:
    """Pixels a view's column needs for its header (about 7 px a character, plus the icon and padding)."""
    return max(_MIN_WIDTH.get(c.kind, 100), 7 * len(c.label) + 44)


def _view_editor(table: Table, view, rows: list[dict], tables: dict[str, list[dict]]) -> dict | None:
    shown = view_table(table, view)
    key = state.editor_key(view.name)
    st.markdown(f"**{view.title}**")
    if view.help:
        st.caption(view.help)
    config = {c.key: _column(c) for c in shown.cols} | _links(shown, rows, tables)
    if view.fixed:
        config["id"] = st.column_config.TextColumn("Contract", disabled=True)
    wider = dict(view.widths)
    for c in shown.cols:
        config[c.key]["width"] = wider.get(c.key, column_width(c))  # in pixels: every column shows at 1366×768
    st.data_editor(frame(rows, shown), key=key, num_rows="fixed" if view.fixed else "dynamic", hide_index=True,
                   width="stretch", placeholder="", column_config=config)
    return st.session_state.get(key)


def scalar_input(col: Col, value):
    """A labelled input for one scalar; returns the value in scenario units."""
    ss = st.session_state
    key = state.editor_key(col.key)
    shown = to_display(col, value)
    if col.kind == "month" and value is not None:
        shown = month_label(value)  # "Apr 2026"; typed as that or as 2026-04
    if key not in ss:
        ss[key] = float(shown) if col.kind in ("money", "pct", "num") and shown is not None else shown
    if col.key == "description":
        got = st.text_area(col.label, key=key, height=80)
    elif col.kind in ("text", "month"):
        got = st.text_input(col.label, key=key, help=col.help or None,
                            placeholder="Apr 2026" if col.kind == "month" else None)
    elif col.kind == "int":
        got = st.number_input(col.label, key=key, step=1, help=col.help or None)
    elif col.kind == "select":
        got = st.selectbox(col.label, options=list(col.options), key=key, help=col.help or None)
    elif col.kind == "bool":
        got = st.checkbox(col.label, key=key, help=col.help or None)
    else:
        step = 0.1 if col.kind == "pct" else 1000.0
        fmt = "%.2f" if col.kind == "pct" else "%.0f"
        got = st.number_input(col.label, key=key, step=step, format=fmt, help=col.help or None)
    if got == shown:
        return value  # untouched: keep the exact value, not its display rounding
    return to_native(col, got)


def show_problems(lines: list[str], tables: dict[str, list[dict]]) -> None:
    """Problems in the words of the tables (table · row · column), and as file paths for the YAML view."""
    if lines:
        st.error("**Fix these to update the results:**\n\n" + "\n".join(f"- {_marks(p)}" for p in readable(lines, tables)),
                 icon="⚠️")
        with st.expander("The same problems as field paths in the scenario file (YAML)"):
            st.code("\n".join(lines), language=None, wrap_lines=True)


def _marks(text: str) -> str:
    """Markup characters of user text escaped (ids' underscores are safe inside words)."""
    return re.sub(r"([\\`*\[\]<>$#|~])", r"\\\1", text)


def section_editor(section: str) -> None:
    """Draw the inputs and tables of one section, then validate the whole draft."""
    draft = state.draft()
    new = {"scalars": dict(draft["scalars"]), "tables": dict(draft["tables"]), "extra": draft["extra"]}
    problems_box = st.container()
    keys = SECTION_SCALARS.get(section, ())
    for k in ("name", "description"):
        if k in keys:
            new["scalars"][k] = scalar_input(SCALAR_BY_KEY[k], draft["scalars"].get(k))
    keys = tuple(k for k in keys if k not in ("name", "description"))
    per_row = 4
    for first in range(0, len(keys), per_row):
        row_keys = keys[first:first + per_row]
        cols = st.columns(per_row)
        for c, k in zip(cols, row_keys, strict=False):
            with c:
                new["scalars"][k] = scalar_input(SCALAR_BY_KEY[k], draft["scalars"].get(k))
                if k == "start":
                    st.checkbox("Move every date with it", key="move_dates", value=True,
                                help="Contract starts and changes, staffing plans, demand, costs, capital "
                                     "spending and funding all move by the same number of months")
    if "start" in keys and _moved_with_start(draft, new):
        return
    renames, moved = {}, False
    for table in TABLES:
        if table.section != section:
            continue
        rows_now = draft["tables"].get(table.name, [])
        if table.name in VIEWS:
            new["tables"][table.name], renames[table.name], regroup = views_editor(table, rows_now, new["tables"])
            moved = moved or regroup
        else:
            new["tables"][table.name], renames[table.name] = table_editor(table, rows_now, new["tables"])
    renames = {name: ids for name, ids in renames.items() if ids}
    for name, ids in renames.items():
        new = apply_renames(new, name, ids)
    if renames or moved:
        # references elsewhere now carry the new id, or a row belongs in another view: redraw every
        # editor from the updated draft
        state.set_draft(new, redraw=True)
        st.rerun()
    state.set_draft(new)
    with problems_box:
        show_problems([p for p in state.problems() if section_of(p) in (section, None)], new["tables"])
    links_note(section)
    if "start" in keys:
        dates_note(new)


def _moved_with_start(draft: dict, new: dict) -> bool:
    """If the first month changed and every date is to move with it, move them, redraw and say so."""
    ss = st.session_state
    before, after = draft["scalars"].get("start"), new["scalars"].get("start")
    anchor = before if is_month(before) else ss.get("dates_start")
    if is_month(after):
        ss.dates_start = after
    if not (is_month(anchor) and is_month(after) and anchor != after):
        return False
    if not ss.get("move_dates", True):
        before = set(dated_before_start({**new, "scalars": {**new["scalars"], "start": anchor}}))
        ss.early_note = (ss.version, month_label(anchor), [x for x in dated_before_start(new) if x not in before])
        return False
    months = months_between(anchor, after)
    moved = shift_draft({**new, "scalars": {**new["scalars"], "start": anchor}}, months)
    state.set_draft(moved, redraw=True)
    ss.moved_note = (ss.version, f"Every date moved {abs(months)} month{'s' * (abs(months) != 1)} "
                                 f"{'later' if months > 0 else 'earlier'} with the first month "
                                 f"({month_label(anchor)} → {month_label(after)}).")
    st.rerun()
    return True


def dates_note(draft: dict) -> None:
    """What the last move of the first month did, and every item dated before the first month."""
    ss = st.session_state
    note = ss.get("moved_note")
    if note and note[0] == ss.version:
        st.success(note[1], icon=":material/event:")
    early = ss.get("early_note")
    if early and early[0] == ss.version and early[2]:
        # the problems above name each one too; this says how they got there
        st.warning(f"**These items did not move and now fall before the first month** (it was {early[1]}), "
                   "which a scenario cannot have: the model starts at mobilisation. Date them later, or tick "
                   "*Move every date with it* and change the first month again:\n\n" + _bullets(early[2]),
                   icon=":material/event_busy:")


_LINK_SECTIONS = {t.source[0]: t.section for t in TABLES}


def links_note(section: str) -> None:
    """The section's linked dates as the months they fall in now, each with its link (model book, "Linked dates")."""
    lines = [text for path, text in linked_dates(state.current_scenario())
             if _LINK_SECTIONS.get(path.split(".")[0]) == section]
    if lines:
        with st.expander(f"Linked dates in this section ({len(lines)}): the months they fall in now", expanded=False):
            st.text("\n".join(lines))
            st.caption("A linked date moves with its contract's start, change and start delay. Type a month in its "
                       "cell to unlink it; type a contract id (e.g. msk_prime -2) to link a date.")


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {escape(line)}" for line in lines)
