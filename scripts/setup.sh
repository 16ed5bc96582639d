#!/usr/bin/env bash
# Install everything the app and the tests need on a fresh Debian machine (idempotent).
#   scripts/setup.sh         Python packages for the app only
#   scripts/setup.sh --dev   plus test tools and the Debian packages chromium, libreoffice-calc, poppler-utils
#                            and postgresql (the workspace tests start a throwaway server from its binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ "${1:-}" = "--dev" ]; then
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v soffice >/dev/null || need+=(libreoffice-calc)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
  $PY -m pip install -q -r requirements-dev.txt
else
  $PY -m pip install -q -r requirements.txt
fi
