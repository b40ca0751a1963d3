#!/usr/bin/env bash
# Sets up a Debian machine (Docker engine, agent image, PostgreSQL) and runs every test: unit
# tests, then integration tests against a real Liberty server, the real Docker engine and a
# fresh PostgreSQL database. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh --test-db
exec ./mvnw -B -ntp verify "$@"
