"""Renaming an id in a table carries every reference to it along (no Streamlit here).

A person who renames a contract from `msk_prime` to `msk_main` means the same contract:
its step changes, the risk ranges that name it and the correlations between them should
follow, rather than turn into problems the person must chase through other sections.
"""

from __future__ import annotations

import copy

from ui.columns import Table

# id table -> (tables and columns that hold its ids, the prefix of parameter paths naming it)
REFERENCES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "activity": ((("contracts", "activity"), ("per_unit_costs", "activity"), ("roles", "driver_activity")),
                 "activity."),
    "contracts": ((("contract_changes", "contract"),), "contracts."),
    "roles": ((("plan_steps", "role"),), "workforce.roles."),
    "fixed_costs": ((("contracts", "rs_cost"),), "costs."),
    "per_unit_costs": ((("contracts", "rs_cost"),), "costs."),
    "one_off_costs": ((("contracts", "rs_cost"),), "costs."),
    "capex": ((), "capex."),
    "loans": ((), "funding.loans."),
}
_PATH_CELLS = (("risk_ranges", "path"), ("correlations", "a"), ("correlations", "b"))


def renamed_ids(rows: list[dict], edits: dict | None, table: Table) -> dict[str, str]:
    """{old id: new id} for rows whose id cell this edit state changes (rows it was drawn from).

    Only a clean rename counts: an id given to a second row (or one two rows shared) is a
    duplicate for validation to report, and following it would merge two items' references."""
    if table.name not in REFERENCES or not edits:
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
    cells, prefix = REFERENCES[table_name]
    tables = out["tables"]
    for old, new in renames.items():
        for name, col in cells:
            for row in tables.get(name, []):
                if row.get(col) == old:
                    row[col] = new
        for name, col in _PATH_CELLS:
            for row in tables.get(name, []):
                row[col] = _renamed_path(row.get(col), prefix, old, new)
    return out
