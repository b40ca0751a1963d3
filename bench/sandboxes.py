#!/usr/bin/env python3
"""Sandboxes beside the raw engine, in one run. Stevedore's side is timed by its HTTP answers (a
create answers when the sandbox is READY, an exec when its command has ended); the raw side is
the same sandboxed container, or the same container, driven through the Docker Engine API.

  create    N x (the raw sandboxed container made and started through the Engine API: create +
            start), N x POST /api/v1/sandboxes from a warm pool, N x the same cold (its image);
            each sandbox is deleted and the pool full again (checked without timing) before the
            next timing. p50, p90, p99 (target: from the pool, p50 <= 100 ms).
  exec      N x raw exec of `true` into the sandbox's own container (exec create + start, its
            stream read to the end, inspect for the exit code, as the sandbox user in /workspace),
            N x the same with Stevedore's one-line shell wrapper around `true`, N x POST
            /api/v1/sandboxes/{id}/exec of `true` and N x GET of the sandbox (the API's own
            floor), interleaved (target: p50 <= 1.3 x raw).
  load      SANDBOXES cold sandboxes, each driven by a thread of its own with LOOPS execs of
            `true` in a row, all at once: first raw execs into their containers, then Stevedore's;
            every answer counted, p50, p90, p99, wall time and execs/s.

Needs a server whose tenant running quota and STEVEDORE_SANDBOXES_MAX_PER_NODE are at least
SANDBOXES + 1 (bench/run.sh starts one so). Every sandbox and the pool it makes are deleted at
the end, also when a section fails. Only the standard library is used.
"""
import argparse
import http.client
import os
import shutil
import socket
import threading
import time
from datetime import datetime, timezone
from urllib.parse import urlparse

import bench  # bench.py, beside this script
import pools  # pools.py: the raw sandboxed container spec
from bench import UnixHTTPConnection, call, percentile

IMAGE = pools.IMAGE
POOL = "bench-sbx"

# As Stevedore starts a sandbox container (its main process) and wraps each command.
KEEPER = ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait; done"]
WRAPPER = ("echo $$; if [ -n \"${STEVEDORE_STDIN+x}\" ]; then s=$STEVEDORE_STDIN;"
           " unset STEVEDORE_STDIN; printf '%s' \"$s\" | \"$@\"; else exec \"$@\"; fi")
# The job defaults, which a pool or a sandbox without resources takes.
MEMORY_MB, CPUS = 512, 1.0


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def spread(values):
    return [percentile(values, p) for p in (50, 90, 99)]


# ---- the raw side ----

class Raw:
    """The engine, straight: containers made here are removed at the end whatever happens."""

    def __init__(self, sock):
        self.sock = sock
        self.made = set()

    def create_start(self):
        """Create + start of the sandboxed container with the keeper; removed untimed after."""
        spec = pools.sandboxed(KEEPER, MEMORY_MB, CPUS)
        spec["Labels"] = {"bench": "sandboxes"}
        docker = UnixHTTPConnection(self.sock)
        start = time.perf_counter()
        cid = call(docker, "POST", "/containers/create", spec)["Id"]
        self.made.add(cid)
        call(docker, "POST", f"/containers/{cid}/start")
        elapsed = time.perf_counter() - start
        docker.close()
        self.remove(cid)
        return elapsed

    def remove(self, cid):
        docker = UnixHTTPConnection(self.sock)
        try:
            call(docker, "DELETE", f"/containers/{cid}?force=1")
        finally:
            docker.close()
        self.made.discard(cid)

    def exec(self, cid, command):
        """An exec as Stevedore makes one: the sandbox user, /workspace, both streams attached
        and read to their end, then the exit code."""
        docker = UnixHTTPConnection(self.sock)
        start = time.perf_counter()
        exec_id = call(docker, "POST", f"/containers/{cid}/exec",
                       {"Cmd": command, "AttachStdout": True, "AttachStderr": True,
                        "User": "65534:65534", "WorkingDir": "/workspace"})["Id"]
        # The engine answers the start with the raw stream and closes it when the command ends.
        call(docker, "POST", f"/exec/{exec_id}/start", {"Detach": False, "Tty": False}, raw=True)
        docker.close()
        docker = UnixHTTPConnection(self.sock)
        for _ in range(1000):  # the engine records the end a moment after it closes the stream
            inspected = call(docker, "GET", f"/exec/{exec_id}/json")
            if not inspected["Running"]:
                break
        elapsed = time.perf_counter() - start
        docker.close()
        if inspected["ExitCode"] != 0:
            raise RuntimeError(f"raw exec exited {inspected['ExitCode']}")
        return elapsed


# ---- Stevedore's side ----

class Stevedore:
    """The API; every sandbox and pool made here is deleted by cleanup()."""

    def __init__(self, url):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.conn = self.connection()
        self.sandboxes = set()
        self.pools = set()
        self.lock = threading.Lock()

    def connection(self):
        return http.client.HTTPConnection(self.host, self.port)

    def define_pool(self, name, size):
        call(self.conn, "POST", "/api/v1/pools",
             {"name": name, "image": IMAGE, "tenants": ["*"], "size": size})
        self.pools.add(name)
        self.settle(name, size, timeout=180)

    def settle(self, name, size, timeout=60):
        """Waits, untimed, until the pool is full again: no refill may run beside a timing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            node = call(self.conn, "GET", f"/api/v1/pools/{name}")["status"]["nodes"]
            if node and node[0]["warm"] == size:
                return
            time.sleep(0.02)
        raise RuntimeError(f"pool {name} not full again within {timeout} s")

    def drop_pool(self, name):
        call(self.conn, "DELETE", f"/api/v1/pools/{name}")
        self.pools.discard(name)

    def create(self, body, conn=None):
        """The sandbox's view and the time to its answer (it answers READY)."""
        conn = conn or self.conn
        start = time.perf_counter()
        view = call(conn, "POST", "/api/v1/sandboxes", body)
        elapsed = time.perf_counter() - start
        with self.lock:
            self.sandboxes.add(view["id"])
        if view["state"] != "READY":
            raise RuntimeError(f"sandbox {view['id']} answered {view['state']}")
        return view, elapsed

    def delete(self, sandbox, conn=None):
        call(conn or self.conn, "DELETE", f"/api/v1/sandboxes/{sandbox}")
        with self.lock:
            self.sandboxes.discard(sandbox)

    def exec(self, sandbox, command, conn=None):
        """The exec's answer and the time to it."""
        start = time.perf_counter()
        result = call(conn or self.conn, "POST", f"/api/v1/sandboxes/{sandbox}/exec",
                      {"command": command})
        return result, time.perf_counter() - start

    def cleanup(self):
        conn = self.connection()
        for sandbox in list(self.sandboxes):
            try:
                self.delete(sandbox, conn)
            except (RuntimeError, OSError, http.client.HTTPException) as e:
                print(f"could not delete sandbox {sandbox}: {e}")
        for name in list(self.pools):
            try:
                call(conn, "DELETE", f"/api/v1/pools/{name}")
                self.pools.discard(name)
            except (RuntimeError, OSError, http.client.HTTPException) as e:
                print(f"could not delete pool {name}: {e}")
        conn.close()


# ---- the sections ----

def create_section(stevedore, raw, runs, size):
    warm_body, cold_body = {"pool": POOL}, {"image": IMAGE}
    raws, warms, colds, deletes, missed = [], [], [], [], 0
    for i in range(runs + 3):  # the first three warm every path up and are not counted
        stevedore.settle(POOL, size)
        r = raw.create_start()
        stevedore.settle(POOL, size)
        view, w = stevedore.create(warm_body)
        start = time.perf_counter()
        stevedore.delete(view["id"])
        d = time.perf_counter() - start
        stevedore.settle(POOL, size)
        cold, c = stevedore.create(cold_body)
        stevedore.delete(cold["id"])
        if i >= 3:
            raws.append(r), warms.append(w), colds.append(c), deletes.append(d)
            missed += view["start"] != "warm"
    base = percentile(raws, 50)
    print(f"Create, one at a time, {runs} of each (p99 is the slowest of so few):")
    print()
    print("| | p50 | p90 | p99 | p50 ratio to raw create + start |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in (("raw sandboxed container: create + start", raws),
                         (f"Stevedore from a warm pool of {size}: POST → READY answer", warms),
                         ("Stevedore cold (its image): POST → READY answer", colds)):
        p50, p90, p99 = spread(values)
        print(f"| {name} | {ms(p50)} | {ms(p90)} | {ms(p99)} | {p50 / base:.2f} |")
    print()
    print(f"From the pool: {runs - missed} of {runs} took a warm container; DELETE of such a"
          f" sandbox answered in {ms(percentile(deletes, 50))} at p50.")
    p50 = percentile(warms, 50)
    print(f"Target: from the pool p50 ≤ 100 ms: {ms(p50)}, "
          f"{'met' if p50 <= 0.100 else 'NOT met'} ({p50 / 0.100:.2f} of the target).")
    print()


def exec_section(stevedore, raw, runs, size):
    stevedore.settle(POOL, size)
    view, _ = stevedore.create({"pool": POOL})
    sandbox, container = view["id"], view["container"]
    stevedore.settle(POOL, size)  # its refill ends before the first timing
    wrapped = ["/bin/sh", "-c", WRAPPER, "stevedore-exec", "true"]
    bare, shell, ours, reads = [], [], [], []

    def ours_once():
        result, elapsed = stevedore.exec(sandbox, ["true"])
        if result["exitCode"] != 0:
            raise RuntimeError(f"exec exited {result['exitCode']}")
        return result["durationMs"] / 1000, elapsed

    def read_once():  # the API's own floor: HTTP, the key, the sandbox and its execs read
        start = time.perf_counter()
        call(stevedore.conn, "GET", f"/api/v1/sandboxes/{sandbox}")
        return time.perf_counter() - start

    sides = [lambda: bare.append(raw.exec(container, ["true"])),
             lambda: shell.append(raw.exec(container, wrapped)),
             lambda: ours.append(ours_once()),
             lambda: reads.append(read_once())]
    for _ in range(10):  # warm-up of every path
        for side in sides:
            side()
    bare.clear(), shell.clear(), ours.clear(), reads.clear()
    for i in range(runs):  # interleaved, each side first in turn, so drift hits all alike
        for k in range(len(sides)):
            sides[(i + k) % len(sides)]()
    stevedore.delete(sandbox)
    inside = [d for d, _ in ours]
    answers = [a for _, a in ours]
    outside = [a - d for d, a in ours]
    base = percentile(bare, 50)
    print(f"Exec of `true` into one sandbox from the pool, {runs} of each, interleaved:")
    print()
    print("| | p50 | p90 | p99 | p50 ratio to raw exec |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in (("raw exec of `true` (create + start + stream + inspect)", bare),
                         ("raw exec of Stevedore's wrapper around `true`", shell),
                         ("Stevedore: POST …/exec → answer", answers)):
        p50, p90, p99 = spread(values)
        print(f"| {name} | {ms(p50)} | {ms(p90)} | {ms(p99)} | {p50 / base:.2f} |")
    print()
    print(f"Within Stevedore's answer: the engine's exec as the server timed it (durationMs)"
          f" p50 {ms(percentile(inside, 50))}; the rest (HTTP, checks, the exec's record, audit)"
          f" p50 {ms(percentile(outside, 50))}. A GET of the sandbox, interleaved, answered in"
          f" {ms(percentile(reads, 50))} at p50.")
    ratio = percentile(answers, 50) / base
    print(f"Target: p50 ≤ 1.3 × raw: {ratio:.2f} ×, {'met' if ratio <= 1.3 else 'NOT met'}.")
    print()


def load_section(stevedore, raw, count, loops):
    views = []
    start = time.perf_counter()
    for _ in range(count):
        views.append(stevedore.create({"image": IMAGE})[0])
    made = time.perf_counter() - start

    def drive(run_one):
        """Every thread's loop at once; (answer times, failures, wall time)."""
        times, failures = [], []
        lock = threading.Lock()
        began = []
        gate = threading.Barrier(count, action=lambda: began.append(time.perf_counter()))

        def loop(view):
            conn = stevedore.connection()
            mine, wrong = [], []
            gate.wait()
            for _ in range(loops):
                try:
                    mine.append(run_one(view, conn))
                except (RuntimeError, OSError, http.client.HTTPException) as e:
                    wrong.append(str(e)[:200])
                    conn.close()
                    conn = stevedore.connection()
            conn.close()
            with lock:
                times.extend(mine), failures.extend(wrong)

        threads = [threading.Thread(target=loop, args=(v,)) for v in views]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return times, failures, time.perf_counter() - began[0]

    def raw_one(view, _conn):
        return raw.exec(view["container"], ["true"])

    def ours_one(view, conn):
        result, elapsed = stevedore.exec(view["id"], ["true"], conn)
        if result["exitCode"] != 0:
            raise RuntimeError(f"exec exited {result['exitCode']}")
        return elapsed

    raw_times, raw_failures, raw_wall = drive(raw_one)
    our_times, our_failures, our_wall = drive(ours_one)
    conn = stevedore.connection()  # the server has closed the first one, idle meanwhile
    for view in views:
        stevedore.delete(view["id"], conn)
    conn.close()
    total = count * loops
    print(f"Load: {count} cold sandboxes (made one after the other in {made:.1f} s), each with a"
          f" thread of its own running {loops} execs of `true` in a row, all {count} at once:")
    print()
    print("| | answered | failed | p50 | p90 | p99 | wall | execs/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, times, failures, wall in (("raw exec into their containers", raw_times, raw_failures, raw_wall),
                                        ("Stevedore: POST …/exec", our_times, our_failures, our_wall)):
        p50, p90, p99 = spread(times) if times else (0, 0, 0)
        print(f"| {name} | {len(times)} of {total} | {len(failures)} | {ms(p50)} | {ms(p90)} |"
              f" {ms(p99)} | {wall:.1f} s | {len(times) / wall:.1f} |")
    if our_times and raw_times:
        rate = (len(our_times) / our_wall) / (len(raw_times) / raw_wall)
        print(f"| ratio | | | {percentile(our_times, 50) / percentile(raw_times, 50):.2f} | | | |"
              f" {rate:.2f} |")
    print()
    print(f"Stevedore's execs not answered 200 with exit code 0: {len(our_failures)}.")
    for failure in sorted(set(our_failures))[:5]:
        print(f"  {failure}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:9080")
    parser.add_argument("--key", required=True, help="an admin key (the pool needs one)")
    parser.add_argument("--docker-socket", default="/var/run/docker.sock")
    parser.add_argument("--runs", type=int, default=30, help="creates per side")
    parser.add_argument("--execs", type=int, default=200, help="execs per side")
    parser.add_argument("--pool-size", type=int, default=4)
    parser.add_argument("--sandboxes", type=int, default=20, help="sandboxes under load")
    parser.add_argument("--loops", type=int, default=50, help="execs per sandbox under load")
    parser.add_argument("--sections", default="create,exec,load")
    args = parser.parse_args()
    bench.API_KEY = args.key  # sent to Stevedore only
    sections = args.sections.split(",")
    stevedore = Stevedore(args.url)
    raw = Raw(args.docker_socket)
    print(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {socket.gethostname()}, "
          f"{os.cpu_count()} cores, image {IMAGE}.")
    print()
    try:
        if "create" in sections or "exec" in sections:
            stevedore.define_pool(POOL, args.pool_size)
        if "create" in sections:
            create_section(stevedore, raw, args.runs, args.pool_size)
        if "exec" in sections:
            exec_section(stevedore, raw, args.execs, args.pool_size)
        if POOL in stevedore.pools:
            stevedore.drop_pool(POOL)  # its idle containers stay out of the load
        if "load" in sections:
            load_section(stevedore, raw, args.sandboxes, args.loops)
    finally:
        stevedore.cleanup()
        for cid in list(raw.made):
            try:
                raw.remove(cid)
            except (RuntimeError, OSError):
                pass
        for d in pools.SANDBOX_DIRS:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
