"""Bytes for the Export page: the Excel workbook (when the exporter exists) and CSV tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from modeller.metrics import KPI_NAMES
from modeller.result import Result
from ui import compute, tables

NOT_YET = "The Excel workbook export is not available in this version yet. The CSV files below hold the same figures."


@st.cache_data(max_entries=16, show_spinner="Building the workbook…")
def _workbook_bytes(yaml_text: str) -> bytes:
    from modeller.export import workbook_bytes

    return workbook_bytes(compute.scenario_of(yaml_text), compute.result_of(yaml_text))


def workbook(yaml_text: str) -> tuple[bytes | None, str]:
    """(xlsx bytes, "") or (None, a plain note saying why there is none)."""
    try:
        from modeller.export import workbook_bytes  # noqa: F401
    except ImportError:
        return None, NOT_YET
    try:
        return _workbook_bytes(yaml_text), ""
    except Exception:  # noqa: BLE001 - a failed export must not take the page down
        return None, "The workbook could not be built for this scenario. The CSV files below hold the same figures."


def workforce_csv(result: Result) -> bytes:
    wf = result.workforce()
    wf.columns = [f"{measure}:{role}" for measure, role in wf.columns]
    wf.index = pd.Index([f"{d:%Y-%m}" for d in wf.index], name="month")
    return tables.csv_bytes(wf)


def kpis_csv(result: Result) -> bytes:
    k = result.kpis()
    return tables.csv_bytes(pd.DataFrame({"kpi": KPI_NAMES, "value": [k[n] for n in KPI_NAMES]}).set_index("kpi"))
