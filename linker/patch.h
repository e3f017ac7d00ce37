/*
 * patch.h — the run-time patcher's interface: fill one hole of a stencil
 * copy. One implementation per architecture (patch_x86_64.c, later
 * patch_aarch64.c), picked by the build; the emitter (jit/emit.c) only sees
 * this header.
 *
 * Each relocation kind patches one instruction encoding and first checks
 * that the bytes around the hole are that instruction (CPython's habit): a
 * table that does not match the code it describes must never produce
 * running code. A mismatch or an out-of-range value returns -1.
 */
#ifndef JC_LINKER_PATCH_H
#define JC_LINKER_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "linker/stencil.h"

/* Bytes of the trailing continuation jump that JC_STENCIL_TRAILING_JUMP
 * marks (dropped when the next stencil follows directly). */
extern const unsigned patch_trailing_jump_bytes;

/* Patches hole h of a stencil copied to code_w (writable view), which will
 * run at code_x (executable view). value is the hole's symbol: an address
 * for CONT/TARGET/RODATA, the GOT slot's address for FUNC, a number for
 * HOLE_A. Returns 0, or -1. */
int patch_hole(uint8_t *code_w, uintptr_t code_x, const jc_hole *h,
               uint64_t value);

/* Fills n bytes at p with the architecture's no-op instructions (padding a
 * loop head). */
void patch_fill_nops(uint8_t *p, size_t n);

#endif /* JC_LINKER_PATCH_H */
