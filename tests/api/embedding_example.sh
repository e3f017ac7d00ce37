#!/bin/sh
# The embedding example prints what docs/embedding.md says it prints, and the
# document quotes the example's source exactly.
set -eu
example=$1
root=$2
# shellcheck disable=SC2086 # the runner is words: "qemu-aarch64 -L /"
out=$(${JITCALC_TEST_RUNNER:-} "$example")
expected='row 0: 30
row 1: 15
row 2: 27
revenue before discounts: 80'
if [ "$out" != "$expected" ]; then
    echo "unexpected output:"; echo "$out"; exit 1
fi
# Every line of the example must appear in the document, in order.
awk 'NR==FNR { want[n++] = $0; next }
     i < n && $0 == want[i] { i++ }
     END { if (i < n) { print "docs/embedding.md lacks line: " want[i]; exit 1 } }' \
    "$root/docs/examples/embed_example.c" "$root/docs/embedding.md"
echo "1 passed, 0 failed"
