#!/bin/sh
# test.sh — builds jitcalc and runs the whole test suite: what CI runs.
# Installs missing Debian packages first when run as root.
#
# Stages (host, sanitize and fuzz by default; name some to run only those):
#   host      gcc, -Werror, every test (ctest), benchmarks built and smoke-run
#   sanitize  clang with ASan + UBSan, and gcc at -O0: every test again
#   fuzz      each libFuzzer harness for its share of 60 seconds
#   aarch64   cross-built for aarch64, every test under qemu-user (not yet in
#             the default run: the out-of-memory sweeps re-execute the test
#             binary, which qemu-user cannot do, and take minutes emulated)
# Usage: scripts/test.sh [host] [sanitize] [fuzz] [aarch64]
set -eu
cd "$(dirname "$0")/.."
stages=${*:-host sanitize fuzz}
jobs=$(nproc)

# clang and its runtime for the sanitizer and fuzz builds.
scripts/deps.sh clang libclang-rt-14-dev

elapsed() { echo "== $1: $(( $(date +%s) - $2 )) s"; }

for stage in $stages; do
    start=$(date +%s)
    echo "== stage $stage"
    case $stage in
    host)
        build=${JITCALC_BUILD_DIR:-build}
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJITCALC_WERROR=ON >/dev/null
        cmake --build "$build" -j "$jobs"
        ctest --test-dir "$build" --output-on-failure -j "$jobs" -LE full
        ;;
    sanitize)
        scripts/sanitize.sh all
        ;;
    fuzz)
        fuzz/run.sh 60
        ;;
    aarch64)
        scripts/cross-test.sh aarch64
        ;;
    *)
        echo "unknown stage '$stage' (host, sanitize, fuzz, aarch64)" >&2
        exit 2
        ;;
    esac
    elapsed "$stage" "$start"
done
