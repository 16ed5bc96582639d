"""Command line: `python -m modeller run|validate|compare|schema|risk` (DESIGN §5, a contract)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from modeller.assumptions import assumption_warnings
from modeller.engine import run
from modeller.formatting import kpi_change, kpi_table, years_table
from modeller.metrics import KPI_NAMES
from modeller.scenario import MAX_DRAWS, MAX_SEED, Scenario
from modeller.scenario_io import ScenarioError, load_scenario
from modeller.scenario_limits import check_work

MIN_COMPARE, MAX_COMPARE = 2, 4  # the app's Compare page shows 2-4 scenarios too


def _load(path: str, args=None) -> Scenario:
    """The scenario in a file; remembers its name so an internal error can say which one failed."""
    scenario = load_scenario(Path(path), source=Path(path).name)
    if args is not None:
        args.running = f"{scenario.name} ({path})"
    return scenario


def _tidy(kpis: dict) -> dict:
    """-0.0 (a maximum of zero and a negated zero) as 0.0, so no figure reads "£-0" or -0.0."""
    return {k: v + 0.0 if isinstance(v, float) else v for k, v in kpis.items()}


def cmd_run(args) -> int:
    scenario = _load(args.file, args)
    result = run(scenario)
    if args.xlsx:
        from modeller.export import write_workbook

        write_workbook(scenario, result, args.xlsx)
    if args.json:
        years = [_tidy(y) for y in result.financial_years()]
        out = {"scenario": scenario.name, "kpis": _tidy(result.kpis()), "financial_years": years}
        print(json.dumps(out, indent=2))
        return 0
    print(f"{scenario.name}\n{'=' * len(scenario.name)}")
    print(kpi_table({scenario.name: _tidy(result.kpis())}, {scenario.name: scenario.start}))
    print()
    print(years_table([_tidy(y) for y in result.financial_years()]))
    for warning in assumption_warnings(scenario, result):
        print(f"\nCheck this assumption: {warning.title}\n  {warning.text}")
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
    if not MIN_COMPARE <= len(args.files) <= MAX_COMPARE:
        raise UsageError(f"compare takes {MIN_COMPARE} to {MAX_COMPARE} scenario files; got {len(args.files)}")
    results, starts = {}, {}
    for i, path in enumerate(args.files):
        scenario = _load(path, args)
        name = _column(scenario.name, path, i, results)
        results[name] = _tidy(run(scenario).kpis())
        starts[name] = scenario.start
    if args.json:
        first, *others = list(results)
        diff = {n: {k: kpi_change(k, results[first][k], results[n][k], starts[first], starts[n])
                    for k in KPI_NAMES} for n in others}
        print(json.dumps({"scenarios": results, "starts": starts, "difference_from_first": diff}, indent=2))
    else:
        print(kpi_table(results, starts, differences=True))
    return 0


def _column(name: str, path: str, i: int, taken: dict) -> str:
    """A column heading no other scenario has: its name, then its file, then its place in the list."""
    for heading in (name, f"{name} ({path})", f"{name} ({path}, file {i + 1})"):
        if heading not in taken:
            return heading
    raise AssertionError("file positions are unique")


def cmd_schema(args) -> int:
    print(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2))
    return 0


def cmd_risk(args) -> int:
    from modeller.risk.report import format_risk_report, risk_report

    scenario = _load(args.file, args)
    too_long = check_work(scenario, args.draws) if args.draws is not None else []
    if too_long:
        raise ScenarioError(Path(args.file).name, [line.replace("uncertainty.draws:", "--draws:", 1)
                                                   for line in too_long])
    report = risk_report(scenario, draws=args.draws, seed=args.seed, shortfall_probability=args.shortfall_risk)
    if args.xlsx:
        from modeller.export import write_workbook

        write_workbook(scenario, run(scenario), args.xlsx, risk=report)
    print(json.dumps(report, indent=2) if args.json else format_risk_report(report, scenario))
    return 0


class UsageError(ValueError):
    """A command line that asks for something the modeller does not do."""


def _whole(flag: str, low: int, high: int):
    """An argparse type: a whole number within the limits the scenario file has for the same value."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{flag} must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{flag} must be from {low:,} to {high:,} (the limit a scenario "
                                             f"file has too), got {value:,}")
        return value

    parse.__name__ = flag  # argparse names the type in its messages
    return parse


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < 1:  # NaN fails too
        raise argparse.ArgumentTypeError(f"--shortfall-risk is a probability between 0 and 1, e.g. 0.05 for 5%; "
                                         f"got {text!r}")
    return value


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
    c = sub.add_parser("compare", help=f"KPIs of {MIN_COMPARE}-{MAX_COMPARE} scenarios side by side, with differences")
    c.add_argument("files", nargs="+")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_compare)
    s = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editor autocompletion)")
    s.set_defaults(func=cmd_schema)
    k = sub.add_parser("risk", help="Monte Carlo, tornado, switching values and commitment answers")
    k.add_argument("file")
    k.add_argument("--draws", type=_whole("--draws", 1, MAX_DRAWS), default=None,
                   help=f"Monte Carlo draws, 1 to {MAX_DRAWS:,} (default: the scenario's uncertainty.draws)")
    k.add_argument("--seed", type=_whole("--seed", 0, MAX_SEED), default=None,
                   help=f"random seed, 0 to {MAX_SEED:,} (default: the scenario's uncertainty.seed)")
    k.add_argument("--shortfall-risk", type=_probability, default=None, metavar="P",
                   help="commitment answers may carry this probability of a funding shortfall (e.g. 0.05); "
                        "default: hold in the base case")
    k.add_argument("--json", action="store_true")
    k.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the live Excel workbook with a Risk sheet")
    k.set_defaults(func=cmd_risk)
    from modeller.cli_review import add_parser as add_review

    add_review(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.running = None
    try:
        return args.func(args)
    except ScenarioError as err:
        print("\n".join(err.lines), file=sys.stderr)
        return 1
    except UsageError as err:
        parser.error(str(err))  # exits 2 with the usage line, as argparse does for its own checks
    except OSError as err:  # e.g. an unwritable --xlsx
        print(f"error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - a bug (an IntegrityError, say): never a traceback
        what = f"running {args.running}" if args.running else f"the {args.command} command"
        print(f"internal error while {what}: {type(err).__name__}: {err}. This is a fault in the modeller, "
              "not in your file; please report it with the scenario file attached", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
