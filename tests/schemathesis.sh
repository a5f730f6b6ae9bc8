#!/usr/bin/env bash
# Property-based API testing with schemathesis (PyPI) against openapi/openapi.json and a real
# server on a loopback port, seeded with a small demo network: no 5xx, no response that
# violates the spec. Used by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=4.32.5
# A private virtual environment: works with Debian's own python3 (which refuses system-wide pip
# installs, PEP 668) as with any other, and never touches the user's packages.
VENV=target/schemathesis-venv
if ! "$VENV/bin/python" -m schemathesis.cli --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi
TIDELINE_DATA_DIR=target/tideline-schemathesis SURVEYS=300 SAMPLES=50 ROLE=admin
source tests/demo-server.sh
# Deterministic: derandomized generation (a fixed seed, no example database kept between runs),
# a fixed number of examples per operation (not a time budget) and one worker, so the same code
# gives the same cases in the same order every time.
log=target/schemathesis.log
set +e
"$VENV/bin/python" -m schemathesis.cli run openapi/openapi.json --url "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing --generation-deterministic \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-100}" --workers 1 --no-color 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# A finding (a failed check) and an internal error of the tool are told apart: both fail the
# run, but the last line says which, so a tool crash is never mistaken for a bug in Tideline.
if grep -qE "^=+ FAILURES =+|[0-9]+ failures?" "$log" && [ "$status" != 0 ]; then
  echo "schemathesis: FINDINGS in Tideline (see the FAILURES above)"; exit 1
elif [ "$status" != 0 ]; then
  echo "schemathesis: INTERNAL ERROR of the tool, not a finding (exit $status; see the ERRORS above)"; exit 3
fi
echo "schemathesis: no findings"
