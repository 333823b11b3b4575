#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine with only the JDK, Maven and apt it installs
# what the tests need (PostgreSQL 15; nginx, fcgiwrap and git for a Git smart-HTTP server), starts
# them on 127.0.0.1 for the duration of the run, and runs `mvn verify` over every module. Everything
# it started is stopped on exit. Extra arguments go to Maven (e.g. -pl prophecy-core -Dtest=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PROPHECY_TEST_ROOT="$root"

pg_bin=/usr/lib/postgresql/15/bin
pg_dir=""   # a fresh folder under /tmp, reachable by the postgres user wherever the checkout is

# nginx, fcgiwrap and git-http-backend: start_git_server, stop_git_server (and port_in_use).
script_name=scripts/test.sh
# shellcheck source=lib/git-server.sh
. "$root/scripts/lib/git-server.sh"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "scripts/test.sh: need root (or sudo) to run: $*" >&2; exit 1; fi
}

install_packages() {
  local missing=()
  [ -x "$pg_bin/postgres" ] || missing+=(postgresql-15)
  command -v python3 >/dev/null || missing+=(python3)   # checks generated PySpark (py_compile)
  [ -x "$nginx_bin" ] || missing+=(nginx)
  [ -x "$fcgiwrap_bin" ] || missing+=(fcgiwrap)
  [ -x "$git_backend" ] && command -v git >/dev/null || missing+=(git)
  command -v openssl >/dev/null || missing+=(openssl)  # the htpasswd hash
  command -v ps >/dev/null || missing+=(procps)        # finds fcgiwrap's children to stop them
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing ${missing[*]} with apt"
    # Packages must not start their system services (nginx on port 80, a PostgreSQL cluster): where no
    # policy-rc.d says so already, one is put in place for the install and removed after it.
    local policy=/usr/sbin/policy-rc.d own_policy="" rc=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# scripts/test.sh: no service starts during its install\nexit 101\n' | as_root tee "$policy" >/dev/null
      as_root chmod 755 "$policy"
      own_policy=1
    fi
    as_root apt-get update -qq || rc=$?
    [ "$rc" -ne 0 ] || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || rc=$?
    [ -z "$own_policy" ] || as_root rm -f "$policy"
    [ "$rc" -eq 0 ] || { echo "scripts/test.sh: apt could not install ${missing[*]}" >&2; exit 1; }
  fi
}

# Runs a PostgreSQL command as the cluster's owner: the postgres user when we are root (PostgreSQL
# refuses to run as root), else ourselves.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  pg_port=${PROPHECY_TEST_PG_PORT:-55432}
  while port_in_use "$pg_port"; do pg_port=$((pg_port + 1)); done
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/prophecy-test-pg.XXXXXX")
  chmod 755 "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
  if ! as_pg_owner "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1; then
    cat "$pg_dir/initdb.log" >&2; echo "scripts/test.sh: initdb failed" >&2; exit 1
  fi
  as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" -w start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; echo "scripts/test.sh: PostgreSQL did not start" >&2; exit 1; }
  echo "==> PostgreSQL 15 is up on 127.0.0.1:$pg_port (data in $pg_dir/data)"
}

stop_postgres() {
  [ -n "$pg_dir" ] || return 0
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg_owner "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    echo "==> PostgreSQL stopped"
  fi
  rm -rf "$pg_dir"
}

cleanup() {
  stop_git_server || true
  stop_postgres || true
}

install_packages
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_postgres
start_git_server

pg_url="jdbc:postgresql://127.0.0.1:$pg_port/postgres?user=postgres"
mvn -B -ntp -Dstyle.color=never verify -Dprophecy.test.postgres.url="$pg_url" \
  -Dprophecy.test.git.url="http://127.0.0.1:$git_port/" -Dprophecy.test.git.user="$git_user" \
  -Dprophecy.test.git.token="$git_token" -Dprophecy.test.git.root="$git_dir/repos" \
  -Dprophecy.test.git.required=true "$@"
