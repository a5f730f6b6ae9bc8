"""What the fault scripts share: their arguments, a free loopback port, the tideline CLI,
starting a server."""

import argparse
import os
import socket
import subprocess
import time
import urllib.request


def arguments(**options):
    """The release binary and a data directory, then `options` (name: default, typed by it)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("data_dir")
    for name, default in options.items():
        parser.add_argument("--" + name.replace("_", "-"), type=type(default), default=default)
    return parser.parse_args()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def tideline(binary, data_dir, *args, env=None):
    """Runs a tideline command; its standard output as lines."""
    out = subprocess.run([binary, "--data-dir", data_dir, *args], check=True, capture_output=True, text=True, env=env)
    return out.stdout.strip().splitlines()


def serve(binary, database_url, port, *flags, stderr=None):
    """Starts `tideline serve` without rate limits on `port` and waits until /health answers."""
    env = dict(os.environ, DATABASE_URL=database_url, TIDELINE_LOG="warn")
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", "--rate-limit", "0",
                             "--anonymous-rate-limit", "0", *flags], env=env, stderr=stderr)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc
        except Exception:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")
