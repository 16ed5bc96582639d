"""The risk report behind `python -m modeller risk FILE`: every analysis as JSON-ready data, and as text."""

from __future__ import annotations

from modeller.fields import input_label
from modeller.formatting import input_value, kpi_value, money, month_label
from modeller.metrics import KPI_NAMES, KPIS, MONTH_KPIS
from modeller.risk.commitment import commitment
from modeller.risk.montecarlo import MonteCarloResult, simulate, summarise
from modeller.risk.sensitivity import swings
from modeller.risk.switching import sensitivity, switching_event
from modeller.scenario import Scenario


def monte_carlo_data(mc: MonteCarloResult) -> dict:
    """The Monte Carlo part of the report (JSON-ready)."""
    tl = mc.timeline
    return {
        "draws": mc.draws,
        "seed": mc.seed,
        "kpis": {k: mc.summary(k) for k in KPI_NAMES},
        "deterministic": mc.deterministic,
        "probability_of_shortfall": mc.probability_of_shortfall,
        "typical_shortfall_month": mc.shortfall_month,
        "closing_cash_fan": {"months": [d.strftime("%Y-%m") for d in tl.dates],
                             **{f"p{p}": v.tolist() for p, v in mc.fan.items()}},
        "risk_transfer": {cid: [{"year": year,
                                 "provider_retained": summarise(t.provider_retained[:, i]),
                                 "commissioner_settled": summarise(t.commissioner_settled[:, i])}
                                for i, year in enumerate(t.years)]
                          for cid, t in mc.risk_transfer.items()},
        "agency_cost_above_plan": summarise(mc.agency_cost_above_plan),
        "agency_cost_total": summarise(mc.agency_cost),
    }


def risk_report(scenario: Scenario, draws: int | None = None, seed: int | None = None,
                shortfall_probability: float | None = None) -> dict:
    """Monte Carlo, tornado, switching values and commitment answers (JSON-ready).

    With `shortfall_probability` the commitment answers allow that risk of a shortfall;
    otherwise they hold in the base case.
    """
    mc = simulate(scenario, draws=draws, seed=seed)
    rows, switches = sensitivity(scenario, swings(scenario))
    answers = commitment(scenario, shortfall_probability, monte_carlo=mc)
    return {"scenario": scenario.name, **monte_carlo_data(mc),
            "tornado_basis": "P10/P90 of each uncertain input" if scenario.uncertainty and
            scenario.uncertainty.parameters else "main inputs ±20%",
            "tornado": rows,
            "switching_values": switches,
            "commitment": {k: a.to_dict() for k, a in answers.items()}}


def _cell(name: str, column: str, value, start: str) -> str:
    if value is None:
        return "never" if name in MONTH_KPIS and column != "mean" else "-"
    return kpi_value(name, round(value) if name in MONTH_KPIS else value, start)


def _kpi_lines(report: dict, start: str) -> list[str]:
    columns = ("mean", "p10", "p50", "p90")
    rows = [("KPI", "Mean", "P10", "P50", "P90")]
    rows += [(KPIS[k].label, *(_cell(k, c, report["kpis"][k][c], start) for c in columns))
             for k in KPI_NAMES]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return ["  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)])
            for r in rows]


def format_risk_report(report: dict, scenario: Scenario) -> str:
    """The report as readable text: KPIs by their labels, inputs named as the scenario names them
    with their units ("MSK prime contract: start delay (months)"), money in £, months as "Apr 2025"."""
    start = scenario.start
    title = f"Risk: {scenario.name}"
    out = [title, "=" * len(title), f"{report['draws']:,} draws, seed {report['seed']} (Latin hypercube)", ""]
    out += _kpi_lines(report, start)
    month = report["typical_shortfall_month"]
    out += ["", f"Probability of a funding shortfall: {report['probability_of_shortfall']:.1%}"
            + ("" if month is None else f" (typically starting {month_label(start, month)})")]
    extra = report["agency_cost_above_plan"]
    if extra["mean"] is not None and abs(extra["mean"]) > 0.5:
        out.append(f"Agency cost caused by demand above plan: mean {money(extra['mean'])}, "
                   f"P90 {money(extra['p90'])}")
    names = {c.id: c.name for c in scenario.contracts}
    for cid, years in report["risk_transfer"].items():
        out += ["", f"Risk share on {names.get(cid, cid)} (P50 per NHS year; + provider bears a loss / "
                    "commissioner pays):"]
        for y in years:
            out.append(f"  {y['year']}: provider retains {money(y['provider_retained']['p50'])}, "
                       f"commissioner settles {money(y['commissioner_settled']['p50'])}")
    out += ["", f"Tornado ({report['tornado_basis']}): NPV and peak funding at each input's low and high"]
    for t in report["tornado"]:
        path = t["parameter"]
        out.append(f"  {input_label(scenario, path)}: {input_value(path, t['low'])} .. {input_value(path, t['high'])}"
                   f"  NPV {money(t['npv_low'])} .. {money(t['npv_high'])}"
                   f"  peak funding {money(t['peak_funding_low'])} .. {money(t['peak_funding_high'])}")
    short_now = (report["deterministic"]["funding_shortfall"] or 0) > 0
    out += ["", "Switching values (other inputs at base):"]
    for s in report["switching_values"]:
        happens, never = switching_event(s["target"], short_now)
        line = (f"{never} in the range tried" if s["value"] is None
                else f"{happens} at {input_value(s['parameter'], s['value'])}")
        out.append(f"  {input_label(scenario, s['parameter'])}: {line}")
    out += ["", "How much can I commit?"]
    out += [f"  - {a['sentence']} [{a['basis']}]" for a in report["commitment"].values()]
    return "\n".join(out)
