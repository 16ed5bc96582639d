"""Moving a scenario in time: every calendar month in its data shifted by the same number of months.

A scenario's dates are its `start` and the `start`, `end`, `from`, `to` and `month` fields of
its items (contracts and their changes, plan steps, demand streams, costs, capex, equity,
loans). Moving the first month alone squashes every earlier-dated item into month 0; moving
them all together keeps the plan's shape.
"""

from __future__ import annotations

import copy
from typing import Any

from modeller.scenario import check_month, month_number

MONTH_KEYS = frozenset({"start", "end", "from", "to", "month"})


def is_month(value: Any) -> bool:
    """Whether a value is a valid "YYYY-MM" month string."""
    try:
        check_month(value)
    except ValueError:
        return False
    return True


def shift_month(month: str, months: int) -> str:
    """ "2025-04" moved by `months` (negative: earlier): shift_month("2025-04", 10) == "2026-02"."""
    n = month_number(month) + months
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def months_between(earlier: str, later: str) -> int:
    """Whole months from one "YYYY-MM" to another: months_between("2015-04", "2026-04") == 132."""
    return month_number(later) - month_number(earlier)


def shift_dates(data: Any, months: int) -> Any:
    """A copy of scenario data with every month field moved by `months`; anything else untouched.

    Only valid months move: a malformed one is left for validation to report."""
    out = copy.deepcopy(data)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in MONTH_KEYS and is_month(value):
                    node[key] = shift_month(value, months)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(out)
    return out


def dated_before(data: dict, start: str) -> list[tuple[str, str]]:
    """(field path, month) of every item dated before `start`, the model's first month."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                where = f"{path}.{key}" if path else key
                if key in MONTH_KEYS and where != "start" and is_month(value):
                    if month_number(value) < month_number(start):
                        found.append((where, value))
                else:
                    walk(value, where)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else i
                walk(item, f"{path}[{label}]")

    walk(data, "")
    return found
