#!/usr/bin/env bash
# Footprint benchmark: builds Stevedore, then runs bench/footprint.py against it (on an empty H2
# database) and against a bare Open Liberty server with the same features, and prints the tables
# for docs/performance.md. Leaves no container behind.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
./mvnw -B -ntp -q -DskipTests package liberty:create@run liberty:deploy@run

wlp=$PWD/server/target/liberty/wlp
baseline=footprint-baseline
data=$(mktemp -d)
node=footprint-bench-$$
key=sdk_bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
port=${BENCH_PORT:-39080}
baseline_port=$((port + 100))

# The baseline: the features of server.xml, an HTTP endpoint, nothing else.
rm -rf "$wlp/usr/servers/$baseline"
"$wlp/bin/server" create "$baseline" >/dev/null
{
  echo '<server description="footprint baseline">'
  sed -n '/<featureManager>/,/<\/featureManager>/p' server.xml
  echo "  <httpEndpoint id=\"defaultHttpEndpoint\" host=\"*\" httpPort=\"$baseline_port\" httpsPort=\"-1\"/>"
  echo '  <mpMetrics authentication="false"/>'
  echo '</server>'
} >"$wlp/usr/servers/$baseline/server.xml"
cp server/liberty-config/jvm.options "$wlp/usr/servers/$baseline/"

export STEVEDORE_DATA_DIR=$data STEVEDORE_NODE_NAME=$node STEVEDORE_ADMIN_KEY=$key \
  STEVEDORE_HTTP_PORT=$port STEVEDORE_HTTPS_PORT=$((port + 363)) \
  STEVEDORE_DISPATCH_MAX_CONCURRENT=50 STEVEDORE_TENANTS_DEFAULT_MAX_RUNNING=50 \
  STEVEDORE_TENANTS_DEFAULT_MAX_QUEUED=2000 \
  STEVEDORE_RATE_LIMIT_PER_SECOND=100000 STEVEDORE_RATE_LIMIT_BURST=100000
cleanup() {
  "$wlp/bin/server" stop stevedore >/dev/null 2>&1 || true
  "$wlp/bin/server" stop "$baseline" >/dev/null 2>&1 || true
  ids=$(docker ps -aq --filter "label=stevedore.node=$node")
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
  rm -rf "$data" "$wlp/usr/servers/$baseline"
}
trap cleanup EXIT

python3 bench/footprint.py --wlp "$wlp" --port "$port" --baseline-port "$baseline_port" --key "$key"
