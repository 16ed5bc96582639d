"""Links between tables as choices: the ids a reference column may name, and parameter paths in words.

Pure data, no Streamlit: `ui/editors.py` turns these into dropdowns. A path such as
`activity.referrals.annual_growth` reads as "Demand streams · referrals · Growth (% a year)":
the table and row the editor shows it in, and its field's heading from the schema.
"""

from __future__ import annotations

from modeller.fields import field_of, is_engine_input
from modeller.paths import PathError, numeric_paths
from modeller.scenario import Scenario
from ui.columns import SCALARS, TABLES, Col, Table


def ref_options(col: Col, tables: dict[str, list[dict]], current: list) -> list[str]:
    """The ids a reference column may name (rows of the tables it refers to), then any other value
    it holds now, so a dangling name still shows (validation says what is wrong with it)."""
    ids = [r.get("id") for name in col.refers_to for r in tables.get(name, [])]
    out = list(dict.fromkeys(i for i in ids if isinstance(i, str) and i))
    return out + [v for v in dict.fromkeys(current) if isinstance(v, str) and v and v not in out]


def path_options(scenario: Scenario, current: list) -> list[str]:
    """Every input of the scenario the engine can draw (a risk range may name only those), then any
    other path held now (validation says what is wrong with it)."""
    paths = [p for p in numeric_paths(scenario) if is_engine_input(p)]
    return paths + [p for p in dict.fromkeys(current) if isinstance(p, str) and p and p not in paths]


def ref_paths(ranges: list[dict], current: list) -> list[str]:
    """The paths a correlation may name: those of the uncertain inputs listed, then any other held now."""
    paths = list(dict.fromkeys(r.get("path") for r in ranges if isinstance(r.get("path"), str) and r.get("path")))
    return paths + [p for p in dict.fromkeys(current) if isinstance(p, str) and p and p not in paths]


def _column_at(cols: tuple[Col, ...], rest: list[str]) -> tuple[Col, str] | None:
    """The column at the path's remaining parts, and " item n" for an element of a list column."""
    for c in cols:
        n = len(c.where)
        if tuple(rest[:n]) == c.where:
            tail = rest[n:]
            if not tail:
                return c, ""
            if len(tail) == 1 and tail[0].isdecimal():
                return c, f" item {int(tail[0]) + 1}"
    return None


def _row_words(table: Table, ident: str) -> str:
    has_ids = any(c.kind == "id" for c in table.cols)
    return ident if has_ids or not ident.isdecimal() else f"row {int(ident) + 1}"


def _in_tables(tables: list[Table], ident: str, rest: list[str]) -> tuple[str, Col, str] | None:
    for t in tables:
        found = _column_at(t.cols, rest)
        if found:
            return f"{t.title.split(' (')[0]} · {_row_words(t, ident)}", *found
    return None


def _holding(lists: list[Table], ident: str, rows: dict[str, list[dict]] | None) -> list[Table]:
    """The tables sharing one list (costs by kind), the one holding the id first."""
    if not rows:
        return lists
    return sorted(lists, key=lambda t: not any(r.get("id") == ident for r in rows.get(t.name, [])))


def _place(path: str, rows: dict[str, list[dict]] | None) -> tuple[str, Col, str] | None:
    """Where the editor shows a path: (table · row, or "" for a scalar; the column; " item n" or "")."""
    parts = path.split(".")
    for c in SCALARS:
        if tuple(parts) == c.where:
            return "", c, ""
    for n in (2, 1):
        lists = [t for t in TABLES if t.source == tuple(parts[:n]) and not t.parent]
        if not lists or len(parts) <= n + 1:
            continue
        ident, rest = parts[n], parts[n + 1:]
        for child in (t for t in TABLES if t.parent and t.parent[0] == lists[0].name):
            if rest[0] == child.child_key and len(rest) > 2 and rest[1].isdecimal():
                found = _in_tables([child], f"{ident} row {int(rest[1]) + 1}", rest[2:])
                if found:
                    return found
        found = _in_tables(_holding(lists, ident, rows), ident, rest)
        if found:
            return found
    return None


def _words(place: str, name: str) -> str:
    return f"{place} · {name}" if place else name


def resolve(path: str, rows: dict[str, list[dict]] | None = None) -> tuple[str, Col | None]:
    """A parameter path in the editor's words and the column that shows it; (path, None) if none does.

    `rows` (the draft's tables) tells which table holds an id where one list is shown as several."""
    found = _place(path, rows)
    if found is None:
        return path, None
    place, col, item = found
    return _words(place, col.label + item), col


def path_label(path: str, rows: dict[str, list[dict]] | None = None) -> str:
    """ "Demand streams · referrals · Growth (% a year)": where the editor shows an input, and the
    schema's heading of its field (label and unit). A path no column shows is returned as it is."""
    try:
        field = field_of(path)
    except PathError:
        return path
    found = _place(path, rows)
    if found is None:
        return path
    place, _, item = found
    return _words(place, field.heading + item)
