# What scripts/publish, scripts/install, scripts/uninstall and scripts/build-web-image share. Source it after common.sh.
# shellcheck shell=bash

DEPLOY_DIR="$REPO_ROOT/deploy"
WEB_IMAGE="coderunner-web"

# publish_web OUT: the web app, published for Release, in OUT/app, and the runtime folders (manifests, examples, and
# the sources whose hash names each runtime image) in OUT/runtimes, where the unit and the image point
# Engine:RuntimesPath. The .NET publish output has a runtimes/ folder of its own (native libraries), hence two folders.
publish_web() {
  local out="$1" started=$SECONDS
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  say "publishing the web app to $out/app (a minute or two)…"
  rm -rf "$out/app" "$out/runtimes"
  quietly "dotnet publish" dotnet publish "$REPO_ROOT/CodeRunner.Web" -c Release -o "$out/app" --nologo
  cp -a "$REPO_ROOT/runtimes" "$out/runtimes"
  mkdir -p "$out/docs"
  cp "$REPO_ROOT/docs/deploy.md" "$out/docs/"
  git -C "$REPO_ROOT" rev-parse HEAD >"$out/REVISION" 2>/dev/null || echo unknown >"$out/REVISION"
  say "published in $((SECONDS - started)) s"
}

# Dies unless DIR holds what publish_web makes.
check_published() {
  [ -x "$1/app/CodeRunner.Web" ] && [ -f "$1/runtimes/agent/Dockerfile" ] \
    || die "$1 is not a published CodeRunner (no app/CodeRunner.Web or runtimes/agent): make one with scripts/publish $1"
}

# The .NET root of the SDK on PATH (the one that built the app and, through runtimes/csharp/prepare, the C# image).
dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }

# True when systemd manages this machine (sd_booted(3)): false in most containers and in CI.
systemd_is_running() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }

# Waits until URL answers 200, for up to SECONDS; false when it never did.
wait_until_ready() {
  local url="$1" seconds="$2" waited=0
  until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do
    [ $waited -ge "$seconds" ] && return 1
    sleep 1; waited=$((waited + 1))
  done
}

# Where the installed service NAME keeps its things.
install_paths() {
  local name="$1"
  APP_ROOT="/opt/$name"
  CONFIG_DIR="/etc/$name"
  ENV_FILE="$CONFIG_DIR/$name.env"
  DATA_DIR="/var/lib/$name"
  UNIT_FILE="/etc/systemd/system/$name.service"
  SUPERVISOR_PID="/run/$name-supervise.pid"
  SUPERVISOR_LOG="/var/log/$name.log"
}

# Stops the supervisor that runs NAME where systemd does not (see deploy/supervise), and waits for it. Quiet when none runs.
stop_supervisor() {
  local pid waited=0
  [ -f "$SUPERVISOR_PID" ] || return 0
  pid=$(cat "$SUPERVISOR_PID")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping $1 (supervisor pid $pid; it gives the engine time to remove its containers)…"
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
      [ $waited -ge 90 ] && die "$1 did not stop within 90 s (supervisor pid $pid); see $SUPERVISOR_LOG"
      sleep 1; waited=$((waited + 1))
    done
  fi
  rm -f "$SUPERVISOR_PID"
}
