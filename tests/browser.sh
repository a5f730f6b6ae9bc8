#!/usr/bin/env bash
# The pages in Debian's chromium (headless, Playwright) and the OGC API through OWSLib, both
# against a real server seeded with the demo network. Screenshots and printed report cards go
# to target/screenshots/. Used by `make test` (the Makefile's deps step installs chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/browser-venv
PACKAGES=("playwright==1.65.2" "OWSLib==0.35.0")
if ! "$VENV/bin/python" -c 'import playwright, owslib' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}"
fi
[ -x /usr/bin/chromium ] || { echo "chromium is missing: run make test-deps"; exit 1; }
TIDELINE_DATA_DIR=target/tideline-browser SURVEYS=1200 SAMPLES=150 ROLE=researcher
source tests/demo-server.sh
"$VENV/bin/python" tests/browser/ogc_client.py "http://127.0.0.1:$PORT" "$TOKEN"
"$VENV/bin/python" tests/browser/pages.py "http://127.0.0.1:$PORT" target/screenshots
