"""Dates linked to a contract: a dated field written as `{after: "msk_prime.changes[0]", months: -3}` (quoted: YAML
reads brackets inside braces as a list) instead of
"YYYY-MM" falls that many months after (negative: before) the contract's start or one of its changes, and moves
with it: when the contract's start is delayed (in the file or in a Monte Carlo draw), so is everything linked to it.

This module owns the syntax and the resolution of links in raw scenario data. A linked field keeps its link, and
the scenario's value for the field is the month it resolves to at the file's own start delays; the engine resolves
it again per draw (`Inputs.month`). Paths name list items by id where they have one, else by position:
`costs.subcontracts.from`, `contracts.msk_prime.changes.0.from`, `workforce.roles.physio.plan.1.from`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MONTH_KEYS = frozenset({"start", "end", "from", "to", "month"})
MAX_LINK_MONTHS = 240
# A link that cannot be resolved is replaced by this prefix and the reason, so that the month check of the
# field itself reports it, at the field's own place and beside every other problem of the file.
PROBLEM = "\x00link problem: "
_ANCHOR = re.compile(r"([a-z][a-z0-9_]*)(?:\.changes(?:\[(\d+)\]|\.(\d+)))?")
FORM = '{after: contract_id, months: 0} or {after: "contract_id.changes[0]", months: -3}'  # quoted: [ ] in braces


@dataclass(frozen=True)
class DateLink:
    """`months` after a contract's start (`change` None) or after its `change`-th change (0-based)."""

    contract: str
    change: int | None
    months: int

    @property
    def anchor(self) -> str:
        """The path of the date this one follows."""
        if self.change is None:
            return f"contracts.{self.contract}.start"
        return f"contracts.{self.contract}.changes.{self.change}.from"

    @property
    def target(self) -> str:
        """The anchor as the file writes it: `msk_prime` or `msk_prime.changes[0]`."""
        return self.contract if self.change is None else f"{self.contract}.changes[{self.change}]"

    def to_data(self) -> dict[str, Any]:
        return {"after": self.target, "months": self.months}

    def describe(self, contract_name: str) -> str:
        """In words: "3 months before MSK prime contract change 1"."""
        what = f"{contract_name} start" if self.change is None else f"{contract_name} change {self.change + 1}"
        if self.months == 0:
            return f"with {what}"
        n = abs(self.months)
        return f"{n} month{'s' if n != 1 else ''} {'after' if self.months > 0 else 'before'} {what}"


def parse_link(value: Any) -> DateLink | str:
    """A DateLink from `{after: ..., months: ...}`, or why it is not one (a sentence)."""
    unknown = sorted(str(k) for k in value if k not in ("after", "months"))
    if unknown:
        return f"a linked date has only 'after' and 'months', not {', '.join(unknown)}; write it as {FORM}"
    after = value.get("after")
    m = _ANCHOR.fullmatch(after) if isinstance(after, str) else None
    if m is None:
        return f"'after' must name a contract or one of its changes, e.g. {FORM}; got {after!r}"
    months = value.get("months", 0)
    if isinstance(months, bool) or not isinstance(months, int | float) or months != int(months):
        return f"'months' of a linked date must be a whole number of months (negative: before), got {months!r}"
    if abs(months) > MAX_LINK_MONTHS:
        return f"'months' of a linked date must be between -{MAX_LINK_MONTHS} and {MAX_LINK_MONTHS}, got {months}"
    change = m.group(2) or m.group(3)
    return DateLink(m.group(1), None if change is None else int(change), int(months))


def date_fields(data: Any) -> Iterator[tuple[str, dict, str]]:
    """(path, the mapping holding it, its key) for every dated field of raw scenario data but the model's start."""

    def walk(node: Any, path: str) -> Iterator[tuple[str, dict, str]]:
        if isinstance(node, dict):
            for key, value in node.items():
                where = f"{path}.{key}" if path else str(key)
                if key in MONTH_KEYS and where != "start" and (isinstance(value, str | dict)):
                    yield where, node, key
                elif isinstance(value, dict | list):
                    yield from walk(value, where)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                ident = item.get("id") if isinstance(item, dict) else None
                yield from walk(item, f"{path}.{ident if isinstance(ident, str) and ident else i}")

    yield from walk(data, "")


def _month_number(value: Any) -> int | None:
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value) if isinstance(value, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def _month_text(n: int) -> str:
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


class _Resolver:
    """Resolves every link of raw data to a month number, or says why it cannot."""

    def __init__(self, data: dict, links: dict[str, DateLink]):
        self.links = links
        self.contracts = {c.get("id"): c for c in data.get("contracts") or [] if isinstance(c, dict)}
        self.raw = {path: holder[key] for path, holder, key in date_fields(data)}
        self.done: dict[str, int | str] = {}

    def delay(self, contract: dict) -> int:
        d = contract.get("start_delay_months", 0)
        return int(d) if isinstance(d, int | float) and not isinstance(d, bool) and d == int(d) else 0

    def month(self, path: str, chain: tuple[str, ...] = ()) -> int | str:
        """The month number of the date at `path`, or a sentence saying why there is none."""
        if path in self.done:
            return self.done[path]
        if path in chain:
            circle = " → ".join((*chain[chain.index(path):], path))
            return f"the linked dates go round in a circle ({circle}); give one of them a month \"YYYY-MM\""
        link = self.links.get(path)
        if link is None:
            n = _month_number(self.raw.get(path))
            return n if n is not None else f"the month it is linked to ({path}) is missing or not a valid month"
        out = self._follow(link, (*chain, path))
        self.done[path] = out
        return out

    def _follow(self, link: DateLink, chain: tuple[str, ...]) -> int | str:
        contract = self.contracts.get(link.contract)
        if contract is None:
            ids = sorted(k for k in self.contracts if isinstance(k, str))
            close = difflib.get_close_matches(link.contract, ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else f"contracts: {', '.join(ids) or 'none yet'}; "
            return (f"it is linked to contract '{link.contract}', which is not in contracts ({hint}correct the id "
                    'or give a month "YYYY-MM"')
        if link.change is not None:
            changes = contract.get("changes") or []
            if link.change >= len(changes):
                have = (f"changes[0] to changes[{len(changes) - 1}]" if len(changes) > 1 else
                        "only changes[0]" if changes else "no changes")
                return (f"it is linked to {link.target}, but contract {link.contract} has {have}; link to one it "
                        'has or give a month "YYYY-MM"')
        anchor = self.month(link.anchor, chain)
        if isinstance(anchor, str):
            return anchor if anchor.startswith("the linked dates go round") else (
                f"it is linked to {link.target}, whose month cannot be read: fix that month first")
        return anchor + self.delay(contract) + link.months


def resolve(data: Any) -> tuple[Any, dict[str, DateLink]]:
    """Raw scenario data with every linked date replaced by the month it resolves to (or by `PROBLEM` and why
    not), and the links by path. Data with no links comes back as it is."""
    if not isinstance(data, dict):
        return data, {}
    found = [(path, holder, key) for path, holder, key in date_fields(data) if isinstance(holder[key], dict)]
    if not found:
        return data, {}
    parsed = {path: parse_link(holder[key]) for path, holder, key in found}
    links = {path: link for path, link in parsed.items() if isinstance(link, DateLink)}
    resolver = _Resolver(data, links)
    months = {path: (link if isinstance(link, str) else resolver.month(path)) for path, link in parsed.items()}
    return _replace(data, {p: (_month_text(m) if isinstance(m, int) and m >= 0 else PROBLEM + str(m))
                           for p, m in months.items()}), links


def _replace(data: Any, values: Mapping[str, str]) -> Any:
    """A copy of data (copying only the mappings and lists on the way) with the fields at `values`' paths set."""
    return _rebuild(data, "", lambda path: values.get(path))


def _rebuild(node: Any, path: str, value_at: Callable[[str], Any]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            new = value_at(where) if key in MONTH_KEYS else None
            out[key] = new if new is not None else _rebuild(value, where, value_at)
        return out
    if isinstance(node, list):
        out_list = []
        for i, item in enumerate(node):
            ident = item.get("id") if isinstance(item, dict) else None
            out_list.append(_rebuild(item, f"{path}.{ident if isinstance(ident, str) and ident else i}", value_at))
        return out_list
    return node


def put_links(data: dict, links: Mapping[str, DateLink]) -> dict:
    """Scenario data (as dumped) with each linked field written back as its link."""
    if not links:
        return data
    return _rebuild(data, "", lambda path: links[path].to_data() if path in links else None)


def link_problem(value: str) -> str | None:
    """The reason a linked date could not be resolved, if `value` carries one."""
    return value[len(PROBLEM):] if value.startswith(PROBLEM) else None


def link_text(link: Any) -> str:
    """A link as a table cell shows and accepts it: `msk_prime.changes[0] -3`, `msk_prime` (0 months)."""
    if isinstance(link, dict):
        parsed = parse_link(link)
        if isinstance(parsed, str):
            return str(link)
        link = parsed
    months = f" {link.months:+d}" if link.months else ""
    return f"{link.target}{months}"


_CELL = re.compile(r"\s*(?:after\s+)?([a-z][a-z0-9_]*(?:\.changes\[\d+\])?)\s*(?:([+-])\s*(\d+))?\s*(?:months?)?\s*")


def parse_link_text(text: str) -> dict[str, Any] | None:
    """`msk_prime.changes[0] -3` (or `after msk_prime -3 months`) as link data; None if it is not a link."""
    m = _CELL.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        return None
    months = int(m.group(3)) * (-1 if m.group(2) == "-" else 1) if m.group(3) else 0
    return {"after": m.group(1), "months": months}


def linked_dates(scenario: Any) -> list[tuple[str, str]]:
    """(path, plain words) for every linked date of a scenario, in file order: "Hospital subcontracts, from:
    Oct 2016 (with MSK prime start change 1)"."""
    names = {c.id: c.name for c in scenario.contracts}
    out = []
    for path, holder, key in date_fields(scenario.model_dump(mode="json", by_alias=True)):
        link = scenario.links.get(path)
        if link is None:
            continue
        name = holder.get("name") or _owner_name(scenario, path)
        year, month = holder[key].split("-")
        when = f"{_MONTHS[int(month) - 1]} {year}"
        out.append((path, f"{name}, {key}: {when} ({link.describe(names[link.contract])})"))
    return out


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _owner_name(scenario: Any, path: str) -> str:
    """The name of the item a nested date belongs to: `workforce.roles.esp.plan.1.from` -> "ESP plan step 2"."""
    parts = path.split(".")
    if parts[0] == "workforce" and len(parts) > 4:
        role = next((r for r in scenario.workforce.roles if r.id == parts[2]), None)
        return f"{role.name if role else parts[2]} {parts[3].rstrip('s')} step {int(parts[4]) + 1}"
    if parts[0] == "contracts" and len(parts) > 3:
        contract = next((c for c in scenario.contracts if c.id == parts[1]), None)
        return f"{contract.name if contract else parts[1]} change {int(parts[3]) + 1}"
    if parts[0] == "funding" and parts[1] == "equity":
        return f"Equity {int(parts[2]) + 1}"
    return parts[-2]
