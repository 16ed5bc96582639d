"""Regenerate tests/golden/kpis.json from the example scenarios: the only way the golden file changes.

Run: python -m tools.update_golden   (then review `git diff tests/golden` before committing)
"""

from __future__ import annotations

import json
from pathlib import Path

from modeller import load_scenario, run

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "kpis.json"


def golden_kpis() -> dict:
    out = {}
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        result = run(load_scenario(path))
        out[path.name] = {"kpis": result.kpis(), "financial_years": result.financial_years()}
    return out


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_kpis(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
