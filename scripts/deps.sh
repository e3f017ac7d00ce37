#!/bin/sh
# deps.sh — makes sure the Debian packages jitcalc builds with are installed.
# As root it installs what is missing; otherwise it prints the exact
# apt-get line to run and fails. Usage: scripts/deps.sh [extra-package...]
set -eu

packages="cmake make gcc pkg-config libuv1-dev libjansson-dev libcmocka-dev \
libsleef-dev libxxhash-dev libmpfr-dev libedit-dev $*"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "jitcalc needs these Debian packages:$missing" >&2
    echo "run: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
