#!/usr/bin/env bash
# Install Debian's Chromium for the leaderboard's browser tests, if it is missing.
# Playwright cannot download its own browsers on this network, so the tests drive
# /usr/bin/chromium. Installs only when run as root on a Debian-like system; otherwise it
# says what is missing and exits 0, leaving the tests to fail loudly in CI (CI=true).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and this is not a root Debian machine;" \
         "install Debian's 'chromium' package to run the browser tests" >&2
    exit 0
fi
echo "install-browser: installing Debian's chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$CHROMIUM" --version >&2
