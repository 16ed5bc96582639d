"""Assumption checks: a bid's inputs against reference ranges shipped with their sources.

Each out-of-range value becomes a "check this" item naming the input in words, its value in its
unit, the reference range and where that range comes from. Nothing is ever changed: the reviewer
asks the bidder. The ranges live in `reference/` (YAML, a `source` on every entry): pay points
(`pay_2025_26.yaml`), on-cost rates, the agency cap, recruitment lead times, fill, leaver and
growth rates and the pension rate for each kind of employer (`assumption_ranges.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from modeller.fields import input_label, pattern_of
from modeller.formatting import input_value, unit_value
from modeller.paths import PathError, get_number, get_value, numeric_paths
from modeller.scenario import Scenario
from modeller.timeline import Timeline

REFERENCE_DIR = Path(__file__).parent / "reference"
Employer = Literal["nhs", "other"] | None
_BAND = re.compile(r"\bband\s*([2-9][a-d]?)\b", re.IGNORECASE)
_EPSILON = 1e-9   # rates read from YAML: 0.15 is 0.15


@dataclass(frozen=True)
class CheckItem:
    """One "check this" item: an input of a bid outside its reference range."""

    path: str              # the input's path, e.g. "workforce.roles.physio.agency_premium"
    input: str             # named in words with its unit: "Physiotherapists: agency premium (%)"
    topic: str             # "pay", "on-costs", "pension", "agency", "recruitment", "fill rate", "growth", ...
    value: float           # the bid's own value, unchanged
    value_text: str        # the value in its unit: "60.00%"
    low: float             # the reference range (inclusive)
    high: float
    reference: str         # the range in words: "0.00% to 55.00%"
    why: str               # why the range matters, a plain sentence
    source: str            # where the range comes from
    confirmed: bool        # False: a plausible band, not read in a primary source ("[check]")


@cache
def _load(name: str) -> dict:
    with open(REFERENCE_DIR / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def ranges() -> list[dict]:
    """The reference ranges by input pattern (from `assumption_ranges.yaml`)."""
    return list(_load("assumption_ranges.yaml")["ranges"])


def pension_references() -> dict:
    return dict(_load("assumption_ranges.yaml")["pension"])


def pay_points() -> dict:
    """Agenda for Change 2025/26 bands (min, max, source) and the range for a role naming no band."""
    return _load("pay_2025_26.yaml")


def _range_text(path: str, low: float, high: float) -> str:
    if abs(high - low) <= _EPSILON:
        return input_value(path, low)
    return f"{input_value(path, low)} to {input_value(path, high)}"


def _item(scenario: Scenario, path: str, value: float, low: float, high: float, topic: str, why: str,
          source: str, confirmed: bool, reference: str | None = None) -> CheckItem:
    return CheckItem(path=path, input=input_label(scenario, path), topic=topic, value=value,
                     value_text=input_value(path, value), low=low, high=high,
                     reference=reference or _range_text(path, low, high), why=why, source=source,
                     confirmed=confirmed)


def _outside(value: float, low: float, high: float) -> bool:
    return value < low - _EPSILON or value > high + _EPSILON


def _role_of(scenario: Scenario, path: str):
    """The role a `workforce.roles.<id>.…` path belongs to, else None."""
    parts = path.split(".")
    if parts[:2] != ["workforce", "roles"]:
        return None
    return get_value(scenario, ".".join(parts[:3]))


def _range_checks(scenario: Scenario) -> list[CheckItem]:
    by_pattern = {r["pattern"]: r for r in ranges()}
    out = []
    for path in numeric_paths(scenario):
        try:
            spec = by_pattern.get(pattern_of(path))
        except PathError:
            continue
        if spec is None:
            continue
        role = _role_of(scenario, path)
        if "employment" in spec and role is not None and role.employment != spec["employment"]:
            continue
        value = get_number(scenario, path)
        if _outside(value, spec["low"], spec["high"]):
            out.append(_item(scenario, path, value, spec["low"], spec["high"], spec["topic"],
                             " ".join(spec["why"].split()), spec["source"], spec["confirmed"]))
    return out


def _prices_note(scenario: Scenario, year: str) -> str:
    """Salaries are in the bid's first-year prices: say so when that year is not the reference's."""
    first = Timeline(scenario.start, 1).fy_labels[0]
    if first == year:
        return ""
    return f" This bid's figures are in {first} prices, the reference is {year} pay: compare like with like."


def _salary_checks(scenario: Scenario) -> list[CheckItem]:
    pay = pay_points()
    bands, anyone = pay["agenda_for_change"]["bands"], pay["any_role"]
    note = _prices_note(scenario, pay["year"])
    out = []
    for role in scenario.workforce.roles:
        path = f"workforce.roles.{role.id}.salary"
        named = _BAND.search(role.name)
        band = named.group(1).lower() if named else None
        if band in bands:
            ref, what = bands[band], f"Agenda for Change band {band}, {pay['year']}"
            why = (f"The role's name says band {band}; its basic pay in {pay['year']} runs from "
                   f"{unit_value(ref['min'], '£')} to {unit_value(ref['max'], '£')} a year.{note}")
        else:
            ref, what = anyone, f"any NHS pay point, {pay['year']}"
            why = (f"The role names no pay band; NHS basic pay in {pay['year']} runs from band 2 to the top of "
                   f"the consultant scale.{note}")
        if _outside(role.salary, ref["min"], ref["max"]):
            reference = f"{_range_text(path, ref['min'], ref['max'])} ({what})"
            out.append(_item(scenario, path, role.salary, ref["min"], ref["max"], "pay", why,
                             " ".join(ref["source"].split()), ref["confirmed"], reference))
    return out


def _pension_paths(scenario: Scenario) -> list[str]:
    """The employer pension rate for all staff, and any role's own rate (if the schema has one)."""
    paths = ["workforce.on_costs.pension_rate"]
    paths += [f"workforce.roles.{r.id}.pension_rate" for r in scenario.workforce.roles
              if getattr(r, "pension_rate", None) is not None]
    return paths


def _pension_checks(scenario: Scenario, employer: Employer) -> list[CheckItem]:
    refs = pension_references()
    nhs, full, workplace = refs["nhs_employer"], refs["other_employer_nhs_pension"], refs["workplace_pension"]
    out = []
    for path in _pension_paths(scenario):
        value = get_number(scenario, path)
        if employer == "nhs":
            if _outside(value, nhs["low"], nhs["high"]):
                why = ("An NHS employer in the NHS Pension Scheme pays 14.38% of pay (plus a 0.08% levy); "
                       "the other 9.4% of the 23.7% rate is met centrally.")
                out.append(_item(scenario, path, value, nhs["low"], nhs["high"], "pension", why,
                                 " ".join(nhs["source"].split()), nhs["confirmed"]))
            continue
        in_scheme = not _outside(value, full["low"], full["high"])
        workplace_ok = not _outside(value, workplace["low"], workplace["high"])
        if in_scheme or workplace_ok:
            continue
        if not _outside(value, nhs["low"] - 0.005, full["low"]):
            why = ("14.38% is what NHS employers pay after the central 9.4% top-up; an employer that is not "
                   "an NHS body may pay the full 23.7% (plus a 0.08% levy) if its staff stay in the NHS "
                   "Pension Scheme." + (" If this provider is an NHS employer, the rate is right: say so with "
                                        "employer='nhs'." if employer is None else ""))
        else:
            why = ("An employer outside the NHS pays at least 3% (automatic enrolment) into a workplace "
                   "pension, or 23.7% (plus a 0.08% levy) if its staff stay in the NHS Pension Scheme.")
        reference = (f"{_range_text(path, workplace['low'], workplace['high'])} (workplace pension) or "
                     f"{_range_text(path, full['low'], full['high'])} (NHS Pension Scheme, not an NHS employer)")
        source = " ".join(f"{workplace['source']} {full['source']}".split())
        out.append(_item(scenario, path, value, workplace["low"], full["high"], "pension", why, source,
                         workplace["confirmed"] and full["confirmed"], reference))
    return out


def check_assumptions(scenario: Scenario, employer: Employer = None) -> list[CheckItem]:
    """Every input of a bid outside its reference range, as "check this" items (none if all are in range).

    `employer` is the kind of provider, for the pension rate: "nhs" (an NHS trust or foundation trust,
    14.38% after the central top-up), "other" (anyone else: a workplace pension, or 23.7% in the NHS
    Pension Scheme), or None when the review does not say (read as "other", with a note). Items come
    in the scenario's own order: pay first, then on-costs and pensions, then the rest."""
    return [*_salary_checks(scenario), *_pension_checks(scenario, employer), *_range_checks(scenario)]
