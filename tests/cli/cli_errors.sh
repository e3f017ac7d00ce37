#!/bin/sh
# Errors: the caret under the position, rows (and CSV lines), the exit
# statuses 1 (answered with an error) and 2 (usage or input), the same
# with a daemon and with --local.
. "$(dirname "$0")/lib.sh"
start_daemon

both "parse error" 1 eval 'a + )' --col a=1
expect_lines "parse error"
expect_err "parse error" "jitcalc: parse_error: "
expect_err_lines "parse error caret" "    a + )" "        ^"

both "error at the end of the input" 1 eval '(a + 1' --col a=1
expect_err "error at the end of the input" "parse_error"
expect_err_lines "error at the end of the input" "    (a + 1" "          ^"

both "caret counts code points" 1 eval '"prix é" + )' --col 'prix é=1'
expect_err_lines "caret counts code points" '    "prix é" + )' '               ^'

both "unknown column" 1 eval 'a + nope' --col a=1
expect_err "unknown column" "unknown_column"
expect_err_lines "unknown column caret" "    a + nope" "        ^"

both "type error" 1 eval 'a and true' --col a=1
expect_err "type error" "type_error"

both "error in the where filter" 1 eval 'a' --col a=1,2 --where 'a +'
expect_err "error in the where filter" "parse_error" "in --where, at position 4:"
expect_err_lines "where caret" "    a +" "       ^"

both "evaluation error row" 1 eval '10 // a' --col a=1,2,0
expect_err "evaluation error row" "division_by_zero" "at row 2"

printf 'a\n1\n2\n0\n' >"$WORK/z.csv"
both "evaluation error row in a CSV" 1 eval '10 // a' --csv "$WORK/z.csv"
expect_err "evaluation error row in a CSV" "at row 2 ($WORK/z.csv line 4)"

both "rows count from the input, not the selection" 1 eval '10 // a' --col a=1,2,0,5 --where 'a != 1'
expect_err "rows count from the input" "at row 2"

both "length mismatch" 1 eval 'a + b' --col a=1,2 --col b=1
expect_err "length mismatch" "length_mismatch"

both "overflow" 1 eval 'a * a' --col a=9223372036854775807
expect_err "overflow" "integer_overflow" "at row 0"

both "json format keeps the answer" 1 eval '1 +' --format json
grep -q '"ok":false' "$WORK/out" || fail "json format keeps the answer: $(cat "$WORK/out")"

# Input errors: exit 2, the message names the row and the column.
printf 'a,price\n1,2\n3,\n' >"$WORK/empty.csv"
both "empty CSV cell" 2 eval 'a' --csv "$WORK/empty.csv"
expect_err "empty CSV cell" "$WORK/empty.csv:3: column \"price\": empty cell (row 1)"
printf 'a\n1\n"2\n' >"$WORK/open.csv"
both "unclosed quote" 2 eval 'a' --csv "$WORK/open.csv"
expect_err "unclosed quote" "$WORK/open.csv:3: a quoted field is not closed"
printf 'a,b\n1,2,3\n' >"$WORK/wide.csv"
both "too many fields" 2 eval 'a' --csv "$WORK/wide.csv"
expect_err "too many fields" "3 fields, but the header has 2 (row 0)"
printf 'a\n1\ntrue\n' >"$WORK/mixed.csv"
both "bool mixed with numbers" 2 eval 'a' --csv "$WORK/mixed.csv"
expect_err "bool mixed with numbers" "mixes a bool with the numbers"
both "missing CSV file" 2 eval 'a' --csv "$WORK/nope.csv"
expect_err "missing CSV file" "cannot open $WORK/nope.csv"
both "empty --col value" 2 eval 'a' --col a=1,,2
expect_err "empty --col value" "--col a: value 2: empty cell"
both "a text --col is not sent" 1 eval 'a' --col a=1,x
expect_err "a text --col is not sent" "unknown_column" \
    'column "a" holds text, which expressions cannot use:' \
    "--col a: value 2: 'x' is not a number or true/false"
printf 'item,qty\nbolt,3\n"nut, M4",5\n' >"$WORK/items.csv"
both "a text CSV column is not sent" 1 eval 'qty + "item"' --csv "$WORK/items.csv"
expect_err "a text CSV column is not sent" 'column "item" holds text' \
    "$WORK/items.csv:2: 'bolt' is not a number or true/false (row 0)"
expect_err_lines "a text CSV column is not sent" '    qty + "item"' '          ^'
both "column given twice" 2 eval 'a' --col a=1 --col a=2
expect_err "column given twice" 'column "a" is given twice'

# Usage errors: exit 2 and a pointer to --help.
run "no command" 2 "$JITCALC"
run "unknown command" 2 "$JITCALC" frobnicate
expect_err "unknown command" "no command 'frobnicate'"
run "unknown option" 2 "$JITCALC" eval a --bogus
expect_err "unknown option" "unknown option --bogus" "Try 'jitcalc eval --help'."
run "option of another command" 2 "$JITCALC" ping --csv x.csv
expect_err "option of another command" "'jitcalc ping' takes no option --csv"
run "missing expression" 2 "$JITCALC" eval --col a=1
run "missing value" 2 "$JITCALC" eval a --where
run "bad format" 2 "$JITCALC" eval a --format xml
run "with-input needs csv" 2 "$JITCALC" eval a --col a=1 --with-input --format lines
run "with-input needs input" 2 "$JITCALC" eval 1 --with-input
run "socket and local" 2 "$JITCALC" eval 1 --local --socket "$SOCK"
run "load needs a name" 2 "$JITCALC" load --csv "$WORK/z.csv" --socket "$SOCK"
run "drop takes one name" 2 "$JITCALC" drop a b --socket "$SOCK"

# The daemon is down: exit 3, and the message says how to start it.
run "daemon down" 3 "$JITCALC" eval 1 --socket "$WORK/none.sock"
expect_err "daemon down" "cannot reach jitcalcd at $WORK/none.sock" \
    "jitcalcd --socket $WORK/none.sock" "--local"
for cmd in send tables stats ping repl; do
    run "daemon down: $cmd" 3 "$JITCALC" $cmd --socket "$WORK/none.sock"
done
run "daemon down: load" 3 "$JITCALC" load t --col a=1 --socket "$WORK/none.sock"
run "daemon down: drop" 3 "$JITCALC" drop t --socket "$WORK/none.sock"
export JITCALC_SOCKET="$WORK/env.sock"
run "daemon down via JITCALC_SOCKET" 3 "$JITCALC" ping
expect_err "daemon down via JITCALC_SOCKET" "jitcalcd --socket $WORK/env.sock"
unset JITCALC_SOCKET

finish
