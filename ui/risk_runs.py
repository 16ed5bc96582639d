"""Risk analyses for the app, cached on the scenario text, and the one run each person keeps.

The Risk page runs the Monte Carlo; the Export page reuses that run for the workbook's Risk
sheet (never rerunning it silently). Imported only by those two pages: the risk package is
not needed for the first screen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

# Streamlit's own Altair conversion (private, so the version is pinned in requirements.txt)
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from modeller.risk import simulate
from modeller.risk.commitment import commitment
from modeller.risk.report import monte_carlo_data
from modeller.risk.switching import sensitivity as sensitivity_and_switching
from modeller.scenario import Scenario
from ui import compute, risk_view

DEFAULT_DRAWS, DEFAULT_SEED = 1000, 42


@dataclass(frozen=True)
class Run:
    """The Monte Carlo a person last ran: for which scenario text, with what draws, seed and accepted risk."""
    yaml_text: str
    draws: int
    seed: int
    mc: object  # modeller.risk.montecarlo.MonteCarloResult
    level: float | None = None  # shortfall risk accepted for the commitment answers (0.1 = 10%)


def settings(scenario: Scenario) -> tuple[int, int]:
    """The scenario's own draws and seed, or the app's defaults without an `uncertainty:` section."""
    u = scenario.uncertainty
    return (u.draws, u.seed) if u is not None else (DEFAULT_DRAWS, DEFAULT_SEED)


class FinishedRuns:
    """Finished Monte Carlo runs, shared by every visitor: the newest `size`, under a lock.

    Not `st.cache_data`: a run draws its own progress bar, and a cached function must never
    update a widget made outside it (on the next visitor's cache hit Streamlit replays the
    call and fails with CacheReplayClosureError). Here the bar lives outside the cache and
    a finished run is simply looked up.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._runs: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
            return self._runs.get(key)

    def put(self, key: tuple, value) -> None:
        with self._lock:
            self._runs[key] = value
            self._runs.move_to_end(key)
            while len(self._runs) > self.size:
                self._runs.popitem(last=False)


@st.cache_resource(show_spinner=False)
def finished_runs() -> FinishedRuns:
    """The one store of finished runs for this server (created once, draws nothing)."""
    return FinishedRuns()


def monte_carlo(yaml_text: str, draws: int, seed: int, progress: Callable[[float], None] | None = None):
    """The Monte Carlo for this scenario text, draws and seed: a finished run if any visitor made one."""
    store, key = finished_runs(), (yaml_text, draws, seed)
    mc = store.get(key)
    if mc is None:
        mc = simulate(compute.scenario_of(yaml_text), draws=draws, seed=seed, progress=progress)
        store.put(key, mc)
    return mc


@st.cache_data(max_entries=16, show_spinner="Tornado and switching values…")
def sensitivity(yaml_text: str) -> tuple[list[dict], list[dict]]:
    """(tornado rows, switching values), from shared engine batches."""
    return sensitivity_and_switching(compute.scenario_of(yaml_text))


@st.cache_data(max_entries=32, show_spinner="Working out how much you can commit…")
def commitment_answers(yaml_text: str, level: float | None, draws: int, seed: int, _mc) -> dict[str, dict]:
    """The four commitment answers by question, allowing `level` risk of a shortfall (None: base case).

    `_mc` is the Monte Carlo of (yaml_text, draws, seed): its draws and flows are reused, so the
    answers depend only on the hashed arguments (Streamlit does not hash a leading-underscore one)."""
    return {q: a.to_dict() for q, a in commitment(compute.scenario_of(yaml_text), level, monte_carlo=_mc).items()}


@st.cache_data(max_entries=16, show_spinner=False)
def scenario_figures(yaml_text: str) -> dict[str, float]:
    """The scenario's own figure for each commitment question (`risk_view.scenario_figures`: one engine run)."""
    return risk_view.scenario_figures(compute.scenario_of(yaml_text))


@st.cache_data(max_entries=64, show_spinner=False)
def chart_spec(kind: str, yaml_text: str, draws: int, seed: int, option, _build: Callable[[], object]) -> dict:
    """The Vega-Lite spec of one of a run's charts, as `st.altair_chart` would make it, made once:
    building and converting an Altair chart costs about 0.1-0.4 s, every rerun (a slider move).

    The key is the chart's kind, its run (scenario text, draws, seed) and `option` (a KPI, a
    measure, an accepted risk); `_build` (not hashed) makes the chart. Draw it with
    `st.vega_lite_chart(spec=...)`, which takes the spec's datasets out (so each call gets a copy)."""
    return _convert_altair_to_vega_lite_spec(_build())


def run_with_progress(yaml_text: str, draws: int, seed: int) -> Run:
    """Run (or fetch) the Monte Carlo with a progress bar, and keep it as this person's run."""
    bar = st.progress(0.0, text="Running draws…")
    mc = monte_carlo(yaml_text, draws, seed,
                     progress=lambda f: bar.progress(min(f, 1.0), text=f"Running draws… {f:.0%}"))
    bar.progress(1.0, text=f"{draws:,} draws done")
    kept = Run(yaml_text, draws, seed, mc, getattr(last_run(), "level", None))
    st.session_state.risk_last = kept
    return kept


def last_run() -> Run | None:
    return st.session_state.get("risk_last")


def run_for(yaml_text: str) -> Run | None:
    """This person's run if it belongs to exactly this scenario text, else None."""
    got = last_run()
    return got if got is not None and got.yaml_text == yaml_text else None


def remember_level(level: float | None) -> None:
    """The accepted shortfall risk shown on the Risk page, for the workbook's commitment answers."""
    got = last_run()
    if got is not None and got.level != level:
        st.session_state.risk_last = Run(got.yaml_text, got.draws, got.seed, got.mc, level)


def report(run: Run) -> dict:
    """The workbook's Risk sheet data (as `modeller.risk.report.risk_report`) from the cached analyses."""
    sc = run.mc.scenario
    rows, switches = sensitivity(run.yaml_text)
    varied = sc.uncertainty is not None and bool(sc.uncertainty.parameters)
    return {"scenario": sc.name, **monte_carlo_data(run.mc),
            "tornado_basis": "P10/P90 of each uncertain input" if varied else "main inputs ±20%",
            "tornado": rows, "switching_values": switches,
            "commitment": commitment_answers(run.yaml_text, run.level, run.draws, run.seed, run.mc)}
