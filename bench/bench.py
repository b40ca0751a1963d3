#!/usr/bin/env python3
"""Job start-to-end latency and throughput of Stevedore, beside the plain Docker engine.

Runs against a Stevedore server that is already up (STEVEDORE_URL) and the local Docker engine
(its unix socket), in one run, so the ratios compare like with like:

  (a) sequential: N x (create + start + wait + remove of `true`) through the Docker API, against
      N x (submit -> SUCCEEDED) through Stevedore; p50, p95 and their ratio;
  (b) throughput: JOBS trivial jobs as `docker run --rm` at CONCURRENCY in parallel, against the
      same number submitted to Stevedore at once (which runs CONCURRENCY at a time).

Only the standard library is used. Prints a Markdown report.
"""
import argparse
import http.client
import json
import platform
import socket
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import urlparse


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


API_KEY = None  # set from --key; sent to Stevedore only


def call(conn, method, path, body=None, raw=False):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if API_KEY and not isinstance(conn, UnixHTTPConnection):
        headers["Authorization"] = "Bearer " + API_KEY
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
    if raw:
        return data
    return json.loads(data) if data else None


def raw_docker_run(socket_path, image):
    docker = UnixHTTPConnection(socket_path)
    start = time.perf_counter()
    created = call(docker, "POST", "/containers/create", {"Image": image, "Cmd": ["true"]})
    cid = created["Id"]
    call(docker, "POST", f"/containers/{cid}/start")
    call(docker, "POST", f"/containers/{cid}/wait")
    call(docker, "DELETE", f"/containers/{cid}?force=1")
    elapsed = time.perf_counter() - start
    docker.close()
    return elapsed


class Stevedore:
    def __init__(self, url):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 80

    def connection(self):
        return http.client.HTTPConnection(self.host, self.port)

    def submit(self, conn, image, name):
        job = call(conn, "POST", "/api/v1/jobs", {"name": name, "image": image, "command": ["true"]})
        return job["id"]

    def run_one(self, image, poll):
        conn = self.connection()
        start = time.perf_counter()
        job_id = self.submit(conn, image, "bench-seq")
        while True:
            state = call(conn, "GET", f"/api/v1/jobs/{job_id}")["state"]
            if state == "SUCCEEDED":
                break
            if state in ("FAILED", "TIMED_OUT", "CANCELLED"):
                raise RuntimeError(f"job {job_id} ended {state}")
            time.sleep(poll)
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed

    def run_many(self, image, count, poll):
        name = "bench-" + uuid.uuid4().hex[:8]
        conn = self.connection()
        start = time.perf_counter()
        for _ in range(count):
            self.submit(conn, image, name)
        while True:
            page = call(conn, "GET", f"/api/v1/jobs?name={name}&state=SUCCEEDED&limit=500")
            if len(page["items"]) == count:
                break
            failed = call(conn, "GET", f"/api/v1/jobs?name={name}&state=FAILED&limit=500")
            if failed["items"]:
                raise RuntimeError(f"{len(failed['items'])} jobs failed")
            time.sleep(poll * 10)
        elapsed = time.perf_counter() - start
        conn.close()
        return elapsed


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def docker_run_parallel(image, count, concurrency):
    def one(_):
        subprocess.run(["docker", "run", "--rm", image, "true"], check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:9080")
    parser.add_argument("--docker-socket", default="/var/run/docker.sock")
    parser.add_argument("--image", default="stevedore/agent:latest")
    parser.add_argument("--sequential", type=int, default=30, help="runs per side in (a)")
    parser.add_argument("--jobs", type=int, default=100, help="jobs per side in (b)")
    parser.add_argument("--concurrency", type=int, default=4, help="the server's max-concurrent")
    parser.add_argument("--poll", type=float, default=0.005, help="seconds between state polls")
    parser.add_argument("--key", required=True, help="a Stevedore API key with the submitter role")
    args = parser.parse_args()
    global API_KEY
    API_KEY = args.key

    stevedore = Stevedore(args.url)
    # Warm up both paths (image cache, JIT, connection pools).
    for _ in range(3):
        raw_docker_run(args.docker_socket, args.image)
        stevedore.run_one(args.image, args.poll)

    raw, ours = [], []
    for _ in range(args.sequential):  # interleaved, so drift hits both sides alike
        raw.append(raw_docker_run(args.docker_socket, args.image))
        ours.append(stevedore.run_one(args.image, args.poll))

    raw_parallel = docker_run_parallel(args.image, args.jobs, args.concurrency)
    ours_parallel = stevedore.run_many(args.image, args.jobs, args.poll)

    ms = lambda s: f"{s * 1000:.0f} ms"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    docker_version = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
    print(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
          f"{platform.system()} {platform.release()}, {cpu}, {subprocess.os.cpu_count()} cores; "
          f"Docker engine {docker_version}; image {args.image}.")
    print()
    print(f"(a) One job at a time, {args.sequential} runs each, `true`:")
    print()
    print("| | p50 | p95 |")
    print("| --- | --- | --- |")
    print(f"| Docker API: create + start + wait + remove | {ms(percentile(raw, 50))} | {ms(percentile(raw, 95))} |")
    print(f"| Stevedore: submit → SUCCEEDED | {ms(percentile(ours, 50))} | {ms(percentile(ours, 95))} |")
    print(f"| ratio (target ≤ 1.15) | {percentile(ours, 50) / percentile(raw, 50):.2f} | {percentile(ours, 95) / percentile(raw, 95):.2f} |")
    print()
    print(f"(b) {args.jobs} trivial jobs, {args.concurrency} at a time:")
    print()
    print("| | total | jobs/s |")
    print("| --- | --- | --- |")
    print(f"| `docker run --rm` × {args.concurrency} in parallel | {raw_parallel:.1f} s | {args.jobs / raw_parallel:.2f} |")
    print(f"| Stevedore, max-concurrent {args.concurrency} | {ours_parallel:.1f} s | {args.jobs / ours_parallel:.2f} |")
    print(f"| ratio (target ≥ 0.9) | | {raw_parallel / ours_parallel:.2f} |")


if __name__ == "__main__":
    main()
