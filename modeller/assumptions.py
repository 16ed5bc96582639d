"""Assumption warnings: inputs that are allowed but likely wrong for this venture, each with its effect
measured by the engine (a second run). Shown by the app's Overview page and the command line's `run`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.engine import run
from modeller.formatting import money
from modeller.result import Result
from modeller.scenario import Role, Scenario
from modeller.scenario_io import scenario_from_data

# NHS Pension Scheme employer contribution from April 2024: 23.7% of pensionable pay, of which NHS
# employers pay 14.38% and NHS England pays the other 9.4% centrally (model book, "Staff")
NHS_EMPLOYER_RATE = 0.1438
FULL_SCHEME_RATE = 0.237
CLOSE = 0.001          # 14.28% to 14.48%: the 14.3% default and rounded entries of 14.38% count


@dataclass(frozen=True)
class AssumptionWarning:
    title: str
    text: str            # plain sentences, no Markdown


def _nhs_rate(rate: float | None) -> bool:
    return rate is not None and abs(rate - NHS_EMPLOYER_RATE) <= CLOSE


def _own_staff(scenario: Scenario) -> list[Role]:
    """Roles the venture employs itself: seconded staff are employed (and pensioned) by their NHS host."""
    return [r for r in scenario.workforce.roles if r.employment == "direct"]


def nhs_rate_roles(scenario: Scenario) -> list[str]:
    """Directly employed roles (or their transferred staff) costed at the NHS employer's 14.38% although
    the employer is independent."""
    if scenario.workforce.employer == "nhs":
        return []
    default = scenario.workforce.on_costs.pension_rate
    out = []
    for r in _own_staff(scenario):
        own = default if r.pension_rate is None else r.pension_rate
        if _nhs_rate(own) or any(_nhs_rate(t.pension_rate) for t in r.transfers):
            out.append(r.id)
    return out


def at_full_scheme_rate(scenario: Scenario) -> Scenario:
    """The scenario with every directly employed 14.38% pension rate (roles and transfers) at 23.7%."""
    data = scenario.model_dump(mode="json", by_alias=True)
    default = scenario.workforce.on_costs.pension_rate
    for role, r in zip(data["workforce"]["roles"], scenario.workforce.roles, strict=True):
        if r.employment != "direct":
            continue
        own = default if r.pension_rate is None else r.pension_rate
        if _nhs_rate(own):
            role["pension_rate"] = FULL_SCHEME_RATE
        for t in role.get("transfers") or []:
            # a transfer without its own rate follows the role's, already set above
            if _nhs_rate(t.get("pension_rate")):
                t["pension_rate"] = FULL_SCHEME_RATE
    return scenario_from_data(data, "pension at the full scheme rate")


def pension_warning(scenario: Scenario, result: Result | None = None) -> AssumptionWarning | None:
    """A warning when an independent employer costs its own staff at the NHS employer's pension rate."""
    roles = nhs_rate_roles(scenario)
    if not roles:
        return None
    base = result if result is not None else run(scenario)
    lower = float(np.sum(base.lines["ebitda"][0]) - np.sum(run(at_full_scheme_rate(scenario)).lines["ebitda"][0]))
    return AssumptionWarning(
        "Employer pension at the NHS employer's rate",
        f"Employer pension is costed at about 14.38% for staff the venture employs ({', '.join(roles)}): that is "
        f"what NHS employers pay into the NHS Pension Scheme, the other 9.4% of its 23.7% rate being paid "
        f"centrally for them; an independent employer may pay the full 23.7%. At 23.7% EBITDA would be {money(lower)} lower "
        f"over the plan.")


def assumption_warnings(scenario: Scenario, result: Result | None = None) -> list[AssumptionWarning]:
    """Every assumption warning for a scenario (the result of `run(scenario)` saves a run if given)."""
    return [w for w in (pension_warning(scenario, result),) if w is not None]
