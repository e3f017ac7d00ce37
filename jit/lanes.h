/*
 * lanes.h — lane helpers: the few operations stencils do lane by lane in C
 * (exact integer division and overflow checks, fmod-based modulo, int(),
 * round(x, d)). A stencil stores its operands in c->tmp[0..2], calls the
 * helper through a GOT slot, and reads the result from c->tmp[3]; a
 * faulting lane sets its bit in c->fault. Each mirrors, lane by lane, the
 * interpreter's scalar rule (docs: the brief's numeric rules), so results
 * are the same bits.
 */
#ifndef JC_JIT_LANES_H
#define JC_JIT_LANES_H

#include "ops/ctx.h"

void jc_lane_f64_to_i64(jc_ctx *c, unsigned lanes);
void jc_lane_mul_i64(jc_ctx *c, unsigned lanes);
void jc_lane_idiv_i64(jc_ctx *c, unsigned lanes);
void jc_lane_mod_i64(jc_ctx *c, unsigned lanes);
void jc_lane_mod_f64(jc_ctx *c, unsigned lanes);
void jc_lane_fmod(jc_ctx *c, unsigned lanes);
void jc_lane_round2(jc_ctx *c, unsigned lanes);
/* SLEEF's corners (interp/mathfn.h): tmp[0] (and tmp[1]) the operands,
 * tmp[3] SLEEF's result, replaced in the lanes that need the repair. */
void jc_lane_fix_log1p(jc_ctx *c, unsigned lanes);
void jc_lane_fix_sinh(jc_ctx *c, unsigned lanes);
void jc_lane_fix_cosh(jc_ctx *c, unsigned lanes);
void jc_lane_fix_hypot(jc_ctx *c, unsigned lanes);
void jc_lane_fix_exp(jc_ctx *c, unsigned lanes);
void jc_lane_fix_pow(jc_ctx *c, unsigned lanes);
void jc_lane_fix_atan2(jc_ctx *c, unsigned lanes);
void jc_lane_fix_tan(jc_ctx *c, unsigned lanes);

#endif /* JC_JIT_LANES_H */
