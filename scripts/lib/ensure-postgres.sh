# A PostgreSQL server for the storage tests: installs Debian's server when it is missing, and starts a throwaway
# cluster of the tests' own (its own folder and free port, on 127.0.0.1) that is stopped and removed when the shell
# that sourced this exits, however it exits. The machine's own clusters are never touched. Source it after common.sh.
# shellcheck shell=bash

# The newest installed server's bin folder (initdb and pg_ctl are not on PATH on Debian).
postgres_bin_dir() {
  local initdb
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  [ -x "$initdb" ] && dirname "$initdb"
}

ensure_postgres() {
  postgres_bin_dir >/dev/null && return 0
  # ensure_packages looks for a command; the unexpanded pattern never names one, so it installs. Debian's postgresql
  # is the release's own version (15 on bookworm), with its client tools (pg_dump, pg_restore, psql).
  ensure_packages '/usr/lib/postgresql/*/bin/initdb' postgresql
  postgres_bin_dir >/dev/null || die "installing postgresql did not provide /usr/lib/postgresql/*/bin/initdb"
}

# Runs a command as the cluster's owner: postgres when we are root (initdb refuses root), else ourselves.
_as_postgres_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the cluster once per shell and exports CODERUNNER_TEST_POSTGRES (an Npgsql connection string) and
# CODERUNNER_TEST_POSTGRES_BIN (where pg_dump and pg_restore of the same version are).
start_test_postgres() {
  [ -n "${_CODERUNNER_TEST_PG_DIR:-}" ] && return 0
  ensure_postgres
  ensure_packages python3 python3
  local bin dir port tries=0
  bin=$(postgres_bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/coderunner-pg.XXXXXX")
  _CODERUNNER_TEST_PG_DIR="$dir"
  _CODERUNNER_TEST_PG_BIN="$bin"
  # Registered before anything can fail, so that a half-started cluster is removed too. INT and TERM exit through
  # the EXIT trap, which plain bash does not run on a fatal signal.
  trap stop_test_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  is_root && chown postgres:postgres "$dir"
  quietly "initdb of the test PostgreSQL cluster" _as_postgres_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres
  # fsync is off because the cluster is thrown away afterwards; a test database is made for every test.
  until port=$(_free_port) && _as_postgres_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null 2>&1; do
    tries=$((tries + 1))
    # Another process may take the free port between the choice and the start; try another one a few times.
    [ "$tries" -lt 5 ] || { tail -n 20 "$dir/log" >&2; die "the test PostgreSQL cluster did not start (log above)"; }
  done
  export CODERUNNER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
  export CODERUNNER_TEST_POSTGRES_BIN="$bin"
}

stop_test_postgres() {
  local dir="${_CODERUNNER_TEST_PG_DIR:-}"
  [ -n "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    _as_postgres_owner "$_CODERUNNER_TEST_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  _CODERUNNER_TEST_PG_DIR=""
  unset CODERUNNER_TEST_POSTGRES CODERUNNER_TEST_POSTGRES_BIN
}
