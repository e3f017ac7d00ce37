#!/bin/sh
# bench.sh — issue 8's benchmarks in one command: builds them, then
#   engines: jitcalc (bench_engines: C loop, interpreter, JIT per ISA,
#            compile cold and cache hit), the peers (bench_peers: TinyCC,
#            muparser, libgccjit, LLVM ORC) and numexpr (one thread and all
#            threads); writes bench/results/*.json, engines_side_by_side.md
#            and engines.png;
#   load:    jitcalcd under bench/load (small requests pipelined and not,
#            cold compiles, large base64 and JSON-array columns) and, as the
#            ceiling for request handling on this machine, redis-benchmark
#            -t ping against a redis-server on a Unix socket, in the same
#            run; writes bench/results/load.json and load.md.
#
# Usage: scripts/bench.sh [--quick | --smoke] [--only engines|load]
#                         [--no-install] [--build DIR]
#   --quick  sizes 1,000 and 20,000 rows, shorter load runs
#   --smoke  one sample each, load runs of a fraction of a second
#   --only   run one of the two parts (default: both)
#   --no-install  do not apt-get the peers or redis (what is missing is skipped)
# Quote medians; the ratios are against the C loop timed in the same process.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
mode=""
install=1
parts="engines load"
usage() {
    echo "usage: $0 [--quick | --smoke] [--only engines|load] [--no-install] [--build DIR]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --quick | --smoke) mode="$1" ;;
    --only)
        case "${2:-}" in engines | load) parts="$2" ;; *) usage ;; esac
        shift
        ;;
    --no-install) install=0 ;;
    --build) build="$2"; shift ;;
    *) usage ;;
    esac
    shift
done
results="$root/bench/results"
mkdir -p "$results"
has() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }

# The peers and redis come from Debian; install what is missing when we may.
wanted=""
has engines && wanted="libtcc-dev libmuparser-dev python3-numexpr libgccjit-12-dev llvm-14-dev gnuplot-nox"
has load && wanted="$wanted redis-server redis-tools"
missing=""
for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$install" = 1 ] && [ "$(id -u)" -eq 0 ]; then
        echo "bench.sh: installing:$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null || true
        # shellcheck disable=SC2086
        apt-get install -y -qq $missing >/dev/null ||
            echo "bench.sh: could not install all of:$missing (those are skipped)" >&2
    else
        echo "bench.sh: not installed:$missing (skipped; apt-get install -y$missing)" >&2
    fi
fi

targets=""
has engines && targets="bench_engines bench_peers bench_c_loops_shared"
has load && targets="$targets load jitcalcd"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" --target $targets -j2 >/dev/null

echo "## machine"
lscpu | grep -E '^(Model name|CPU\(s\)|Thread|L2|L3)' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if has engines; then
    echo
    echo "## jitcalc (bench_engines $mode)"
    # shellcheck disable=SC2086 # $mode: no word, or one flag
    "$build/bench/bench_engines" $mode --json "$results/engines.json"
    echo
    echo "## peers (bench_peers $mode)"
    # muparser's OpenMP bulk mode: one thread, as every engine here.
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=1 "$build/bench/peers/bench_peers" $mode --json "$results/peers.json"
    echo
    echo "## numexpr"
    if [ -x /usr/bin/python3 ]; then
        # shellcheck disable=SC2086
        /usr/bin/python3 "$root/bench/peers/numexpr_bench.py" $mode \
            --lib "$build/bench/peers/libbench_c_loops_shared.so" --json "$results/numexpr.json"
    else
        echo "peer numexpr: skipped (no /usr/bin/python3)"
        rm -f "$results/numexpr.json"
    fi
    echo
    echo "## side by side"
    /usr/bin/python3 "$root/bench/peers/report.py" "$results"
fi

if has load; then
    echo
    echo "## the daemon under load (bench/load; redis-benchmark as the ceiling)"
    # Seconds per jitcalcd run; requests per redis-benchmark test (pipelined,
    # then not), sized for runs of a few seconds each.
    case "$mode" in
    --smoke) secs=0.3 rows=20000 redis_n=100000 redis_n1=10000 ;;
    --quick) secs=1.5 rows=1000000 redis_n=1000000 redis_n1=100000 ;;
    *) secs=3 rows=1000000 redis_n=3000000 redis_n1=300000 ;;
    esac
    raw="$build/load-results" # what load and redis-benchmark printed
    rm -rf "$raw"
    mkdir -p "$raw"
    # One jitcalcd (started by load) per run: MIX CONNECTIONS PIPELINE [ARGS].
    daemon_run() {
        mix=$1 conns=$2 depth=$3
        shift 3
        echo "jitcalcd $mix, $conns connections x $depth in flight:"
        "$build/bench/load" --spawn "$build/server/jitcalcd" --mix "$mix" --connections "$conns" \
            --pipeline "$depth" --seconds "$secs" "$@" >"$raw/jitcalcd-$mix-c$conns-p$depth.txt" ||
            echo "  (load reported errors)"
        sed 's/^/  /' "$raw/jitcalcd-$mix-c$conns-p$depth.txt"
    }
    daemon_run small 16 32
    daemon_run small 64 1
    daemon_run cold 16 32
    daemon_run large 2 2 --rows "$rows"
    daemon_run json 2 2 --rows "$((rows / 10))"

    # redis-benchmark -t ping at CONNECTIONS PIPELINE REQUESTS (it has no
    # duration option); its CSV is kept for load_report.py.
    redis_run() {
        echo "redis ping, $1 connections x $2 in flight:"
        redis-benchmark -s "$sock_dir/redis.sock" -t ping -c "$1" -P "$2" -n "$3" --csv \
            >"$raw/redis-ping-c$1-p$2.csv"
        sed 's/^/  /' "$raw/redis-ping-c$1-p$2.csv"
    }
    redis_ready() {
        for _ in $(seq 100); do
            redis-cli -s "$sock_dir/redis.sock" ping >/dev/null 2>&1 && return 0
            sleep 0.05
        done
        return 1
    }
    if command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null; then
        # No TCP port (--port 0), no persistence: a Unix socket only, as jitcalcd.
        sock_dir=$(mktemp -d)
        redis-server --port 0 --unixsocket "$sock_dir/redis.sock" --unixsocketperm 700 \
            --save '' --appendonly no --dir "$sock_dir" >"$sock_dir/redis.log" 2>&1 &
        redis_pid=$!
        trap 'kill "$redis_pid" 2>/dev/null || true; rm -rf "$sock_dir"' EXIT
        if redis_ready; then
            redis_run 16 32 "$redis_n"
            redis_run 64 1 "$redis_n1"
        else
            echo "redis: skipped (redis-server did not start):"
            cat "$sock_dir/redis.log"
        fi
        kill "$redis_pid" 2>/dev/null || true
        wait "$redis_pid" 2>/dev/null || true
        rm -rf "$sock_dir"
        trap - EXIT
    else
        echo "redis: skipped (not installed: apt-get install -y redis-server redis-tools)"
    fi
    echo
    /usr/bin/python3 "$root/bench/load_report.py" "$raw" "$results"
fi
