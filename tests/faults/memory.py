#!/usr/bin/env python3
"""Memory-amplification check: rounds of concurrent `POST /v1/surveys/batch` of 1 000 records
with 399 unknown codes each (about 12 MB per body, under the 16 MiB limit), by one volunteer
token. Samples the server's RSS before, during and after, and the size of each answer.

Fails when the peak RSS exceeds the idle RSS by more than AMPLIFICATION x the bytes in flight,
when an answer is larger than 1 MiB, or when RSS has not come back within RETURN_MIB of idle
after the load.

Usage: memory.py BINARY DATA_DIR [--concurrent 4] [--rounds 3]
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from common import arguments, free_port, serve, tideline

AMPLIFICATION = 12  # peak RSS growth allowed per byte of request body in flight
RETURN_MIB = 64  # RSS after the load, above idle
MAX_ANSWER = 1 << 20


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ordinary_load(port, token, pid, seconds):
    """8 clients for `seconds`: 6 reading uncached statistics, 2 posting batches of 100 valid
    surveys. Prints RSS before, at peak and a few seconds after; true when it came back."""
    base = f"http://127.0.0.1:{port}"
    idle, peak = rss_kib(pid), rss_kib(pid)
    deadline = time.time() + seconds
    counts = {"stats": 0, "surveys": 0}

    def read():
        while time.time() < deadline:
            for path in ("/v1/network/stats", "/v1/countries/VN/stats", "/v1/stats?group_by=city&period=month"):
                urllib.request.urlopen(base + path, timeout=60).read()
                counts["stats"] += 1

    def write(worker):
        n = 0
        while time.time() < deadline:
            records = [{"client_id": str(uuid.UUID(int=(worker << 64) + n + i + 1, version=4)), "protocol": "mlw",
                        "date": "2026-02-%02d" % (1 + (n + i) % 28), "kind": "monitoring", "length_m": 100,
                        "items": [{"code": "G1", "count": 3}, {"code": "G27", "count": 20}]} for i in range(100)]
            n += 100
            request = urllib.request.Request(base + "/v1/surveys/batch", data=json.dumps({"records": records}).encode(),
                                             method="POST", headers={"Content-Type": "application/json",
                                                                     "Authorization": f"Bearer {token}"})
            urllib.request.urlopen(request, timeout=60).read()
            counts["surveys"] += 100

    threads = [threading.Thread(target=read) for _ in range(6)]
    threads += [threading.Thread(target=write, args=(w + 1,)) for w in range(2)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_kib(pid))
        time.sleep(0.05)
    time.sleep(3)
    after = rss_kib(pid)
    print(f"ordinary load ({seconds:.0f} s, 6 uncached stats readers + 2 batch writers): {counts['stats']} stats "
          f"answers, {counts['surveys']} surveys stored; RSS before {idle / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB, "
          f"after {after / 1024:.0f} MiB")
    return (after - idle) / 1024 <= RETURN_MIB


def main():
    args = arguments(concurrent=4, rounds=3, load_seconds=20.0)

    url = tideline(args.binary, args.data_dir, "db", "start")[-1]
    env = dict(os.environ, DATABASE_URL=url, TIDELINE_LOG="warn")
    subprocess.run([args.binary, "migrate"], env=env, check=True, capture_output=True)
    tideline(args.binary, args.data_dir, "city", "create", "--name", "Memory City", "--country", "VN", env=env)
    city = subprocess.run(["psql", "-qAtX", url, "-c", "SELECT id FROM cities WHERE name = 'Memory City'"],
                          check=True, capture_output=True, text=True).stdout.strip()
    tideline(args.binary, args.data_dir, "team", "create", "--name", "Memory Team", "--city", city, env=env)
    token = tideline(args.binary, args.data_dir, "token", "create", "--team", "Memory Team", "--role", "volunteer",
                     env=env)[-1]

    port = free_port()
    server = serve(args.binary, url, port, "--workers", "2", "--stats-cache-seconds", "0")
    try:
        records = [{
            "client_id": str(uuid.UUID(int=n + 1, version=4)), "protocol": "mlw", "date": "2026-01-10",
            "length_m": 100, "items": [{"code": f"UNKNOWN-{n}-{i}", "count": 1} for i in range(399)],
        } for n in range(1000)]
        body = json.dumps({"records": records}).encode()
        del records
        idle = rss_kib(server.pid)
        peak, answers, sizes = idle, [], []
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_kib(server.pid))
                time.sleep(0.02)

        def post():
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/surveys/batch", data=body, method="POST",
                                             headers={"Content-Type": "application/json",
                                                      "Authorization": f"Bearer {token}"})
            started = time.time()
            try:
                with urllib.request.urlopen(request, timeout=300) as response:
                    payload = response.read()
                    answers.append((response.status, time.time() - started))
            except urllib.error.HTTPError as e:
                payload = e.read()
                answers.append((e.code, time.time() - started))
            sizes.append(len(payload))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for _ in range(args.rounds):
            threads = [threading.Thread(target=post) for _ in range(args.concurrent)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        done.set()
        sampler.join()
        time.sleep(3)
        after = rss_kib(server.pid)
        in_flight = len(body) * args.concurrent
        growth = (peak - idle) * 1024
        print(f"body: {len(body) / 1e6:.1f} MB x {args.concurrent} concurrent x {args.rounds} rounds")
        print(f"answers: {sorted(set(a[0] for a in answers))}, largest {max(sizes) / 1024:.1f} KiB, "
              f"slowest {max(a[1] for a in answers):.1f} s")
        print(f"RSS: idle {idle / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB "
              f"(growth {growth / in_flight:.1f} x the bytes in flight), after {after / 1024:.0f} MiB")
        ok = (growth <= AMPLIFICATION * in_flight and max(sizes) <= MAX_ANSWER
              and (after - idle) / 1024 <= RETURN_MIB and all(a[0] == 200 for a in answers))
        ordinary = ordinary_load(port, token, server.pid, args.load_seconds)
        ok = ok and ordinary
        print("memory check: " + ("passed" if ok else "FAILED"))
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
