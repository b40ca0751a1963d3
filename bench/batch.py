#!/usr/bin/env python3
"""Batch throughput: N trivial items as one Stevedore batch at parallelism P, beside N plain
`docker run --rm` at P in parallel, in the same run. Prints items per second and the ratio.

Needs a running server whose max-concurrent (and the tenant's running quota) is at least P;
bench/run.sh starts one so.
"""
import argparse
import http.client
import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import urlparse


def docker_run_parallel(image, count, parallelism):
    def one(_):
        subprocess.run(["docker", "run", "--rm", image, "true"], check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallelism) as pool:
        list(pool.map(one, range(count)))
    return time.perf_counter() - start


def call(conn, key, method, path, body=None):
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data)


def batch(url, key, image, count, parallelism, checkpoint_every):
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80)
    body = {
        "name": "bench-batch",
        "template": {"image": image, "command": ["true"]},
        "items": [{} for _ in range(count)],
        "parallelism": parallelism,
        "checkpointEvery": checkpoint_every,
    }
    start = time.perf_counter()
    batch_id = call(conn, key, "POST", "/api/v1/batches", body)["id"]
    while True:
        state = call(conn, key, "GET", f"/api/v1/batches/{batch_id}")["state"]
        if state == "COMPLETED":
            break
        if state in ("FAILED", "STOPPED", "ABANDONED"):
            raise RuntimeError(f"batch {batch_id} ended {state}")
        time.sleep(0.05)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:9080")
    parser.add_argument("--key", required=True)
    parser.add_argument("--image", default="stevedore/agent:latest")
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--parallelism", type=int, default=4)
    parser.add_argument("--checkpoint-every", type=int, default=10)
    args = parser.parse_args()

    # Warm-up: a few of each, so neither side pays for a cold cache.
    docker_run_parallel(args.image, 4, args.parallelism)
    batch(args.url, args.key, args.image, 4, args.parallelism, args.checkpoint_every)

    raw = docker_run_parallel(args.image, args.items, args.parallelism)
    ours = batch(args.url, args.key, args.image, args.items, args.parallelism,
                 args.checkpoint_every)

    print(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: {args.items} items `true`, "
          f"{args.parallelism} at a time, checkpoint every {args.checkpoint_every}.")
    print()
    print("| | total | items/s |")
    print("| --- | --- | --- |")
    print(f"| `docker run --rm` × {args.parallelism} in parallel | {raw:.1f} s | "
          f"{args.items / raw:.2f} |")
    print(f"| Stevedore batch, parallelism {args.parallelism} | {ours:.1f} s | "
          f"{args.items / ours:.2f} |")
    print(f"| ratio (target ≥ 0.85) | | {raw / ours:.2f} |")


if __name__ == "__main__":
    main()
