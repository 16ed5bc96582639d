"""Pydantic's validation errors as sentences a person can act on: the field path by ids
(`contracts[msk_prime].changes[0].from`), what is wrong, and how to fix it."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel

from modeller.scenario import MAX_DRAWS, MAX_SEED, MIN_LIFE_YEARS, Scenario, id_label

_TAGS = {"block", "activity", "capitation", "fixed", "per_unit", "one_off"}


def field_path(loc: tuple, data: Any) -> str:
    """`('contracts', 0, 'changes', 1, 'from')` -> `contracts[msk_prime].changes[1].from`."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[{id_label(ident, part)}]"
            node = item
        else:
            if part in _TAGS and isinstance(node, dict) and node.get("kind") == part:
                continue  # pydantic names the union member; the person wrote `kind:`
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def _yaml_hint(value: Any) -> str:
    """Why YAML may have read something other than what the person typed."""
    if isinstance(value, bool):
        return f" (YAML reads yes/no/on/off as {str(value).lower()}: put text in quotes, e.g. \"NO\")"
    if isinstance(value, (dt.date, dt.datetime)):
        return f" (YAML read a date, {value:%Y-%m-%d}: put text in quotes)"
    if isinstance(value, int):
        return (f" (YAML read the number {value}: put ids and text in quotes; note that unquoted digits"
                " with a leading 0 are read as octal, e.g. 0123 becomes 83)")
    if isinstance(value, float):
        return f" (YAML read the number {value:g}: put text in quotes)"
    return ""


_MONTH_FIELDS = {"start", "end", "from", "to", "month"}


def short(value: Any, limit: int = 60) -> str:
    text = repr(value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value)
    return text if len(text) <= limit else text[: limit - 4] + " ..."


def _members(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, list, Annotated, unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _members(arg)]


def _allowed_fields(loc: tuple) -> list[str]:
    """Field names (as written in files) allowed where `loc` points, or [] if unknown."""
    models: list[type[BaseModel]] = [Scenario]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue  # list positions keep the item type
        tagged = [m for m in models if typing.get_args(_annotation(m, "kind")) == (part,)]
        if tagged:
            models = tagged  # pydantic names the union member by its `kind`
            continue
        models = [m for model in models if (ann := _annotation(model, part)) is not None for m in _members(ann)]
    names: list[str] = []
    for model in models:
        names += [info.alias or name for name, info in model.model_fields.items() if info.alias or name not in names]
    return list(dict.fromkeys(names))


def _annotation(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _unknown_field(path: str, loc: tuple, value: Any) -> str:
    key = str(loc[-1])
    allowed = _allowed_fields(loc)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.7)
    if close:
        fix = f"did you mean '{close[0]}'?"
    elif allowed:
        fix = f"fields allowed here: {', '.join(allowed)}"
    else:
        fix = "check the spelling"
    msg = f"{path}: unknown field '{key}'; {fix}"
    if value is None and not close:
        msg += (" (if this is part of a text containing a comma inside a one-line { ... } item, "
                "put that text in quotes)")
    return msg


def _not_a_number(path: str, value: Any, whole: bool) -> str:
    what = "a whole number" if whole else "a number"
    hint = ""
    if isinstance(value, str):
        if "%" in value:
            hint = "; write rates as decimals without %, e.g. 0.035 for 3.5%"
        elif any(c in value for c in "£$,"):
            hint = "; write money without £ or commas, e.g. 1700000"
    elif isinstance(value, bool):
        hint = _yaml_hint(value)
    return f"{path}: must be {what}, got {short(value)}{hint}"


# What a field's limits mean, for fields whose bare limit would puzzle a person.
_RANGE_HINTS = {
    "life_years": "; write the asset's useful life in years, e.g. 5 for five years",
    "units_per_wte_month": "; this is how many units one whole-time person delivers a month, e.g. 150",
    "draws": f"; draws is how many Monte Carlo runs to make, a whole number from 1 to {MAX_DRAWS:,} "
             "(10,000 is usually plenty)",
    "seed": f"; a seed is any whole number from 0 to {MAX_SEED:,} (the same seed gives the same draws)",
    "term_months": "; term_months is the loan's length in whole months, e.g. 60 for five years",
}


def _bound(bound: Any, field: Any = None) -> str:
    """A limit as a person would write it: 240, 0.3, 0.08333 (not 0.08333333333333333)."""
    if field == "life_years" and bound == MIN_LIFE_YEARS:
        return "1/12 of a year, i.e. one month"
    if isinstance(bound, float) and not bound.is_integer():
        return f"{bound:.4g}"
    if isinstance(bound, float) and bound >= 1e6:
        return f"{bound:,.0f}"  # 10,000,000,000, not 10000000000.0
    return str(bound)


def _value_problem(kind: str, path: str, value: Any, ctx: dict, last: Any) -> str | None:
    if kind == "missing":
        return f"{path}: required field is missing"
    if kind == "finite_number":
        return f"{path}: must be a finite number, not NaN or infinity"
    if kind == "bool_as_number":
        what = "a whole number" if ctx.get("whole") else "a number"
        return (f"{path}: must be {what}, got {str(value).lower()} (YAML reads yes/no/on/off as true or false); "
                "write the number itself")
    if kind == "literal_error" and last == "schema_version":
        return f"{path}: this modeller reads schema_version 1 files; got {short(value)}"
    if kind == "literal_error":
        return f"{path}: {short(value)} is not allowed; choose {ctx.get('expected', '')}{_yaml_hint(value) if isinstance(value, bool) else ''}"
    if kind == "union_tag_invalid":
        return f"{path}.kind: kind {ctx.get('tag')!r} is not known; choose {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{path}.kind: needs a kind: fixed, per_unit or one_off"
    return None


def _bound_problem(kind: str, path: str, value: Any, ctx: dict, last: Any) -> str | None:
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            return (f"{path}: must not be negative (got {value})" if kind == "greater_than_equal"
                    else f"{path}: must be more than 0 (got {value})") + _RANGE_HINTS.get(last, "")
        return f"{path}: must be at least {_bound(bound, last)} (got {value}){_RANGE_HINTS.get(last, '')}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        hint = _RANGE_HINTS.get(last, "")
        if isinstance(value, (int, float)) and bound is not None and bound <= 5 and 1 < value <= 100:
            hint = f"; rates and shares are decimals: {value:g}% is {value / 100:g}"
        return f"{path}: must be at most {_bound(bound)} (got {value}){hint}"
    return None


def _type_problem(kind: str, path: str, value: Any, ctx: dict, last: Any) -> str | None:
    if kind == "string_type" and last in _MONTH_FIELDS:
        if isinstance(value, (dt.date, dt.datetime)):
            return (f'{path}: a full date {value:%Y-%m-%d} was given where a month is needed; '
                    f'write the month as "{value:%Y-%m}" in quotes')
        return f'{path}: must be a month written "YYYY-MM" in quotes, e.g. "2025-04" (got {short(value)})'
    if kind == "string_unicode":
        return f"{path}: contains an unpaired surrogate (half of a character), which a workbook cannot hold; delete it"
    if kind == "string_type" and value is None:
        return f"{path}: is empty; write a value after the colon"
    if kind == "string_type":
        return f"{path}: must be text, got {short(value)}{_yaml_hint(value)}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return _not_a_number(path, value, whole=kind.startswith("int"))
    if kind in ("list_type", "tuple_type", "dict_type", "model_type", "model_attributes_type"):
        shape = ("a list of items, each line starting with '- '" if kind in ("list_type", "tuple_type")
                 else "a section of named fields (name: value)")
        return f"{path}: must be {shape}; got {short(value)}"
    return None


def _length_problem(kind: str, path: str, value: Any, ctx: dict, last: Any) -> str | None:
    if kind == "string_too_long":
        hint = " (put longer notes in the description)" if last in ("name", "commissioner", "source") else ""
        return f"{path}: is {len(value):,} characters long; the limit is {ctx.get('max_length'):,}{hint}"
    if kind == "too_long":
        return (f"{path}: has {ctx.get('actual_length'):,} entries; the limit is {ctx.get('max_length'):,}, "
                "far more than any venture's model needs")
    return None


def _bad_key(where: str, value: Any) -> str:
    if value is None:
        return f"{where}: a field has no name (a line starting with ':' or '~:'); give it one or delete it"
    return f"{where}: field name {short(value)} is not text{_yaml_hint(value)}"


def describe(e: dict, data: Any) -> str:
    """One pydantic error as a sentence: the field path by ids, what is wrong and the fix."""
    loc = tuple(e["loc"])
    path = field_path(loc, data)
    kind, value, ctx = e["type"], e.get("input"), e.get("ctx") or {}
    last = loc[-1] if loc else None
    if kind == "extra_forbidden":
        return _unknown_field(path, loc, value)
    if kind == "invalid_key":
        return _bad_key(field_path(loc[:-1], data), value)
    for describe in (_value_problem, _bound_problem, _type_problem, _length_problem):
        line = describe(kind, path, value, ctx, last)
        if line:
            return line
    msg = e["msg"].removeprefix("Value error, ")
    msg = msg.replace("a activity contract", "an activity contract")
    ordered = re.match(r"^(end|to) \S+ is before", msg)
    if ordered:
        path += f".{ordered.group(1)}"  # point at the field to change, not the whole item
    return f"{path}: {msg}"
