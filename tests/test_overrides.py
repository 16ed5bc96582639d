"""A per-draw override means exactly what editing the scenario file would mean, for every numeric field."""

import numpy as np
import pytest
from pydantic import ValidationError

from modeller import load_scenario, run, run_batch
from modeller.fields import field_of
from modeller.formatting import input_value
from modeller.inputs import Inputs
from modeller.paths import PathError, get_number, numeric_paths, with_value
from modeller.scenario_io import ScenarioError
from tests.conftest import ROOT

SCENARIOS = ["msk_prime_provider.yaml", "community_first_contract.yaml", "imaging_scanners.yaml"]
NOT_PER_DRAW = {"months"}   # the horizon fixes the arrays' shape: it cannot vary by draw
SEASONALITY = ".seasonality."  # the engine reads the file's twelve factors, never a draw's (one alone cannot move:
                               # they must average 1)
# Overriding demand varies the activity that turns up, not the plan staff were hired to
# (DESIGN §4), so it is compared with an edited file only where no role is driven by it.
DEMAND = "activity."


def _edited(value: float, integer: bool, path: str) -> float:
    high = field_of(path).high
    if integer:
        return value + 1 if high is None or value + 1 <= high else value - 1
    up = value * 1.1 + (0.01 if value == 0 else 0)
    return up if high is None or up <= high else value * 0.9   # stay inside the field's limits (a share: 0..1)


def _drives_staff(scenario, path: str) -> bool:
    """Staff are hired to the plan, and an activity contract paid on plan bills the plan: drawn demand differs
    from an edited file there by design (model book, "Staff" and "Activity contracts: plan, cap and marginal rate")."""
    stream = path.split(".")[1]
    return any(r.driver and r.driver.activity == stream for r in scenario.workforce.roles) or any(
        c.mechanism == "activity" and c.activity == stream and c.paid == "on_plan" for c in scenario.contracts)


def test_drawn_demand_moves_agency_cover_not_the_hiring_plan():
    scenario = load_scenario(ROOT / "scenarios" / "wound_care_nurse_led.yaml")
    role = next(r for r in scenario.workforce.roles if r.driver)
    path = f"activity.{role.driver.activity}.per_month"
    base = get_number(scenario, path)
    batch = run_batch(scenario, {path: np.array([base, base * 1.2])})
    r = batch.detail["roles"][role.id]
    assert np.allclose(r.target_wte[0], r.target_wte[1])            # hired to the plan in both draws
    # the clinics open in Jun 2025, month 2 of a plan from Apr 2025: no demand, so no staff, before then
    assert (scenario.start, scenario.activity[0].from_) == ("2025-04", "2025-06")
    open_months = np.arange(scenario.months) >= 2
    assert (r.target_wte[0][~open_months] == 0).all() and (r.agency_wte[1][~open_months] == 0).all()
    assert (r.agency_wte[1][open_months] > r.agency_wte[0][open_months] + 1e-9).all()   # 20% more demand: agency


@pytest.mark.parametrize("name", SCENARIOS)
def test_override_equals_edited_scenario(name):
    scenario = load_scenario(ROOT / "scenarios" / name)
    base = run(scenario)
    checked, refused = 0, []
    for path in numeric_paths(scenario):
        if path in NOT_PER_DRAW or SEASONALITY in path or (path.startswith(DEMAND) and _drives_staff(scenario, path)):
            continue
        value = get_number(scenario, path)
        new = _edited(value, field_of(path).whole, path)
        try:
            edited = with_value(scenario, path, new)
        except (ScenarioError, ValidationError):
            refused.append(path)    # the edit breaks a rule of the schema; nothing to compare
            continue
        batch = run_batch(scenario, {path: np.array([value, new])})
        expected = run(edited)
        for line in ("income", "pay", "non_pay", "closing_cash", "profit_after_tax", "exit_cost"):
            assert np.allclose(batch.lines[line][1], expected.lines[line][0], atol=1e-6), (path, line)
            assert np.allclose(batch.lines[line][0], base.lines[line][0], atol=1e-6), (path, line)
        checked += 1
    assert checked > 40
    assert refused == []  # every edit above stays inside the schema's bounds (ratios are kept below 1)


def test_unknown_override_path_is_named():
    scenario = load_scenario(ROOT / "scenarios" / "gp_network.yaml")
    with pytest.raises(PathError, match="contracts.nope"):
        Inputs(scenario, {"contracts.nope.annual_value": np.ones(2)})


@pytest.mark.parametrize("path, unit, value, written", [
    # the unit comes from the schema, not the name: `rate_per_head` is money, `fill_rate` a share
    ("contracts.msk_prime.annual_value", "£ a year", 2014111.4, "£2,014,111"),
    ("contracts.c.rate_per_head", "£ per head a year", 8.47, "£8.47"),            # pence shown below £100
    ("workforce.roles.esp.salary", "£ per WTE a year", 45000, "£45,000"),
    ("funding.facility.limit", "£", 250000, "£250,000"),
    ("costs.rent.annual", "£ a year", 24000, "£24,000"),
    ("workforce.roles.esp.fill_rate", "%", 0.9, "90.00%"),
    ("indexation.pay", "% a year", 0.07055, "7.05%"),                             # 0.07055 is 7.05%
    ("activity.r.annual_growth", "% a year", 0.04, "4.00%"),
    ("workforce.roles.esp.attrition_annual", "% a year", 0.12, "12.00%"),         # "annual" here is a rate
    ("contracts.msk_prime.start_delay_months", "months", 1, "1 month"),
    ("workforce.roles.esp.recruit_lead_months", "months", 3, "3 months"),
    ("activity.r.per_month", "units a month", 3783.6, "3,784 a month"),
    ("workforce.roles.esp.driver.units_per_wte_month", "units per WTE a month", 28, "28 a month per WTE"),
    ("contracts.c.population", "people", 250000, "250,000 people"),
    ("workforce.roles.esp.plan.1.wte", "WTE", 2.5, "2.5 WTE"),
])
def test_the_unit_of_an_input_is_the_schemas(path, unit, value, written):
    assert field_of(path).unit == unit
    assert input_value(path, value) == written


@pytest.mark.parametrize("path, says", [
    ("funding.equity.0.amount", "the list is empty"),              # equity emptied below
    ("funding.loans.².amount", "no item '²'"),                     # "²".isdigit() is True; int("²") fails
    ("funding.loans.9999999999999.amount", "no item '9999999999999'"),
])
def test_odd_positions_are_named_not_crashed_on(path, says):
    sc = load_scenario(ROOT / "scenarios" / "gp_network.yaml")
    if "equity" in path and sc.funding.equity:
        sc = sc.model_copy(update={"funding": sc.funding.model_copy(update={"equity": []})})
    with pytest.raises(PathError, match=says):
        get_number(sc, path)
