/*
 * inputs.h — the inputs every math test feeds the transcendental functions
 * (interp/mathfn.h): first a fixed list of edge cases (signed zeros,
 * infinities, NaNs, subnormals, DBL_MAX, exact cases, overflow and
 * underflow thresholds), then random inputs drawn from a per-function
 * mixture of ranges (log-uniform magnitudes of both signs, near 0 and 1,
 * huge arguments, boundaries) from a fixed seed. The same seed and count
 * always give the same inputs, so a failure is reproducible by its seed.
 */
#ifndef JC_TESTS_MATH_INPUTS_H
#define JC_TESTS_MATH_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include "interp/mathfn.h"

#define MATH_DEFAULT_SEED 20240612u

typedef struct math_inputs {
    size_t n;      /* edge + random */
    size_t nedge;  /* the first nedge are the edge cases */
    double *x;     /* first argument */
    double *y;     /* second argument (binary functions), else NULL */
} math_inputs;

/* Inputs where SLEEF 3.5.1 (or a repair of it) was found to be wrong or
 * near the limit: each is also among its function's edge cases. */
typedef struct math_case {
    enum mathfn_id id;
    double x, y;
    const char *why;
} math_case;
extern const math_case math_hard_cases[];
extern const size_t math_nhard_cases;

/* Builds the inputs of function id: its edge cases and nrandom random
 * inputs. Returns 0, or -1 when out of memory. */
int math_inputs_make(enum mathfn_id id, size_t nrandom, uint64_t seed,
                     math_inputs *out);
void math_inputs_free(math_inputs *in);

static inline int math_is_binary(enum mathfn_id id) { return id >= MF_NUNARY; }

/* $name as a count (e.g. JITCALC_MATH_N), or def when unset or invalid. */
size_t math_env_size(const char *name, size_t def);

/* Bits of a double, for exact comparisons and printing. */
static inline uint64_t math_bits(double d)
{
    union { double d; uint64_t u; } v = {.d = d};
    return v.u;
}

#endif /* JC_TESTS_MATH_INPUTS_H */
