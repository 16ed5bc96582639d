"""Checks across a scenario's parts: unique ids, references that resolve, valid uncertainty.

`check_references` checks a validated Scenario; `check_raw_references` runs the same checks
(all but the correlation matrix) over the raw file data of a scenario that failed field
validation, skipping anything malformed, so a person sees every problem in one go.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np

from modeller.dates_shift import dated_before
from modeller.fields import is_engine_input
from modeller.formatting import month_label
from modeller.paths import PathError, get_number, list_position, no_item
from modeller.scenario import Scenario, id_label, month_number

Problem = tuple[str, str]  # (field path, what is wrong)


def _duplicates(ids: list[str], where: str) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for ident in ids:
        if ident in seen:
            out.append((f"{where}[{ident}].id", f"id '{ident}' is used twice in {where}; ids must be unique"))
        seen.add(ident)
    return out


def _field_paths(item: Any) -> dict[str, str]:
    """An item's fields as the workbook names them after its id, each with its dotted path:
    {"withhold_share": "withhold.share", "changes_0_from": "changes.0.from", ...}."""
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else key)
        elif isinstance(node, list) and any(isinstance(v, dict) for v in node):
            for i, value in enumerate(node):
                walk(value, f"{prefix}.{i}")
        else:
            out[prefix.replace(".", "_")] = prefix

    walk(item.model_dump(mode="json", by_alias=True), "")
    return out


def _name_clashes(items: tuple, where: str) -> list[Problem]:
    """Ids that would give two inputs one workbook name. The workbook names an input by its path
    with dots as underscores, so contract `act1_withhold`'s `share` and contract `act1`'s
    `withhold.share` would both be `contracts_act1_withhold_share`."""
    ids = {item.id: item for item in items}
    out = []
    for item in items:
        for i in (i for i, ch in enumerate(item.id) if ch == "_" and item.id[:i] in ids):
            other, tail = ids[item.id[:i]], item.id[i + 1:]
            theirs = _field_paths(other)
            clash = sorted(f for f in _field_paths(item) if f"{tail}_{f}" in theirs)
            if clash:
                name = f"{where.replace('.', '_')}_{item.id}_{clash[0]}"
                out.append((f"{where}[{item.id}].id",
                            f"id '{item.id}' would give its {clash[0]} the workbook name {name}, which "
                            f"'{other.id}' already uses for its {theirs[f'{tail}_{clash[0]}']}; choose an id "
                            f"that does not start with '{other.id}_'"))
                break
    return out


_SECTION = {"activity": "activity", "cost": "costs"}


def _ref(kind: str, name: str | None, known: set[str], where: str) -> list[Problem]:
    if name is None or name in known:
        return []
    section = _SECTION.get(kind, kind)
    if not known:
        return [(where, f"'{name}' is not a known {kind} id: no {kind} is defined yet; add one under {section}:")]
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.7)
    fix = f"; did you mean '{close[0]}'?" if close else ""
    return [(where, f"'{name}' is not a known {kind} id{fix} (known: {', '.join(sorted(known))})")]


def check_references(s: Scenario) -> list[Problem]:
    """All cross-reference problems of a scenario that passed field validation."""
    out: list[Problem] = []
    lists = [(s.activity, "activity"), (s.contracts, "contracts"), (s.workforce.roles, "workforce.roles"),
             (s.costs, "costs"), (s.capex, "capex"), (s.funding.loans, "funding.loans")]
    for items, where in lists:
        out += _duplicates([item.id for item in items], where)
        out += _name_clashes(items, where)
    acts = {a.id for a in s.activity}
    costs = {c.id for c in s.costs}
    for c in s.contracts:
        out += _ref("activity", c.activity, acts, f"contracts[{c.id}].activity")
        if c.risk_share:
            out += _ref("cost", c.risk_share.cost, costs, f"contracts[{c.id}].risk_share.cost")
    for r in s.workforce.roles:
        if r.driver:
            out += _ref("activity", r.driver.activity, acts, f"workforce.roles[{r.id}].driver.activity")
    for c in s.costs:
        if c.kind == "per_unit":
            out += _ref("activity", c.activity, acts, f"costs[{c.id}].activity")
    out += check_dates(s)
    if s.uncertainty:
        out += check_uncertainty(s)
    return out


def check_dates(s: Scenario) -> list[Problem]:
    """Nothing dated before the model's first month (model book, "Mobilisation"): spending before it would
    otherwise be counted in month 0, alongside the first receipt, hiding the cash committed before it."""
    first = month_label(s.start, 0)
    early = dated_before(s.model_dump(mode="json", by_alias=True), s.start)
    if not early:
        return []
    n = len(early)
    return [("start", f"{n} item{'s are' if n > 1 else ' is'} dated before the first month ({first}), listed "
                      "below; start the model earlier, when mobilisation begins")] + [
        (path, f"{month_label(s.start, month_number(month) - month_number(s.start))} is before the model's first "
               f"month ({first}); start the model earlier, when mobilisation begins, or date this later")
        for path, month in early]


def check_uncertainty(s: Scenario) -> list[Problem]:
    """Uncertain paths exist and are numeric, each once; correlations form a valid matrix."""
    out: list[Problem] = []
    u = s.uncertainty
    paths = [p.path for p in u.parameters]
    first = _first_index(paths)
    for i, p in enumerate(u.parameters):
        where = f"uncertainty.parameters[{i}].path"
        try:
            get_number(s, p.path)
        except PathError as exc:
            out.append((where, str(exc)))
        else:
            if not is_engine_input(p.path):
                out.append((where, not_drawn(p.path)))
        out += _listed_twice(first, paths[i], i, where)
    rho = np.eye(len(paths))
    for i, c in enumerate(u.correlations):
        where = f"uncertainty.correlations[{i}]"
        problem = _correlation_problem(c.a, c.b, paths)
        if problem:
            out.append((where, problem))
            continue
        ia, ib = paths.index(c.a), paths.index(c.b)
        rho[ia, ib] = rho[ib, ia] = c.rho
    if u.correlations and not out and np.linalg.eigvalsh(rho).min() < -1e-9:
        out.append(("uncertainty.correlations",
                    "these correlations cannot all hold at once (the matrix is not positive semi-definite); weaken some"))
    return out


def not_drawn(path: str) -> str:
    return (f"'{path}' cannot be uncertain: the model does not vary it from draw to draw (the horizon, "
            "seasonality factors and the risk settings are fixed), so its range would change nothing; "
            "choose an input such as an amount, a growth rate or a delay")


def _listed_twice(first: dict, path: Any, i: int, where: str) -> list[Problem]:
    """A later listing of a path listed before; `first` is `_first_index(paths)`, built once, so
    thousands of paths cost thousands of steps, not millions."""
    return [(where, f"'{path}' is listed twice")] if first.get(path, i) < i else []


def _first_index(paths: list) -> dict:
    out: dict = {}
    for i, p in enumerate(paths):
        if isinstance(p, str):
            out.setdefault(p, i)
    return out


def _correlation_problem(a: str, b: str, paths: list) -> str | None:
    missing = [x for x in (a, b) if x not in paths]
    if missing:
        return f"'{missing[0]}' is not one of the uncertain parameters listed above"
    if a == b:
        return "a parameter cannot be correlated with itself"
    return None


# --- the same checks over raw data that failed field validation --------------------------

_LISTS = ["activity", "contracts", "workforce.roles", "costs", "capex", "funding.loans"]


def _raw_list(data: dict, where: str) -> list | None:
    """The list at a dotted section path: [] if the section is left out, None if malformed."""
    node: Any = data
    for key in where.split("."):
        if not isinstance(node, dict):
            return None
        if key not in node:
            return []  # left out: the schema's default is an empty list
        node = node[key]
    return node if isinstance(node, list) else None


def _dicts(items: list | None):
    """(label, item) for each well-formed item, labelled by id as field paths are."""
    for i, item in enumerate(items or []):
        if isinstance(item, dict):
            yield id_label(item.get("id"), i), item


def _known_ids(items: list | None) -> set[str] | None:
    """The ids of a list, or None if any item is malformed (its id might be the one meant)."""
    if items is None or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        return None
    return {i["id"] for i in items}


def _raw_ref(kind: str, name: Any, known: set[str] | None, where: str) -> list[Problem]:
    if known is None or not isinstance(name, str) or not name:
        return []  # the field check reports a missing or malformed name
    return _ref(kind, name, known, where)


def check_raw_references(data: Any) -> list[Problem]:
    """Cross-reference problems in raw scenario data, skipping anything malformed."""
    if not isinstance(data, dict):
        return []
    lists = {where: _raw_list(data, where) for where in _LISTS}
    out: list[Problem] = []
    for where, items in lists.items():
        out += _duplicates([i["id"] for _, i in _dicts(items) if isinstance(i.get("id"), str) and i["id"] and i["id"].isprintable()], where)
    acts, costs = _known_ids(lists["activity"]), _known_ids(lists["costs"])
    for label, c in _dicts(lists["contracts"]):
        out += _raw_ref("activity", c.get("activity"), acts, f"contracts[{label}].activity")
        rs = c.get("risk_share")
        if isinstance(rs, dict):
            out += _raw_ref("cost", rs.get("cost"), costs, f"contracts[{label}].risk_share.cost")
    for label, r in _dicts(lists["workforce.roles"]):
        driver = r.get("driver")
        if isinstance(driver, dict):
            out += _raw_ref("activity", driver.get("activity"), acts, f"workforce.roles[{label}].driver.activity")
    for label, c in _dicts(lists["costs"]):
        if c.get("kind") == "per_unit":
            out += _raw_ref("activity", c.get("activity"), acts, f"costs[{label}].activity")
    if isinstance(data.get("uncertainty"), dict):
        out += _raw_uncertainty(data, data["uncertainty"])
    return out


def _raw_uncertainty(data: dict, u: dict) -> list[Problem]:
    """Uncertain paths name existing items, each once; correlations name listed paths."""
    params, correlations = u.get("parameters", []), u.get("correlations", [])
    if not isinstance(params, list):
        return []
    paths = [p.get("path") if isinstance(p, dict) else None for p in params]
    first = _first_index(paths)
    out: list[Problem] = []
    for i, path in enumerate(paths):
        if isinstance(path, str):
            where = f"uncertainty.parameters[{i}].path"
            problem = _raw_path_problem(data, path) or (None if is_engine_input(path) else not_drawn(path))
            out += [(where, problem)] if problem else []
            out += _listed_twice(first, paths[i], i, where)
    if not isinstance(correlations, list) or not all(isinstance(p, str) for p in paths):
        return out  # a malformed path might be the one a correlation names
    for i, c in enumerate(correlations):
        if isinstance(c, dict) and isinstance(c.get("a"), str) and isinstance(c.get("b"), str):
            problem = _correlation_problem(c["a"], c["b"], paths)
            out += [(f"uncertainty.correlations[{i}]", problem)] if problem else []
    return out


def _raw_path_problem(data: dict, path: str) -> str | None:
    """Why a parameter path names no item in raw data; None if it does or if unsure.

    Only unknown list items are reported: a field missing from the file may still exist
    with its default, which the full check decides once the fields are fixed."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif isinstance(node, list):
            found = next((i for i in node if isinstance(i, dict) and i.get("id") == part), None)
            position = list_position(part, len(node))
            if found is None and position is not None:
                found = node[position]
            if found is None:
                return _no_item(path, part, node)
            node = found
        else:
            return None
    return None


def _no_item(path: str, part: str, items: list) -> str | None:
    """paths.no_item's sentence, unless a malformed item's id might be the one meant."""
    ids = [i.get("id") if isinstance(i, dict) else 0 for i in items]
    if not (all(isinstance(x, str) for x in ids) or all(x is None for x in ids)):
        return None
    return f"'{path}': {no_item(part, ids)}"
