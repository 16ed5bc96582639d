"""Parameter paths: addressing a scenario's numeric fields by ids.

A path walks the scenario with dots; inside a list the next part is an item's id (or a
0-based position for lists without ids, such as `changes` or `equity`):
`contracts.msk_prime.annual_value`, `workforce.roles.esp.fill_rate`,
`contracts.msk_prime.changes.0.annual_value`, `funding.facility.limit`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from modeller.date_links import put_links


class PathError(ValueError):
    """A parameter path that does not name a numeric field of the scenario."""


def _field_name(model: BaseModel, part: str) -> str:
    fields = type(model).model_fields
    if part in fields:
        return part
    for name, info in fields.items():
        if info.alias == part:
            return name
    raise PathError(f"'{part}' is not a field here (choose from {', '.join(_public_names(model))})")


def _public_names(model: BaseModel) -> list[str]:
    return [info.alias or name for name, info in type(model).model_fields.items()]


def list_position(part: str, length: int) -> int | None:
    """The 0-based position a path part names in a list of `length` items, or None.

    ASCII `isdecimal`, not `isdigit`: "²" is a digit that int() refuses, and int() reads Arabic or
    full-width digits that nobody would write as a position; a part too long to be a position is
    not converted at all."""
    return int(part) if part.isascii() and part.isdecimal() and len(part) < 7 and int(part) < length else None


def no_item(part: str, ids: list) -> str:
    """Why a list holds no item `part`, naming the ids (or positions) it does hold."""
    known = ", ".join(i for i in ids if i) or (f"positions 0..{len(ids) - 1}" if ids else "the list is empty")
    return f"no item '{part}' (known: {known})"


def _step(node: Any, part: str) -> Any:
    if isinstance(node, (list, tuple)):
        for item in node:
            if getattr(item, "id", None) == part:
                return item
        position = list_position(part, len(node))
        if position is not None:
            return node[position]
        raise PathError(no_item(part, [getattr(i, "id", None) for i in node]))
    if isinstance(node, BaseModel):
        return getattr(node, _field_name(node, part))
    raise PathError(f"cannot look inside a value at '{part}'")


def get_value(scenario: BaseModel, path: str) -> Any:
    """The value a path names; raises PathError with a plain reason if it names none."""
    node: Any = scenario
    for part in path.split("."):
        if node is None:
            raise PathError(f"'{path}': the section before '{part}' is not in the scenario")
        node = _step(node, part)
    return node


def get_number(scenario: BaseModel, path: str) -> float:
    """The numeric value at a path; raises PathError if the path is not a number."""
    try:
        value = get_value(scenario, path)
    except PathError as exc:
        raise PathError(f"'{path}': {exc}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PathError(f"'{path}' is not a numeric field")
    return float(value)


def numeric_paths(scenario: BaseModel) -> list[str]:
    """Every path to a numeric field in the scenario, in file order (for pickers)."""
    out: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, BaseModel):
            if prefix == "uncertainty":
                return
            skip = getattr(node, "inapplicable", ())
            for name, info in type(node).model_fields.items():
                key = info.alias or name
                if name not in skip:
                    walk(getattr(node, name), f"{prefix}.{key}" if prefix else key)
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                walk(item, f"{prefix}.{getattr(item, 'id', None) or i}")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if not prefix.endswith("schema_version"):
                out.append(prefix)

    walk(scenario, "")
    return out


def with_value(scenario: BaseModel, path: str, value: float) -> BaseModel:
    """A copy of the scenario with the field at `path` set to `value` (validated again)."""
    get_number(scenario, path)
    data = scenario.model_dump(mode="json", by_alias=True)  # lists, not the model's tuples
    data = put_links(data, getattr(scenario, "links", {}))   # linked dates follow an edited contract date or delay
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        if isinstance(node, list):
            node = next((i for i in node if i.get("id") == part), None) or node[int(part)]
        else:
            node = node[part]
    last = parts[-1]
    node[int(last) if isinstance(node, list) else last] = value   # a list of numbers: seasonality.3
    return type(scenario).model_validate(data)


def replaced(scenario: BaseModel, path: str, value: float) -> BaseModel:
    """A copy of the scenario with the number at `path` replaced, not validated again: for a
    search that keeps values inside the field's limits itself (a risk range), where
    `with_value`'s full validation would cost more than the search. A whole-number field gets
    the value rounded, as the engine rounds a whole-number override."""
    get_number(scenario, path)
    parts = path.split(".")

    def put(node: Any, i: int) -> Any:
        if i == len(parts):
            return round(value) if isinstance(node, int) else value
        if isinstance(node, tuple):
            k = next((k for k, item in enumerate(node) if getattr(item, "id", None) == parts[i]), None)
            k = list_position(parts[i], len(node)) if k is None else k
            return (*node[:k], put(node[k], i + 1), *node[k + 1:])
        name = _field_name(node, parts[i])
        return node.model_copy(update={name: put(getattr(node, name), i + 1)})

    return put(scenario, 0)
