# lib.sh — helpers for the CLI's shell tests (sourced; POSIX sh).
#
# Usage in a test:  . "$(dirname "$0")/lib.sh" "$@"   (args: jitcalc jitcalcd)
# Gives: $JITCALC, $JITCALCD, $WORK (a temporary directory, removed at exit),
# $SOCK, start_daemon, run, both, expect_lines, expect_err, finish.

JITCALC=$1
JITCALCD=$2
WORK=$(mktemp -d /tmp/jitcalc-cli.XXXXXX)
SOCK=$WORK/d.sock
DAEMON_PID=

# Cross builds run the programs through an emulator ($JITCALC_TEST_RUNNER,
# words such as "qemu-aarch64 -L /"): wrap each in a script of its own.
if [ -n "${JITCALC_TEST_RUNNER:-}" ]; then
    for prog in JITCALC JITCALCD; do
        eval "path=\$$prog"
        wrapper=$WORK/$(basename "$path")
        printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$JITCALC_TEST_RUNNER" "$path" >"$wrapper"
        chmod +x "$wrapper"
        eval "$prog=\$wrapper"
    done
fi
failures=0

cleanup() {
    if [ -n "$DAEMON_PID" ]; then
        kill "$DAEMON_PID" 2>/dev/null
        wait "$DAEMON_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# Starts jitcalcd on $SOCK and waits until it answers ping (the daemon is
# ready when it answers; the loop only bounds how long we wait for that).
start_daemon() {
    "$JITCALCD" --allow-root --socket "$SOCK" "$@" 2>"$WORK/daemon.log" &
    DAEMON_PID=$!
    tries=0
    until "$JITCALC" ping --socket "$SOCK" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if ! kill -0 "$DAEMON_PID" 2>/dev/null || [ $tries -gt 600 ]; then
            echo "jitcalcd did not start:" >&2
            cat "$WORK/daemon.log" >&2
            exit 1
        fi
        sleep 0.05
    done
}

# run NAME STATUS CMD...: runs CMD (stdin from $STDIN, default /dev/null),
# stdout to $WORK/out, stderr to $WORK/err, and checks the exit status.
run() {
    name=$1
    want=$2
    shift 2
    "$@" <"${STDIN:-/dev/null}" >"$WORK/out" 2>"$WORK/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        fail "$name: exit status $got, wanted $want"
        sed 's/^/    stderr: /' "$WORK/err" >&2
    fi
}

# both NAME STATUS ARGS...: runs `jitcalc ARGS... --socket $SOCK` and
# `jitcalc ARGS... --local`; both must exit with STATUS and print the same
# stdout and stderr. Leaves the daemon's output in $WORK/out and $WORK/err.
both() {
    bname=$1
    bstatus=$2
    shift 2
    run "$bname (local)" "$bstatus" "$JITCALC" "$@" --local
    mv "$WORK/out" "$WORK/out.local"
    mv "$WORK/err" "$WORK/err.local"
    run "$bname (daemon)" "$bstatus" "$JITCALC" "$@" --socket "$SOCK"
    if ! cmp -s "$WORK/out" "$WORK/out.local"; then
        fail "$bname: stdout differs between the daemon and --local"
        diff "$WORK/out" "$WORK/out.local" | sed 's/^/    /' >&2
    fi
    if ! cmp -s "$WORK/err" "$WORK/err.local"; then
        fail "$bname: stderr differs between the daemon and --local"
        diff "$WORK/err" "$WORK/err.local" | sed 's/^/    /' >&2
    fi
}

# expect_lines NAME LINE...: stdout of the last run is exactly these lines.
expect_lines() {
    ename=$1
    shift
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi >"$WORK/want"
    if ! cmp -s "$WORK/want" "$WORK/out"; then
        fail "$ename: unexpected stdout"
        diff "$WORK/want" "$WORK/out" | sed 's/^/    /' >&2
    fi
}

# expect_err NAME TEXT...: stderr of the last run holds each TEXT (a fixed
# string, one line of it).
expect_err() {
    ename=$1
    shift
    for text in "$@"; do
        if ! grep -qF -- "$text" "$WORK/err"; then
            fail "$ename: stderr lacks '$text'"
            sed 's/^/    stderr: /' "$WORK/err" >&2
        fi
    done
}

# expect_err_lines NAME LINE...: stderr holds these consecutive lines.
expect_err_lines() {
    ename=$1
    shift
    printf '%s\n' "$@" >"$WORK/want"
    n=$#
    total=$(wc -l <"$WORK/err")
    i=1
    while [ "$i" -le "$total" ]; do
        if sed -n "${i},$((i + n - 1))p" "$WORK/err" | cmp -s - "$WORK/want"; then
            return 0
        fi
        i=$((i + 1))
    done
    fail "$ename: stderr lacks the lines:"
    sed 's/^/    want: /' "$WORK/want" >&2
    sed 's/^/    stderr: /' "$WORK/err" >&2
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
