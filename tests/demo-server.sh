# Sourced by the test scripts that need a real server with demo data (schemathesis.sh,
# browser.sh): seeds the demo network into $TIDELINE_DATA_DIR (`$SURVEYS` surveys, `$SAMPLES`
# samples), makes a `$ROLE` token (in $TOKEN), serves on a free loopback port (in $PORT) with
# the rate limits off, waits until it is ready, and stops server and cluster on exit.
BIN=target/debug/tideline
[ -x "$BIN" ] || cargo build --bin tideline
rm -rf "$TIDELINE_DATA_DIR"
export TIDELINE_DATA_DIR TIDELINE_LOG=warn
"$BIN" demo seed --surveys "$SURVEYS" --samples "$SAMPLES" >/dev/null
TOKEN=$("$BIN" token create --team "Xiamen Coastal Guardians" --role "$ROLE" 2>/dev/null | tail -1)
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
