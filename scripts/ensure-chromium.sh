#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser e2e test
# (scripts/test/browser.e2e.test.ts). Never downloads a browser build from anywhere else.
#
# Exit 0: Chromium is present (already, or installed now).
# Exit 0 + a marker file: installation was attempted and failed. The marker (path in
#   $CHROMIUM_INSTALL_MARKER, default .tmp/chromium-install-failed) lets the test skip with the
#   reason instead of failing in CI. Nothing else is ever skipped silently.
set -uo pipefail
cd "$(dirname "$0")/.."
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
MARKER="${CHROMIUM_INSTALL_MARKER:-.tmp/chromium-install-failed}"
LOG=".tmp/ensure-chromium.log"
mkdir -p .tmp
rm -f "$MARKER"

if [ -x "$CHROMIUM" ]; then
  echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

fail() {
  mkdir -p "$(dirname "$MARKER")"
  printf '%s\n' "$1" >"$MARKER"
  echo "chromium: NOT installed: $1" >&2
  exit 0
}

command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine (not Debian/Ubuntu); install Chromium at $CHROMIUM"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    fail "not root and no passwordless sudo; run: apt-get install -y chromium"
  fi
fi

echo "chromium: installing Debian's chromium package (apt-get)…"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >"$LOG" 2>&1; then
  fail "apt-get update failed (see $LOG)"
fi
if ! $SUDO apt-get install -y -qq --no-install-recommends chromium >>"$LOG" 2>&1; then
  fail "apt-get install chromium failed (see $LOG)"
fi
[ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is missing"
echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo installed)"
