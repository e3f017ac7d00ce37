#!/bin/sh
# run.sh SECONDS — builds the libFuzzer harnesses with clang into
# build-fuzz (or $JITCALC_FUZZ_BUILD_DIR) and runs each for its share of
# SECONDS (CI: `fuzz/run.sh 60`; $JITCALC_FUZZ_HARNESSES picks a subset). Exits non-zero when a harness finds a
# crash; the crashers are in fuzz/crashes/<harness>/ (turn each into a
# regression: minimise it with -minimize_crash=1, fix the bug, move it to
# fuzz/regressions/<harness>/, where the normal test suite replays it).
set -eu
cd "$(dirname "$0")/.."
total=${1:-60}
build=${JITCALC_FUZZ_BUILD_DIR:-build-fuzz}
cc=${JITCALC_FUZZ_CC:-clang}

cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DJITCALC_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJITCALC_BUILD_TESTS=OFF \
      -DJITCALC_BUILD_BENCH=OFF >/dev/null
harnesses=${JITCALC_FUZZ_HARNESSES:-"fuzz_parser fuzz_protocol fuzz_csv fuzz_differential"}
built=""
for h in $harnesses; do
    if cmake --build "$build" --target "$h" -j "$(nproc)" >"$build/build-$h.log" 2>&1; then
        built="$built $build/fuzz/$h"
    elif grep -q "unknown target\|No rule to make target" "$build/build-$h.log"; then
        echo "skipping $h: its stage is not in this build"
    else
        cat "$build/build-$h.log"
        exit 1
    fi
done
[ -n "$built" ] || { echo "no harness built" >&2; exit 1; }
n=$(echo $built | wc -w)
each=$((total / n))
[ "$each" -ge 1 ] || each=1
# shellcheck disable=SC2086
sh fuzz/run_harnesses.sh "$each" "$build/fuzz" $built
