#!/bin/sh
# `jitcalc eval` against a real daemon and with --local: both give the same
# output, and the output is what docs/cli.md promises.
. "$(dirname "$0")/lib.sh"
start_daemon

both "columns from --col" 0 eval 'a * b + 1' --col a=1,2,3 --col b=4,5,6
expect_lines "columns from --col" 5 11 19

both "shortest round-trip decimals" 0 eval 'a / 10' --col a=1,2,3
expect_lines "shortest round-trip decimals" 0.1 0.2 0.3

both "NaN and Infinity words" 0 eval 'a / b' --col a=1,-1,0 --col b=0,0,0
expect_lines "NaN and Infinity words" Infinity -Infinity NaN

both "NaN and Infinity in" 0 eval 'x * 2' --col 'x=NaN,Infinity,-inf,1.5'
expect_lines "NaN and Infinity in" NaN Infinity -Infinity 3

both "a scalar" 0 eval 'sum(a) + count()' --col a=1,2,3
expect_lines "a scalar" 9

both "no columns" 0 eval '2 ^ 10 > 1000'
expect_lines "no columns" true

both "bool columns" 0 eval 'not b' --col b=true,FALSE
expect_lines "bool columns" false true

both "an expression starting with -" 0 eval -a --col a=1,-2
expect_lines "an expression starting with -" -1 2

# Type inference, seen through the answer's type ("cached" may differ
# between the long-lived daemon and a fresh --local process).
expect_type() {
    tname=$1
    ttype=$2
    shift 2
    for mode in "--socket=$SOCK" --local; do
        run "$tname ($mode)" 0 "$JITCALC" eval a --format json "$@" "$mode"
        grep -q "\"type\":\"$ttype\"" "$WORK/out" || fail "$tname ($mode): $(cat "$WORK/out")"
    done
}
expect_type "integers are i64" i64 --col a=1,2
expect_type "a decimal makes f64" f64 --col a=1,2.0
expect_type "an exponent makes f64" f64 --col a=1,2e0
expect_type "NaN makes f64" f64 --col a=1,NaN
expect_type "true/false make bool" bool --col a=true,false
expect_type "huge integers make f64" f64 --col a=1,9223372036854775808
expect_type "no values make f64" f64 --col a=
printf 'a\n1\n2.5\n' >"$WORK/types.csv"
expect_type "CSV columns are inferred too" f64 --csv "$WORK/types.csv"
both "smallest i64" 0 eval 'a' --col a=-9223372036854775808
expect_lines "smallest i64" -9223372036854775808

# CSV: quoting, "" escapes, CRLF line ends, a BOM, a quoted line break.
printf '\357\273\277"unit price",qty,"say ""hi"""\r\n"1.5",2,true\r\n2.25,"4",false\r\n' >"$WORK/sales.csv"
both "CSV with quotes and CRLF" 0 eval '"unit price" * qty' --csv "$WORK/sales.csv"
expect_lines "CSV with quotes and CRLF" 3 9
both "quoted column names" 0 eval 'not "say ""hi"""' --csv "$WORK/sales.csv"
expect_lines "quoted column names" false true
printf 'a,note\n1,"2"\n2,"\n3"\n' >"$WORK/multiline.csv"
both "a quoted line break is data" 0 eval 'a + note' --csv "$WORK/multiline.csv"
expect_lines "a quoted line break is data" 3 5

STDIN=$WORK/sales.csv
both "CSV from stdin" 0 eval 'qty * 2' --csv -
STDIN=
expect_lines "CSV from stdin" 4 8

both "CSV and --col together" 0 eval 'qty + k' --csv "$WORK/sales.csv" --col k=10,20
expect_lines "CSV and --col together" 12 24

# Text columns stay in the client: usable beside the result, not in it.
printf 'item,price,qty\napple,0.5,12\n"melon, large",3.25,2\npear,,4\n' >"$WORK/items.csv"
both "an empty cell in a value column is an error" 2 eval 'price' --csv "$WORK/items.csv"
expect_err "an empty cell in a value column is an error" \
    "items.csv:4: column \"price\": empty cell (row 2)"
printf 'item,price,qty\napple,0.5,12\n,1,1\n' >"$WORK/blank_item.csv"
both "an empty cell in a text column is fine" 0 eval 'qty' --csv "$WORK/blank_item.csv" --with-input
expect_lines "an empty cell in a text column is fine" 'item,price,qty,qty' apple,0.5,12,12 ,1,1,1
printf 'item,price,qty\napple,0.5,12\n"melon, large",3.25,2\npear,1,4\n' >"$WORK/items.csv"
both "text columns are not sent" 0 eval 'price * qty' --csv "$WORK/items.csv"
expect_lines "text columns are not sent" 6 6.5 4
both "text columns print with the input" 0 eval 'price * qty' --csv "$WORK/items.csv" --with-input
expect_lines "text columns print with the input" 'item,price,qty,price * qty' \
    apple,0.5,12,6 '"melon, large",3.25,2,6.5' pear,1,4,4
both "text columns follow the where" 0 eval 'price * qty' --csv "$WORK/items.csv" --with-input --where 'qty < 10'
expect_lines "text columns follow the where" 'item,price,qty,price * qty' \
    '"melon, large",3.25,2,6.5' pear,1,4,4
both "a filter over text and values" 0 eval --where 'price > 0.75' --csv "$WORK/items.csv" --with-input
expect_lines "a filter over text and values" item,price,qty '"melon, large",3.25,2' pear,1,4
both "a filter with a --col text column" 0 eval --where 'k > 1' --col k=1,2,3 --col 'name=a,b,c' --with-input
expect_lines "a filter with a --col text column" k,name 2,b 3,c

# Large inputs travel as base64: 5000 rows.
awk 'BEGIN { print "n"; for (i = 1; i <= 5000; i++) print i }' >"$WORK/big.csv"
both "large CSV input" 0 eval 'sum(n)' --csv "$WORK/big.csv"
expect_lines "large CSV input" 12502500
both "large CSV column result" 0 eval 'n * 0.5' --csv "$WORK/big.csv"
[ "$(wc -l <"$WORK/out")" -eq 5000 ] || fail "large CSV column result: $(wc -l <"$WORK/out") lines"
[ "$(tail -n 1 "$WORK/out")" = 2500 ] || fail "large CSV column result: last is $(tail -n 1 "$WORK/out")"

# Formats.
both "csv format" 0 eval 'a * 2' --col a=1,2 --format csv
expect_lines "csv format" 'a * 2' 2 4
both "csv header is quoted when needed" 0 eval 'least(a, 1)' --col a=0,2 --format csv
expect_lines "csv header is quoted when needed" '"least(a, 1)"' 0 1
both "with-input" 0 eval 'a * b' --col a=1,2 --col b=0.5,4 --with-input
expect_lines "with-input" 'a,b,a * b' 1,0.5,0.5 2,4,8
both "with-input and where" 0 eval 'a * b' --col a=1,2,3 --col b=1,1,0 --where 'b > 0' --with-input --format csv
expect_lines "with-input and where" 'a,b,a * b' 1,1,1 2,1,2
run "json format" 0 "$JITCALC" eval 'a + 1' --col a=1,2 --format json --socket "$SOCK"
grep -q '^{.*"ok":true.*"result":\[2,3\].*}$' "$WORK/out" || fail "json format: $(cat "$WORK/out")"

# Where and filters.
both "where" 0 eval 'a * 2' --col a=1,2,3,4 --where 'a > 2'
expect_lines "where" 6 8
both "where with an aggregate" 0 eval 'sum(a)' --col a=1,2,3,4 --where 'a > 2'
expect_lines "where with an aggregate" 7
both "a filter prints row indices" 0 eval --where 'a > 2 or a == 1' --col a=1,2,3,4
expect_lines "a filter prints row indices" 0 2 3
both "a filter with input prints rows" 0 eval --where 'qty > 2' --csv "$WORK/sales.csv" --with-input
expect_lines "a filter with input prints rows" 'unit price,qty,"say ""hi"""' 2.25,4,false
both "an empty selection" 0 eval 'avg(a)' --col a=1,2 --where 'a > 5'
expect_lines "an empty selection" null

# A stored table (daemon only: --local has a fresh service per process).
run "load" 0 "$JITCALC" load sales --csv "$WORK/sales.csv" --socket "$SOCK"
run "eval over a table" 0 "$JITCALC" eval 'qty * 10' --table sales --socket "$SOCK"
expect_lines "eval over a table" 20 40
run "table and columns" 0 "$JITCALC" eval 'qty + k' --table sales --col k=1,2 --socket "$SOCK"
expect_lines "table and columns" 3 6
run "with-input over a table" 0 "$JITCALC" eval 'qty * 2' --table sales --with-input --socket "$SOCK"
expect_lines "with-input over a table" 'unit price,qty,"say ""hi""",qty * 2' '1.5,2,true,4' '2.25,4,false,8'
run "drop" 0 "$JITCALC" drop sales --socket "$SOCK"

# JITCALC_SOCKET is the default socket.
export JITCALC_SOCKET="$SOCK"
run "JITCALC_SOCKET" 0 "$JITCALC" eval 'a + 1' --col a=1
expect_lines "JITCALC_SOCKET" 2
unset JITCALC_SOCKET

finish
