/*
 * numfmt_scale.h — the decimal scaling of fmt_f64, shared by numfmt.c and
 * by numfmt_gen.c, the build-time program that writes its power-of-ten
 * table (numfmt_tables.h) and proves that table precise enough.
 *
 * A positive double x = c·2^q (c the significand with its hidden bit, q
 * the exponent of its last bit) whose leading bit is 2^e2 is scaled by
 * 10^s, s = 16 - floor(e2·log10 2), so that y = x·10^s lies in
 * [10^16, 2·10^17): its integer part has 17 or 18 digits. 10^s comes from
 * the table as a 128-bit P_s = ceil(10^s / 2^E_s) in [2^127, 2^128),
 * E_s = floor(s·log2 10) - 127: exact for 0 <= s <= 55, a little too big
 * otherwise.
 */
#ifndef JC_SERVER_NUMFMT_SCALE_H
#define JC_SERVER_NUMFMT_SCALE_H

/* The scales the doubles need: s = 16 - floor(e2·log10 2) for e2 from
 * -1074 (the smallest subnormal) to 1023 (DBL_MAX). */
#define NUMFMT_S_MIN (-291)
#define NUMFMT_S_MAX 340

/* floor(e·log10 2), exact for |e| <= 1100 (numfmt_gen checks the range
 * used). */
static inline int numfmt_floor_log10_pow2(int e)
{
    return (e * 78913) >> 18;
}

/* floor(s·log2 10), exact for NUMFMT_S_MIN <= s <= NUMFMT_S_MAX (checked
 * by numfmt_gen). */
static inline int numfmt_floor_log2_pow10(int s)
{
    return (s * 1741647) >> 19;
}

#endif /* JC_SERVER_NUMFMT_SCALE_H */
