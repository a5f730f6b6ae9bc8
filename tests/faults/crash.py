#!/usr/bin/env python3
"""Fault suite: N retrying clients post surveys (single and in batches with Idempotency-Key)
while the Tideline server is killed (-9) and restarted twice and PostgreSQL is killed (-9) and
restarted once. Every record a client saw acknowledged must be stored exactly once; a retry of
an acknowledged body must never be answered 409. Prints acknowledged / stored / lost / doubled
and exits 1 on any loss, duplicate or conflict.

Usage: crash.py BINARY DATA_DIR [--clients N] [--seconds S] [--seed K]
Only loopback addresses are used; every loop is bounded in count and time.
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from common import arguments, free_port, serve, tideline


class Cluster:
    """The managed PostgreSQL of DATA_DIR, driven through `tideline db`."""

    def __init__(self, binary, data_dir):
        self.binary, self.data_dir = binary, data_dir

    def tideline(self, *args, env=None):
        return tideline(self.binary, self.data_dir, *args, env=env)

    def start(self):
        for _ in range(60):
            try:
                return self.tideline("db", "start")[-1]
            except subprocess.CalledProcessError:
                time.sleep(0.5)
        raise SystemExit("PostgreSQL did not restart")

    def psql(self, url, sql):
        out = subprocess.run(["psql", "-qAtX", url, "-c", sql], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def kill(self, url):
        data = self.psql(url, "SHOW data_directory")
        with open(os.path.join(data, "postmaster.pid")) as f:
            pid = int(f.readline())
        os.kill(pid, signal.SIGKILL)
        # the backends notice the postmaster's death and exit; wait for them
        for _ in range(100):
            alive = subprocess.run(["pgrep", "-f", f"postgres.*{data}"], capture_output=True).returncode == 0
            if not alive:
                break
            time.sleep(0.1)


class Server:
    def __init__(self, binary, url, port, log_path):
        self.binary, self.url, self.port, self.proc, self.log_path = binary, url, port, None, log_path

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = serve(self.binary, self.url, self.port, "--stats-cache-seconds", "0", stderr=self.log)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


class Client(threading.Thread):
    """Posts new surveys until told to stop; retries each request until it is answered."""

    def __init__(self, number, base, token, sites, stop, deadline, seed):
        super().__init__(daemon=True)
        self.base, self.token, self.sites, self.stop, self.deadline = base, token, sites, stop, deadline
        self.rng = random.Random(seed * 1000 + number)
        self.acknowledged = {}  # client_id -> stored id
        self.conflicts = []
        self.unanswered = 0
        self.retries = 0
        self.statuses = {}  # retried HTTP statuses and how often

    def survey(self):
        client_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        return {
            "client_id": client_id, "protocol": "mlw", "site_id": self.rng.choice(self.sites),
            "date": "2026-03-%02d" % self.rng.randint(1, 28), "kind": "monitoring", "length_m": 100,
            "items": [{"code": code, "count": self.rng.randint(0, 40)} for code in ("G1", "G7", "G21", "G27")],
        }

    def send(self, path, body, headers):
        """The decoded answer, retrying (same body, same key) until the server answers."""
        data = json.dumps(body).encode()
        while time.time() < self.deadline:
            request = urllib.request.Request(self.base + path, data=data, method="POST", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {self.token}", **headers})
            try:
                with urllib.request.urlopen(request, timeout=20) as response:
                    return response.status, json.loads(response.read())
            except urllib.error.HTTPError as e:
                if e.code >= 500 or e.code in (408, 429):
                    self.statuses[e.code] = self.statuses.get(e.code, 0) + 1
                    if e.code == 503 and not e.headers.get("Retry-After"):
                        self.statuses["503 without Retry-After"] = self.statuses.get("503 without Retry-After", 0) + 1
                if e.code in (503, 500, 502, 504, 408, 429) or (e.code == 409 and "Idempotency-Key" in headers
                                                                and "still being processed" in e.read().decode()):
                    self.retries += 1
                    time.sleep(0.2)
                    continue
                return e.code, json.loads(e.read() or b"{}")
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout, OSError):
                self.retries += 1
                time.sleep(0.2)
        self.unanswered += 1
        return None, None

    def run(self):
        while not self.stop.is_set():
            if self.rng.random() < 0.5:
                body = self.survey()
                status, answer = self.send("/v1/surveys", body, {})
                if status in (200, 201):
                    self.acknowledged[body["client_id"]] = answer["id"]
                elif status == 409:
                    self.conflicts.append(body["client_id"])
            else:
                bodies = [self.survey() for _ in range(self.rng.randint(2, 25))]
                key = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
                status, answer = self.send("/v1/surveys/batch", {"records": bodies}, {"Idempotency-Key": key})
                if status == 200:
                    for body, result in zip(bodies, answer["results"]):
                        if result["outcome"] in ("created", "duplicate"):
                            self.acknowledged[body["client_id"]] = result["id"]
                        elif result["outcome"] == "conflict":
                            self.conflicts.append(body["client_id"])


def main():
    args = arguments(clients=8, seconds=24.0, seed=7)

    cluster = Cluster(args.binary, args.data_dir)
    url = cluster.start()
    env = dict(os.environ, DATABASE_URL=url)
    subprocess.run([args.binary, "migrate"], env=env, check=True, capture_output=True)
    city = cluster.tideline("city", "create", "--name", "Fault City", "--country", "VN", env=env)[-1]
    city_id = cluster.psql(url, "SELECT id FROM cities WHERE name = 'Fault City'")
    other = cluster.tideline("city", "create", "--name", "Other City", "--country", "TH", env=env)
    other_id = cluster.psql(url, "SELECT id FROM cities WHERE name = 'Other City'")
    sites = []
    for n, (cid, lat) in enumerate([(city_id, 16.0), (city_id, 16.1), (other_id, 13.0)]):
        cluster.tideline("site", "create", "--city", cid, "--code", f"F{n}", "--name", f"Fault beach {n}",
                         "--lat", str(lat), "--lon", "108.2", "--length-m", "100", env=env)
        sites.append(int(cluster.psql(url, f"SELECT id FROM sites WHERE code = 'F{n}'")))
    cluster.tideline("team", "create", "--name", "Fault Team", "--city", city_id, "--trusted", env=env)
    token = cluster.tideline("token", "create", "--team", "Fault Team", "--role", "volunteer", env=env)[-1]
    team_id = cluster.psql(url, "SELECT id FROM teams WHERE name = 'Fault Team'")
    del city, other

    port = free_port()
    server = Server(args.binary, url, port, os.path.join(args.data_dir, "server.log"))
    server.start()
    stop = threading.Event()
    deadline = time.time() + args.seconds + 60
    clients = [Client(n, f"http://127.0.0.1:{port}", token, sites, stop, deadline, args.seed)
               for n in range(args.clients)]
    for c in clients:
        c.start()
    step = args.seconds / 5
    events = []
    try:
        time.sleep(step)
        server.kill(); events.append("server kill -9"); time.sleep(0.5); server.start()
        time.sleep(step)
        cluster.kill(url); events.append("postgres kill -9"); time.sleep(1.0); cluster.start()
        time.sleep(step)
        server.kill(); events.append("server kill -9"); time.sleep(0.5); server.start()
        time.sleep(step * 2)
    finally:
        stop.set()
        for c in clients:
            c.join(timeout=90)
        server.stop()

    acknowledged = {}
    for c in clients:
        acknowledged.update(c.acknowledged)
    rows = cluster.psql(url, f"SELECT client_id, count(*) FROM submissions WHERE team_id = {team_id} GROUP BY client_id")
    stored = {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if line}
    surveys = int(cluster.psql(url, f"SELECT count(*) FROM surveys WHERE team_id = {team_id}"))
    lost = [cid for cid in acknowledged if cid not in stored]
    doubled = [cid for cid, n in stored.items() if n > 1]
    conflicts = sum(len(c.conflicts) for c in clients)
    unanswered = sum(c.unanswered for c in clients)
    retries = sum(c.retries for c in clients)
    statuses = {}
    for c in clients:
        for code, n in c.statuses.items():
            statuses[code] = statuses.get(code, 0) + n
    print(f"faults: {', '.join(events)}")
    print(f"clients: {len(clients)}, retried requests: {retries} (HTTP answers among them: "
          f"{dict(sorted(statuses.items(), key=str)) or 'none'}), never answered: {unanswered}")
    print(f"acknowledged: {len(acknowledged)}  stored: {len(stored)} submissions / {surveys} surveys  "
          f"lost: {len(lost)}  doubled: {len(doubled)}  conflicts on own body: {conflicts}")
    server_errors = sum(n for code, n in statuses.items() if code != 503 and str(code).startswith("5"))
    ok = (not lost and not doubled and not conflicts and surveys == len(stored) and len(acknowledged) > 0
          and not server_errors and not unanswered)
    print("fault suite: " + ("passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
