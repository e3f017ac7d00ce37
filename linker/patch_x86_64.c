/*
 * patch_x86_64.c — the x86-64 patcher: one case per relocation kind that
 * the extractor admits (linker/extract_x86_64.c), each checking the
 * instruction it patches.
 */
#include <string.h>

#include "linker/patch.h"

const unsigned patch_trailing_jump_bytes = 5; /* e9 rel32 */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* A rel32 field of `jmp` (e9) or `jcc` (0f 8x): the continuation and the
 * loop's back edge. */
static int is_jump_field(const uint8_t *f, uint32_t off)
{
    return (off >= 1 && f[-1] == 0xe9) ||
           (off >= 2 && f[-2] == 0x0f && (f[-1] & 0xf0) == 0x80);
}

int patch_hole(uint8_t *code_w, uintptr_t code_x, const jc_hole *h, uint64_t value)
{
    uint8_t *f = code_w + h->offset;
    uint64_t p = (uint64_t)code_x + h->offset;
    switch (h->kind) {
    case JC_RELOC_X86_PC32: {
        if ((h->sym == JC_SYM_CONT || h->sym == JC_SYM_TARGET) &&
            !is_jump_field(f, h->offset))
            return -1;
        int64_t rel = (int64_t)(value + (uint64_t)(int64_t)h->addend - p);
        if (rel < INT32_MIN || rel > INT32_MAX)
            return -1;
        put32(f, (uint32_t)(int32_t)rel);
        return 0;
    }
    case JC_RELOC_X86_GOTPCREL: {
        /* call *slot(%rip): ff 15 disp32 */
        if (h->offset < 2 || f[-2] != 0xff || f[-1] != 0x15)
            return -1;
        int64_t rel = (int64_t)(value + (uint64_t)(int64_t)h->addend - p);
        if (rel < INT32_MIN || rel > INT32_MAX)
            return -1;
        put32(f, (uint32_t)(int32_t)rel);
        return 0;
    }
    case JC_RELOC_X86_32: {
        uint64_t v = value + (uint64_t)(int64_t)h->addend;
        if (v > UINT32_MAX)
            return -1;
        put32(f, (uint32_t)v);
        return 0;
    }
    case JC_RELOC_X86_32S: {
        int64_t v = (int64_t)(value + (uint64_t)(int64_t)h->addend);
        if (v < INT32_MIN || v > INT32_MAX)
            return -1;
        put32(f, (uint32_t)(int32_t)v);
        return 0;
    }
    case JC_RELOC_X86_64:
        put64(f, value + (uint64_t)(int64_t)h->addend);
        return 0;
    default:
        return -1;
    }
}

void patch_fill_nops(uint8_t *p, size_t n)
{
    /* The recommended multi-byte nops, longest first. */
    static const uint8_t nops[9][9] = {
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };
    while (n) {
        size_t k = n > 9 ? 9 : n;
        memcpy(p, nops[k - 1], k);
        p += k;
        n -= k;
    }
}
