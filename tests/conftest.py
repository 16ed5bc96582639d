"""Shared fixtures: example scenarios, and the rule that tools needed in CI must be present there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# the browser fixtures (app_url, browser, page) for every test module that asks for them
pytest_plugins = ["tests.browser_support"]

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """Path of a system tool; skip on a laptop without it, fail in CI (where .ci/run installs it)."""
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is required in CI but is not installed (.ci/run installs it)")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(params=SCENARIOS, ids=[p.stem for p in SCENARIOS])
def example_path(request) -> Path:
    return request.param
