#!/bin/sh
# test.sh — builds jitcalc and runs the whole test suite (what CI runs).
# Installs missing Debian packages first when run as root.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
build=${JITCALC_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJITCALC_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
