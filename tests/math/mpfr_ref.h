/*
 * mpfr_ref.h — the correctly rounded oracle of the math tests (test-only,
 * MPFR): the exact value of f(x[, y]) to REF_PREC bits, its correct
 * rounding to a double (double's exponent range, subnormals emulated with
 * mpfr_subnormalize), and the error of a candidate result in ulps.
 *
 * The ulp is that of the exact value's binade, 2^(e-53) for an exact value
 * in [2^(e-1), 2^e), never below 2^-1074 (the subnormal spacing): a result
 * just below a power of two is measured with the finer spacing of the
 * binade the exact value is in. An infinite result for a finite exact value
 * counts as 2^1024 (the next value after DBL_MAX); it is exact when the
 * correct rounding is itself infinite.
 */
#ifndef JC_TESTS_MATH_MPFR_REF_H
#define JC_TESTS_MATH_MPFR_REF_H

#include <mpfr.h>

#include "interp/mathfn.h"

#define REF_PREC 128

typedef struct math_ref {
    mpfr_t x, y;  /* the arguments (53 bits: exact) */
    mpfr_t r;     /* the exact value, rounded to odd at REF_PREC bits */
    mpfr_t d;     /* scratch: difference */
    mpfr_t c;     /* the correctly rounded double */
} math_ref;

typedef struct math_check {
    double cr;           /* correct rounding of the exact value */
    double ulps;         /* |got - exact| / ulp; INFINITY for the wrong kind */
    const char *problem; /* NULL, or why ulps is INFINITY / the sign is wrong */
    int zero_sign;       /* got is a zero whose sign differs from the exact value's */
} math_check;

void math_ref_init(math_ref *R);
void math_ref_clear(math_ref *R);

/* Checks got = f(x[, y]) for function id (atan2(x, y), pow(x, y),
 * hypot(x, y) — the argument order of mathfn2). */
void math_ref_check(math_ref *R, enum mathfn_id id, double x, double y,
                    double got, math_check *out);

#endif /* JC_TESTS_MATH_MPFR_REF_H */
