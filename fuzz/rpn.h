/*
 * rpn.h — fuzz bytes to a well-typed expression and a few small columns,
 * for the JIT-versus-interpreter differential harness (fuzz_differential)
 * and its replay in the normal test suite.
 *
 * The bytes before the first ';' are a postfix program, one character per
 * token, so seeds are readable by hand: "ab+" is `(a + b)`, "n2d" is
 * `(n // 2)`, "ab>a b-?" is `if((a > b), a, b)` ... (the table is in
 * rpn.c). Unknown bytes are skipped, an operator without enough operands is
 * skipped, and operands are coerced where the language would refuse them
 * (a number where a bool is needed becomes `(x != 0)`, a bool compared
 * with a number becomes `int(p)`), so almost every input type-checks and
 * the fuzzer spends its time on evaluation, not on type errors. The last
 * value left on the stack is the expression.
 *
 * The bytes after the ';' are the data: the first picks the row count
 * (small counts, or sizes around the vector, block and chunk edges), the
 * rest are cells, cycled row by row over the columns; each cell byte picks
 * an edge value (NaN, -0.0, ±Inf, i64 extremes, ...) or a small number.
 * Without a ';' the data is a fixed pattern over 13 rows.
 */
#ifndef JC_FUZZ_RPN_H
#define JC_FUZZ_RPN_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

#define RPN_NCOLS 7

typedef struct rpn_case {
    char *expr;                  /* malloc'd, NUL-terminated */
    size_t nrows;
    jc_column cols[RPN_NCOLS];   /* a b (f64) n m (i64) p q (bool) "unit price" (f64) */
    void *data[RPN_NCOLS];       /* the columns' buffers, malloc'd */
} rpn_case;

/* Decodes data[0..size). Returns 0, or -1 when out of memory. */
int rpn_decode(const uint8_t *data, size_t size, rpn_case *out);
void rpn_case_free(rpn_case *c);

#endif /* JC_FUZZ_RPN_H */
