#!/bin/sh
# demo.sh — the main job: builds jitcalc, starts the daemon jitcalcd with its
# defaults on a private socket, evaluates a demo request through the CLI,
# prints the result, and stops the daemon.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
build=${JITCALC_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null

sock=$(mktemp -u /tmp/jitcalc-demo.XXXXXX.sock)
allow_root=""
[ "$(id -u)" -eq 0 ] && allow_root="--allow-root"
"$build/server/jitcalcd" --socket "$sock" $allow_root --log-level warn &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
# Ready when it answers ping.
for _ in $(seq 100); do
    "$build/clients/jitcalc" ping --socket "$sock" >/dev/null 2>&1 && break
    sleep 0.05
done

echo '$ jitcalc eval "price * qty * (1 - discount)" --col price=10,20,7.5 --col qty=3,1,4 --col discount=0,0.25,0.1'
"$build/clients/jitcalc" eval "price * qty * (1 - discount)" --socket "$sock" \
    --col price=10,20,7.5 --col qty=3,1,4 --col discount=0,0.25,0.1
echo '$ jitcalc eval "avg((a - avg(a))^2)" --col a=1,2,3,4'
"$build/clients/jitcalc" eval "avg((a - avg(a))^2)" --socket "$sock" --col a=1,2,3,4
