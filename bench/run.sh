#!/usr/bin/env bash
# Runs the benchmark: builds Stevedore, starts it on an empty H2 database with the given
# concurrency, runs bench.py beside the plain Docker engine, stops it, and prints the report.
# Usage: bench/run.sh [concurrency]   (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."

concurrency=${1:-4}
streams=${STREAMS:-20}
scripts/setup-debian.sh
./mvnw -B -ntp -q -DskipTests package liberty:create@run liberty:deploy@run

data=$(mktemp -d)
server=server/target/liberty/wlp/bin/server
key=sdk_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
# The benchmark polls far faster than the default per-key rate limit allows: lift it, and the
# tenant's running quota, so that only max-concurrent bounds the jobs. Sandboxes hold running
# slots too and take no dispatch slot: the quota is at least 32, for the 20 sandboxes under load.
quota=$(( concurrency > 32 ? concurrency : 32 ))
export STEVEDORE_DATA_DIR=$data STEVEDORE_DISPATCH_MAX_CONCURRENT=$concurrency \
  STEVEDORE_HTTP_PORT=${BENCH_PORT:-39080} STEVEDORE_HTTPS_PORT=${BENCH_TLS_PORT:-39443} \
  STEVEDORE_ADMIN_KEY=$key STEVEDORE_RATE_LIMIT_PER_SECOND=100000 STEVEDORE_RATE_LIMIT_BURST=100000 \
  STEVEDORE_TENANTS_DEFAULT_MAX_RUNNING=$quota STEVEDORE_SANDBOXES_MAX_PER_NODE=32
$server start stevedore >/dev/null
trap '$server stop stevedore >/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf -H "Authorization: Bearer $key" "localhost:$STEVEDORE_HTTP_PORT/api/v1/jobs?limit=1" >/dev/null && break
  sleep 1
done
python3 bench/bench.py --url "http://localhost:$STEVEDORE_HTTP_PORT" --concurrency "$concurrency" --key "$key"
echo
echo "Batches:"
echo
python3 bench/batch.py --url "http://localhost:$STEVEDORE_HTTP_PORT" --parallelism "$concurrency" --key "$key"
echo
echo "Warm pools:"
echo
python3 bench/pools.py --url "http://localhost:$STEVEDORE_HTTP_PORT" --parallelism "$concurrency" --key "$key" \
  --sections latency,init,batch
echo
echo "Sandboxes:"
echo
python3 bench/sandboxes.py --url "http://localhost:$STEVEDORE_HTTP_PORT" --key "$key"
echo
echo "Live output latency (jobs run $streams at a time for this part):"
echo
$server stop stevedore >/dev/null
STEVEDORE_DISPATCH_MAX_CONCURRENT=$streams STEVEDORE_TENANTS_DEFAULT_MAX_RUNNING=$(( streams > 32 ? streams : 32 )) \
  $server start stevedore >/dev/null
for _ in $(seq 1 120); do
  curl -sf -H "Authorization: Bearer $key" "localhost:$STEVEDORE_HTTP_PORT/api/v1/jobs?limit=1" >/dev/null && break
  sleep 1
done
for n in 1 "$streams"; do
  java bench/StreamLatency.java "http://localhost:$STEVEDORE_HTTP_PORT" "$key" "$n" 10
  echo
done
echo "Warm pools, memory (jobs run $streams at a time for this part):"
echo
python3 bench/pools.py --url "http://localhost:$STEVEDORE_HTTP_PORT" --key "$key" --sections memory
