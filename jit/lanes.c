/*
 * lanes.c — lane helpers (see lanes.h). Compiled as ordinary host code.
 * Each lane goes through the interpreter's own rule (interp/numeric.h), so
 * the JIT and the interpreter share one definition of every exact result.
 */
#include "jit/lanes.h"

#include <stdint.h>

#include "interp/mathfn.h"
#include "interp/numeric.h"

#define A_I(k) ((int64_t)c->tmp[0][k])
#define B_I(k) ((int64_t)c->tmp[1][k])
#define A_F(k) num_from_bits(c->tmp[0][k])
#define B_F(k) num_from_bits(c->tmp[1][k])

void jc_lane_f64_to_i64(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++) {
        uint64_t f = 0;
        c->tmp[3][k] = (uint64_t)num_f64_to_i64(A_F(k), &f);
        c->fault |= f << k;
    }
}

void jc_lane_mul_i64(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++) {
        uint64_t f = 0;
        c->tmp[3][k] = (uint64_t)num_mul_i64(A_I(k), B_I(k), &f);
        c->fault |= f << k;
    }
}

void jc_lane_idiv_i64(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++) {
        uint64_t f = 0;
        c->tmp[3][k] = (uint64_t)num_idiv_i64(A_I(k), B_I(k), &f);
        c->fault |= f << k;
    }
}

void jc_lane_mod_i64(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++) {
        uint64_t f = 0;
        c->tmp[3][k] = (uint64_t)num_mod_i64(A_I(k), B_I(k), &f);
        c->fault |= f << k;
    }
}

void jc_lane_mod_f64(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++)
        c->tmp[3][k] = num_bits(num_mod_f64(A_F(k), B_F(k)));
}

void jc_lane_fmod(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++)
        c->tmp[3][k] = num_bits(fmod(A_F(k), B_F(k)));
}

void jc_lane_round2(jc_ctx *c, unsigned lanes)
{
    for (unsigned k = 0; k < lanes; k++)
        c->tmp[3][k] = num_bits(num_round2(A_F(k), B_I(k)));
}

static void fix(jc_ctx *c, unsigned lanes, enum mathfn_id id)
{
    for (unsigned k = 0; k < lanes; k++)
        if (mathfn_needs_repair(id, A_F(k), B_F(k)))
            c->tmp[3][k] = num_bits(mathfn_repaired(id, A_F(k), B_F(k)));
}

void jc_lane_fix_log1p(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_LOG1P); }
void jc_lane_fix_sinh(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_SINH); }
void jc_lane_fix_cosh(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_COSH); }
void jc_lane_fix_hypot(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_HYPOT); }
void jc_lane_fix_exp(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_EXP); }
void jc_lane_fix_pow(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_POW); }
void jc_lane_fix_atan2(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_ATAN2); }
void jc_lane_fix_tan(jc_ctx *c, unsigned lanes) { fix(c, lanes, MF_TAN); }
