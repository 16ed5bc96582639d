"""Clinical venture business-case modeller: scenario files in, monthly statements and KPIs out."""

from modeller.scenario import Scenario
from modeller.scenario_io import ScenarioError, dump_scenario, load_scenario, save_scenario

__all__ = ["Scenario", "ScenarioError", "dump_scenario", "load_scenario", "save_scenario"]

from modeller.engine import run, run_batch  # noqa: E402
from modeller.result import Result  # noqa: E402
from modeller.risk import simulate  # noqa: E402

__all__ += ["Result", "run", "run_batch", "simulate"]
