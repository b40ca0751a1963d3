#!/usr/bin/env python3
"""Footprint of a Stevedore node beside a bare Open Liberty server with the same features.

Measures, for each: time from `server start` to ready (Stevedore: /health/ready answers 200;
the bare server: its HTTP port answers) and resident memory after 30 s idle. Then, on
Stevedore only, resident memory with 50 jobs running (`sleep`) and 1,000 queued behind them,
beside the Docker engine's own resident memory at the same moment.

Run by bench/footprint.sh, which builds the server and sets its environment.
"""
import argparse
import http.client
import json
import os
import subprocess
import time
from pathlib import Path


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS for " + str(pid))


def server_pid(wlp, name):
    return int((Path(wlp) / "usr" / "servers" / ".pid" / f"{name}.pid").read_text().strip())


def status(port, path, headers=None):
    conn = http.client.HTTPConnection("localhost", port, timeout=5)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    except OSError:
        return None, None
    finally:
        conn.close()


def start_and_time(wlp, name, port, ready_path, ready_status):
    began = time.monotonic()
    subprocess.run([f"{wlp}/bin/server", "start", name], check=True, stdout=subprocess.DEVNULL)
    while True:
        code, _ = status(port, ready_path)
        if code is not None and (ready_status is None or code == ready_status):
            return time.monotonic() - began
        if time.monotonic() - began > 180:
            raise RuntimeError(f"{name} not ready after 180 s")
        time.sleep(0.05)


class Api:
    def __init__(self, port, key):
        self.conn = http.client.HTTPConnection("localhost", port, timeout=30)
        self.headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}

    def call(self, method, path, body=None):
        self.conn.request(method, path, body=None if body is None else json.dumps(body),
                          headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def submit(self, image, command):
        return self.call("POST", "/api/v1/jobs", {
            "image": image, "command": command, "timeoutSeconds": 3600,
            "resources": {"memoryMb": 16, "cpus": 0.05, "pids": 16}})

    def node_jobs(self):
        return self.call("GET", "/api/v1/node")["jobs"]


def wait_for(what, predicate, limit=600):
    began = time.monotonic()
    while not predicate():
        if time.monotonic() - began > limit:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--wlp", required=True)
    parser.add_argument("--server", default="stevedore")
    parser.add_argument("--baseline-server", default="footprint-baseline")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--baseline-port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--image", default="stevedore/agent:latest")
    parser.add_argument("--running", type=int, default=50)
    parser.add_argument("--queued", type=int, default=1000)
    parser.add_argument("--idle-seconds", type=int, default=30)
    args = parser.parse_args()

    rows = []
    base_ready = start_and_time(args.wlp, args.baseline_server, args.baseline_port, "/", None)
    time.sleep(args.idle_seconds)
    base_rss = rss_mb(server_pid(args.wlp, args.baseline_server))
    subprocess.run([f"{args.wlp}/bin/server", "stop", args.baseline_server], check=True,
                   stdout=subprocess.DEVNULL)

    ready = start_and_time(args.wlp, args.server, args.port, "/health/ready", 200)
    time.sleep(args.idle_seconds)
    pid = server_pid(args.wlp, args.server)
    idle_rss = rss_mb(pid)
    rows.append(("ready after `server start` (s)", base_ready, ready, 10))
    rows.append((f"RSS after {args.idle_seconds} s idle (MB)", base_rss, idle_rss, 350))

    api = Api(args.port, args.key)
    for _ in range(args.running):
        api.submit(args.image, ["sleep", "3600"])
    wait_for("running jobs", lambda: api.node_jobs()["running"] == args.running)
    began = time.monotonic()
    for _ in range(args.queued):
        api.submit(args.image, ["true"])
    submit_seconds = time.monotonic() - began
    wait_for("queued jobs", lambda: api.node_jobs()["queued"] >= args.queued, 60)
    time.sleep(args.idle_seconds)
    loaded_rss = rss_mb(pid)
    dockerd = int(subprocess.run(["pidof", "dockerd"], capture_output=True, text=True,
                                 check=True).stdout.split()[0])
    dockerd_rss = rss_mb(dockerd)

    print(f"| | bare Open Liberty, same features | Stevedore | ratio | target |")
    print(f"| --- | --- | --- | --- | --- |")
    for label, base, value, target in rows:
        print(f"| {label} | {base:.1f} | {value:.1f} | {value / base:.2f} | ≤ {target} |")
    print()
    print(f"| with {args.running} running and {args.queued} queued jobs | MB |")
    print(f"| --- | --- |")
    print(f"| Stevedore RSS | {loaded_rss:.0f} |")
    print(f"| Stevedore RSS, idle (above) | {idle_rss:.0f} |")
    print(f"| Docker engine (dockerd) RSS at the same moment | {dockerd_rss:.0f} |")
    print()
    print(f"{args.queued} submissions took {submit_seconds:.1f} s "
          f"({args.queued / submit_seconds:.0f}/s, one client, one connection).")


if __name__ == "__main__":
    main()
