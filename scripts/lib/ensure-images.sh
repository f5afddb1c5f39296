# Builds every runtime image that is missing or whose folder changed. Source it.
# An image is tagged with the first 12 digits of the hash of runtimes/agent and runtimes/<name> (runtime_hash), and labelled
# coderunner.hash=<the whole hash>; the engine computes the same hash (RuntimeImageHash.cs) and uses the image of
# its own sources, so that two checkouts of different sources on one Docker engine never replace each other's.
# shellcheck shell=bash

RUNTIMES_DIR="$REPO_ROOT/runtimes"
OFFLINE_BASE_IMAGE="coderunner-base:bookworm"

# "sha256  path" lines of every file in the given folders of runtimes/, sorted bytewise, leaving out each folder's
# examples/ (the starter project's files, in no image).
folder_listing() {
  (cd "$RUNTIMES_DIR" && find "$@" -regextype posix-extended -regex '[^/]+/examples' -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# sha256 over the listing of the given folders of runtimes/.
folder_hash() { folder_listing "$@" | sha256sum | cut -c1-64; }

# The hash of runtimes/NAME's image: the listing of the agent's folder and its own, then, when the folder has an
# prepare hook (it stages what the build context cannot hold: runtimes/csharp copies the machine's .NET SDK),
# a line "prepare <what `prepare stamp` prints>", so that another SDK makes another image.
runtime_hash() {
  local name="$1" stamp
  if [ ! -e "$RUNTIMES_DIR/$name/prepare" ]; then folder_hash agent "$name"; return; fi
  stamp=$("$RUNTIMES_DIR/$name/prepare" stamp) || die "runtimes/$name/prepare stamp failed"
  { folder_listing agent "$name"; printf 'prepare %s\n' "$stamp"; } | sha256sum | cut -c1-64
}

# Builds runtimes/NAME from a copy of its folder in a temporary folder, into which its prepare hook stages the rest;
# the copy is removed afterwards, whatever happens. Runs in a subshell for the trap.
build_prepared_image() (
  local image="$1" hash="$2" name="$3"; shift 3
  local staging
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  cp -a "$RUNTIMES_DIR/$name" "$staging/$name"
  say "staging runtimes/$name with runtimes/$name/prepare…"
  quietly "runtimes/$name/prepare stage" "$RUNTIMES_DIR/$name/prepare" stage "$staging/$name"
  build_image "$image" "$hash" "$staging/$name" "$@"
)

image_label() { docker image inspect --format "{{ index .Config.Labels \"coderunner.hash\" }}" "$1" 2>/dev/null; }

# The Debian mirror apt on this machine uses, for debootstrap.
debian_mirror() {
  local m
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
  [ -n "$m" ] || m=$(grep -hsE '^deb (\[[^]]*\] )?https?://[^ ]+ bookworm ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}' | head -n1)
  printf '%s' "${m:-http://deb.debian.org/debian}"
}

# Chooses the base image: $CODERUNNER_BASE_IMAGE, else debian:bookworm-slim (local or pulled), else an image made
# offline with debootstrap from the machine's own Debian mirror.
ensure_base_image() {
  if [ -n "${CODERUNNER_BASE_IMAGE:-}" ]; then BASE_IMAGE="$CODERUNNER_BASE_IMAGE"; return 0; fi
  for candidate in debian:bookworm-slim "$OFFLINE_BASE_IMAGE"; do
    if docker image inspect "$candidate" >/dev/null 2>&1; then BASE_IMAGE="$candidate"; return 0; fi
  done
  if timeout 60 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then BASE_IMAGE=debian:bookworm-slim; return 0; fi

  ensure_packages debootstrap debootstrap
  local mirror rootfs="$STATE_DIR/base-rootfs"
  mirror=$(debian_mirror)
  say "Docker Hub is out of reach: making $OFFLINE_BASE_IMAGE with debootstrap from $mirror (about a minute)…"
  rm -rf "$rootfs"
  quietly "debootstrap" debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  quietly "docker import" sh -c "tar -C '$rootfs' -c . | docker import -c 'CMD [\"/bin/bash\"]' - '$OFFLINE_BASE_IMAGE'"
  rm -rf "$rootfs"
  BASE_IMAGE="$OFFLINE_BASE_IMAGE"
}

# build_image NAME HASH DIR [extra docker build args…]
build_image() {
  local name="$1" hash="$2" dir="$3"; shift 3
  local started=$SECONDS
  say "building $name:${hash:0:12} from runtimes/$(basename "$dir")…"
  quietly "building $name" docker build --network host --label "coderunner.hash=$hash" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" "$@" -t "$name:${hash:0:12}" "$dir"
  say "built $name in $((SECONDS - started)) s"
}

ensure_images() {
  BASE_IMAGE=""
  local agent_hash
  agent_hash=$(folder_hash agent)
  if [ "$(image_label "coderunner-agent:${agent_hash:0:12}")" != "$agent_hash" ]; then
    ensure_base_image
    build_image coderunner-agent "$agent_hash" "$RUNTIMES_DIR/agent"
  fi

  local manifest dir name image hash
  for manifest in "$RUNTIMES_DIR"/*/runtime.json; do
    dir=$(dirname "$manifest"); name=$(basename "$dir")
    image=$(sed -nE 's/^[[:space:]]*"image"[[:space:]]*:[[:space:]]*"([^"]+)".*/\1/p' "$manifest" | head -n1)
    [ -n "$image" ] || die "runtimes/$name/runtime.json has no \"image\""
    hash=$(runtime_hash "$name")
    [ "$(image_label "$image:${hash:0:12}")" = "$hash" ] && continue
    [ -n "$BASE_IMAGE" ] || ensure_base_image
    if [ -e "$dir/prepare" ]; then
      build_prepared_image "$image" "$hash" "$name" --build-arg "AGENT_IMAGE=coderunner-agent:${agent_hash:0:12}" \
        || exit 1 # it said why
    else
      build_image "$image" "$hash" "$dir" --build-arg "AGENT_IMAGE=coderunner-agent:${agent_hash:0:12}"
    fi
  done
  docker image prune -f --filter label=coderunner.hash >/dev/null 2>&1 || true
}
