#!/bin/sh
# The other commands (ping, load, tables, drop, stats, repl), --help on
# each command, --version; against a real daemon and with --local.
. "$(dirname "$0")/lib.sh"
start_daemon

both "ping" 0 ping
expect_lines "ping" ok
both "ping json" 0 ping --format json
expect_lines "ping json" '{"ok":true}'

printf 'qty,price\n2,1.5\n4,2.25\n' >"$WORK/sales.csv"
both "load" 0 load sales --csv "$WORK/sales.csv"
expect_lines "load" "loaded 2 rows into sales"
both "load with --col" 0 load extra --col a=1,2,3
expect_lines "load with --col" "loaded 3 rows into extra"
printf 'name,qty\nbolt,3\n' >"$WORK/named.csv"
both "load leaves text columns out" 0 load named --csv "$WORK/named.csv"
expect_lines "load leaves text columns out" "loaded 1 row into named"
expect_err "load leaves text columns out" 'note: column "name" holds text and is not stored'
run "load needs columns" 2 "$JITCALC" load t --socket "$SOCK"

run "tables" 0 "$JITCALC" tables --socket "$SOCK"
grep -q '^sales  2 rows  [0-9]* bytes  qty i64, price f64$' "$WORK/out" ||
    fail "tables: $(cat "$WORK/out")"
grep -q '^extra  3 rows  [0-9]* bytes  a i64$' "$WORK/out" || fail "tables: $(cat "$WORK/out")"
run "tables csv" 0 "$JITCALC" tables --format csv --socket "$SOCK"
head -n 1 "$WORK/out" | grep -qx 'name,rows,bytes,columns' || fail "tables csv: $(cat "$WORK/out")"
grep -q '^sales,2,[0-9]*,qty:i64 price:f64$' "$WORK/out" || fail "tables csv: $(cat "$WORK/out")"
run "tables json" 0 "$JITCALC" tables --format json --socket "$SOCK"
grep -q '"tables":\[' "$WORK/out" || fail "tables json: $(cat "$WORK/out")"

run "drop" 0 "$JITCALC" drop extra --socket "$SOCK"
expect_lines "drop" "dropped extra"
run "drop again" 1 "$JITCALC" drop extra --socket "$SOCK"
expect_err "drop again" "unknown_table"
run "eval over a dropped table" 1 "$JITCALC" eval 'a' --table extra --socket "$SOCK"
expect_err "eval over a dropped table" "unknown_table"
run "local tables are empty" 0 "$JITCALC" tables --local
expect_lines "local tables are empty"

run "stats" 0 "$JITCALC" stats --socket "$SOCK"
grep -q '^requests: [0-9]' "$WORK/out" || fail "stats: $(cat "$WORK/out")"
grep -q '^cache_hits: [0-9]' "$WORK/out" || fail "stats: $(cat "$WORK/out")"
grep -q '^jit: \(true\|false\)$' "$WORK/out" || fail "stats: $(cat "$WORK/out")"
run "stats local" 0 "$JITCALC" stats --local
grep -q '^requests: 1$' "$WORK/out" || fail "stats local: $(cat "$WORK/out")"
run "stats csv" 0 "$JITCALC" stats --format csv --socket "$SOCK"
head -n 1 "$WORK/out" | grep -qx 'key,value' || fail "stats csv: $(cat "$WORK/out")"
grep -q '^requests,[0-9]' "$WORK/out" || fail "stats csv: $(cat "$WORK/out")"

# The repl, fed from a pipe (no prompts, no line editing).
printf 'a,b\n1,10\n2,20\n3,30\n' >"$WORK/ab.csv"
cat >"$WORK/session" <<SESSION
:load $WORK/ab.csv
a * b
sum(b)

:where a >= 2
a
:where
a +
:col c=5,6,7
c - a
:format csv
a / 2
:format lines
:rows 1
b
:columns
:nonsense
:quit
1 + 1
SESSION
STDIN=$WORK/session
both "repl" 0 repl
STDIN=
expect_lines "repl" "loaded 2 columns, 3 rows from $WORK/ab.csv" \
    10 40 90 60 2 3 4 4 4 "a / 2" 0.5 1 1.5 10 "... 2 more rows (3 in all)" \
    "a  i64  3 rows" "b  i64  3 rows" "c  i64  3 rows"
expect_err "repl errors" "parse_error: " "unknown or incomplete command :nonsense"
expect_err_lines "repl caret" "    a +" "       ^"

printf 'nope + 1\n' >"$WORK/bad_session"
STDIN=$WORK/bad_session
both "repl keeps going after errors" 0 repl
STDIN=
expect_err "repl keeps going after errors" "unknown_column"

# --help on every command, and --version.
for cmd in eval send load drop tables stats ping repl; do
    run "$cmd --help" 0 "$JITCALC" $cmd --help
    head -n 1 "$WORK/out" | grep -q "^Usage: jitcalc $cmd" || fail "$cmd --help: $(head -n 1 "$WORK/out")"
    run "help $cmd" 0 "$JITCALC" help $cmd
    head -n 1 "$WORK/out" | grep -q "^Usage: jitcalc $cmd" || fail "help $cmd"
done
run "--help" 0 "$JITCALC" --help
grep -q '^  eval EXPR' "$WORK/out" || fail "--help: $(cat "$WORK/out")"
run "--version" 0 "$JITCALC" --version
grep -q '^jitcalc [0-9]*\.[0-9]*\.[0-9]* (libjitcalc [0-9.]*)$' "$WORK/out" ||
    fail "--version: $(cat "$WORK/out")"

finish
