"""Reading and writing scenario files: safe YAML, size limits, and errors a person can act on.

Every problem is one line: `FILE: field.path[by_id]: what is wrong`, all reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from modeller.references import check_raw_references, check_references
from modeller.scenario import MAX_DRAWS, MAX_SEED, MIN_LIFE_YEARS, Scenario

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
    """Safe YAML parse; rejects oversized input, aliases, deep nesting, repeated keys and
    unsafe tags with a plain reason."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(source, [f"the file is {size / 1e6:.1f} MB; scenario files are limited to 1 MB"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(source, ["the file is not UTF-8 text; save it as a plain-text YAML file"]) from None
    try:
        _check_events(text, source)
        _check_repeated_keys(yaml.compose(text, Loader=yaml.SafeLoader), source)
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        if "unhashable" in (exc.problem or ""):
            raise ScenarioError(source, [f"line {line}: a list or section is used as a field name; "
                                         "write each field as name: value"]) from None
        raise ScenarioError(source, [f"line {line}: tags such as {_tag(exc)} are not allowed in scenario files; remove the tag"]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(source, [f"line {line}: the file contains a control character (#x{exc.character:02x}) "
                                     "that YAML does not allow; delete it"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or "the file is not valid YAML"
        raise ScenarioError(source, [f"{where}not valid YAML: {_syntax_hint(what)}"]) from None
    if data is None:
        raise ScenarioError(source, ["the file is empty; a scenario needs at least name:, start: and months:"])
    return data


MAX_DEPTH = 20  # a scenario nests at most about 5 levels; deeper input is an attack or a mistake


def _check_events(text: str, source: str) -> None:
    """Reject aliases (a 275-byte alias bomb expands to 52 MB) and deep nesting (which
    would exhaust Python's recursion limit) before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1
            raise ScenarioError(source, [f"line {line}: YAML aliases (*{event.anchor}) are not allowed; write the values out in full"])
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise ScenarioError(source, [f"line {line}: lists and sections are nested more than {MAX_DEPTH} deep; a scenario needs far fewer"])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _check_repeated_keys(node: Any, source: str) -> None:
    """YAML quietly keeps the last of two equal keys; a person almost never means that."""
    problems = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: set = set()
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        problems.append(f"line {key.start_mark.line + 1}: '{key.value}' appears twice in the same "
                                        "section; YAML would silently keep only the last one, so delete one of them")
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    if problems:
        raise ScenarioError(source, sorted(problems, key=lambda p: int(p.split(":")[0].removeprefix("line "))))


_SYNTAX_HINTS = [
    ("mapping values are not allowed", "a colon followed by a space inside a value; if the value is text "
     "(such as a name), put it in quotes, e.g. name: \"Nurses (band 6): complex wounds\""),
    ("cannot start any token", "a character YAML cannot read here; if it is a tab, indent with spaces instead, "
     "otherwise put the value in quotes"),
    ("expected <block end>", "the indentation does not line up; fields of one section must start in the "
     "same column"),
    ("could not find expected ':'", "a line is missing its colon; write each field as name: value"),
    ("expected ',' or ']'", "a one-line list [ ... ] is not closed properly; check its brackets and commas"),
    ("expected ',' or '}'", "a one-line item { ... } is not closed properly; check its braces and commas"),
    ("found unexpected end of stream", "the file ends inside a quote or bracket; close it"),
    ("found unexpected ':'", "a colon in an unexpected place; put text containing colons in quotes"),
    ("found another document", "a second document starts here (a line of ---); a scenario file holds one "
     "document, so remove the --- line and anything after it that does not belong"),
]


def _syntax_hint(problem: str) -> str:
    for phrase, hint in _SYNTAX_HINTS:
        if phrase in problem:
            return f"{hint} (YAML says: {problem})"
    return f"{problem}; check indentation, colons and quotes"


def _tag(exc: yaml.constructor.ConstructorError) -> str:
    problem = exc.problem or ""
    tag = problem.split("tag '")[-1].split("'")[0] if "tag '" in problem else "!!python"
    return tag.replace("tag:yaml.org,2002:", "!!")


def scenario_from_data(data: Any, source: str = "scenario") -> Scenario:
    """Validate parsed data into a Scenario, or raise ScenarioError listing every problem."""
    if not isinstance(data, dict):
        got = "a list (lines starting with -)" if isinstance(data, list) else f"the single value {_short(data)}"
        raise ScenarioError(source, [f"the file holds {got}; it must be a mapping of sections "
                                     "(name:, start:, months:, ...)"])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        lines = [_describe(e, data) for e in err.errors(include_url=False)]
        # references are checked too, so a person fixes everything in one pass
        lines += [f"{path}: {msg}" for path, msg in check_raw_references(data)]
        raise ScenarioError(source, list(dict.fromkeys(lines))) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError(source, [f"{path}: {msg}" for path, msg in problems])
    return scenario


def _is_path(path_or_text: str | Path) -> bool:
    """A Path, an existing file, or one line that names a YAML file (not YAML text)."""
    if isinstance(path_or_text, Path):
        return True
    text = str(path_or_text)
    if "\n" in text:
        return False
    named = text.strip().lower().endswith((".yaml", ".yml")) and ": " not in text and not text.lstrip().startswith("{")
    try:
        return named or Path(text).exists()
    except OSError:  # e.g. a long one-line YAML text is too long to be a file name
        return False


def load_scenario(path_or_text: str | Path, source: str | None = None) -> Scenario:
    """Load a scenario from a file path, or from YAML text if it is neither an existing
    file nor a one-line name ending .yaml or .yml."""
    if _is_path(path_or_text):
        path = Path(path_or_text)
        source = source or path.name
        if not path.is_file():
            problem = (f"{path} is a folder, not a scenario file; give the path of a .yaml file" if path.is_dir()
                       else f"no such file: {path}; check the file name and the folder it is in")
            raise ScenarioError(source, [problem])
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


def _short(value: Any, limit: int = 60) -> str:
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
    return f"{path}: must be {what}, got {_short(value)}{hint}"


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
    return str(bound)


def _describe(e: dict, data: Any) -> str:
    loc = tuple(e["loc"])
    path = field_path(loc, data)
    kind, value, ctx = e["type"], e.get("input"), e.get("ctx") or {}
    last = loc[-1] if loc else None
    if kind == "extra_forbidden":
        return _unknown_field(path, loc, value)
    if kind == "missing":
        return f"{path}: required field is missing"
    if kind == "finite_number":
        return f"{path}: must be a finite number, not NaN or infinity"
    if kind == "bool_as_number":
        what = "a whole number" if ctx.get("whole") else "a number"
        return (f"{path}: must be {what}, got {str(value).lower()} (YAML reads yes/no/on/off as true or false); "
                "write the number itself")
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
    if kind == "string_type" and last in _MONTH_FIELDS:
        if isinstance(value, (dt.date, dt.datetime)):
            return (f'{path}: a full date {value:%Y-%m-%d} was given where a month is needed; '
                    f'write the month as "{value:%Y-%m}" in quotes')
        return f'{path}: must be a month written "YYYY-MM" in quotes, e.g. "2025-04" (got {_short(value)})'
    if kind == "string_type" and value is None:
        return f"{path}: is empty; write a value after the colon"
    if kind == "string_type":
        return f"{path}: must be text, got {_short(value)}{_yaml_hint(value)}"
    if kind == "invalid_key":
        where = field_path(loc[:-1], data)
        if value is None:
            return f"{where}: a field has no name (a line starting with ':' or '~:'); give it one or delete it"
        return f"{where}: field name {_short(value)} is not text{_yaml_hint(value)}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return _not_a_number(path, value, whole=kind.startswith("int"))
    if kind == "literal_error" and last == "schema_version":
        return f"{path}: this modeller reads schema_version 1 files; got {_short(value)}"
    if kind == "literal_error":
        return f"{path}: {_short(value)} is not allowed; choose {ctx.get('expected', '')}{_yaml_hint(value) if isinstance(value, bool) else ''}"
    if kind == "union_tag_invalid":
        return f"{path}.kind: kind {ctx.get('tag')!r} is not known; choose {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{path}.kind: needs a kind: fixed, per_unit or one_off"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        if kind == "list_type":
            shape = "a list of items, each line starting with '- '"
        else:
            shape = "a section of named fields (name: value)"
        return f"{path}: must be {shape}; got {_short(value)}"
    msg = e["msg"].removeprefix("Value error, ")
    msg = msg.replace("a activity contract", "an activity contract")
    ordered = re.match(r"^(end|to) \S+ is before", msg)
    if ordered:
        path += f".{ordered.group(1)}"  # point at the field to change, not the whole item
    return f"{path}: {msg}"
