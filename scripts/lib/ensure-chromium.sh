# Makes /usr/bin/chromium available for the browser tests: as root on Debian or Ubuntu, installs Debian's chromium
# package when it is missing. Quiet when it is there. Never downloads a browser build of Playwright's own. Source it.
# shellcheck shell=bash

CHROMIUM_PATH="/usr/bin/chromium"

ensure_chromium() {
  [ -x "$CHROMIUM_PATH" ] && return 0
  if ! is_root || ! has_apt; then
    die "the browser tests need $CHROMIUM_PATH. Install Debian's chromium package (for example 'sudo apt-get install -y chromium'), or run this script as root on Debian or Ubuntu to have it installed."
  fi
  ensure_packages chromium chromium
  [ -x "$CHROMIUM_PATH" ] || die "installing chromium did not provide $CHROMIUM_PATH"
}
