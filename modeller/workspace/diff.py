"""What changed between two saved versions, in plain words with units, and the KPI differences beside it.

Assumptions are compared on the scenarios' plain data: list items with ids are matched by id (so a reordered
list is no change), lists without ids (price changes, plan steps, equity) by position. Numbers are named with
`fields.input_label` and written with `formatting.input_value`; months as "Oct 2016". KPIs are re-run through
the engine for both versions (results are never stored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from modeller.date_links import MONTH_KEYS as DATE_KEYS
from modeller.fields import input_label
from modeller.formatting import input_value, kpi_change, kpi_value, month_label, signed_money
from modeller.metrics import KPI_NAMES, KPIS, MONTH_KPIS
from modeller.scenario import Scenario
from modeller.scenario_io import load_scenario, scenario_to_data

# what one item of each list is called, for "Added contract: MSK prime"
ITEM_NOUNS = {"activity": "activity stream", "contracts": "contract", "roles": "staff group", "costs": "cost line",
              "capex": "capital item", "loans": "loan", "equity": "equity injection", "changes": "price change",
              "plan": "plan step", "parameters": "uncertain input", "correlations": "correlation"}
MONTH_KEYS = tuple(sorted(DATE_KEYS))   # the dated fields (modeller.date_links)
_MONTH = re.compile(r"\d{4}-\d{2}")
ARROW = "→"


@dataclass(frozen=True)
class Change:
    """One changed assumption: its path, its plain name, the values before and after, and the sentence."""

    path: str
    label: str
    before: Any
    after: Any
    text: str


@dataclass(frozen=True)
class KpiDifference:
    name: str
    label: str
    before: Any
    after: Any
    text: str


@dataclass(frozen=True)
class Diff:
    """Two versions compared: assumptions that changed, then KPI differences."""

    before: Any = None            # records.Version (None when comparing bare texts)
    after: Any = None
    changes: list[Change] = field(default_factory=list)
    kpis: list[KpiDifference] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.changes:
            return ["No assumption changed."] + [k.text for k in self.kpis]
        return [c.text for c in self.changes] + [k.text for k in self.kpis]


def diff_versions(before, after, kpis: bool = True) -> Diff:
    """Two saved versions (records.Version) compared."""
    found = diff_scenarios(before.scenario(), after.scenario(), kpis)
    return Diff(before, after, found.changes, found.kpis)


def diff_texts(text_a: str, text_b: str, kpis: bool = True) -> Diff:
    """Two scenario YAML texts compared."""
    return diff_scenarios(load_scenario(text_a), load_scenario(text_b), kpis)


def diff_scenarios(a: Scenario, b: Scenario, kpis: bool = True) -> Diff:
    walker = _Walker(a, b)
    walker.walk(scenario_to_data(a), scenario_to_data(b), [])
    return Diff(changes=walker.changes, kpis=kpi_differences(a, b) if kpis else [])


def kpi_differences(a: Scenario, b: Scenario) -> list[KpiDifference]:
    """Every KPI that differs, before → after with the change in its unit."""
    from modeller.engine import run

    ka, kb = run(a).kpis(), run(b).kpis()
    out = []
    for name in KPI_NAMES:
        va, vb = ka.get(name), kb.get(name)
        shown_a, shown_b = kpi_value(name, va, a.start), kpi_value(name, vb, b.start)
        if shown_a == shown_b:
            continue
        change = _kpi_change_text(name, va, vb, a.start, b.start)
        text = f"{KPIS[name].label}: {shown_a} {ARROW} {shown_b}" + (f" ({change})" if change else "")
        out.append(KpiDifference(name, KPIS[name].label, va, vb, text))
    return out


def _kpi_change_text(name: str, base, value, base_start: str, start: str) -> str:
    """The change as `formatting.kpi_table` writes its difference columns."""
    d = kpi_change(name, base, value, base_start, start)
    if d is None or d != d:  # undefined on one side, or NaN
        return ""
    if name in MONTH_KPIS:
        return f"{d:+d} months"
    if KPIS[name].unit == "%":
        return f"{d * 100:+.1f} pts"
    if KPIS[name].unit == "WTE":
        return f"{d:+,.1f} WTE"
    return signed_money(d)


class _Walker:
    """Walks the two scenarios' data side by side, collecting Changes."""

    def __init__(self, a: Scenario, b: Scenario):
        self.a, self.b = a, b
        self.changes: list[Change] = []

    def add(self, path: list[str], label: str, before: Any, after: Any, text: str) -> None:
        self.changes.append(Change(".".join(path), label, before, after, text))

    def walk(self, x: Any, y: Any, path: list[str]) -> None:
        if x == y:
            return
        if path and path[-1] in MONTH_KEYS and (_is_link(x) or _is_link(y)):
            self.value(x, y, path)    # a linked date ({after: contract, months: k}) is one value
        elif isinstance(x, dict) and isinstance(y, dict):
            for key in list(x) + [k for k in y if k not in x]:
                if key != "id":
                    self.walk(x.get(key), y.get(key), [*path, key])
        elif isinstance(x, list) and isinstance(y, list):
            self.walk_list(x, y, path)
        elif (x is None or y is None) and (isinstance(x, dict | list) or isinstance(y, dict | list)):
            self.presence(x, y, path)
        else:
            self.value(x, y, path)

    def walk_list(self, x: list, y: list, path: list[str]) -> None:
        if all(isinstance(i, dict) and "id" in i for i in x + y):
            xs, ys = {i["id"]: i for i in x}, {i["id"]: i for i in y}
            for ident in xs:
                if ident in ys:
                    self.walk(xs[ident], ys[ident], [*path, ident])
                else:
                    self.item(path, xs[ident], added=False)
            for ident in ys:
                if ident not in xs:
                    self.item(path, ys[ident], added=True)
            return
        for i in range(max(len(x), len(y))):
            if i >= len(x):
                self.item(path, y[i], added=True)
            elif i >= len(y):
                self.item(path, x[i], added=False)
            elif isinstance(x[i], dict) and isinstance(y[i], dict):
                self.moved(x[i], y[i], [*path, str(i)])
                self.walk({k: v for k, v in x[i].items() if k not in MONTH_KEYS},
                          {k: v for k, v in y[i].items() if k not in MONTH_KEYS}, [*path, str(i)])
            else:
                self.walk(x[i], y[i], [*path, str(i)])

    def owner(self, path: list[str]) -> str:
        """The name of the nearest list item holding `path` ("MSK prime contract"), else its section."""
        for scenario in (self.b, self.a):
            node: Any = scenario_to_data(scenario)
            name = ""
            for part in path:
                if isinstance(node, list):
                    node = next((i for i in node if isinstance(i, dict) and i.get("id") == part), None) \
                        or (node[int(part)] if part.isdigit() and int(part) < len(node) else None)
                    if isinstance(node, dict) and (node.get("name") or node.get("id")):
                        name = str(node.get("name") or node.get("id"))
                elif isinstance(node, dict):
                    node = node.get(part)
                if node is None:
                    break
            if name:
                return name
        return _words(path[0]).capitalize() if path else "Scenario"

    def label(self, path: list[str]) -> str:
        """A field that is not a numeric input: "Start", "MSK prime contract: commissioner"."""
        if len(path) == 1:
            return _words(path[0]).capitalize()
        return f"{self.owner(path)}: {_words(path[-1])}"

    def item(self, path: list[str], item: Any, added: bool) -> None:
        noun = ITEM_NOUNS.get(path[-1], _words(path[-1]))
        name = _item_name(item)
        where = f"{self.owner(path)}: " if len(path) > 1 and path[-1] in ("changes", "plan") else ""
        verb = "Added" if added else "Removed"
        text = f"{where}{verb} {noun}: {name}" if not where else f"{where}{noun} {name} {verb.lower()}"
        self.add(path, noun, None if added else item, item if added else None, text)

    def moved(self, x: dict, y: dict, path: list[str]) -> None:
        for key in MONTH_KEYS:
            if key in x and key in y and x[key] != y[key]:
                noun = ITEM_NOUNS.get(path[-2], _words(path[-2]))
                self.add([*path, key], noun, x[key], y[key], f"{self.owner(path[:-1])}: {noun} moved "
                         f"{_month(x[key])} {ARROW} {_month(y[key])}")

    def presence(self, x: Any, y: Any, path: list[str]) -> None:
        label = self.label(path)
        self.add(path, label, x, y, f"{label} {'added' if x is None else 'removed'}")

    def value(self, x: Any, y: Any, path: list[str]) -> None:
        dotted = ".".join(path)
        if _is_number(x) or _is_number(y):
            scenario = self.b if y is not None else self.a
            label = input_label(scenario, dotted)
            if label == dotted:  # not an input the schema names (e.g. inside uncertainty)
                label = self.label(path)
            text = f"{label}: {_number(dotted, x)} {ARROW} {_number(dotted, y)}"
        elif path[-1] in MONTH_KEYS and all(v is None or _is_link(v) or _MONTH.fullmatch(str(v)) for v in (x, y)):
            label = self.label(path)
            verb = "moved" if x is not None and y is not None else "set"
            text = f"{label} {verb} {_month(x)} {ARROW} {_month(y)}"
        elif path[-1] == "description":
            label, text = "Description", f"{self.owner(path[:-1]) if len(path) > 1 else 'Scenario'}: description " \
                "changed"
        else:
            label = self.label(path)
            text = f"{label}: {_plain(x)} {ARROW} {_plain(y)}"
        self.add(path, label, x, y, text)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _number(path: str, v: Any) -> str:
    return "none" if v is None else input_value(path, v)


def _is_link(v: Any) -> bool:
    return isinstance(v, dict) and "after" in v


def _month(v: Any) -> str:
    """"Oct 2016"; a linked date as it is written: "3 months after msk_prime.changes[0]"."""
    if v is None:
        return "none"
    if _is_link(v):
        months = v.get("months", 0)
        return f"{months} month{'' if abs(months) == 1 else 's'} after {v['after']}"
    return month_label(str(v), 0)


def _plain(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return f"“{v}”" if isinstance(v, str) else str(v)


def _words(key: str) -> str:
    return key.replace("_", " ")


def _item_name(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    if item.get("name") or item.get("id"):
        return str(item.get("name") or item.get("id"))
    for key in MONTH_KEYS:
        if key in item:
            return f"from {_month(item[key])}"
    return ", ".join(f"{_words(k)} {v}" for k, v in item.items())
