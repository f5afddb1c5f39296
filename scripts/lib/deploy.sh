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

# Waits until URL answers 200, for up to SECONDS; false when it never did. Further arguments go to curl (-k for a
# certificate that this machine does not trust).
wait_until_ready() {
  local url="$1" seconds="$2" waited=0
  shift 2
  until curl -fsS -o /dev/null --max-time 5 "$@" "$url" 2>/dev/null; do
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

# stage_dotnet DIR: the .NET runtime of the machine's SDK (the host, hostfxr, Microsoft.NETCore.App and
# Microsoft.AspNetCore.App) in DIR, laid out as /usr/share/dotnet, for the web image: no other source of .NET is
# reachable offline. Also the C# compiler and the reference assemblies that runtimes/csharp/prepare stages into the C#
# image, at their places in the SDK: the engine runs `prepare stamp` to find the C# image of its sources, and the
# stamp names the versions of those folders. Without them the image would call the C# image missing.
stage_dotnet() {
  local out="$1" root runtime aspnet sdk ref fxr tfm
  root=$(dotnet_root)
  runtime=$(basename "$(ls -d "$root"/shared/Microsoft.NETCore.App/*/ | sort -V | tail -n1)")
  aspnet=$(basename "$(ls -d "$root"/shared/Microsoft.AspNetCore.App/"${runtime%.*}".*/ | sort -V | tail -n1)")
  sdk=$(basename "$(ls -d "$root"/sdk/*/ | sort -V | tail -n1)")
  ref=$(basename "$(ls -d "$root"/packs/Microsoft.NETCore.App.Ref/"${runtime%.*}".*/ | sort -V | tail -n1)")
  fxr=$(basename "$(ls -d "$root"/host/fxr/*/ | sort -V | tail -n1)")
  [ -n "$runtime" ] && [ -n "$aspnet" ] && [ -n "$sdk" ] && [ -n "$ref" ] && [ -n "$fxr" ] \
    || die "the .NET SDK in $root lacks a runtime, ASP.NET Core, reference assemblies or hostfxr: install the .NET 10 SDK"
  tfm=$(cd "$root/packs/Microsoft.NETCore.App.Ref/$ref/ref" && ls | sort -V | tail -n1)
  mkdir -p "$out/host/fxr" "$out/shared/Microsoft.NETCore.App" "$out/shared/Microsoft.AspNetCore.App" \
    "$out/sdk/$sdk/Roslyn/bincore" "$out/packs/Microsoft.NETCore.App.Ref/$ref/ref/$tfm"
  cp "$root/dotnet" "$root/LICENSE.txt" "$root/ThirdPartyNotices.txt" "$out/"
  cp -r "$root/host/fxr/$fxr" "$out/host/fxr/"
  cp -r "$root/shared/Microsoft.NETCore.App/$runtime" "$out/shared/Microsoft.NETCore.App/"
  cp -r "$root/shared/Microsoft.AspNetCore.App/$aspnet" "$out/shared/Microsoft.AspNetCore.App/"
  local roslyn="$root/sdk/$sdk/Roslyn/bincore"
  cp "$roslyn"/csc.dll "$roslyn"/csc.deps.json "$roslyn"/csc.runtimeconfig.json \
     "$roslyn"/Microsoft.CodeAnalysis.dll "$roslyn"/Microsoft.CodeAnalysis.CSharp.dll "$out/sdk/$sdk/Roslyn/bincore/"
  cp "$root/packs/Microsoft.NETCore.App.Ref/$ref/ref/$tfm"/*.dll "$out/packs/Microsoft.NETCore.App.Ref/$ref/ref/$tfm/"
}

# build_web_image PUBLISHED TAG [extra docker build args…]: deploy/Dockerfile from the Debian base of the runtime
# images (made offline when Docker Hub is out of reach), with the published app and the machine's .NET runtime.
build_web_image() (
  local published="$1" tag="$2"; shift 2
  local context started=$SECONDS
  check_published "$published"
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  BASE_IMAGE=""
  ensure_base_image
  say "building $tag from deploy/Dockerfile on $BASE_IMAGE…"
  cp "$DEPLOY_DIR/Dockerfile" "$context/"
  mkdir -p "$context/coderunner"
  cp -a "$published/app" "$published/runtimes" "$published/docs" "$published/REVISION" "$context/coderunner/"
  stage_dotnet "$context/dotnet"
  quietly "building $tag" docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --label "coderunner.web.revision=$(cat "$published/REVISION")" "$@" -t "$tag" "$context"
  say "built $tag in $((SECONDS - started)) s"
)
