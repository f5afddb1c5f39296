# Shared helpers for the scripts in scripts/. Source it; do not run it.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${CODERUNNER_STATE_DIR:-$REPO_ROOT/.coderunner}"
mkdir -p "$STATE_DIR"

say()  { printf '%s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command quietly; on failure prints its captured output and the log path, then exits.
quietly() {
  local what="$1"; shift
  local log="$STATE_DIR/last-step.log"
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "$what failed (full log: $log)"
  fi
}

is_root() { [ "$(id -u)" = 0 ]; }
has_apt() { command -v apt-get >/dev/null 2>&1; }

# Installs Debian packages when a command they provide is missing. Quiet when nothing is missing.
ensure_packages() {
  local missing=()
  while [ $# -gt 0 ]; do
    command -v "$1" >/dev/null 2>&1 || missing+=("$2")
    shift 2
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  is_root && has_apt || die "please install ${missing[*]} (needs root on Debian or Ubuntu to do it automatically)"
  say "installing ${missing[*]}…"
  if [ ! -f "$STATE_DIR/apt-updated" ] || [ -n "$(find "$STATE_DIR/apt-updated" -mmin +720 2>/dev/null)" ]; then
    quietly "apt-get update" apt-get update
    touch "$STATE_DIR/apt-updated"
  fi
  quietly "installing ${missing[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}
