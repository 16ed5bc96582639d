"""Command line: `python -m modeller run|validate|compare|schema|risk` (DESIGN §5, a contract)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from modeller.engine import run
from modeller.formatting import kpi_table, years_table
from modeller.metrics import KPI_NAMES
from modeller.scenario import Scenario
from modeller.scenario_io import ScenarioError, load_scenario


def _load(path: str) -> Scenario:
    if not Path(path).is_file():
        raise ScenarioError(Path(path).name, [f"no such file: {path}"])
    return load_scenario(Path(path))


def cmd_run(args) -> int:
    scenario = _load(args.file)
    result = run(scenario)
    if args.xlsx:
        from modeller.export import write_workbook

        write_workbook(scenario, result, args.xlsx)
    if args.json:
        out = {"scenario": scenario.name, "kpis": result.kpis(), "financial_years": result.financial_years()}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{scenario.name}\n{'=' * len(scenario.name)}")
    print(kpi_table({scenario.name: result.kpis()}, {scenario.name: scenario.start}))
    print()
    print(years_table(result.financial_years()))
    if args.xlsx:
        print(f"\nWorkbook written to {args.xlsx}")
    return 0


def cmd_validate(args) -> int:
    bad = 0
    for path in args.files:
        try:
            _load(path)
            print(f"{path}: OK")
        except ScenarioError as err:
            bad += 1
            for line in err.lines:
                print(line)
    return 1 if bad else 0


def cmd_compare(args) -> int:
    results, starts = {}, {}
    for path in args.files:
        scenario = _load(path)
        name = scenario.name if scenario.name not in results else f"{scenario.name} ({path})"
        results[name] = run(scenario).kpis()
        starts[name] = scenario.start
    if args.json:
        first, *others = list(results)
        diff = {n: {k: _difference(results[first][k], results[n][k]) for k in KPI_NAMES} for n in others}
        print(json.dumps({"scenarios": results, "starts": starts, "difference_from_first": diff}, indent=2))
    else:
        print(kpi_table(results, starts, differences=True))
    return 0


def _difference(a, b):
    return None if a is None or b is None else b - a


def cmd_schema(args) -> int:
    print(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))
    return 0


def cmd_risk(args) -> int:
    from modeller.risk.report import format_risk_report, risk_report

    scenario = _load(args.file)
    if args.shortfall_risk is not None and not 0 <= args.shortfall_risk < 1:
        raise ValueError("--shortfall-risk is a probability between 0 and 1, e.g. 0.05 for 5%")
    report = risk_report(scenario, draws=args.draws, seed=args.seed, shortfall_probability=args.shortfall_risk)
    if args.xlsx:
        from modeller.export import write_workbook

        write_workbook(scenario, run(scenario), args.xlsx, risk=report)
    print(json.dumps(report, indent=2) if args.json else format_risk_report(report, scenario))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m modeller", description="Business-case modeller for NHS clinical ventures.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a scenario and print its KPIs and NHS-year figures")
    r.add_argument("file")
    r.add_argument("--json", action="store_true", help="print {scenario, kpis, financial_years} as JSON")
    r.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the live Excel workbook")
    r.set_defaults(func=cmd_run)
    v = sub.add_parser("validate", help="check scenario files; exit 1 if any has a problem")
    v.add_argument("files", nargs="+")
    v.set_defaults(func=cmd_validate)
    c = sub.add_parser("compare", help="KPIs of several scenarios side by side, with differences")
    c.add_argument("files", nargs="+")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_compare)
    s = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editor autocompletion)")
    s.set_defaults(func=cmd_schema)
    k = sub.add_parser("risk", help="Monte Carlo, tornado, switching values and commitment answers")
    k.add_argument("file")
    k.add_argument("--draws", type=int, default=None)
    k.add_argument("--seed", type=int, default=None)
    k.add_argument("--shortfall-risk", type=float, default=None, metavar="P",
                   help="commitment answers may carry this probability of a funding shortfall (e.g. 0.05); "
                        "default: hold in the base case")
    k.add_argument("--json", action="store_true")
    k.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the live Excel workbook with a Risk sheet")
    k.set_defaults(func=cmd_risk)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as err:
        print("\n".join(err.lines), file=sys.stderr)
        return 1
    except (ValueError, OSError) as err:  # e.g. a path error in overrides, an unwritable --xlsx
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
