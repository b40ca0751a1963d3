#!/usr/bin/env python3
"""Warm pools beside the raw engine, in one run. Stevedore's side is timed from its own events
(/ws/events), never by polling; the raw side is the same sandboxed container made through the
Docker Engine API (capabilities dropped, read-only root, /tmp tmpfs, limits, ulimits, user 65534,
no network, the two workspace bind mounts).

  latency   N x raw sandboxed run of `true` (create + start + wait + remove), N x raw exec of `true`
            into a running sandboxed container, N x pooled job submit -> SUCCEEDED (reuse never and
            reuse tenant); p50, p95 and the ratio to the raw sandboxed run (target p50 <= 0.25).
  init      a pool whose init takes 5 s: a pooled job `true` against a cold job `sleep 5; true`.
  batch     ITEMS trivial items at parallelism P on a reuse-tenant pool of P against the same
            batch cold; items/s and their ratio (target >= 3).
  memory    20 items `sleep` running in 20 cold containers against 20 items in a reuse pool of 4,
            summed from the engine's cgroup figures of the containers while they run.

Needs a server whose max-concurrent and tenant running quota are at least 20 for `memory`, and at
least P otherwise (bench/run.sh starts one so). Only the standard library is used.
"""
import argparse
import base64
import http.client
import json
import os
import socket
import struct
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import quote, urlparse

import bench  # bench.py, beside this script
from bench import UnixHTTPConnection, call, percentile

IMAGE = "stevedore/agent:latest"


# ---- the raw side ----

SANDBOX_DIRS = []


def sandboxed(command, memory_mb=64, cpus=0.5):
    """A container spec as Stevedore makes it, with workspace directories of its own."""
    base = tempfile.mkdtemp(prefix="bench-raw-")
    inside, out = os.path.join(base, "in"), os.path.join(base, "out")
    os.mkdir(inside, 0o755)
    os.mkdir(out)
    os.chmod(out, 0o777)
    SANDBOX_DIRS.append(base)
    return {
        "Image": IMAGE,
        "Cmd": command,
        "User": "65534:65534",
        "Labels": {"bench": "pools"},
        "HostConfig": {
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges:true"],
            "ReadonlyRootfs": True,
            "Tmpfs": {"/tmp": "rw,nosuid,nodev,mode=1777,size=67108864"},
            "Memory": memory_mb << 20,
            "MemorySwap": memory_mb << 20,
            "NanoCpus": int(cpus * 1e9),
            "PidsLimit": 256,
            "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 1024},
                        {"Name": "nproc", "Soft": 4096, "Hard": 4096}],
            "NetworkMode": "none",
            "Binds": [f"{inside}:/workspace/in:ro", f"{out}:/workspace/out:rw"],
        },
    }


def raw_run(sock):
    docker = UnixHTTPConnection(sock)
    spec = sandboxed(["true"])
    start = time.perf_counter()
    cid = call(docker, "POST", "/containers/create", spec)["Id"]
    call(docker, "POST", f"/containers/{cid}/start")
    call(docker, "POST", f"/containers/{cid}/wait")
    call(docker, "DELETE", f"/containers/{cid}?force=1")
    elapsed = time.perf_counter() - start
    docker.close()
    return elapsed


def raw_exec(sock, cid):
    docker = UnixHTTPConnection(sock)
    start = time.perf_counter()
    exec_id = call(docker, "POST", f"/containers/{cid}/exec",
                   {"Cmd": ["true"], "AttachStdout": True, "AttachStderr": True,
                    "User": "65534:65534"})["Id"]
    call(docker, "POST", f"/exec/{exec_id}/start", {"Detach": False, "Tty": False}, raw=True)
    docker.close()
    docker = UnixHTTPConnection(sock)
    code = call(docker, "GET", f"/exec/{exec_id}/json")["ExitCode"]
    elapsed = time.perf_counter() - start
    docker.close()
    if code != 0:
        raise RuntimeError(f"raw exec exited {code}")
    return elapsed


def container_memory(sock, cid):
    """Bytes the container's cgroup charges, less the page cache it could give back."""
    docker = UnixHTTPConnection(sock)
    stats = call(docker, "GET", f"/containers/{cid}/stats?stream=false&one-shot=true")
    docker.close()
    memory = stats.get("memory_stats", {})
    detail = memory.get("stats", {})
    cache = detail.get("inactive_file", detail.get("total_inactive_file", detail.get("cache", 0)))
    return max(0, memory.get("usage", 0) - cache)


def shim_memory(cids):
    """Resident memory of the engine's per-container shim processes (host side, not in a cgroup
    of the container): what each container costs beyond its own processes."""
    wanted, total = set(cids), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            if not args or b"containerd-shim" not in args[0] or b"-id" not in args:
                continue
            if args[args.index(b"-id") + 1].decode() not in wanted:
                continue
            with open(f"/proc/{pid}/status") as f:
                total += next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))
        except (OSError, ValueError, IndexError, StopIteration):
            pass
    return total


def containers(sock, label):
    docker = UnixHTTPConnection(sock)
    filters = quote(json.dumps({"label": [label], "status": ["running"]}))
    listed = call(docker, "GET", "/containers/json?filters=" + filters)
    docker.close()
    return [c["Id"] for c in listed]


# ---- Stevedore's events ----

class Events:
    """Reads /ws/events in a thread: the arrival time of each job's end, and of each RUNNING."""

    def __init__(self, url):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        conn = http.client.HTTPConnection(self.host, self.port)
        ticket = call(conn, "POST", "/api/v1/tickets")["ticket"]
        conn.close()
        self.sock = socket.create_connection((self.host, self.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET /ws/events?ticket={ticket} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
             f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"no WebSocket: {head!r}")
        self.ended = {}
        self.running = {}
        self.lock = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def read(self):
        try:
            while True:
                first, second = self.exactly(2)
                opcode, length = first & 0x0F, second & 0x7F
                if length == 126:
                    length = struct.unpack(">H", self.exactly(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", self.exactly(8))[0]
                payload = self.exactly(length)
                now = time.perf_counter()
                if opcode == 9:  # ping: answer with a masked pong
                    mask = os.urandom(4)
                    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                    self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
                    continue
                if opcode != 1:
                    continue
                message = json.loads(payload)
                if message.get("type") != "job":
                    continue
                with self.lock:
                    if message["to"] == "RUNNING":
                        self.running[message["jobId"]] = now
                    if message["to"] in ("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"):
                        self.ended[message["jobId"]] = (now, message["to"])
                    self.lock.notify_all()
        except (EOFError, OSError):
            pass

    def await_end(self, job_id, timeout=120):
        with self.lock:
            if not self.lock.wait_for(lambda: job_id in self.ended, timeout):
                raise RuntimeError(f"no end of {job_id} within {timeout} s")
            at, state = self.ended[job_id]
        if state != "SUCCEEDED":
            raise RuntimeError(f"job {job_id} ended {state}")
        return at

    def await_count(self, ids, timeout=600):
        with self.lock:
            if not self.lock.wait_for(lambda: all(i in self.ended for i in ids), timeout):
                raise RuntimeError("jobs did not end in time")
            return max(self.ended[i][0] for i in ids)


class Stevedore:
    def __init__(self, url, events):
        parsed = urlparse(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80)
        self.events = events

    def pool(self, name, size, reuse="never", init=None):
        spec = {"name": name, "image": IMAGE, "resources": {"memoryMb": 64, "cpus": 0.5},
                "tenants": ["*"], "size": size, "reuse": reuse}
        if init:
            spec["init"] = init
        call(self.conn, "POST", "/api/v1/pools", spec)
        deadline = time.time() + 120
        while time.time() < deadline:  # set-up only: nothing is timed while it fills
            node = call(self.conn, "GET", f"/api/v1/pools/{name}")["status"]["nodes"][0]
            if node["warm"] == size:
                return
            time.sleep(0.2)
        raise RuntimeError(f"pool {name} did not fill")

    def settle(self, *names):
        """Waits, untimed, until the pools are full again: a refill must not run beside a timing."""
        for name in names:
            deadline = time.time() + 60
            while time.time() < deadline:
                status = call(self.conn, "GET", f"/api/v1/pools/{name}")
                if status["status"]["nodes"][0]["warm"] == status["spec"]["size"]:
                    break
                time.sleep(0.05)

    def drop(self, name):
        call(self.conn, "DELETE", f"/api/v1/pools/{name}")

    def submit(self, command, pool=None):
        spec = {"name": "bench-pool", "image": IMAGE, "command": command}
        if pool:
            spec["pool"] = pool
        else:
            spec["resources"] = {"memoryMb": 64, "cpus": 0.5}
        return call(self.conn, "POST", "/api/v1/jobs", spec)["id"]

    def run(self, command, pool=None):
        start = time.perf_counter()
        job_id = self.submit(command, pool)
        return self.events.await_end(job_id) - start

    def batch(self, count, parallelism, pool=None):
        template = {"image": IMAGE, "command": ["true"]}
        if pool:
            template["pool"] = pool
        else:
            template["resources"] = {"memoryMb": 64, "cpus": 0.5}
        body = {"name": "bench-batch", "template": template, "items": [{} for _ in range(count)],
                "parallelism": parallelism, "checkpointEvery": 10}
        start = time.perf_counter()
        batch_id = call(self.conn, "POST", "/api/v1/batches", body)["id"]
        # The item jobs are made as the batch runs: their ids come from the item list, their ends
        # from the events.
        deadline = time.time() + 600
        while time.time() < deadline:
            items = call(self.conn, "GET", f"/api/v1/batches/{batch_id}/items")
            ids = [i["jobId"] for i in items if i.get("jobId")]
            if len(ids) == count:
                break
            time.sleep(0.5)
        end = self.events.await_count(ids)
        return end - start


def latency(stevedore, sock, runs):
    stevedore.pool("bench-never", 2, "never")
    stevedore.pool("bench-reuse", 2, "tenant")
    docker = UnixHTTPConnection(sock)
    keeper = call(docker, "POST", "/containers/create",
                  sandboxed(["sh", "-c", "while :; do sleep 3600 & wait; done"]))["Id"]
    call(docker, "POST", f"/containers/{keeper}/start")
    docker.close()
    for _ in range(3):  # warm-up of every path
        raw_run(sock), raw_exec(sock, keeper)
        stevedore.run(["true"], "bench-never"), stevedore.run(["true"], "bench-reuse")
    raw, execs, never, reuse = [], [], [], []
    for _ in range(runs):  # interleaved, so drift hits every side alike
        stevedore.settle("bench-never", "bench-reuse")
        raw.append(raw_run(sock))
        execs.append(raw_exec(sock, keeper))
        stevedore.settle("bench-never", "bench-reuse")
        never.append(stevedore.run(["true"], "bench-never"))
        stevedore.settle("bench-never", "bench-reuse")
        reuse.append(stevedore.run(["true"], "bench-reuse"))
    docker = UnixHTTPConnection(sock)
    call(docker, "DELETE", f"/containers/{keeper}?force=1")
    docker.close()
    stevedore.drop("bench-never")
    stevedore.drop("bench-reuse")
    ms = lambda s: f"{s * 1000:.0f} ms"
    base = percentile(raw, 50)
    print(f"Latency, one job at a time, {runs} runs of `true` per row:")
    print()
    print("| | p50 | p95 | p50 ratio to the raw sandboxed run |")
    print("| --- | --- | --- | --- |")
    print(f"| raw sandboxed run: create + start + wait + remove | {ms(base)} | {ms(percentile(raw, 95))} | 1.00 |")
    print(f"| raw exec into a running sandboxed container | {ms(percentile(execs, 50))} | {ms(percentile(execs, 95))} | {percentile(execs, 50) / base:.2f} |")
    print(f"| Stevedore pooled job, reuse never: submit → SUCCEEDED | {ms(percentile(never, 50))} | {ms(percentile(never, 95))} | {percentile(never, 50) / base:.2f} |")
    print(f"| Stevedore pooled job, reuse tenant: submit → SUCCEEDED | {ms(percentile(reuse, 50))} | {ms(percentile(reuse, 95))} | {percentile(reuse, 50) / base:.2f} |")
    print()
    print("Target: pooled p50 ratio ≤ 0.25.")
    print()


def init_section(stevedore):
    stevedore.pool("bench-init", 1, "never", init=["sh", "-c", "sleep 5"])
    pooled = stevedore.run(["true"], "bench-init")
    cold = stevedore.run(["sh", "-c", "sleep 5; true"])
    stevedore.drop("bench-init")
    print("A pool whose init takes 5 s:")
    print()
    print("| | submit → SUCCEEDED |")
    print("| --- | --- |")
    print(f"| pooled job `true` (init ran ahead) | {pooled:.2f} s |")
    print(f"| cold job `sleep 5; true` (the same start-up) | {cold:.2f} s |")
    print()
    print("Target: pooled under 1 s, cold over 5 s.")
    print()


def batch_section(stevedore, items, parallelism, size):
    stevedore.pool("bench-batch", size, "tenant")
    stevedore.batch(8, parallelism, "bench-batch")  # warm-up
    stevedore.batch(8, parallelism)
    pooled = stevedore.batch(items, parallelism, "bench-batch")
    cold = stevedore.batch(items, parallelism)
    stevedore.drop("bench-batch")
    print(f"A batch of {items} items `true` at parallelism {parallelism}:")
    print()
    print("| | total | items/s |")
    print("| --- | --- | --- |")
    print(f"| cold: a container per item | {cold:.1f} s | {items / cold:.1f} |")
    print(f"| pooled: reuse tenant, a pool of {size} | {pooled:.1f} s | {items / pooled:.1f} |")
    print(f"| ratio (target ≥ 3) | | {cold / pooled:.2f} |")
    print()


def memory_section(stevedore, sock):
    def peak(label, job_ids):
        """At the most containers seen running at once (the highest sum among those): the sum of
        their cgroup figures, how many, and their shims' resident memory."""
        best, count, shims = 0, 0, 0
        while not all(j in stevedore.events.ended for j in job_ids):
            ids = containers(sock, label)

            def memory(c):
                try:
                    return container_memory(sock, c)
                except (RuntimeError, AttributeError):
                    return 0  # ended between the listing and the reading

            # The engine takes about a second per container to answer: ask for all at once.
            with ThreadPoolExecutor(max_workers=max(1, len(ids))) as readers:
                total = sum(readers.map(memory, ids))
            if (len(ids), total) > (count, best):
                best, count, shims = total, len(ids), shim_memory(ids)
            time.sleep(0.2)  # sampling the engine's figures, not timing anything
        return best, count, shims

    # Long enough for all 20 to be started at once on a small machine.
    cold_ids = [stevedore.submit(["sleep", "20"]) for _ in range(20)]
    cold, cold_count, cold_shims = peak("stevedore.job", cold_ids)
    stevedore.events.await_count(cold_ids)
    stevedore.pool("bench-memory", 4, "tenant")
    pooled_ids = [stevedore.submit(["sleep", "2"], "bench-memory") for _ in range(20)]
    pooled, pooled_count, pooled_shims = peak("stevedore.pool=bench-memory", pooled_ids)
    stevedore.events.await_count(pooled_ids)
    stevedore.drop("bench-memory")
    mib = lambda b: f"{b / (1 << 20):.1f} MiB"
    print("Memory of 20 items `sleep`, from the engine's cgroup figures (usage less inactive page cache):")
    print()
    print("| | containers | their cgroups | their shims (host) | both |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| 20 items in 20 cold containers | {cold_count} at the peak | {mib(cold)} | {mib(cold_shims)} | {mib(cold + cold_shims)} |")
    print(f"| 20 items in a reuse pool of 4 | {pooled_count} at the peak | {mib(pooled)} | {mib(pooled_shims)} | {mib(pooled + pooled_shims)} |")
    ratio = lambda a, b: f"{a / b:.1f} ×" if b else "n/a"
    print(f"| ratio | | {ratio(cold, pooled)} | {ratio(cold_shims, pooled_shims)} | {ratio(cold + cold_shims, pooled + pooled_shims)} |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:9080")
    parser.add_argument("--key", required=True)
    parser.add_argument("--docker-socket", default="/var/run/docker.sock")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--batch-pool-size", type=int, default=0,
                        help="size of the batch's pool; 0: twice the parallelism, so that a"
                             " container is emptied while another serves")
    parser.add_argument("--sections", default="latency,init,batch,memory")
    args = parser.parse_args()
    bench.API_KEY = args.key  # sent to Stevedore only
    events = Events(args.url)
    stevedore = Stevedore(args.url, events)
    sections = args.sections.split(",")
    print(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {socket.gethostname()}, "
          f"{os.cpu_count()} cores, image {IMAGE}.")
    print()
    if "latency" in sections:
        latency(stevedore, args.docker_socket, args.runs)
    if "init" in sections:
        init_section(stevedore)
    if "batch" in sections:
        batch_section(stevedore, args.items, args.parallelism,
                      args.batch_pool_size or 2 * args.parallelism)
    if "memory" in sections:
        memory_section(stevedore, args.docker_socket)


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil
        for d in SANDBOX_DIRS:
            shutil.rmtree(d, ignore_errors=True)
