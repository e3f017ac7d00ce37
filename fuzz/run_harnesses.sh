#!/bin/sh
# run_harnesses.sh SECONDS_EACH WORK_DIR HARNESS... — runs each libFuzzer
# harness for SECONDS_EACH seconds over its checked-in seeds and
# regressions (fuzz/corpus/<name>, fuzz/regressions/<name>), keeping what
# it discovers in WORK_DIR/corpus/<name> (never in the checkout). A crash,
# leak, timeout or sanitizer report is saved in fuzz/crashes/<name>/ and
# makes the script exit 1 after the other harnesses have run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
secs=$1
work=$2
shift 2
status=0
for bin in "$@"; do
    name=$(basename "$bin")
    short=${name#fuzz_}
    mkdir -p "$work/corpus/$short" "$here/crashes/$short"
    seeds="$here/corpus/$short"
    if [ -d "$here/regressions/$short" ]; then
        seeds="$seeds $here/regressions/$short"
    fi
    dict=""
    if [ -f "$here/dict/$short.dict" ]; then
        dict="-dict=$here/dict/$short.dict"
    fi
    echo "== $name: $secs s"
    # -timeout: one input taking 30 s is a hang (generous: CI machines are
    # busy); -rss_limit_mb: a leak or an unbounded allocation; -max_len:
    # inputs bigger than the limits the harnesses care about add nothing
    # but time.
    # shellcheck disable=SC2086
    if ! "$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
            -max_len=8192 -print_final_stats=1 $dict \
            -artifact_prefix="$here/crashes/$short/" \
            "$work/corpus/$short" $seeds \
            >"$work/$name.log" 2>&1; then
        status=1
        echo "!! $name failed; crashers in fuzz/crashes/$short/, log: $work/$name.log"
        grep -a -E "ERROR|SUMMARY|check failed|differ|fuzz_" "$work/$name.log" | head -20
    else
        grep -a -E "^stat::number_of_executed_units|^Done" "$work/$name.log" | tr '\n' ' '
        echo
    fi
done
exit $status
