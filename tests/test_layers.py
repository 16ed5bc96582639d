"""Layers (DESIGN §2): the engine never imports UI libraries; the UI never computes money."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UI_LIBRARIES = {"streamlit", "altair"}
ARRAY_LIBRARIES = {"numpy", "numpy_financial", "scipy"}


def imported(source: str, banned: set[str]) -> list[str]:
    """Top-level packages in `banned` that the source imports (plain or from-imports)."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in banned]


def _offenders(folder: Path, banned: set[str]) -> list[str]:
    return [f"{p.relative_to(ROOT)}: {n}" for p in sorted(folder.rglob("*.py")) for n in imported(p.read_text(), banned)]


def test_modeller_imports_no_ui_library():
    assert _offenders(ROOT / "modeller", UI_LIBRARIES) == []


def test_the_ui_does_no_array_arithmetic():
    # ui/ formats and lays out what the engine returns (Result, modeller.workforce, modeller.risk):
    # arithmetic over months or draws belongs in modeller/, where it is tested once for every layer
    assert _offenders(ROOT / "ui", ARRAY_LIBRARIES) == []


def test_the_app_entry_file_does_no_array_arithmetic():
    assert imported((ROOT / "app.py").read_text(), ARRAY_LIBRARIES) == []


def test_the_check_notices_imports_in_every_form():
    source = "import streamlit as st\nfrom altair import Chart\nimport os, numpy.linalg\nfrom . import x\n"
    assert imported(source, UI_LIBRARIES) == ["streamlit", "altair"]
    assert imported(source, ARRAY_LIBRARIES) == ["numpy.linalg"]
