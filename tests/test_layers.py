"""Layers (DESIGN §2): the engine never imports UI libraries; app pages never compute money."""

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


def test_pages_do_no_array_arithmetic():
    # pages lay out widgets; numbers come from the engine's Result or the helpers in ui/
    assert _offenders(ROOT / "ui" / "pages", ARRAY_LIBRARIES) == []


def test_the_check_notices_imports_in_every_form():
    source = "import streamlit as st\nfrom altair import Chart\nimport os, numpy.linalg\nfrom . import x\n"
    assert imported(source, UI_LIBRARIES) == ["streamlit", "altair"]
    assert imported(source, ARRAY_LIBRARIES) == ["numpy.linalg"]
