# Makes a Docker engine reachable: DOCKER_HOST or the default socket if it answers; otherwise, as root on
# Debian or Ubuntu, installs docker.io, starts dockerd in the background and waits for it. Source it.
# shellcheck shell=bash

docker_answers() { timeout 10 docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }

ensure_docker() {
  command -v docker >/dev/null 2>&1 && docker_answers && return 0

  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine, or unset DOCKER_HOST so that the scripts use a local one."
  fi
  if ! is_root || ! has_apt; then
    die "no Docker engine answers at /var/run/docker.sock. Start one (for example 'sudo systemctl start docker'), or run this script as root on Debian or Ubuntu to have it installed and started."
  fi

  ensure_packages dockerd docker.io iptables iptables
  command -v docker >/dev/null 2>&1 || ensure_packages docker docker.io

  if ! pgrep -x dockerd >/dev/null 2>&1; then
    local log="$STATE_DIR/dockerd.log"
    say "starting dockerd (log: $log)…"
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
      systemctl start docker
    else
      setsid nohup dockerd >"$log" 2>&1 </dev/null &
    fi
  fi

  local waited=0
  until docker_answers; do
    if [ $waited -ge 60 ]; then
      tail -n 20 "$STATE_DIR/dockerd.log" >&2 2>/dev/null
      die "dockerd did not answer within 60 s; see $STATE_DIR/dockerd.log"
    fi
    sleep 1; waited=$((waited + 1))
  done
}
