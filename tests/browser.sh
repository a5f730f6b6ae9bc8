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
[ -x /usr/bin/chromium ] || { echo "chromium is missing: run make deps"; exit 1; }
BIN=target/debug/tideline
[ -x "$BIN" ] || cargo build --bin tideline
export TIDELINE_DATA_DIR=target/tideline-browser
rm -rf "$TIDELINE_DATA_DIR"
export TIDELINE_LOG=warn
"$BIN" demo seed --surveys 1200 --samples 150 >/dev/null
TOKEN=$("$BIN" token create --team "Xiamen Coastal Guardians" --role researcher 2>/dev/null | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --bind "127.0.0.1:$PORT" --rate-limit 0 --anonymous-rate-limit 0 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; "$BIN" db stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
python3 - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/ready", timeout=2)
        break
    except Exception:
        time.sleep(0.2)
PY
"$VENV/bin/python" tests/browser/ogc_client.py "http://127.0.0.1:$PORT" "$TOKEN"
"$VENV/bin/python" tests/browser/pages.py "http://127.0.0.1:$PORT" target/screenshots
