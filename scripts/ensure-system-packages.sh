#!/bin/sh
# Install the Debian packages the test suite needs, if they are missing:
# Chromium (browser tests), PostgreSQL (the PostgreSQL leg of the suite) and
# Dovecot (a real IMAP server for the bounce-mailbox tests).
# Safe to run again: it does nothing when everything is there.
set -eu

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
[ -x /usr/sbin/dovecot ] || need="$need dovecot-imapd"
[ -n "$need" ] || exit 0

echo "Installing Debian packages:$need"
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "error: need root (or sudo) to install:$need" >&2
    exit 1
fi
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need
