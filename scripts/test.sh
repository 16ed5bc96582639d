#!/usr/bin/env bash
# Set up (if needed) and run every test: unit, property, golden, CLI, app (AppTest),
# browser (Playwright + Debian Chromium) and Excel (LibreOffice recalculation).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
PY=${PYTHON:-python3}
$PY -m ruff check .
$PY -m pytest -p no:cacheprovider "$@"
