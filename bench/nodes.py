#!/usr/bin/env python3
"""Several nodes on one PostgreSQL database: claim throughput, and the queue at scale.

Two parts, against nodes that are already up (bench/nodes.sh starts them):

  throughput  JOBS trivial jobs sent round-robin to the given nodes (each with SLOTS slots), their
              tenant allowed all of them at once; the rate is read from the jobs' own history
              (first claim to last end), beside the same number of containers made raw through
              the Engine API (create + start + wait + remove, sandboxed as a job's: no network,
              read-only root, no capabilities, user 65534) at the same total concurrency, in the
              same run. The database's share: the nodes' claim transactions
              (stevedore_dispatch_claim_seconds), per job and as a share of the run.
  queue       one node, with 1,000 and then 100,000 jobs queued: submit latency, GET of the first
              page of the queue, a dispatch pass and a claim (stevedore_dispatch_pass_seconds,
              stevedore_dispatch_claim_seconds), each beside the figure at 1,000. The queue is
              filled with SQL (copies of one job submitted through the API), for speed.

Only the standard library, and psql for the fill. Prints Markdown.
"""
import argparse
import http.client
import json
import statistics
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import urlparse

import bench  # bench/bench.py: the raw Engine API baseline


class Node:
    def __init__(self, url, key):
        parsed = urlparse(url)
        self.url, self.host, self.port, self.key = url, parsed.hostname, parsed.port, key

    def call(self, method, path, body=None, key=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Authorization": "Bearer " + (key or self.key)}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        if response.status >= 300:
            raise RuntimeError(f"{method} {self.url}{path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data and data[:1] in (b"{", b"[") else data.decode()

    def metric(self, name):
        """(sum, count) of a timer, from the Prometheus text of /metrics."""
        text = self.call("GET", "/metrics?scope=application")
        total = count = 0.0
        for line in text.splitlines():
            if line.startswith(name + "_sum"):
                total += float(line.rsplit(" ", 1)[1])
            elif line.startswith(name + "_count"):
                count += float(line.rsplit(" ", 1)[1])
        return total, count

    def name(self):
        return self.call("GET", "/api/v1/node")["node"]


def tenant_with_key(node, max_running, max_queued):
    tenant = "bench-" + uuid.uuid4().hex[:8]
    node.call("POST", "/api/v1/tenants", {"id": tenant, "maxRunning": max_running, "maxQueued": max_queued})
    key = node.call("POST", "/api/v1/keys", {"name": tenant, "role": "SUBMITTER", "tenant": tenant})["key"]
    return tenant, key


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def throughput(args):
    nodes = [Node(url, args.key) for url in args.urls.split(",")]
    concurrency = len(nodes) * args.slots
    _, key = tenant_with_key(nodes[0], concurrency, args.jobs + 100)
    spec = {"image": args.image, "command": ["true"], "name": "bench-" + uuid.uuid4().hex[:8]}

    before = [n.metric("stevedore_dispatch_claim_seconds") for n in nodes]
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(lambda i: nodes[i % len(nodes)].call("POST", "/api/v1/jobs", spec, key)["id"],
                            range(args.jobs)))
    ended = []
    for job_id in ids:  # long polls: each answers once its job has ended
        job = nodes[0].call("GET", f"/api/v1/jobs/{job_id}?wait=60s", key=key)
        while job["state"] not in ("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"):
            job = nodes[0].call("GET", f"/api/v1/jobs/{job_id}?wait=60s", key=key)
        ended.append(job)
    after = [n.metric("stevedore_dispatch_claim_seconds") for n in nodes]

    first_claim, last_end, per_node = None, None, {}
    for job in ended:
        job_id = job["id"]
        starting = [parse_time(h["at"]) for h in job["history"] if h["to"] == "STARTING"]
        if job["state"] != "SUCCEEDED" or len(starting) != 1:
            raise RuntimeError(f"job {job_id}: {job['state']}, claimed {len(starting)} times")
        first_claim = min(first_claim or starting[0], starting[0])
        last_end = max(last_end or 0, parse_time(job["finishedAt"]))
        per_node[job["node"]] = per_node.get(job["node"], 0) + 1
    ours = last_end - first_claim

    def raw(_):
        return sandboxed_docker_run(args.docker_socket, args.image)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(raw, range(args.jobs)))
    baseline = time.perf_counter() - start

    claim_seconds = sum(a[0] - b[0] for a, b in zip(after, before))
    claims = sum(a[1] - b[1] for a, b in zip(after, before))
    print(f"| {len(nodes)} | {concurrency} | {args.jobs / baseline:.1f} | {args.jobs / ours:.1f} "
          f"| {baseline / ours:.2f} | {claim_seconds * 1000 / args.jobs:.2f} ms "
          f"| {claim_seconds / ours * 100:.1f} % | {int(claims)} | "
          + ", ".join(f"{n}: {c}" for n, c in sorted(per_node.items())) + " |")


def sandboxed_docker_run(socket_path, image):
    """create + start + wait + remove of `true` through the Engine API, sandboxed as a job is."""
    docker = bench.UnixHTTPConnection(socket_path)
    host = {"NetworkMode": "none", "ReadonlyRootfs": True, "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"], "Tmpfs": {"/tmp": "rw,noexec,nosuid,size=64m"},
            "PidsLimit": 256, "Memory": 512 * 1024 * 1024}
    created = bench.call(docker, "POST", "/containers/create",
                         {"Image": image, "Cmd": ["true"], "User": "65534:65534", "HostConfig": host})
    try:
        bench.call(docker, "POST", f"/containers/{created['Id']}/start")
        bench.call(docker, "POST", f"/containers/{created['Id']}/wait")
    finally:
        bench.call(docker, "DELETE", f"/containers/{created['Id']}?force=1")
        docker.close()


def psql(db, sql):
    done = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-d", db, "-v", "ON_ERROR_STOP=1",
                           "-Atc", sql], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"psql: {done.stderr.strip()}")
    return done.stdout.strip()


def fill(db, template, first, count):
    """Adds count copies of the template job to the queue, numbered from first, each with its
    QUEUED history entry."""
    columns = psql(db, "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                       " WHERE table_name = 'job'").split(",")
    values = []
    for column in columns:
        if column == "id":
            # The template's id with its last 12 hex digits replaced by a counter: one shape, in order.
            values.append("substr(t.id, 1, 24) || lpad(to_hex(n), 12, '0')")
        elif column == "idempotency_key":
            values.append("NULL")
        else:
            values.append("t." + column)
    psql(db, f"INSERT INTO job ({','.join(columns)}) SELECT {','.join(values)}"
             f" FROM job t, generate_series({first}, {first + count - 1}) AS n WHERE t.id = '{template}'")
    psql(db, "INSERT INTO job_history (id, job_id, from_state, to_state, changed_at, attempt, reason)"
             " SELECT nextval('job_history_seq'), j.id, NULL, 'QUEUED', j.created_at, 1, 'submitted'"
             f" FROM job j WHERE j.id LIKE '{template[:24]}%' AND j.id <> '{template}'"
             " AND NOT EXISTS (SELECT 1 FROM job_history h WHERE h.job_id = j.id)")
    psql(db, "VACUUM ANALYZE job")  # as autovacuum leaves a table that has settled


def queue(args):
    node = Node(args.urls.split(",")[0], args.key)
    name = node.name()
    # The queue's jobs belong to one tenant whose quota allows them all; another tenant, with the
    # default-sized quota of 1,000, submits beside it.
    _, bulk_key = tenant_with_key(node, 4, 200_000)
    _, other_key = tenant_with_key(node, 4, 1000)
    spec = {"image": args.image, "command": ["true"], "name": "bench-queue"}

    def set_draining(draining):
        node.call("POST", f"/api/v1/nodes/{name}/{'drain' if draining else 'undrain'}", {})
        want = "DRAINING" if draining else "UP"
        while not any(n["name"] == name and n["state"] == want and (not draining or n["running"] == 0)
                      for n in node.call("GET", "/api/v1/nodes")):
            time.sleep(0.5)
        time.sleep(args.beat)  # the node reads its drain with its next heartbeat

    def timed(call):
        times = []
        for _ in range(args.samples):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def measure():
        other = timed(lambda: node.call("POST", "/api/v1/jobs", spec, other_key))
        bulk = timed(lambda: node.call("POST", "/api/v1/jobs", spec, bulk_key))
        page = timed(lambda: node.call("GET", "/api/v1/jobs?state=QUEUED&limit=50"))
        passes0, claims0 = node.metric("stevedore_dispatch_pass_seconds"), node.metric("stevedore_dispatch_claim_seconds")
        set_draining(False)
        while node.metric("stevedore_dispatch_claim_seconds")[1] - claims0[1] < args.samples:
            time.sleep(0.5)
        set_draining(True)
        passes1, claims1 = node.metric("stevedore_dispatch_pass_seconds"), node.metric("stevedore_dispatch_claim_seconds")
        mean = lambda a, b: (a[0] - b[0]) / max(1, a[1] - b[1])
        return {"other": other, "bulk": bulk, "page": page,
                "pass": mean(passes1, passes0), "claim": mean(claims1, claims0)}

    set_draining(True)
    template = node.call("POST", "/api/v1/jobs", spec, bulk_key)["id"]
    fill(args.db, template, 1, 1000 - 1)
    measure()  # warms the server up (compiled code, pools, caches): its figures are not kept
    small = measure()
    queued = int(psql(args.db, "SELECT count(*) FROM job WHERE state = 'QUEUED'"))
    fill(args.db, template, 1000, 100_000 - queued)
    queued_large = int(psql(args.db, "SELECT count(*) FROM job WHERE state = 'QUEUED'"))
    large = measure()
    set_draining(False)

    ms = lambda s: f"{s * 1000:.2f} ms"
    print(f"| | 1,000 queued | {queued_large:,} queued | ratio (target ≤ 1.5) |")
    print("| --- | --- | --- | --- |")
    for label, key_ in (("submit by another tenant (p50)", "other"),
                        ("submit by the tenant whose jobs fill the queue (p50)", "bulk"),
                        ("first page of the queue (p50)", "page"),
                        ("dispatch pass (mean)", "pass"), ("claim (mean)", "claim")):
        print(f"| {label} | {ms(small[key_])} | {ms(large[key_])} | {large[key_] / small[key_]:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["throughput", "queue"])
    parser.add_argument("--urls", required=True, help="the nodes, comma-separated")
    parser.add_argument("--key", required=True, help="the administrator key")
    parser.add_argument("--slots", type=int, default=4, help="each node's max-concurrent")
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--beat", type=float, default=5, help="the nodes' heartbeat interval, seconds")
    parser.add_argument("--db", default="stevedore_bench")
    parser.add_argument("--docker-socket", default="/var/run/docker.sock")
    parser.add_argument("--image", default="stevedore/agent:latest")
    args = parser.parse_args()
    bench.API_KEY = args.key
    throughput(args) if args.part == "throughput" else queue(args)


if __name__ == "__main__":
    main()
