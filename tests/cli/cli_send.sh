#!/bin/sh
# `jitcalc send`: 10,000 pipelined requests give the same answer lines,
# in order, through the daemon and with --local; blank lines get none; a
# last line without a newline is answered; answers reach a co-process
# before its next request.
. "$(dirname "$0")/lib.sh"
start_daemon

# 10,000 requests of many kinds (ok, errors, bad JSON, filters, several
# expressions, stored tables), with blank lines between some of them.
awk 'BEGIN {
    for (i = 1; i <= 10000; i++) {
        k = i % 10
        if (k == 0) printf "{\"id\":%d,\"expr\":\"a*b + %d\",\"columns\":{\"a\":[%d,%d],\"b\":[0.5,2]}}\n", i, i % 7, i, i + 1
        else if (k == 1) printf "{\"id\":%d,\"expr\":\"a // b\",\"columns\":{\"a\":[1,2],\"b\":[1,0]}}\n", i
        else if (k == 2) printf "{\"id\":%d,\"expr\":\"sum(a) / %d\",\"where\":\"a > 1\",\"columns\":{\"a\":[1,2,3]}}\n", i, i
        else if (k == 3) printf "{nope %d\n", i
        else if (k == 4) printf "{\"id\":\"s%d\",\"exprs\":[\"a + 1\",\"max(a)\"],\"columns\":{\"a\":[%d.5,\"NaN\"]}}\n", i, i
        else if (k == 5) printf "{\"id\":null,\"op\":\"ping\"}\n"
        else if (k == 6) printf "{\"id\":%d,\"where\":\"a %% 3 == 0\",\"indices\":true,\"columns\":{\"a\":[%d,%d,%d]}}\n", i, i, i + 1, i + 2
        else if (k == 7) printf "{\"id\":%d,\"expr\":\"a +\",\"columns\":{\"a\":[1]}}\n", i
        else if (k == 8) printf "{\"id\":%d,\"expr\":\"round(a / 3, 2)\",\"encoding\":\"base64\",\"columns\":{\"a\":[%d]}}\n", i, i
        else printf "{\"id\":%d,\"expr\":\"if(a > 0, sqrt(a), -1.0)\",\"columns\":{\"a\":{\"type\":\"f64\",\"data\":[%d,-1]}}}\n", i, i
        if (i % 1000 == 0) printf "\n  \r\n"
    }
}' >"$WORK/requests"

STDIN=$WORK/requests
run "send, daemon" 1 "$JITCALC" send --socket "$SOCK"
mv "$WORK/out" "$WORK/answers.daemon"
run "send, local" 1 "$JITCALC" send --local
mv "$WORK/out" "$WORK/answers.local"
STDIN=

[ "$(wc -l <"$WORK/answers.daemon")" -eq 10000 ] ||
    fail "send: $(wc -l <"$WORK/answers.daemon") answers for 10000 requests"
if ! cmp -s "$WORK/answers.daemon" "$WORK/answers.local"; then
    fail "send: the daemon's answers differ from --local's"
    diff "$WORK/answers.daemon" "$WORK/answers.local" | head -20 | sed 's/^/    /' >&2
fi
# In request order: the answer to request i (i % 10 == 0) carries id i.
awk 'NR % 10 == 0 && index($0, "{\"id\":" NR ",") != 1 { bad++ }
     END { exit bad > 0 }' "$WORK/answers.daemon" ||
    fail "send: answers are not in request order"
grep -c '"ok":false' "$WORK/answers.daemon" >"$WORK/count"
[ "$(cat "$WORK/count")" -eq 3000 ] || fail "send: $(cat "$WORK/count") error answers, wanted 3000"

# All answers ok: exit 0.
printf '{"op":"ping"}\n\n{"id":7,"expr":"1+1"}' >"$WORK/two"
STDIN=$WORK/two
run "last line without newline" 0 "$JITCALC" send --socket "$SOCK"
STDIN=
[ "$(wc -l <"$WORK/out")" -eq 2 ] || fail "last line without newline: $(cat "$WORK/out")"
tail -n 1 "$WORK/out" | grep -q '^{"id":7,"ok":true' ||
    fail "last line without newline: $(tail -n 1 "$WORK/out")"

run "no requests" 0 "$JITCALC" send --socket "$SOCK"
expect_lines "no requests"

# A co-process writes a request, reads its answer, then writes the next.
for mode in "--socket $SOCK" --local; do
    rm -f "$WORK/to" "$WORK/from"
    mkfifo "$WORK/to" "$WORK/from"
    # shellcheck disable=SC2086 # $mode is two words on purpose
    "$JITCALC" send $mode <"$WORK/to" >"$WORK/from" &
    send_pid=$!
    exec 3>"$WORK/to" 4<"$WORK/from"
    echo '{"id":1,"op":"ping"}' >&3
    read -r first <&4
    echo '{"id":2,"expr":"2*21"}' >&3
    read -r second <&4
    exec 3>&- 4<&-
    wait $send_pid || fail "co-process ($mode): send failed"
    [ "$first" = '{"id":1,"ok":true}' ] || fail "co-process ($mode): first answer $first"
    case $second in
    '{"id":2,"ok":true,"type":"i64","result":42'*) ;;
    *) fail "co-process ($mode): second answer $second" ;;
    esac
done

finish
