"""Renaming an id in a table carries every reference to it along (no Streamlit here).

A person who renames a contract from `msk_prime` to `msk_main` means the same contract:
its step changes, the risk ranges that name it and the correlations between them should
follow, rather than turn into problems the person must chase through other sections.
"""

from __future__ import annotations

import copy
from types import MappingProxyType

from ui.columns import TABLE_BY_NAME, TABLES, Table


def _ref_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    """Columns that name the ids of another list, by that list's place in the scenario ("costs").

    Read from the columns' `refers_to`; a child table's column naming its parent is left to
    `Table.parent`, and parameter paths name a list by its place too (`_PATH_CELLS`)."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for t in TABLES:
        for c in t.cols:
            if c.refers_to and not (t.parent and c.key == t.parent[1]):
                place = ".".join(TABLE_BY_NAME[c.refers_to[0]].source)
                out[place] = out.get(place, ()) + ((t.name, c.key),)
    return out


REF_COLUMNS = MappingProxyType(_ref_columns())
_PATH_CELLS = (("risk_ranges", "path"), ("correlations", "a"), ("correlations", "b"))


def _has_ids(table: Table) -> bool:
    return any(c.kind == "id" for c in table.cols)


def renamed_ids(rows: list[dict], edits: dict | None, table: Table) -> dict[str, str]:
    """{old id: new id} for rows whose id cell this edit state changes (rows it was drawn from).

    Only a clean rename counts: an id given to a second row (or one two rows shared) is a
    duplicate for validation to report, and following it would merge two items' references."""
    if not _has_ids(table) or not edits:
        return {}
    out = {}
    for pos, changes in (edits.get("edited_rows") or {}).items():
        pos = int(pos)
        new = changes.get("id")
        if 0 <= pos < len(rows) and isinstance(new, str) and new.strip():
            old, new = rows[pos].get("id"), new.strip()
            others = [r.get("id") for i, r in enumerate(rows) if i != pos]
            if old and old != new and new not in others and old not in others:
                out[old] = new
    return out


def _renamed_path(path, prefix: str, old: str, new: str):
    if isinstance(path, str) and path.startswith(f"{prefix}{old}."):
        return f"{prefix}{new}.{path[len(prefix) + len(old) + 1:]}"
    return path


def apply_renames(draft: dict, table_name: str, renames: dict[str, str]) -> dict:
    """A copy of the draft with every reference to each renamed id of `table_name` rewritten."""
    out = copy.deepcopy(draft)
    table = TABLE_BY_NAME[table_name]
    place = ".".join(table.source)               # "workforce.roles": also how paths name the list
    children = tuple((t.name, t.parent[1]) for t in TABLES if t.parent and t.parent[0] == table_name)
    cells, prefix = REF_COLUMNS.get(place, ()) + children, place + "."
    tables = out["tables"]
    for old, new in renames.items():
        for name, col in cells:
            for row in tables.get(name, []):
                if row.get(col) == old:
                    row[col] = new
        for name, col in _PATH_CELLS:
            for row in tables.get(name, []):
                row[col] = _renamed_path(row.get(col), prefix, old, new)
        if place == "contracts":
            _rename_date_links(out, old, new)
    return out


def _rename_date_links(draft: dict, old: str, new: str) -> None:
    """Dates linked to a renamed contract (`{after: old.changes[0]}`) follow it, in every table and elsewhere."""

    def walk(node) -> None:
        if isinstance(node, dict):
            after = node.get("after")
            if set(node) <= {"after", "months"} and isinstance(after, str) and (
                    after == old or after.startswith(f"{old}.")):
                node["after"] = new + after[len(old):]
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(draft["tables"])
    walk(draft.get("extra", {}))
