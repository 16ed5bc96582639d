"""Reading and writing scenario files: safe YAML, size limits, and errors a person can act on.

Every problem is one line: `FILE: field.path[by_id]: what is wrong`, all reported at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from modeller.references import check_references
from modeller.scenario import Scenario

MAX_FILE_BYTES = 1_000_000


class ScenarioError(ValueError):
    """A scenario that cannot be used; `problems` holds one plain line per problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))

    @property
    def lines(self) -> list[str]:
        return [f"{self.source}: {p}" for p in self.problems]


def parse_yaml(text: str | bytes, source: str = "scenario") -> Any:
    """Safe YAML parse; rejects oversized input, aliases and unsafe tags with a plain reason."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(source, [f"the file is {size / 1e6:.1f} MB; scenario files are limited to 1 MB"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(source, ["the file is not UTF-8 text; save it as a plain-text YAML file"]) from None
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ScenarioError(source, [f"line {mark.line + 1}: YAML aliases (*{event.anchor}) are not allowed; write the values out in full"])
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ScenarioError(source, [f"line {line}: tags such as {_tag(exc)} are not allowed in scenario files; remove the tag"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or "the file is not valid YAML"
        raise ScenarioError(source, [f"{where}not valid YAML ({what}); check indentation and colons"]) from None


def _tag(exc: yaml.constructor.ConstructorError) -> str:
    problem = exc.problem or ""
    return problem.split("tag '")[-1].split("'")[0] if "tag '" in problem else "!!python"


def scenario_from_data(data: Any, source: str = "scenario") -> Scenario:
    """Validate parsed data into a Scenario, or raise ScenarioError listing every problem."""
    if not isinstance(data, dict):
        raise ScenarioError(source, ["the file must be a YAML mapping of sections (name:, start:, months:, ...)"])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(source, [_describe(e, data) for e in err.errors(include_url=False)]) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError(source, [f"{path}: {msg}" for path, msg in problems])
    return scenario


def load_scenario(path_or_text: str | Path, source: str | None = None) -> Scenario:
    """Load a scenario from a file path, or from YAML text if it is not an existing path."""
    if isinstance(path_or_text, Path) or ("\n" not in str(path_or_text) and Path(str(path_or_text)).is_file()):
        path = Path(path_or_text)
        source = source or path.name
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(source, [f"the file is {size / 1e6:.1f} MB; scenario files are limited to 1 MB"])
        text: str | bytes = path.read_bytes()
    else:
        text = path_or_text
        source = source or "scenario"
    return scenario_from_data(parse_yaml(text, source), source)


def scenario_to_data(scenario: Scenario) -> dict:
    """Plain data for YAML or JSON: aliases (`from`) restored, absent optionals left out."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def dump_scenario(scenario: Scenario) -> str:
    """YAML text that loads back to an equal scenario."""
    return yaml.safe_dump(scenario_to_data(scenario), sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    Path(path).write_text(dump_scenario(scenario), encoding="utf-8")


# --- turning pydantic's errors into sentences -------------------------------------------

_TAGS = {"block", "activity", "capitation", "fixed", "per_unit", "one_off"}


def field_path(loc: tuple, data: Any) -> str:
    """`('contracts', 0, 'changes', 1, 'from')` -> `contracts[msk_prime].changes[1].from`."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            out += f"[{ident if isinstance(ident, str) and ident else part}]"
            node = item
        else:
            if part in _TAGS and isinstance(node, dict) and node.get("kind") == part:
                continue  # pydantic names the union member; the person wrote `kind:`
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def _yaml_hint(value: Any) -> str:
    if isinstance(value, bool):
        return f" (YAML reads yes/no/on/off as {str(value).lower()}: put text in quotes, e.g. \"NO\")"
    if isinstance(value, (dt.date, dt.datetime)):
        return f' (a full date was given: write the month as "{value:%Y-%m}" in quotes)'
    if isinstance(value, int):
        return " (YAML reads numbers with a leading 0 as octal: put ids and text in quotes)"
    return ""


def _describe(e: dict, data: Any) -> str:
    path = field_path(tuple(e["loc"]), data)
    kind, value, ctx = e["type"], e.get("input"), e.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"{path}: unknown field '{e['loc'][-1]}'; check the spelling (see `python -m modeller schema`)"
    if kind == "missing":
        return f"{path}: required field is missing"
    if kind == "finite_number":
        return f"{path}: must be a finite number, not NaN or infinity"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            return f"{path}: must not be negative (got {value})"
        return f"{path}: must be at least {bound} (got {value})"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        hint = ""
        if isinstance(value, (int, float)) and bound is not None and bound <= 5 and 1 < value <= 100:
            hint = f"; rates and shares are decimals: {value:g}% is {value / 100:g}"
        return f"{path}: must be at most {bound} (got {value}){hint}"
    if kind in ("string_type",):
        return f"{path}: must be text, got {value!r}{_yaml_hint(value)}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return f"{path}: must be {what}, got {value!r}{_yaml_hint(value) if isinstance(value, bool) else ''}"
    if kind == "literal_error":
        return f"{path}: {value!r} is not allowed; choose {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"{path}: kind {ctx.get('tag')!r} is not known; choose {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{path}: needs a kind: fixed, per_unit or one_off"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        shape = "a list (items starting with -)" if kind == "list_type" else "a section of named fields"
        return f"{path}: must be {shape}, got {value!r}"
    msg = e["msg"].removeprefix("Value error, ")
    return f"{path}: {msg}"
