"""Bytes for the Export page: the Excel workbook (when the exporter exists) and CSV tables."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from modeller.metrics import KPI_NAMES, KPIS
from modeller.result import Result
from ui import compute, fmt, tables

log = logging.getLogger(__name__)


@st.cache_data(max_entries=16, show_spinner="Building the workbook…")
def _workbook_bytes(yaml_text: str, risk_id: tuple | None = None, _risk: dict | None = None) -> bytes:
    """Cached on the scenario text and which risk run (draws, seed, accepted risk) it includes."""
    from modeller.export import workbook_bytes

    return workbook_bytes(compute.scenario_of(yaml_text), compute.result_of(yaml_text), _risk)


def workbook(yaml_text: str, risk: dict | None = None, risk_id: tuple | None = None) -> tuple[bytes | None, str]:
    """(xlsx bytes, "") or (None, a plain note saying why there is none); `risk` adds the Risk sheet."""
    try:
        return _workbook_bytes(yaml_text, risk_id if risk else None, risk), ""
    except Exception:  # noqa: BLE001 - a bug in the exporter must not take the CSVs and the YAML down with it
        log.exception("the workbook could not be built for scenario %r", compute.scenario_of(yaml_text).name)
        return None, ("The workbook could not be built for this scenario: an internal error, now logged for us to "
                      "fix, not a problem with your figures. The CSV files below hold the same figures.")


def risk_choice(yaml_text: str) -> tuple[dict | None, tuple | None]:
    """Whether the workbook carries a Risk sheet: the person's own run for this scenario, or none.

    A run is never started silently: without one for this exact scenario, a button offers it.
    Returns (risk report, its identity for the cache) or (None, None).
    """
    from ui import risk_runs  # the risk package loads only when the Export page needs it

    run = risk_runs.run_for(yaml_text)
    if run is not None:
        accepted = f"{run.level:.0%} shortfall risk accepted" if run.level else "base case"
        if st.checkbox(f"Include the risk analysis you ran ({run.draws:,} draws, seed {run.seed})", value=True,
                       key="export_include_risk",
                       help=f"Adds a Risk sheet: Monte Carlo spreads, tornado, switching values and the "
                            f"commitment answers ({accepted}), as on the Risk page."):
            return risk_runs.report(run), (run.draws, run.seed, run.level)
        return None, None
    draws, seed = risk_runs.settings(compute.scenario_of(yaml_text))
    earlier = risk_runs.last_run() is not None
    why = ("The risk analysis you ran was for an earlier version of this scenario" if earlier
           else "No risk analysis has been run for this scenario yet")
    st.caption(f"{why}, so the workbook has no Risk sheet. Run it here with the scenario's own draws and seed, "
               "or on the Risk page to choose them.")
    if st.button(f"Include risk analysis (runs {draws:,} draws)", key="export_run_risk",
                 icon=":material/casino:"):
        risk_runs.run_with_progress(yaml_text, draws, seed)
        st.rerun()
    return None, None


def workforce_csv(result: Result) -> bytes:
    wf = result.workforce()
    wf.columns = [f"{measure}:{role}" for measure, role in wf.columns]
    wf.index = pd.Index([f"{d:%Y-%m}" for d in wf.index], name="month")
    return tables.csv_bytes(wf)


def kpis_csv(result: Result) -> bytes:
    """Every KPI: its name, its label and unit (`metrics.KPIS`), the plain number (a month KPI: the
    0-based model month) and the figure as the app, the workbook and the command line write it."""
    k, start = result.kpis(), result.scenario.start
    return tables.csv_bytes(pd.DataFrame({
        "kpi": KPI_NAMES, "label": [KPIS[n].label for n in KPI_NAMES], "unit": [KPIS[n].unit for n in KPI_NAMES],
        "value": [k[n] for n in KPI_NAMES], "shown": [fmt.kpi_value(n, k[n], start) for n in KPI_NAMES],
    }).set_index("kpi"))
