"""Monte Carlo speed: 10,000 draws of the 120-month example through `modeller.risk.simulate`,
beside the same Monte Carlo through the `monaco` library calling the engine once per draw;
and the Risk page's computations for the MSK example (Monte Carlo, tornado and switching
values, commitment answers), with a slider move (the answers at a new accepted risk).

Run: python -m bench.bench_risk   (prints a table; targets from issue 5 in the last column)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import monaco as mc
import numpy as np
from scipy import stats

from bench.table import print_table
from modeller import load_scenario, run_batch
from modeller.risk import simulate
from modeller.scenario import Parameter
from modeller.scenario_io import scenario_from_data, scenario_to_data

ROOT = Path(__file__).resolve().parents[1]
LONG = ROOT / "scenarios" / "imaging_scanners.yaml"
MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
REPEATS = 3   # each Risk page figure is the best of this many (the machine is shared)
DRAWS = 10_000
MONACO_DRAWS = 200
FALLBACK_UNCERTAINTY = {"draws": DRAWS, "seed": 42, "parameters": [
    {"path": "activity.icb_mri.per_month", "dist": "pert", "low": 850, "mode": 1100, "high": 1250},
    {"path": "activity.icb_mri.annual_growth", "dist": "triangular", "low": 0.0, "mode": 0.05, "high": 0.08},
    {"path": "contracts.trust_waiting_list.start_delay_months", "dist": "discrete", "values": [0, 3, 6],
     "probabilities": [0.6, 0.3, 0.1]},
    {"path": "workforce.roles.radiographer.fill_rate", "dist": "pert", "low": 0.75, "mode": 0.9, "high": 1.0},
]}


def scenario():
    """The 120-month example with its uncertainty section (or a stand-in if it has none yet)."""
    s = load_scenario(LONG)
    if s.uncertainty is not None and s.uncertainty.parameters:
        return s
    data = scenario_to_data(s)
    data["uncertainty"] = FALLBACK_UNCERTAINTY
    return scenario_from_data(data, LONG.name)


def many_draws() -> None:
    """Child process: 'seconds tracemalloc_mb rss_mb' for simulate() with 10,000 draws."""
    s = scenario()
    simulate(s, draws=1000)                                            # warm up imports and caches
    t = time.perf_counter()
    result = simulate(s, draws=DRAWS)
    seconds = time.perf_counter() - t
    tracemalloc.start()                                                # traced separately: it slows allocation
    simulate(s, draws=DRAWS)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    assert result.kpis["npv"].shape == (DRAWS,)
    print(f"{seconds} {peak} {rss}")


def _scipy_dist(p: Parameter):
    """The same distribution as a frozen-able scipy one, with the kwargs monaco passes to it."""
    width = (p.high or 0) - (p.low or 0)
    if p.dist == "uniform":
        return stats.uniform, {"loc": p.low, "scale": width}
    if p.dist == "triangular":
        return stats.triang, {"c": (p.mode - p.low) / width, "loc": p.low, "scale": width}
    if p.dist == "pert":
        return stats.beta, {"a": 1 + 4 * (p.mode - p.low) / width, "b": 1 + 4 * (p.high - p.mode) / width,
                            "loc": p.low, "scale": width}
    if p.dist == "normal":
        return stats.norm, {"loc": p.mean, "scale": p.sd}
    if p.dist == "lognormal":
        return stats.lognorm, {"s": p.sigma, "scale": p.median}
    return stats.rv_discrete(values=(p.values, p.probabilities)), {}


def monaco_seconds(s, draws: int) -> float:
    """Wall time of a monaco Monte Carlo that runs the engine once per draw."""
    params = s.uncertainty.parameters

    def preprocess(case):
        return ({p.path: np.array([float(case.invals[p.path].val)]) for p in params},)

    def run_one(overrides):
        return (run_batch(s, overrides).kpis(),)

    def postprocess(case, kpis):
        case.addOutVal("npv", kpis["npv"])
        case.addOutVal("peak_funding_requirement", kpis["peak_funding_requirement"])

    fcns = {mc.SimFunctions.PREPROCESS: preprocess, mc.SimFunctions.RUN: run_one,
            mc.SimFunctions.POSTPROCESS: postprocess}
    sim = mc.Sim("imaging", ndraws=draws, fcns=fcns, seed=42, singlethreaded=True, verbose=False,
                 samplemethod="random")
    for p in params:
        dist, kwargs = _scipy_dist(p)
        sim.addInVar(name=p.path, dist=dist, distkwargs=kwargs)
    t = time.perf_counter()
    sim.runSim()
    return time.perf_counter() - t


def commitment_seconds(s, level: float | None) -> float:
    """The four "how much can I commit?" answers, each checked by the engine at the answer and beyond."""
    from modeller.risk.commitment import commitment

    t = time.perf_counter()
    commitment(s, shortfall_probability=level)
    return time.perf_counter() - t


def best_of(fn, repeats: int = REPEATS) -> float:
    """Least wall time of `repeats` calls (the others are the same work slowed by other processes)."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def risk_page_seconds(draws: int = DRAWS) -> dict[str, float]:
    """What the Risk page computes for the MSK example at `draws` draws, part by part: the Monte
    Carlo, the tornado with switching values, the base-case commitment answers; and a slider move,
    the answers allowing a 10% and then a 20% chance of a shortfall (reusing the run's draws)."""
    from modeller.risk.commitment import commitment
    from modeller.risk.switching import sensitivity

    s = load_scenario(MSK)
    simulate(s, draws=500)                                             # warm up imports
    mc = simulate(s, draws=draws)
    out = {"simulate": best_of(lambda: simulate(s, draws=draws)),
           "sensitivity": best_of(lambda: sensitivity(s)),
           "commitment": best_of(lambda: commitment(s, None, monte_carlo=mc))}
    out["page"] = out["simulate"] + out["sensitivity"] + out["commitment"]
    out["slider_10"] = best_of(lambda: commitment(s, 0.1, monte_carlo=mc))
    out["slider_20"] = best_of(lambda: commitment(s, 0.2, monte_carlo=mc))
    return out


def risk_page_rows(draws: int = DRAWS) -> list[tuple[str, str, str]]:
    t = risk_page_seconds(draws)
    return [(f"Risk page, {draws:,} draws (all four parts), MSK example", f"{t['page']:.2f} s", "<= 1.5 s"),
            ("  Monte Carlo (simulate)", f"{t['simulate']:.2f} s", ""),
            ("  tornado and switching values", f"{t['sensitivity']:.2f} s", ""),
            ("  commitment answers, base case", f"{t['commitment']:.2f} s", ""),
            ("slider move (commitment answers at a new level): 10%", f"{t['slider_10']:.2f} s", "<= 1 s"),
            ("slider move (commitment answers at a new level): 20%", f"{t['slider_20']:.2f} s", "<= 1 s")]


def main() -> None:
    s = scenario()
    out = subprocess.run([sys.executable, "-m", "bench.bench_risk", "--many"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.split()
    seconds, peak, rss = map(float, out)
    mon = monaco_seconds(s, MONACO_DRAWS)
    per_ours, per_monaco = seconds * 1000 / DRAWS, mon * 1000 / MONACO_DRAWS
    rows = [("measure", "value", "target"),
            (f"simulate(): {DRAWS:,} draws x {s.months} months, {len(s.uncertainty.parameters)} uncertain inputs",
             f"{seconds:.2f} s", "<= 2 s"),
            ("  peak memory (numpy allocations, tracemalloc)", f"{peak:,.0f} MB", "<= 1 GB"),
            ("  peak resident memory of the process", f"{rss:,.0f} MB", "<= 1 GB"),
            (f"monaco, engine once per draw: {MONACO_DRAWS} draws", f"{mon:.2f} s", ""),
            ("per draw: simulate()", f"{per_ours:.3f} ms", ""),
            ("per draw: monaco", f"{per_monaco:.2f} ms", ""),
            ("speed-up per draw", f"{per_monaco / per_ours:.0f}x", ">= 50x"),
            ("commitment answers, base case", f"{commitment_seconds(s, None):.2f} s", ""),
            ("commitment answers, P(shortfall) <= 10% over 1,000 draws of their own",
             f"{commitment_seconds(s, 0.1):.2f} s", "")]
    rows += risk_page_rows()
    print_table(rows)


if __name__ == "__main__":
    if "--many" in sys.argv:
        many_draws()
    elif "--page" in sys.argv:        # the Risk page rows only
        print_table([("measure", "value", "target"), *risk_page_rows()])
    else:
        main()
