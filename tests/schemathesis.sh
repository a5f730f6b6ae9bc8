#!/usr/bin/env bash
# Property-based API testing with schemathesis (PyPI) against openapi/openapi.json and a real
# server on a loopback port, seeded with a small demo network: no 5xx, no response that
# violates the spec. Used by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.32.5
if ! python3 -m schemathesis.cli --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
BIN=target/debug/tideline
[ -x "$BIN" ] || cargo build --bin tideline
export TIDELINE_DATA_DIR=target/tideline-schemathesis
rm -rf "$TIDELINE_DATA_DIR"
export TIDELINE_LOG=warn
"$BIN" demo seed --surveys 300 --samples 50 >/dev/null
TOKEN=$("$BIN" token create --team "Xiamen Coastal Guardians" --role admin 2>/dev/null | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --bind "127.0.0.1:$PORT" --rate-limit 0 --anonymous-rate-limit 0 --auth-failure-limit 0 &
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
python3 -m schemathesis.cli run openapi/openapi.json --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing --max-time "${SCHEMATHESIS_SECONDS:-60}" --workers 2
