/*
 * evalop.h — one operation on one set of operand values, with the exact
 * rules of numeric.h and the scalar SLEEF functions of mathfn.h: the
 * arithmetic of the precise evaluator, the scalar root and constant
 * folding. The block kernels (block_exec.h) use the same numeric.h helpers,
 * so both paths give the same bits.
 */
#ifndef JC_INTERP_EVALOP_H
#define JC_INTERP_EVALOP_H

#include "jitcalc.h"
#include "parser/tree.h"

/* Computes op over args[0..nargs) (types as the typed tree gives them:
 * `type` is the result's, `ktype` operand 0's) into *out. f64 results are
 * not canonicalised here (stores do that). Returns JC_OK, or the fault's
 * code (JC_INTEGER_OVERFLOW, JC_DIVISION_BY_ZERO, JC_INVALID_CAST), or
 * JC_INTERNAL for an op/type pair the typed tree never has.
 * IF/AND/OR are computed eagerly here; laziness is the caller's job. */
jc_code eval_op(jc_op op, jc_type type, jc_type ktype, const jc_value *args,
                jc_value *out);

#endif /* JC_INTERP_EVALOP_H */
