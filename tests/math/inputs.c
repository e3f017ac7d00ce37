/* inputs.c — edge cases and seeded random inputs per function (inputs.h). */
#include "tests/math/inputs.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: tiny, good enough to spread inputs, same on every machine. */
typedef struct rng { uint64_t s; } rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static unsigned below(rng *r, unsigned n) { return (unsigned)(next(r) % n); }
static double unit(rng *r) { return (double)(next(r) >> 11) * 0x1p-53; }
static double uniform(rng *r, double lo, double hi) { return lo + (hi - lo) * unit(r); }
static double sign(rng *r, double x) { return (next(r) & 1) ? -x : x; }

/* A magnitude whose binade is uniform in [2^elo, 2^ehi] with a random
 * mantissa: log-uniform over many orders of magnitude. Binades below
 * 2^-1022 come out as subnormals (ldexp rounds them). */
static double logu(rng *r, int elo, int ehi)
{
    int e = elo + (int)below(r, (unsigned)(ehi - elo + 1));
    double m = 1.0 + (double)(next(r) >> 12) * 0x1p-52;
    return ldexp(m, e);
}

static double from_bits(uint64_t u)
{
    union { uint64_t u; double d; } v = {.u = u};
    return v.d;
}

/* p moved by a random number of ulps in [-k, k] (binade crossings
 * included: neighbouring doubles have neighbouring bit patterns). */
static double ulps(rng *r, double p, unsigned k)
{
    int64_t j = (int64_t)below(r, 2 * k + 1) - (int64_t)k;
    uint64_t b = math_bits(p);
    if (p == 0)
        return j < 0 ? from_bits(0x8000000000000000u | (uint64_t)-j) : from_bits((uint64_t)j);
    return from_bits(b + (uint64_t)j);
}

/* A random integer whose magnitude is log-uniform up to 2^emax. */
static double int_logu(rng *r, int emax)
{
    return sign(r, floor(logu(r, 0, emax)));
}

/* ---- random inputs: one mixture of ranges per function ---------------- */

static double gen_exp(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: return sign(r, logu(r, -1074, 9));
    case 3: case 4: return uniform(r, -745.2, 709.8);
    case 5: return uniform(r, -1, 1);
    case 6: return uniform(r, 709.0, 710.0);      /* overflow boundary */
    case 7: return uniform(r, -746.0, -708.0);    /* subnormal results */
    case 8: return sign(r, logu(r, -1074, -20));  /* near 0 */
    default: return sign(r, logu(r, 10, 1023));   /* Inf or 0 */
    }
}

static double gen_expm1(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: return sign(r, logu(r, -1074, 9));
    case 3: case 4: return uniform(r, -40, 709.8);
    case 5: return uniform(r, -1, 1);
    case 6: return sign(r, logu(r, -60, -1));
    case 7: return uniform(r, 709.0, 710.0);
    case 8: return sign(r, logu(r, -1074, -20));
    default: return sign(r, logu(r, 10, 1023));
    }
}

/* ln, log2, log10: every positive double, near 1, around exact powers. */
static double gen_log(rng *r, double base)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: return logu(r, -1074, 1023);
    case 3: case 4: return 1 + sign(r, logu(r, -60, -1)); /* near 1 */
    case 5: return uniform(r, 0, 2);
    case 6: return logu(r, -1074, -1023);                 /* subnormals */
    case 7: return -logu(r, -1074, 1023);                 /* NaN */
    case 8: return logu(r, -4, 4);
    default: {                                            /* base^k ± ulps */
        int k = (int)below(r, 601) - 300;
        double p = base == 2 ? ldexp(1, k) : pow(base, (double)k / (base == 10 ? 1 : 100));
        return (isfinite(p) && p > 0) ? ulps(r, p, 4) : 1.0;
    }
    }
}

static double gen_log1p(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: return sign(r, logu(r, -1074, -1)); /* |x| < 1 */
    case 2: case 3: return uniform(r, -1, 1);
    case 4: return -1 + logu(r, -53, -1);               /* near -1 */
    case 5: case 6: return logu(r, 0, 1023);
    case 7: return sign(r, logu(r, -1074, -30));
    case 8: return -1 - logu(r, -52, 10);               /* NaN */
    default: return uniform(r, -1, 10);
    }
}

/* sin, cos, tan: every magnitude (huge ones need a precise reduction),
 * and doubles next to multiples of pi/2 (the hardest reductions). */
static double gen_trig(rng *r)
{
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: return sign(r, logu(r, -1074, 1023));
    case 5: case 6: case 7: case 8: case 9: return uniform(r, -10, 10);
    case 10: case 11: case 12: return sign(r, logu(r, -30, 3));
    case 13: case 14: case 15: return ulps(r, int_logu(r, 40) * M_PI_2, 4);
    case 16: case 17: return sign(r, logu(r, 3, 60));
    default: return sign(r, logu(r, -1074, -20));
    }
}

static double gen_asin_acos(rng *r)
{
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        return uniform(r, -1, 1);
    case 8: case 9: case 10: case 11: return sign(r, 1 - logu(r, -53, -1)); /* near ±1 */
    case 12: case 13: case 14: case 15: return sign(r, logu(r, -1074, -1));
    case 16: case 17: return uniform(r, -0.6, 0.6);
    default: return sign(r, 1 + logu(r, -52, 1023));                     /* NaN */
    }
}

static double gen_atan(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: case 3: return sign(r, logu(r, -1074, 1023));
    case 4: case 5: case 6: return uniform(r, -4, 4);
    case 7: case 8: return sign(r, logu(r, -30, 60));
    default: return sign(r, logu(r, -1074, -20));
    }
}

/* sinh, cosh: up to and past the overflow threshold (about 710.4758). */
static double gen_hyp(rng *r)
{
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: return sign(r, logu(r, -1074, 9));
    case 6: case 7: case 8: case 9: case 10: return uniform(r, -1, 1);
    case 11: case 12: case 13: return uniform(r, -710.5, 710.5);
    case 14: case 15: case 16: return sign(r, uniform(r, 709, 711));
    case 17: return sign(r, logu(r, 10, 1023));
    default: return sign(r, logu(r, -60, -20));
    }
}

static double gen_tanh(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: case 3: return sign(r, logu(r, -1074, 6));
    case 4: case 5: case 6: return uniform(r, -3, 3);
    case 7: case 8: return uniform(r, -20, 20);
    default: return sign(r, logu(r, 6, 1023));
    }
}

static double gen_cbrt(rng *r)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: case 3: case 4: case 5: return sign(r, logu(r, -1074, 1023));
    case 6: case 7: return uniform(r, -10, 10);
    case 8: {                                       /* k^3 ± ulps */
        double k = int_logu(r, 17);
        return ulps(r, k * k * k, 2);
    }
    default: return sign(r, logu(r, -1074, -1023));
    }
}

static void gen_atan2(rng *r, double *y, double *x)
{
    switch (below(r, 10)) {
    case 0: case 1: case 2: case 3:
        *y = sign(r, logu(r, -1074, 1023));
        *x = sign(r, logu(r, -1074, 1023));
        break;
    case 4: case 5: case 6:
        *y = sign(r, logu(r, -4, 4));
        *x = sign(r, logu(r, -4, 4));
        break;
    case 7: case 8:                                 /* similar magnitudes */
        *x = sign(r, logu(r, -1000, 1000));
        *y = sign(r, ldexp(fabs(*x), (int)below(r, 121) - 60) * uniform(r, 0.5, 2));
        break;
    default:                                        /* y/x underflows */
        *x = sign(r, logu(r, 100, 1023));
        *y = sign(r, logu(r, -1074, -900));
        break;
    }
}

/* pow: exponents that put the result anywhere in (and just beyond) the
 * range, integer and fractional exponents, negative bases, x near 1 with
 * huge y, and the overflow / subnormal / underflow boundaries. */
static void gen_pow(rng *r, double *x, double *y)
{
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: {
        *x = logu(r, -1074, 1023);
        double l = log2(*x);
        *y = l == 0 ? uniform(r, -1e6, 1e6) : uniform(r, -1100, 1100) / l;
        break;
    }
    case 4: case 5: case 6:                         /* integer exponents */
        *x = sign(r, logu(r, -20, 20));
        *y = (double)((int)below(r, 129) - 64);
        break;
    case 7:                                         /* large odd/even integers */
        *x = sign(r, 1 + sign(r, logu(r, -60, -20)));
        *y = int_logu(r, 60);
        break;
    case 8: case 9: case 10:                        /* fractional */
        *x = uniform(r, 0, 10);
        *y = uniform(r, -10, 10);
        break;
    case 11: case 12:                               /* near 1, huge y */
        *x = 1 + sign(r, logu(r, -53, -10));
        *y = sign(r, logu(r, 0, 60));
        break;
    case 13: case 14: {                             /* range boundaries */
        static const double edge[] = {1024, -1022, -1074, -1075};
        *x = logu(r, -10, 10);
        double l = log2(*x);
        if (l == 0) { *x = 2; l = 1; }
        *y = (edge[below(r, 4)] + uniform(r, -1, 1) * 0x1p-4) / l;
        break;
    }
    case 15: case 16:                               /* negative bases */
        *x = -logu(r, -20, 20);
        *y = below(r, 2) ? (double)((int)below(r, 129) - 64) : uniform(r, -10, 10);
        break;
    default:
        *x = sign(r, logu(r, -1074, 1023));
        *y = sign(r, logu(r, -1074, 1023));
        break;
    }
}

static void gen_hypot(rng *r, double *x, double *y)
{
    switch (below(r, 20)) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        *x = sign(r, logu(r, -1074, 1023));
        *y = sign(r, logu(r, -1074, 1023));
        break;
    case 8: case 9: case 10: case 11: case 12: case 13:
        *x = sign(r, logu(r, -1000, 1000));
        *y = sign(r, ldexp(fabs(*x), (int)below(r, 121) - 60) * uniform(r, 0.5, 2));
        break;
    case 14: case 15: case 16:                      /* near overflow */
        *x = sign(r, logu(r, 1015, 1023));
        *y = sign(r, logu(r, 1015, 1023));
        break;
    default:                                        /* subnormal */
        *x = sign(r, logu(r, -1074, -1000));
        *y = sign(r, logu(r, -1074, -1000));
        break;
    }
}

static void gen_one(enum mathfn_id id, rng *r, double *x, double *y)
{
    switch (id) {
    case MF_EXP: *x = gen_exp(r); break;
    case MF_EXPM1: *x = gen_expm1(r); break;
    case MF_LN: *x = gen_log(r, M_E); break;
    case MF_LOG10: *x = gen_log(r, 10); break;
    case MF_LOG2: *x = gen_log(r, 2); break;
    case MF_LOG1P: *x = gen_log1p(r); break;
    case MF_SIN: case MF_COS: case MF_TAN: *x = gen_trig(r); break;
    case MF_ASIN: case MF_ACOS: *x = gen_asin_acos(r); break;
    case MF_ATAN: *x = gen_atan(r); break;
    case MF_SINH: case MF_COSH: *x = gen_hyp(r); break;
    case MF_TANH: *x = gen_tanh(r); break;
    case MF_CBRT: *x = gen_cbrt(r); break;
    case MF_ATAN2: gen_atan2(r, x, y); break;
    case MF_POW: gen_pow(r, x, y); break;
    case MF_HYPOT: gen_hypot(r, x, y); break;
    default: *x = 0; break;
    }
}

/* ---- edge cases ------------------------------------------------------- */

#define NAN_NEG from_bits(0xFFF8000000000000u)
#define NAN_PAYLOAD from_bits(0x7FF8000000000123u)
#define SNAN from_bits(0x7FF0000000000001u)

/* Each with both signs for the unary functions. */
static const double unary_edges[] = {
    0.0, INFINITY, 0x1p-1074, 0x0.fffffffffffffp-1022, DBL_MIN, DBL_MAX,
    1.0, 0x1.fffffffffffffp-1, 0x1.0000000000001p0, 0.5, 2.0, 3.0, 10.0,
    100.0, 1000.0, 1e-300, 1e300, 1e-8, 1e15, 1e22, 0x1p53, 0x1p1023,
    M_PI, M_PI_2, M_PI_4, 3 * M_PI_2, 2 * M_PI, 6.0, 0.25, 0.75, 1.5,
    0.1, 0x1p-26, 0x1p-28, 0x1p-54,
    /* exp/expm1: ln(DBL_MAX), the normal and subnormal thresholds */
    0x1.62e42fefa39efp9, 0x1.62e42fefa39f0p9, 710.0,
    708.3964185322641, 745.1332191019411, 745.1332191019412, 746.0,
    /* sinh/cosh: asinh(DBL_MAX) */
    710.4758600739439, 710.4758600739440, 711.0,
    /* trig: huge arguments of known difficulty */
    0x1.6ac5b262ca1ffp849, 1e308, 0x1.921fb54442d18p1000, 6381956970095103.0 * 0x1p797,
    /* near the end of tanh's interesting range */
    19.0, 22.0, 40.0,
};

/* Pairs for the binary functions: every combination of these. */
static const double binary_edges[] = {
    0.0, -0.0, INFINITY, -INFINITY, NAN, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0,
    3.0, -3.0, 1.5, -1.5, 0x1p-1074, -0x1p-1074, DBL_MIN, -DBL_MIN,
    DBL_MAX, -DBL_MAX, 10.0, 1.0 / 3, 0x1p53, 0x1p52 + 1, -0x1p53 - 2,
    1e300, -1e-300, 0x1.fffffffffffffp-1, 0x1.0000000000001p0,
};

/* Exact or notable cases that the cross product does not give. */
static const double binary_extra[][2] = {
    {2, 10}, {10, 3}, {2, -1074}, {2, -1075}, {2, 1023}, {2, 1024},
    {-8, 1.0 / 3}, {-2, 0.5}, {4, 0.5}, {27, 1.0 / 3}, {-1, INFINITY},
    {NAN, 0.0}, {1, NAN}, {-0.0, -3}, {-0.0, -2}, {-INFINITY, 3},
    {-INFINITY, -3}, {0.5, INFINITY}, {2, -INFINITY}, {10, 308},
    {10, -323}, {10, -324}, {0x1.0000000000001p0, 0x1p62},
    {3, 4}, {5, 12}, {DBL_MAX, DBL_MAX}, {0x1p-1074, 0x1p-1074},
    {1e308, 1e308}, {0x1p-1022, 0x1p-1022},
    {M_E, 1}, {7, 0.5}, {-7, 3}, {9, -0.5}, {1e10, -30},
    {0.1, 0.1}, {1e-300, 1e-10}, {1.0000000001, 1e12},
};

const math_case math_hard_cases[] = {
    {MF_EXP, 0x1.62e42fe102c84p+9, 0, "SLEEF's exp overflows from here, below ln(DBL_MAX)"},
    {MF_EXP, 0x1.62e42fefa39efp+9, 0, "the largest x with a finite exp(x)"},
    {MF_POW, 2, 0x1.ffffffeae557p+9, "SLEEF's pow overflows early, as its exp"},
    {MF_POW, 0x1.fffffffffffffp+1023, 0x1.fffffffffffffp-1, "pow(DBL_MAX, 1 - 2^-53) is finite"},
    {MF_SINH, 0x1.62e42fefa39fp+9, 0, "just above ln(DBL_MAX): SLEEF overflows"},
    {MF_COSH, 0x1.62e42fefa39fp+9, 0, "just above ln(DBL_MAX): SLEEF overflows"},
    {MF_SINH, 0x1.6315c67df7da8p+9, 0, "1.36 ulp through the exp(x - 64 ln 2) repair"},
    {MF_COSH, 0x1.6315c67df7da8p+9, 0, "1.36 ulp through the exp(x - 64 ln 2) repair"},
    {MF_SINH, -0x1.6313d0847b79ap+9, 0, "1.32 ulp through the repair"},
    {MF_COSH, 0x1.6310d491ed9fdp+9, 0, "1.34 ulp through the repair"},
    {MF_SINH, 710.4758600739439, 0, "the largest x with a finite sinh(x)"},
    {MF_ATAN2, 0x1.23d70a3d70a3ep-961, 0x1.65e353f7ced92p+60, "1.69 ulp: result near DBL_MIN"},
    {MF_ATAN2, -0x1.b5180428cf589p-916, 0x1.ae7e8723c74fdp+130, "1.18 ulp: subnormal result"},
    {MF_TAN, -0x1p-1074, 0, "SLEEF returns +0: the sign is lost"},
    {MF_LOG1P, -0x1p-1074, 0, "SLEEF returns +0: the sign is lost"},
    {MF_LOG1P, 0x1.debc29916e307p+1021, 0, "SLEEF's log1p overflows above 1e307"},
    {MF_LOG1P, 0x1.fffffffffffffp+1023, 0, "SLEEF's log1p overflows above 1e307"},
    {MF_HYPOT, 0x0.91eb851eb851fp-1022, 0x0.c7ae147ae147bp-1022, "SLEEF: 1.59 ulp on subnormals"},
    {MF_HYPOT, 0x1.47c2838eccdedp-1020, 0x0.0719bff240067p-1022, "tiny arguments, normal result"},
};
const size_t math_nhard_cases = sizeof math_hard_cases / sizeof *math_hard_cases;

static size_t count_hard(enum mathfn_id id)
{
    size_t k = 0;
    for (size_t i = 0; i < math_nhard_cases; i++)
        k += math_hard_cases[i].id == id;
    return k;
}

static size_t count_edges(enum mathfn_id id)
{
    size_t nb = sizeof binary_edges / sizeof *binary_edges;
    if (math_is_binary(id))
        return nb * nb + sizeof binary_extra / sizeof *binary_extra + count_hard(id);
    return 2 * (sizeof unary_edges / sizeof *unary_edges) + 4 + count_hard(id);
}

static void fill_edges(enum mathfn_id id, double *x, double *y)
{
    size_t k = 0;
    for (size_t i = 0; i < math_nhard_cases; i++)
        if (math_hard_cases[i].id == id) {
            x[k] = math_hard_cases[i].x;
            if (y)
                y[k] = math_hard_cases[i].y;
            k++;
        }
    if (math_is_binary(id)) {
        size_t nb = sizeof binary_edges / sizeof *binary_edges;
        for (size_t i = 0; i < nb; i++)
            for (size_t j = 0; j < nb; j++, k++) {
                x[k] = binary_edges[i];
                y[k] = binary_edges[j];
            }
        for (size_t i = 0; i < sizeof binary_extra / sizeof *binary_extra; i++, k++) {
            x[k] = binary_extra[i][0];
            y[k] = binary_extra[i][1];
        }
        return;
    }
    for (size_t i = 0; i < sizeof unary_edges / sizeof *unary_edges; i++) {
        x[k++] = unary_edges[i];
        x[k++] = -unary_edges[i];
    }
    x[k++] = NAN;
    x[k++] = NAN_NEG;
    x[k++] = NAN_PAYLOAD;
    x[k++] = SNAN;
}

int math_inputs_make(enum mathfn_id id, size_t nrandom, uint64_t seed,
                     math_inputs *out)
{
    memset(out, 0, sizeof *out);
    size_t ne = count_edges(id);
    size_t n = ne + nrandom;
    out->x = malloc(n * sizeof *out->x);
    if (math_is_binary(id))
        out->y = malloc(n * sizeof *out->y);
    if (!out->x || (math_is_binary(id) && !out->y)) {
        math_inputs_free(out);
        return -1;
    }
    out->n = n;
    out->nedge = ne;
    fill_edges(id, out->x, out->y);
    /* A stream per function: adding inputs to one never moves another's. */
    rng r = {seed ^ (0xA24BAED4963EE407u * (uint64_t)(id + 1))};
    double dummy;
    for (size_t i = ne; i < n; i++)
        gen_one(id, &r, &out->x[i], out->y ? &out->y[i] : &dummy);
    return 0;
}

void math_inputs_free(math_inputs *in)
{
    free(in->x);
    free(in->y);
    memset(in, 0, sizeof *in);
}

size_t math_env_size(const char *name, size_t def)
{
    const char *s = getenv(name);
    if (!s || !*s)
        return def;
    char *end;
    double v = strtod(s, &end); /* accepts 1e6 */
    if (*end || !(v >= 0) || v > 1e12)
        return def;
    return (size_t)v;
}
