#!/usr/bin/env bash
# Builds stevedore/agent:latest from docker/agent/ with the static busybox of the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  busybox=/bin/busybox
fi
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp docker/agent/Dockerfile "$context/"
cp "$busybox" "$context/busybox"
if ! output=$(docker build --quiet --tag stevedore/agent:latest "$context" 2>&1); then
  echo "$output" >&2
  exit 1
fi
echo "Built stevedore/agent:latest"
