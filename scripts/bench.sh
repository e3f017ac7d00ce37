#!/bin/sh
# bench.sh — issue 8's engines side by side, in one command: builds the
# benchmarks, runs jitcalc (bench_engines: C loop, interpreter, JIT per ISA,
# compile cold and cache hit), the peers (bench_peers: TinyCC, muparser,
# libgccjit, LLVM ORC when built) and numexpr (one thread and all threads),
# then writes bench/results/*.json, engines_side_by_side.md and engines.png.
#
# Usage: scripts/bench.sh [--quick | --smoke] [--no-install] [--build DIR]
#   --quick  sizes 1,000 and 20,000 rows    --smoke  one sample each (CI)
#   --no-install  do not apt-get the peers (a missing peer is skipped)
# Quote medians; the ratios are against the C loop timed in the same process.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
mode=""
install=1
while [ $# -gt 0 ]; do
    case "$1" in
    --quick | --smoke) mode="$1" ;;
    --no-install) install=0 ;;
    --build) build="$2"; shift ;;
    *) echo "usage: $0 [--quick | --smoke] [--no-install] [--build DIR]" >&2; exit 2 ;;
    esac
    shift
done
results="$root/bench/results"
mkdir -p "$results"

# The peers come from Debian; install what is missing when we may.
peers="libtcc-dev libmuparser-dev python3-numexpr libgccjit-12-dev llvm-14-dev gnuplot-nox"
missing=""
for p in $peers; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$install" = 1 ] && [ "$(id -u)" -eq 0 ]; then
        echo "bench.sh: installing:$missing" >&2
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
            echo "bench.sh: could not install all of:$missing (those peers are skipped)" >&2
    else
        echo "bench.sh: not installed:$missing (skipped; apt-get install -y$missing)" >&2
    fi
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target bench_engines bench_peers bench_c_loops_shared -j2 >/dev/null

echo "## machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|L2|L3)' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## jitcalc (bench_engines $mode)"
"$build/bench/bench_engines" $mode --json "$results/engines.json"
echo
echo "## peers (bench_peers $mode)"
# muparser's OpenMP bulk mode: one thread, as every engine here.
OMP_NUM_THREADS=1 "$build/bench/peers/bench_peers" $mode --json "$results/peers.json"
echo
echo "## numexpr"
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 "$root/bench/peers/numexpr_bench.py" $mode \
        --lib "$build/bench/peers/libbench_c_loops_shared.so" --json "$results/numexpr.json"
else
    echo "peer numexpr: skipped (no /usr/bin/python3)"
    rm -f "$results/numexpr.json"
fi
echo
echo "## side by side"
/usr/bin/python3 "$root/bench/peers/report.py" "$results"
