#!/usr/bin/env bash
# Prepares a Debian 12 machine for Stevedore: the Docker engine (started if not running) and the
# agent image. With --test-db it also installs Chromium and its driver (for the browser tests),
# starts a second Docker engine (for the tests of nodes with engines of their own), installs and
# starts PostgreSQL and creates a fresh, empty database for the integration tests (dropping the
# one of an earlier run). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

with_postgres=false
[ "${1:-}" = "--test-db" ] && with_postgres=true

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

packages=(docker.io busybox-static file)
# The test machine also gets PostgreSQL, and Debian's Chromium with its driver for the dashboard's
# browser tests.
$with_postgres && packages+=(postgresql chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# The Docker engine: use the one that answers, else start dockerd in the background.
if ! docker info >/dev/null 2>&1; then
  echo "Starting the Docker engine"
  as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { echo "The Docker engine did not start; see /var/log/dockerd.log" >&2; exit 1; }
fi

scripts/build-agent-image.sh

# The test machine also runs a second engine beside the first, with its own socket, data root,
# exec root, pid file and bridge: the tests of nodes with engines of their own use it. (Not
# --bridge=none: an engine without a bridge removes docker0, the first engine's.)
if $with_postgres; then
  engine_b=/run/stevedore-engine-b
  if ! docker -H "unix://$engine_b/docker.sock" info >/dev/null 2>&1; then
    echo "Starting the second Docker engine"
    as_root mkdir -p "$engine_b" /var/lib/stevedore-engine-b
    if ! ip link show stevedore-b0 >/dev/null 2>&1; then
      as_root ip link add name stevedore-b0 type bridge
      as_root ip addr add 172.31.254.1/24 dev stevedore-b0
      as_root ip link set stevedore-b0 up
    fi
    as_root sh -c "nohup dockerd --host unix://$engine_b/docker.sock --data-root /var/lib/stevedore-engine-b \
      --exec-root $engine_b/exec --pidfile $engine_b/docker.pid --bridge stevedore-b0 --iptables=false \
      --ip6tables=false >/var/log/dockerd-engine-b.log 2>&1 &"
    for _ in $(seq 1 60); do
      docker -H "unix://$engine_b/docker.sock" info >/dev/null 2>&1 && break
      sleep 1
    done
    docker -H "unix://$engine_b/docker.sock" info >/dev/null 2>&1 \
      || { echo "The second Docker engine did not start; see /var/log/dockerd-engine-b.log" >&2; exit 1; }
  fi
  docker save stevedore/agent:latest | docker -H "unix://$engine_b/docker.sock" load -q >/dev/null
  echo "Second Docker engine ready at unix://$engine_b/docker.sock"
fi

if $with_postgres; then
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
    echo "Starting PostgreSQL $cluster"
    as_root pg_ctlcluster $cluster start
  fi
  db_user=${STEVEDORE_IT_DB_USER:-stevedore}
  db_password=${STEVEDORE_IT_DB_PASSWORD:-stevedore}
  db_name=${STEVEDORE_IT_DB_NAME:-stevedore_it}
  as_postgres psql -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db_user') THEN
    CREATE ROLE $db_user LOGIN PASSWORD '$db_password';
  END IF;
END \$\$;
SQL
  as_postgres env PGOPTIONS="-c client_min_messages=warning" dropdb --if-exists --force "$db_name"
  as_postgres createdb -O "$db_user" "$db_name"
  echo "PostgreSQL ready: empty database $db_name owned by $db_user"
fi
