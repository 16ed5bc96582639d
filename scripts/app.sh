#!/usr/bin/env bash
# Set up (if needed) and start the app on the bundled example scenarios: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec "${PYTHON:-python3}" -m streamlit run app.py --browser.gatherUsageStats=false "$@"
