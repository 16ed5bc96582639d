"""Every numeric input of the scenario, with its label, unit and help, read from the schema.

The schema (`modeller/scenario.py`) is the one place a field is described: `about(label, unit,
help)` on its `Field`. This module walks the schema's classes once and gives every layer the
same answers: the editor's column headers, the workbook's Inputs sheet, the risk tables, the
command line and the JSON Schema. A field is addressed by its pattern, a parameter path with
list ids and positions replaced: `contracts.<id>.changes.<n>.population`.

Adding a numeric input is one edit: declare it in the schema with `about(...)`.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel

from modeller.paths import PathError, get_value, list_position
from modeller.scenario import Scenario

# The units a field may carry (a test holds every field to this list). "input" is the unit of the
# uncertain input a risk range describes; "factor" and "number" are plain numbers.
UNITS = ("£", "£ a year", "£ per unit", "£ per head a year", "£ per WTE a year", "£ per WTE",
         "%", "% a year", "months", "weeks", "people", "units a month", "units a year", "units per WTE a month",
         "WTE", "years", "factor", "number", "draws", "input")
# Numeric fields the engine does not read for each draw: uncertain values there would be drawn
# and ignored (P10 = P90), so they may not be uncertain (`is_engine_input`).
NOT_READ_PER_DRAW = ("schema_version", "months", "activity.<id>.seasonality.<n>")


@dataclass(frozen=True)
class InputField:
    """One numeric field of the schema: where it is, what it is called, its unit and limits."""

    pattern: str           # "contracts.<id>.annual_value"
    label: str             # "Annual value"
    unit: str              # "£ a year" (one of UNITS)
    help: str              # a line for tooltips and the Inputs sheet's notes
    whole: bool            # a whole number (months, lags): sampled values are rounded
    low: float             # the schema's limits (-inf / inf where it sets none)
    high: float

    @property
    def kind(self) -> str:
        """How the value is written: "£", "%", "months", "WTE" or "" (a plain number)."""
        return unit_kind(self.unit)

    @property
    def heading(self) -> str:
        """Label and unit for a column or a row: "Annual value (£ a year)"; "Population (people)"."""
        said = self.unit in ("number", "input", "factor", "draws") or self.label.lower().endswith(self.unit.lower())
        return self.label if said else f"{self.label} ({self.unit})"


def unit_kind(unit: str) -> str:
    """The formatting a unit needs: "£", "%", "months", "WTE" or "" (a plain number)."""
    if unit.startswith("£"):
        return "£"
    if unit.startswith("%"):
        return "%"
    return unit if unit in ("months", "WTE") else ""


def _strip(tp: Any) -> tuple[Any, list]:
    """(type, constraints) with Annotated layers and `| None` removed."""
    metadata: list = []
    while True:
        if get_origin(tp) is Annotated:
            tp, *extra = get_args(tp)
            metadata += extra
        elif get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp):
            rest = [a for a in get_args(tp) if a is not type(None)]
            tp = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007 - a runtime union
        else:
            return tp, metadata


def _members(tp: Any) -> list[type[BaseModel]]:
    """The model classes a (possibly union) type holds."""
    args = get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)
    return [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]


def _bounds(metadata: list) -> tuple[float, float]:
    low, high = float("-inf"), float("inf")
    for m in metadata:
        for item in getattr(m, "metadata", [m]):          # a FieldInfo carries its own constraints
            if isinstance(item, (at.Ge, at.Gt)):
                low = float(getattr(item, "ge", getattr(item, "gt", low)))
            if isinstance(item, (at.Le, at.Lt)):
                high = float(getattr(item, "le", getattr(item, "lt", high)))
    return low, high


def _walk(classes: list[type[BaseModel]], prefix: str, out: dict[str, InputField]) -> None:
    for cls in classes:
        for name, info in cls.model_fields.items():
            key = info.alias or name
            path = f"{prefix}.{key}" if prefix else key
            if path in out:
                continue
            tp, metadata = _strip(info.annotation)
            if get_origin(tp) is tuple:                      # a list: of items, or of numbers
                item, inner = _strip(get_args(tp)[0])
                models = _members(item)
                if models:
                    mark = "<id>" if "id" in models[0].model_fields else "<n>"
                    _walk(models, f"{path}.{mark}", out)
                elif item in (int, float):
                    out[f"{path}.<n>"] = _field(f"{path}.<n>", info, item is int, inner + metadata)
            elif _members(tp):
                _walk(_members(tp), path, out)
            elif tp in (int, float) or (get_origin(tp) is not None and all(isinstance(a, int) for a in get_args(tp))):
                out[path] = _field(path, info, tp is not float, metadata + list(info.metadata))


def _field(pattern: str, info: Any, whole: bool, metadata: list) -> InputField:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if not info.title or "unit" not in extra:
        raise TypeError(f"schema field {pattern} has no label or unit: declare it with about(label, unit, help)")
    low, high = _bounds(metadata)
    return InputField(pattern, info.title, str(extra["unit"]), info.description or "", whole, low, high)


@cache
def _all() -> MappingProxyType:
    out: dict[str, InputField] = {}
    _walk([Scenario], "", out)
    return MappingProxyType(out)


def input_fields() -> MappingProxyType:
    """Every numeric field of the schema by pattern, in the schema's order."""
    return _all()


_POSITION = re.compile(r"[0-9]+")


@lru_cache(maxsize=4096)   # called per input per risk run; a path's pattern never changes
def pattern_of(path: str) -> str:
    """A path's pattern: `contracts.msk.changes.0.population` -> `contracts.<id>.changes.<n>.population`.

    Walks the schema's patterns, so it needs no scenario; raises PathError for a path that names
    no numeric field."""
    fields = _all()
    out: list[str] = []
    for part in path.split("."):
        prefix = ".".join(out)
        for option in (part, "<id>", *(("<n>",) if _POSITION.fullmatch(part) else ())):
            candidate = f"{prefix}.{option}" if prefix else option
            if any(p == candidate or p.startswith(candidate + ".") for p in fields):
                out.append(option)
                break
        else:
            raise PathError(f"'{path}' is not an input of the scenario (no field '{part}' there)")
    pattern = ".".join(out)
    if pattern not in fields:
        raise PathError(f"'{path}' is not a numeric input of the scenario")
    return pattern


def field_of(path: str) -> InputField:
    """The schema's description of the numeric field a path (or a pattern) names."""
    return _all()[pattern_of(path)]


def is_engine_input(path: str) -> bool:
    """Whether the engine reads the input at `path` for each draw (so it may be uncertain)."""
    try:
        pattern = pattern_of(path)
    except PathError:
        return False
    return not pattern.startswith("uncertainty.") and pattern not in NOT_READ_PER_DRAW


def engine_inputs() -> tuple[str, ...]:
    """The patterns of every input the engine reads for each draw."""
    return tuple(p for p in _all() if is_engine_input(p))


# ---- an input named as the scenario names it ------------------------------------------------

def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _owner_name(item: Any, fallback: str) -> str:
    """An item's own name (a long one loses its closing bracketed detail), else its id."""
    name = str(getattr(item, "name", "") or getattr(item, "id", "") or fallback)
    return re.sub(r"\s*\([^()]*\)$", "", name) if len(name) > 40 else name


# sections whose field labels need their section's name to read on their own ("Staff on-costs: employer NI")
_SECTION_OWNERS = {"workforce.on_costs": "Staff on-costs"}


def input_label(scenario: Scenario, path: str) -> str:
    """An input named as the scenario names it, with its unit:
    `contracts.msk_prime.start_delay_months` -> "MSK prime: start delay (months)";
    `indexation.pay` -> "Pay inflation (% a year)"; `workforce.roles.esp.plan.1.wte` ->
    "ESP: target WTE (WTE) from Oct 2025". A path that names no input is returned as it is."""
    from modeller.formatting import month_label  # formatting reads this module: import late

    try:
        spec = field_of(path)
    except PathError:
        return path
    parts = path.split(".")
    heading = spec.heading
    if spec.pattern.endswith("seasonality.<n>"):                 # "seasonality, March"
        heading = f"{heading}, {month_label('2000-01', int(parts[-1]))[:3]}"
    owner, when, i = None, "", 0
    while i < len(parts) - 1:
        try:
            node = get_value(scenario, ".".join(parts[: i + 1]))
            item = get_value(scenario, ".".join(parts[: i + 2])) if isinstance(node, (list, tuple)) else None
        except PathError:
            return path
        if isinstance(node, (list, tuple)) and i + 1 < len(parts) - 1:
            if getattr(item, "id", None) is not None or owner is None:
                owner = _owner_name(item, f"{parts[i]} {int(parts[i + 1]) + 1}"
                                    if list_position(parts[i + 1], len(node)) is not None else parts[i + 1])
            start = getattr(item, "from_", None)
            if start and getattr(item, "id", None) is None and owner is not None and parts[i] != "equity":
                when = f" from {month_label(start, 0)}"
            i += 2
            continue
        i += 1
    if owner is None:
        section = next((v for k, v in _SECTION_OWNERS.items() if path.startswith(k + ".")), "")
        return f"{section}: {_lower_first(heading)}" if section else heading
    return f"{owner}: {_lower_first(heading)}{when}"
