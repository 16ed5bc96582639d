"""The scenario being edited, as flat scalars and tables, and the way back to scenario data.

A *draft* is `{"scalars": {key: value}, "tables": {name: [row, ...]}, "extra": {...}}`
holding plain values in the scenario's own units (rates as decimals, months "YYYY-MM").
Editors show percentages and dates; `to_native` turns what a person typed back into
the scenario's units. Cell edits are applied one by one to the rows they change, so an
untouched value is never rounded through a display format. No Streamlit here.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from modeller import formatting
from modeller.date_links import link_text, parse_link_text
from modeller.dates_shift import is_month, shift_month
from modeller.fields import field_of
from modeller.paths import PathError
from modeller.scenario import month_number
from ui.columns import SCALARS, TABLE_BY_NAME, TABLES, Col, Table

EDITED_TOP = ("name", "description", "start", "months", "indexation", "appraisal", "activity", "contracts",
              "workforce", "costs", "capex", "funding", "tax", "uncertainty")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})")
_NAMED_MONTH = re.compile(r"^\s*([A-Za-z]{3,9})\.?[\s-]+(\d{4})\s*$")   # "Apr 2026", "april 2026"
_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# what a month cell accepts: a month (Apr 2026, 2026-04), or a link to a contract (msk_prime -2, msk_prime.changes[0])
MONTH_PATTERN = (r"^\s*(\d{4}-\d{1,2}(-\d{1,2})?|[A-Za-z]{3,9}\.?[\s-]+\d{4}"
                 r"|(after\s+)?[a-z][a-z0-9_]*(\.changes\[\d+\])?(\s*[+-]\s*\d+)?(\s*months?)?)\s*$")


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _set(node: dict, path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _items(data: dict, table: Table) -> list[dict]:
    items = _get(data, table.source) or []
    return [i for i in items if not table.kind or i.get("kind") == table.kind]


def _row(item: dict, cols: tuple[Col, ...]) -> dict:
    return {c.key: _get(item, c.where) for c in cols}


def split(data: dict) -> dict:
    """Scenario data (as `scenario_to_data` gives it) -> a draft of flat scalars and tables."""
    tables: dict[str, list[dict]] = {}
    for t in TABLES:
        if t.parent:
            parent_col = t.parent[1]
            own = tuple(c for c in t.cols if c.key != parent_col)
            tables[t.name] = [{parent_col: item.get("id"), **_row(child, own)}
                              for item in _get(data, t.source) or []
                              for child in item.get(t.child_key) or []]
        else:
            tables[t.name] = [_row(item, t.cols) for item in _items(data, t)]
    return {
        "scalars": {c.key: _get(data, c.where) for c in SCALARS},
        "tables": tables,
        "extra": {k: copy.deepcopy(v) for k, v in data.items() if k not in EDITED_TOP},
    }


def _item(row: dict, table: Table, problems: list[str], position: int) -> dict:
    item: dict = {"kind": table.kind} if table.kind else {}
    for c in table.cols:
        value = row.get(c.key)
        if value is None or (table.parent and c.key == table.parent[1]):
            continue
        if c.kind == "list" and isinstance(value, str):
            problems.append(f"{table.source[0]}[{row.get('id') or position}].{c.key}: write 12 numbers "
                            f"separated by commas, or leave it blank (got {value!r})")
            continue
        _set(item, c.where, value)
    return item


def assemble(draft: dict) -> tuple[dict, list[str]]:
    """A draft -> (scenario data, problems the tables themselves show, such as orphan rows)."""
    data = copy.deepcopy(draft["extra"])
    problems: list[str] = []
    for c in SCALARS:
        value = draft["scalars"].get(c.key)
        if value is not None:
            _set(data, c.where, value)
    built: dict[str, list[dict]] = {}
    for t in TABLES:
        if not t.parent:
            built[t.name] = [_item(r, t, problems, i) for i, r in enumerate(draft["tables"].get(t.name, []))]
    for c in built["contracts"]:
        c["changes"] = []
    for role in built["roles"]:
        if "driver" not in role:
            role["plan"] = []
    for t in TABLES:
        if t.parent:
            _attach(draft["tables"].get(t.name, []), t, built[t.parent[0]], problems)
    data["activity"] = built["activity"]
    data["contracts"] = built["contracts"]
    data.setdefault("workforce", {})["roles"] = built["roles"]
    data["costs"] = built["fixed_costs"] + built["per_unit_costs"] + built["one_off_costs"]
    data["capex"] = built["capex"]
    data.setdefault("funding", {})["equity"] = built["equity"]
    data["funding"]["loans"] = built["loans"]
    if built["risk_ranges"] or built["correlations"] or "uncertainty" in data:
        # only a scenario that had ranges, or gains some, carries the section
        u = data.setdefault("uncertainty", {})
        u["parameters"], u["correlations"] = built["risk_ranges"], built["correlations"]
    return data, problems


def _attach(rows: list[dict], table: Table, parents: list[dict], problems: list[str]) -> None:
    parent_table = TABLE_BY_NAME[table.parent[0]]
    by_id = {p.get("id"): p for p in parents}
    for i, row in enumerate(rows):
        pid = row.get(table.parent[1])
        if pid not in by_id:
            known = ", ".join(str(k) for k in by_id if k) or "none yet"
            problems.append(f"{table.source[0]}: {table.title.split(' (')[0]} row {i + 1} names "
                            f"{table.parent[1]} '{pid or ''}', which is not in the {parent_table.title} "
                            f"table (known: {known})")
            continue
        by_id[pid].setdefault(table.child_key, []).append(_item(row, table, problems, i))


# --- between the draft's units and what the editor shows --------------------------------

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)


def parse_month(value: Any) -> str | None:
    """Whatever a date cell or text box gives ("2016-10-01T00:00:00", a date, 1475280000000) -> "2016-10"."""
    if _blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, (int, float)):
        ts = pd.Timestamp(int(value), unit="ms")
        return f"{ts.year:04d}-{ts.month:02d}"
    m = _MONTH.match(str(value))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    named = _NAMED_MONTH.match(str(value))
    if named and named.group(1)[:3].lower() in _MONTH_NAMES:
        return f"{named.group(2)}-{_MONTH_NAMES.index(named.group(1)[:3].lower()) + 1:02d}"
    return str(value).strip()


def to_native(col: Col, value: Any) -> Any:
    """A value as the editor gives it -> the scenario's units (None for an empty cell)."""
    if _blank(value):
        return None
    kind = col.kind
    if kind == "bool":
        return bool(value)
    try:
        if kind in ("money", "num", "real", "wte"):
            return _number(float(value))
        if kind == "pct":
            return _number(round(float(value) / 100, 12))
        if kind == "int":
            return int(round(float(value)))
        if kind == "month":
            return parse_link_text(str(value).strip()) or parse_month(value)
        if kind == "list":
            parts = [p for p in re.split(r"[,\s;]+", str(value).strip()) if p]
            return [_number(float(p)) for p in parts]
    except (TypeError, ValueError):
        return str(value)
    return str(value).strip()


def to_display(col: Col, value: Any) -> Any:
    """A scenario value -> what the editor shows (percent numbers, dates, comma lists)."""
    if value is None:
        return None
    if col.kind == "pct":
        return round(value * 100, 10)
    if col.kind == "month":
        if isinstance(value, dict):   # a linked date, shown and typed as `msk_prime.changes[0] -3`
            return link_text(value)
        return month_label(parse_month(value))  # "Apr 2026": typed back as "Apr 2026" or "2026-04"
    if col.kind == "list":
        return ", ".join(f"{x:g}" for x in value) if isinstance(value, list) else str(value)
    return value


_DTYPES = {"money": "float64", "num": "float64", "real": "float64", "wte": "float64", "pct": "float64", "int": "Int64"}


def frame(rows: list[dict], table: Table) -> pd.DataFrame:
    """Rows in the draft's units -> the DataFrame the table editor shows."""
    data = {}
    if table.name == "risk_ranges":
        rows = [_range_units(r, _range_factor(r.get("path"))) for r in rows]
    for c in table.cols:
        values = [to_display(c, r.get(c.key)) for r in rows]
        dtype = _DTYPES.get(c.kind, "object")
        if dtype == "object":
            data[c.key] = pd.Series(values, dtype=object)
        else:
            missing = pd.NA if dtype == "Int64" else math.nan
            data[c.key] = pd.Series([missing if v is None else v for v in values], dtype=dtype)
    return pd.DataFrame(data, columns=[c.key for c in table.cols])


def apply_edits(rows: list[dict], edits: dict | None, table: Table) -> list[dict]:
    """Rows + a data_editor edit state ({edited_rows, added_rows, deleted_rows}) -> new rows."""
    if not edits:
        return [dict(r) for r in rows]
    cols = {c.key: c for c in table.cols}
    out = [dict(r) for r in rows]
    ranges = table.name == "risk_ranges"
    for pos, changes in (edits.get("edited_rows") or {}).items():
        pos = int(pos)
        if 0 <= pos < len(out):
            typed = {key: to_native(cols[key], value) for key, value in changes.items() if key in cols}
            if ranges:  # typed in the unit its input shows (4 for 4%)
                typed = _range_units(typed, 1 / _range_factor(typed.get("path", out[pos].get("path"))))
            out[pos].update(typed)
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    out = [r for i, r in enumerate(out) if i not in deleted]
    for added in edits.get("added_rows") or []:
        row = {c.key: to_native(c, added.get(c.key)) for c in table.cols}
        out.append(_range_units(row, 1 / _range_factor(row.get("path"))) if ranges else row)
    return out


# a risk range is in its input's units, shown as the editor shows that input: a rate as a percentage
_RANGE_VALUES = ("low", "mode", "high", "mean", "sd", "median", "values")   # not sigma: a log-scale spread


def _range_factor(path: Any) -> float:
    """100 for an input the editor shows as a percentage (a rate held as a decimal), else 1."""
    if not isinstance(path, str):
        return 1.0
    try:
        return 100.0 if field_of(path).kind == "%" else 1.0
    except PathError:
        return 1.0


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, bool) or factor == 1:
        return value
    if isinstance(value, (int, float)):
        return _number(round(value * factor, 12))
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value


def _range_units(row: dict, factor: float) -> dict:
    return {k: _scaled(v, factor) if k in _RANGE_VALUES else v for k, v in row.items()}


# --- moving dates with the first month ----------------------------------------------------

def _moved(value: Any, months: int) -> Any:
    return shift_month(value, months) if is_month(value) else value


def shift_draft(draft: dict, months: int) -> dict:
    """A copy of the draft with every month (the first month and every month cell) moved by `months`."""
    out = copy.deepcopy(draft)
    for c in SCALARS:
        if c.kind == "month":
            out["scalars"][c.key] = _moved(out["scalars"].get(c.key), months)
    for t in TABLES:
        keys = [c.key for c in t.cols if c.kind == "month"]
        for row in out["tables"].get(t.name, []):
            for key in keys:
                row[key] = _moved(row.get(key), months)
    return out


def row_label(table: Table, row: dict, position: int) -> str:
    """How a person finds a row: its id, its parent's id and place, or its row number."""
    if table.parent:
        siblings = f"row {position + 1}"
        return f"{row.get(table.parent[1]) or '?'}, {siblings}"
    if any(c.kind == "id" for c in table.cols) and row.get("id"):
        return str(row["id"])
    return f"row {position + 1}"


def dated_before_start(draft: dict) -> list[str]:
    """Every month cell before the first month, as "Table · row · Column: Feb 2015"."""
    start = draft["scalars"].get("start")
    if not is_month(start):
        return []
    out = []
    for t in TABLES:
        cols = [c for c in t.cols if c.kind == "month"]
        for i, row in enumerate(draft["tables"].get(t.name, [])):
            for c in cols:
                value = row.get(c.key)
                if is_month(value) and month_number(value) < month_number(start):
                    out.append(f"{t.title.split(' (')[0]} · {row_label(t, row, i)} · {c.label}: {month_label(value)}")
    return out


def month_label(month: str | None) -> str | None:
    """ "2015-02" -> "Feb 2015" (anything else as it is, None as None)."""
    if month is None:
        return None
    return formatting.month_label(month, 0) if is_month(month) else str(month)


def escape(text: str) -> str:
    """User text (an id, a file name) safe inside Markdown: every markup character escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
