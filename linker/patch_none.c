/*
 * patch_none.c — the patcher on architectures without stencils: jit/ never
 * calls it there (no instruction set is available), but it must link.
 */
#include "linker/patch.h"

const unsigned patch_trailing_jump_bytes = 0;

int patch_hole(uint8_t *code_w, uintptr_t code_x, const jc_hole *h, uint64_t value)
{
    (void)code_w, (void)code_x, (void)h, (void)value;
    return -1;
}

void patch_fill_nops(uint8_t *p, size_t n)
{
    (void)p, (void)n;
}
