#!/bin/sh
# sanitize.sh — the whole test suite twice more, as issue 9 asks:
#   build-asan  AddressSanitizer + UndefinedBehaviorSanitizer
#               (-DJITCALC_SANITIZE=ON; clang by default, $JITCALC_SANITIZE_CC
#               to choose), every report fatal;
#   build-O0    -O0 (CMAKE_BUILD_TYPE=Debug): results must not depend on the
#               optimisation level.
# The stencils are never instrumented or built at -O0: ops/ compiles them
# with GCC and its own fixed flags, whatever the build type and
# sanitizers (this script checks that, below).
# Usage: scripts/sanitize.sh [asan|O0|all]   (default: all)
# $JITCALC_SANITIZE_CTEST_ARGS: extra ctest arguments (e.g. -L hardening, or
# -E NAME with a comment in the caller saying why a test is left out).
# Prints how long each configuration took. Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."
which=${1:-all}
jobs=$(nproc)
cc=${JITCALC_SANITIZE_CC:-clang}
status=0

# Every report is an error: ASan aborts on the first; UBSan is built with
# -fno-sanitize-recover. LeakSanitizer runs at exit (detect_leaks); its only
# suppressions are in scripts/lsan.supp, each with its reason (third-party
# code only).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0}
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

now() { date +%s; }

# The stencil compile commands must carry neither sanitizer nor -O0 flags.
check_stencil_flags() {
    build=$1
    # ops/ compiles each instruction set's stencils with -DJC_ISA_<set>
    cmds=$(grep -rh --include=build.make -- "-DJC_ISA_" "$build" 2>/dev/null || true)
    if [ -z "$cmds" ]; then
        echo "note: no stencil compile command found in $build (no JIT in this build?)"
        return 0
    fi
    # whole words only: the build directory itself may be called build-O0
    bad='(^|[[:space:]])-(O0|fsanitize[^[:space:]]*)([[:space:]]|$)'
    if echo "$cmds" | grep -Eq -- "$bad"; then
        echo "ERROR: sanitizer or -O0 flags reach the stencils in $build:" >&2
        echo "$cmds" | grep -E -- "$bad" >&2
        return 1
    fi
    echo "stencils in $build: built without sanitizers, at their own -O2"
}

run_config() {
    name=$1
    build=$2
    shift 2
    start=$(now)
    echo "== $name: configure ($build)"
    cmake -S . -B "$build" "$@" >/dev/null
    echo "== $name: build"
    if ! cmake --build "$build" -j "$jobs" >"$build.log" 2>&1; then
        tail -50 "$build.log"
        echo "!! $name: build failed (log: $build.log)"
        return 1
    fi
    check_stencil_flags "$build" || return 1
    built=$(now)
    echo "== $name: ctest"
    rc=0
    # shellcheck disable=SC2086
    ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 1800 \
        ${JITCALC_SANITIZE_CTEST_ARGS:-} || rc=$?
    end=$(now)
    echo "== $name: build $((built - start)) s, tests $((end - built)) s, total $((end - start)) s"
    return $rc
}

if [ "$which" = all ] || [ "$which" = asan ]; then
    run_config "ASan+UBSan ($cc)" build-asan -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJITCALC_SANITIZE=ON || status=1
fi
if [ "$which" = all ] || [ "$which" = O0 ]; then
    run_config "-O0 (Debug)" build-O0 -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS_DEBUG="-O0 -g" || status=1
fi
exit $status
