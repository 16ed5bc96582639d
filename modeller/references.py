"""Checks across a scenario's parts: unique ids, references that resolve, valid uncertainty."""

from __future__ import annotations

import difflib

import numpy as np

from modeller.paths import PathError, get_number
from modeller.scenario import Scenario

Problem = tuple[str, str]  # (field path, what is wrong)


def _duplicates(items, where: str) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.id in seen:
            out.append((f"{where}[{item.id}].id", f"id '{item.id}' is used twice in {where}; ids must be unique"))
        seen.add(item.id)
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
        out += _duplicates(items, where)
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
    if s.uncertainty:
        out += check_uncertainty(s)
    return out


def check_uncertainty(s: Scenario) -> list[Problem]:
    """Uncertain paths exist and are numeric, each once; correlations form a valid matrix."""
    out: list[Problem] = []
    u = s.uncertainty
    paths = [p.path for p in u.parameters]
    for i, p in enumerate(u.parameters):
        where = f"uncertainty.parameters[{i}].path"
        try:
            get_number(s, p.path)
        except PathError as exc:
            out.append((where, str(exc)))
        if paths.count(p.path) > 1 and paths.index(p.path) < i:
            out.append((where, f"'{p.path}' is listed twice"))
    rho = np.eye(len(paths))
    for i, c in enumerate(u.correlations):
        where = f"uncertainty.correlations[{i}]"
        missing = [x for x in (c.a, c.b) if x not in paths]
        if missing:
            out.append((where, f"'{missing[0]}' is not one of the uncertain parameters listed above"))
            continue
        if c.a == c.b:
            out.append((where, "a parameter cannot be correlated with itself"))
            continue
        ia, ib = paths.index(c.a), paths.index(c.b)
        rho[ia, ib] = rho[ib, ia] = c.rho
    if u.correlations and not out and np.linalg.eigvalsh(rho).min() < -1e-9:
        out.append(("uncertainty.correlations",
                    "these correlations cannot all hold at once (the matrix is not positive semi-definite); weaken some"))
    return out
