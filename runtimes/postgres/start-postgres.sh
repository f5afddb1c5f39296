#!/bin/sh
# Makes a fresh cluster on the tmpfs at /run/pg and runs PostgreSQL in the foreground.
# CODERUNNER_PG_PASSWORD is the password of the engine's own role, coderunner; each session's role may only log in to
# the database of its own name (pg_hba's "sameuser").
set -eu
: "${CODERUNNER_PG_PASSWORD:?the engine passes the password of its role}"
bin=/usr/lib/postgresql/15/bin
root=/run/pg
umask 077
printf '%s' "$CODERUNNER_PG_PASSWORD" > "$root/password"
"$bin/initdb" -D "$root/data" -U coderunner --pwfile="$root/password" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 \
  --no-sync --no-instructions >/dev/null
rm -f "$root/password"
cat > "$root/data/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER        ADDRESS    METHOD
host    all       coderunner  0.0.0.0/0  scram-sha-256
host    sameuser  all         0.0.0.0/0  scram-sha-256
HBA
exec "$bin/postgres" -D "$root/data" \
  -c listen_addresses='*' -c unix_socket_directories="$root" \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c max_connections=300 -c shared_buffers=64MB -c max_parallel_workers_per_gather=0 \
  -c log_min_messages=warning -c log_min_error_statement=panic -c log_connections=off \
  -c idle_in_transaction_session_timeout=60s
