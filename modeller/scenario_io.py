"""Reading and writing scenario files: safe YAML, size limits, and errors a person can act on.

Every problem is one line: `FILE: field.path[by_id]: what is wrong`, all reported at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from modeller.date_links import put_links
from modeller.references import check_raw_references, check_references
from modeller.scenario import Scenario
from modeller.scenario_errors import describe, short
from modeller.scenario_limits import check_magnitude, check_work

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
    # surrogatepass: a lone surrogate in pasted text is reported by the reader below, not raised here
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise ScenarioError(source, [f"the file is {size / 1e6:.1f} MB; scenario files are limited to 1 MB"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(source, ["the file is not UTF-8 text; save it as a plain-text YAML file"]) from None
    try:
        data = _read(text, source, FAST_LOADER)
    except ScenarioError:
        raise
    except (yaml.YAMLError, ValueError, OverflowError, TypeError, KeyError):
        data = _read_with_messages(text, source)  # the pure-Python loader's messages are the ones hinted
    if data is None:
        raise ScenarioError(source, ["the file is empty; a scenario needs at least name:, start: and months:"])
    return data


# libyaml reads a 1 MB file in seconds where pure Python takes a minute: a CPU bomb of its own
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(text: str, source: str, loader_class: type) -> Any:
    """Check the events and the node tree, then build the data from that same tree."""
    explicit = _check_events(text, source, loader_class)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        _check_repeated_keys(node, source)
        _check_scalars(node, explicit, source)
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _read_with_messages(text: str, source: str) -> Any:
    """Read with the pure-Python loader, turning every failure into a ScenarioError."""
    try:
        return _read(text, source, yaml.SafeLoader)
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        if "unhashable" in (exc.problem or ""):
            raise ScenarioError(source, [f"line {line}: a list or section is used as a field name; "
                                         "write each field as name: value"]) from None
        raise ScenarioError(source, [f"line {line}: tags such as {_tag(exc)} are not allowed in scenario files; remove the tag"]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ScenarioError(source, [f"line {line}: the file contains {_unreadable(exc.character)} "
                                     "that YAML does not allow; delete it"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or "the file is not valid YAML"
        raise ScenarioError(source, [f"{where}not valid YAML: {_syntax_hint(what)}"]) from None
    except ScenarioError:
        raise
    except (ValueError, OverflowError, TypeError, KeyError) as exc:  # a value the checks above missed
        raise ScenarioError(source, [f"a value could not be read ({type(exc).__name__}: {exc}); put text in quotes "
                                     "and write numbers plainly"]) from None


def _unreadable(code: int) -> str:
    """A character the YAML reader refuses, named as a person can find it."""
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (#x{code:04x}, half of a character)"
    if code & 0xFFFE == 0xFFFE:
        return f"a Unicode non-character (#x{code:04x})"
    return f"a control character (#x{code:02x})"


MAX_DEPTH = 20  # a scenario nests at most about 5 levels; deeper input is an attack or a mistake


def _check_events(text: str, source: str, loader_class: type = yaml.SafeLoader) -> dict[tuple, str]:
    """Reject aliases (a 275-byte alias bomb expands to 52 MB) and deep nesting (which
    would exhaust Python's recursion limit) before anything is built. Returns the explicit
    tags written in the file, by their position."""
    depth = 0
    explicit: dict[tuple, str] = {}
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag is not None:
            # a block mapping starts where its first key does: tell them apart by kind
            explicit[(event.start_mark.index, isinstance(event, yaml.ScalarEvent))] = event.tag
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
    return explicit


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


ALLOWED_TAGS = {"tag:yaml.org,2002:str"}  # !!str "0123" keeps text as text; every other tag is refused
_NOT_DECIMAL = re.compile(r"[-+]?0[xXbBoO]|[-+]?0[0-9_]+$|.*:")  # hex, binary, octal, base 60 (2:00 is 120)
MAX_DIGITS = 30  # far more than any figure; Python refuses to read integers over 4,300 digits


def _check_scalars(root: Any, explicit: dict[tuple, str], source: str) -> None:
    """Refuse what YAML 1.1 would read as something other than what was written: explicit tags
    (!!bool maybe, !!binary), numbers in base 60, hex, binary or octal, impossible dates and
    integers too long to read. Each problem names the line and the field."""
    problems = []
    stack = [(root, "")] if root is not None else []  # an empty file composes to None
    while stack:
        node, path = stack.pop()
        where = f"{path or '(top level)'}: line {node.start_mark.line + 1}"
        tag = explicit.get((node.start_mark.index, isinstance(node, yaml.ScalarNode)))
        if tag is not None and tag not in ALLOWED_TAGS:
            problems.append(f"{where}: tags such as {_show_tag(tag)} are not allowed in scenario files; "
                            "remove the tag and write the value plainly")
        elif isinstance(node, yaml.ScalarNode):
            problem = _scalar_problem(node)
            problems += [f"{where}: {problem}"] if problem else []
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                field = f"{path}.{k.value}" if path else str(k.value)
                stack += [(v, field), (k, f"{field} (the field name)")]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, f"{path}[{_item_label(item, i)}]") for i, item in reversed(list(enumerate(node.value)))]
    if problems:
        raise ScenarioError(source, problems)


def _item_label(item: Any, i: int) -> str | int:
    if isinstance(item, yaml.MappingNode):
        ident = next((v.value for k, v in item.value if k.value == "id" and isinstance(v, yaml.ScalarNode)), None)
        if isinstance(ident, str) and _PLAIN_ID.fullmatch(ident):
            return ident
    return i


_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_ ]{0,79}")


def _scalar_problem(node: yaml.ScalarNode) -> str | None:
    """Why a plain (unquoted) scalar would be misread, or None."""
    if node.style not in (None, ""):  # plain style is None in PyYAML, "" in libyaml
        return None  # quoted or block text is read as written
    value = node.value
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and _NOT_DECIMAL.match(value):
        how = ("in base 60" if ":" in value else "as octal" if value.lstrip("+-")[1:2] not in "xXbBoO"
               else "as hexadecimal" if value.lstrip("+-")[1:2] in "xX" else "as binary")
        read = _yaml_reading(node)
        return (f"{value} would be read {how}{f', as {read:g}' if read is not None else ''}; write the number "
                "in plain decimal digits, or put text in quotes")
    if node.tag == "tag:yaml.org,2002:int" and len(value) > MAX_DIGITS:
        return f"a number {len(value):,} digits long is far larger than any figure; check it"
    if node.tag == "tag:yaml.org,2002:timestamp":
        try:
            yaml.constructor.SafeConstructor().construct_yaml_timestamp(node)
        except ValueError:
            return f"{value} is not a real date; write months as \"YYYY-MM\" in quotes, e.g. \"2025-04\""
    return None


def _yaml_reading(node: yaml.ScalarNode) -> float | None:
    """The number YAML 1.1 would make of a scalar, or None if it cannot."""
    constructor = yaml.constructor.SafeConstructor()
    try:
        if node.tag == "tag:yaml.org,2002:int":
            return constructor.construct_yaml_int(node)
        return constructor.construct_yaml_float(node)
    except (ValueError, OverflowError):
        return None


def _show_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


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
        got = "a list (lines starting with -)" if isinstance(data, list) else f"the single value {short(data)}"
        raise ScenarioError(source, [f"the file holds {got}; it must be a mapping of sections "
                                     "(name:, start:, months:, ...)"])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
        lines = [describe(e, data) for e in errors]
        # references are checked too, so a person fixes everything in one pass; not inside a list
        # past its limit (20,000 uncertain paths took seconds to look up: the work the limit refuses)
        if not any(e["type"] == "too_long" for e in errors):
            lines += [f"{path}: {msg}" for path, msg in check_raw_references(data)]
        raise ScenarioError(source, list(dict.fromkeys(lines))) from None
    problems = [f"{path}: {msg}" for path, msg in check_references(scenario)]
    if not problems:  # the estimate walks references, so only once they resolve
        problems = check_magnitude(scenario) + check_work(scenario)
    if problems:
        raise ScenarioError(source, problems)
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


def _not_a_file(path: Path) -> str:
    """Why a path that is not a regular file cannot be read as a scenario (it is never opened:
    reading a named pipe would wait for a writer for ever)."""
    if path.is_dir():
        return f"{path} is a folder, not a scenario file; give the path of a .yaml file"
    if path.exists():
        return f"{path} is not a regular file (a pipe, socket or device); save the scenario as a .yaml file"
    return f"no such file: {path}; check the file name and the folder it is in"


def load_scenario(path_or_text: str | Path, source: str | None = None) -> Scenario:
    """Load a scenario from a file path, or from YAML text if it is neither an existing
    file nor a one-line name ending .yaml or .yml."""
    if _is_path(path_or_text):
        path = Path(path_or_text)
        source = source or path.name
        if not path.is_file():
            raise ScenarioError(source, [_not_a_file(path)])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(source, [f"the file is {size / 1e6:.1f} MB; scenario files are limited to 1 MB"])
        text: str | bytes = path.read_bytes()
    else:
        text = path_or_text
        source = source or "scenario"
    return scenario_from_data(parse_yaml(text, source), source)


def scenario_to_data(scenario: Scenario) -> dict:
    """Plain data for YAML or JSON: aliases (`from`) restored, absent optionals left out, linked dates as links.

    A blank that means something other than the default (`small_profits_rate: null`, one flat rate) is kept."""
    return put_links(_without_blanks(scenario, scenario.model_dump(mode="json", by_alias=True)), scenario.links)


def _without_blanks(model: Any, data: Any) -> Any:
    """`data` (a model's dump) less the fields left blank that are blank by default anyway."""
    if isinstance(model, BaseModel):
        out = {}
        for name, field in type(model).model_fields.items():
            key = field.alias or name
            value = getattr(model, name)
            if value is None and field.default is None:
                continue
            out[key] = _without_blanks(value, data[key])
        return out
    if isinstance(model, tuple | list):
        return [_without_blanks(m, d) for m, d in zip(model, data, strict=True)]
    return data


def dump_scenario(scenario: Scenario) -> str:
    """YAML text that loads back to an equal scenario."""
    return yaml.safe_dump(scenario_to_data(scenario), sort_keys=False, allow_unicode=True, width=100)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    Path(path).write_text(dump_scenario(scenario), encoding="utf-8")
