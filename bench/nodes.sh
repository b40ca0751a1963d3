#!/usr/bin/env bash
# Several nodes on one PostgreSQL database (bench/nodes.py): claim throughput of 1, 2 and 3 nodes
# on trivial jobs beside the raw Engine API, then the queue at 1,000 and 100,000 jobs on one node.
# Builds Stevedore, makes a fresh database stevedore_bench on the local PostgreSQL (as
# scripts/setup-debian.sh --test-db sets it up), starts the nodes (one data directory, one Docker
# engine), prints the tables for docs/performance.md, stops them and leaves no container behind.
# Usage: bench/nodes.sh   (SLOTS=4 JOBS=300 PARTS=throughput,queue by default; as root, for psql)
set -euo pipefail
cd "$(dirname "$0")/.."

slots=${SLOTS:-4}
jobs=${JOBS:-300}
port=${BENCH_PORT:-39080}
db=stevedore_bench
scripts/setup-debian.sh --test-db >/dev/null
./mvnw -B -ntp -q -DskipTests package liberty:create@run liberty:deploy@run

wlp=$PWD/server/target/liberty/wlp
data=$(mktemp -d)
key=sdk_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
runuser -u postgres -- dropdb --if-exists --force "$db"
runuser -u postgres -- createdb -O stevedore "$db"
for n in 2 3; do
  rm -rf "$wlp/usr/servers/stevedore-bench-$n"
  cp -r "$wlp/usr/servers/stevedore" "$wlp/usr/servers/stevedore-bench-$n"
done
server_of() { [ "$1" = 1 ] && echo stevedore || echo "stevedore-bench-$1"; }

start_node() {
  env STEVEDORE_DATA_DIR="$data" STEVEDORE_NODE_NAME="bench-node-$1" STEVEDORE_ADMIN_KEY="$key" \
    STEVEDORE_HTTP_PORT=$((port + $1 * 100)) STEVEDORE_HTTPS_PORT=$((port + $1 * 100 + 43)) \
    STEVEDORE_DB_URL="jdbc:postgresql://localhost:5432/$db" STEVEDORE_DB_USER=stevedore \
    STEVEDORE_DB_PASSWORD=stevedore STEVEDORE_DISPATCH_MAX_CONCURRENT="$slots" \
    STEVEDORE_RATE_LIMIT_PER_SECOND=100000 STEVEDORE_RATE_LIMIT_BURST=100000 \
    "$wlp/bin/server" start "$(server_of "$1")" >/dev/null
  for _ in $(seq 1 120); do
    curl -sf -H "Authorization: Bearer $key" "localhost:$((port + $1 * 100))/api/v1/node" >/dev/null && return
    sleep 1
  done
  echo "node $1 did not start" >&2
  exit 1
}
cleanup() {
  for n in 1 2 3; do "$wlp/bin/server" stop "$(server_of "$n")" >/dev/null 2>&1 || true; done
  for n in 1 2 3; do
    ids=$(docker ps -aq --filter "label=stevedore.node=bench-node-$n")
    [ -z "$ids" ] || docker rm -f $ids >/dev/null
  done
  rm -rf "$data" "$wlp/usr/servers/stevedore-bench-2" "$wlp/usr/servers/stevedore-bench-3"
  runuser -u postgres -- dropdb --if-exists --force "$db"
}
trap cleanup EXIT

parts=${PARTS:-throughput,queue}
urls=""
if [[ $parts == *throughput* ]]; then
echo "Claim throughput, $jobs trivial jobs sent round-robin, $slots slots per node, one engine:"
echo
echo "| nodes | at once | raw Engine API jobs/s | Stevedore jobs/s | ratio | claim time per job | claims' share of the run | claim transactions | jobs per node |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in 1 2 3; do
  start_node "$n"
  urls="${urls:+$urls,}http://localhost:$((port + n * 100))"
  python3 bench/nodes.py throughput --urls "$urls" --key "$key" --slots "$slots" --jobs "$jobs"
done
for n in 2 3; do "$wlp/bin/server" stop "$(server_of "$n")" >/dev/null; done
echo
fi
if [[ $parts == *queue* ]]; then
[[ $parts == *throughput* ]] || start_node 1
echo "The queue at scale, one node:"
echo
python3 bench/nodes.py queue --urls "http://localhost:$((port + 100))" --key "$key" --db "$db"
fi
