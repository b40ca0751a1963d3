#!/usr/bin/env bash
# Sets up a Debian machine (Docker engine, agent image) and runs Stevedore in the foreground on
# http://localhost:9080 with the embedded H2 database under ./data. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
export STEVEDORE_DATA_DIR=${STEVEDORE_DATA_DIR:-$PWD/data}
./mvnw -B -ntp -DskipTests package liberty:create@run liberty:deploy@run "$@"
exec server/target/liberty/wlp/bin/server run stevedore
