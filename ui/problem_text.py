"""Problems in the words of the editor: the table, row and column a person sees, not the field path.

`contracts[msk_prime].changes[0].from: ...` reads "Contract changes · row 1 (msk_prime) · From: ...";
a row that still lacks several required fields says so once ("still needs Name, Start"). The
paths stay available for people who edit the YAML file. No Streamlit here.
"""

from __future__ import annotations

import re

from ui.columns import SCALARS, TABLES, VIEWS, Col, Table, view_positions, view_table

_STEP = re.compile(r"([A-Za-z_]\w*)(?:\[([^\]]*)\])?")
MISSING = "required field is missing"


def _steps(path: str) -> list[tuple[str, str | None]] | None:
    out = []
    for part in path.split("."):
        m = _STEP.fullmatch(part)
        if not m:
            return None
        out.append((m.group(1), m.group(2)))
    return out


def _col(cols: tuple[Col, ...], rest: tuple[str, ...]) -> Col | None:
    return next((c for c in cols if rest and c.where == rest[:len(c.where)]), None)


def _title(table: Table) -> str:
    return table.title.split(" (")[0]


def _shown_in(table: Table, row: dict, rest: tuple[str, ...]) -> tuple[str, Col | None, tuple[Col, ...]]:
    """(title, column, the columns shown) of the table or view showing a row's field."""
    for view in VIEWS.get(table.name, ()):
        if view.where and row.get(view.where[0]) not in view.values():
            continue
        shown = view_table(table, view)
        col = _col(shown.cols, rest)
        if col or (not rest and view.where):
            return view.title.split(" (")[0], col, shown.cols
    return _title(table), _col(table.cols, rest), table.cols


def _child(table: Table, tables: dict, ident: str, rest: list) -> tuple[str, str, Col | None, tuple] | None:
    """A child row (a plan step, a contract change): its place in its own table."""
    for child in (t for t in TABLES if t.parent and t.parent[0] == table.name):
        if rest and rest[0][0] == child.child_key and rest[0][1] is not None and rest[0][1].isdecimal():
            rows = tables.get(child.name, [])
            mine = [i for i, r in enumerate(rows) if r.get(child.parent[1]) == ident]
            n = int(rest[0][1])
            row = f"row {mine[n] + 1} ({ident})" if n < len(mine) else f"{ident}, step {n + 1}"
            field = tuple(name for name, _ in rest[1:])
            return _title(child), row, _col(child.cols, field), child.cols
    return None


def _row_in_view(table: Table, rows: list[dict], index: int) -> int:
    """A row's place in the table or view that shows it (a list shown as several tables numbers its
    rows in each)."""
    for positions in view_positions(VIEWS.get(table.name, ()), rows):
        if index in positions and len(positions) < len(rows):
            return positions.index(index)
    return index


def locate(path: str, tables: dict) -> tuple[str, str | None, Col | None, tuple[Col, ...]] | None:
    """(table title, row words, column, the table's columns) that show a field path; None if none does."""
    steps = _steps(path)
    if not steps:
        return None
    names = tuple(name for name, _ in steps)
    for c in SCALARS:
        if names == c.where:
            return "", None, c, ()
    for n, (_, ident) in enumerate(steps):
        if ident is None:
            continue
        lists = [t for t in TABLES if t.source == names[:n + 1] and not t.parent]
        if not lists:
            return None
        rest = steps[n + 1:]
        child = _child(lists[0], tables, ident, rest)
        if child:
            return child
        for t in lists:
            rows = tables.get(t.name, [])
            row = next((r for r in rows if r.get("id") == ident), None)
            if row is None and ident.isdecimal() and not any(c.kind == "id" for c in t.cols):
                index = int(ident)
                row = rows[index] if index < len(rows) else {}
                ident = f"row {_row_in_view(t, rows, index) + 1}"
            if row is not None or len(lists) == 1:
                title, col, cols = _shown_in(t, row or {}, tuple(name for name, _ in rest))
                return title, ident, col, cols
        return None
    return None


def _in_words(message: str, cols: tuple[Col, ...]) -> str:
    """Field names in a message ("needs annual_value") as the column labels people see."""
    for c in cols:
        if "_" in c.where[-1]:  # a plain word ("activity") may be meant as a word
            message = re.sub(rf"\b{re.escape(c.where[-1])}\b", c.label, message)
    return message


_BOUND = re.compile(r"(at most|at least|greater than|less than|\(got) (-?\d+(?:\.\d+)?(?:e-?\d+)?)")


def _as_percent(message: str) -> str:
    """A rate's bounds as the editor shows rates: "at most 1.0 (got 1.5)" -> "at most 100% (got 150%)";
    the file's hint that rates are decimals does not apply to a box that takes percentages."""
    message = message.split("; rates and shares are decimals")[0]
    return _BOUND.sub(lambda m: f"{m.group(1)} {float(m.group(2)) * 100:g}%", message)


def readable(problems: list[str], tables: dict) -> list[str]:
    """Problem lines in the editor's words; missing fields of one row gathered into one line."""
    out: list[str] = []
    needs: dict[str, list[str]] = {}
    for line in problems:
        path, _, message = line.partition(": ")
        place = locate(path.strip(), tables) if message else None
        if place is None:
            out.append(message if message and "[" not in path and "." not in path and path in _LIST_NAMES else line)
            continue
        title, row, col, cols = place
        where = " · ".join(x for x in (title, row) if x)
        if message == MISSING and col is not None:
            if where not in needs:
                needs[where] = []
                out.append(where)          # a placeholder, filled in below
            needs[where].append(col.label)
            continue
        label = col.label if col else ""
        message = _as_percent(message) if col is not None and col.kind == "pct" else message
        out.append(f"{' · '.join(x for x in (where, label) if x)}: {_in_words(message, cols)}")
    return [f"{x}: still needs {', '.join(needs[x])}" if x in needs else x for x in out]


_LIST_NAMES = {t.source[0] for t in TABLES}
