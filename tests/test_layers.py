"""The engine stays free of UI libraries (DESIGN §2)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_modeller_imports_no_ui_library():
    offenders = []
    for path in (ROOT / "modeller").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in {"streamlit", "altair"}]
    assert offenders == []


def test_layer_check_would_notice(tmp_path):
    # The check above must be able to fail: an import of streamlit is detected by the same walk.
    tree = ast.parse("import streamlit as st\nfrom altair import Chart\n")
    found = {n.names[0].name if isinstance(n, ast.Import) else n.module
             for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))}
    assert found == {"streamlit", "altair"}
