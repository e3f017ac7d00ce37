/*
 * patch_aarch64.c — the aarch64 patcher (issue 11): one function per
 * relocation kind the extractor admits (linker/extract_aarch64.c), each
 * checking the instruction it patches and the range of the value before
 * writing, and returning -1 rather than emitting a wrong hole.
 *
 * Every hole is a field of one 4-byte instruction. S is the hole's value
 * plus its addend, P the instruction's address in the executable view,
 * Page(x) = x & ~0xfff. The JIT flushes the instruction cache for the
 * whole code (jit/jit.c) after patching, before it runs.
 */
#include <string.h>

#include "linker/patch.h"

const unsigned patch_trailing_jump_bytes = 4; /* b jc_cont */

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

#define PAGE(x) ((x) & ~(uint64_t)0xfff)

/* b: imm26 = (S - P) >> 2, ±128 MiB (the continuation, the loop head:
 * always inside the same code block). */
static int patch_jump26(uint8_t *f, uint64_t p, uint64_t s)
{
    uint32_t w = get32(f);
    int64_t d = (int64_t)(s - p);
    if ((w & 0xfc000000u) != 0x14000000u || (d & 3) || d < -(1ll << 27) ||
        d >= (1ll << 27))
        return -1;
    put32(f, 0x14000000u | ((uint32_t)(d >> 2) & 0x03ffffffu));
    return 0;
}

/* b.cond: imm19 = (S - P) >> 2, ±1 MiB (the loop tail's back edge). */
static int patch_condbr19(uint8_t *f, uint64_t p, uint64_t s)
{
    uint32_t w = get32(f);
    int64_t d = (int64_t)(s - p);
    if ((w & 0xff000010u) != 0x54000000u || (d & 3) || d < -(1ll << 20) ||
        d >= (1ll << 20))
        return -1;
    put32(f, (w & 0xff00001fu) | (((uint32_t)(d >> 2) & 0x7ffffu) << 5));
    return 0;
}

/* adrp: immhi:immlo = (Page(S) - Page(P)) >> 12, ±4 GiB (read-only data
 * and GOT slots in the pool). */
static int patch_adrp(uint8_t *f, uint64_t p, uint64_t s)
{
    uint32_t w = get32(f);
    int64_t d = (int64_t)(PAGE(s) - PAGE(p)) >> 12;
    if ((w & 0x9f000000u) != 0x90000000u || d < -(1ll << 20) || d >= (1ll << 20))
        return -1;
    uint32_t imm = (uint32_t)d & 0x1fffffu;
    put32(f, (w & 0x9f00001fu) | ((imm & 3) << 29) | ((imm >> 2) << 5));
    return 0;
}

/* A value hole's adrp that the extractor could not pair (see MOVZ_LO16;
 * GCC 12 makes no such stencil) becomes `movz xN, #Page(S)`: xN then holds
 * exactly what the adrp would have held for a symbol at S, so the `add xM,
 * xN, :lo12:` users (patched as usual) compute S. Page(S) must be one
 * 16-bit chunk of a movz: any S below 64 KiB (or a multiple of 64 KiB).
 * Anything else fails, and the program runs on the interpreter. */
static int patch_movz_page(uint8_t *f, uint64_t s)
{
    uint32_t w = get32(f);
    if ((w & 0x9f000000u) != 0x90000000u)
        return -1;
    uint64_t page = PAGE(s);
    for (unsigned hw = 0; hw < 3; hw++) {
        if ((page & ~((uint64_t)0xffff << (16 * hw))) == 0) {
            uint32_t imm = (uint32_t)(page >> (16 * hw));
            put32(f, 0xd2800000u | (hw << 21) | (imm << 5) | (w & 31));
            return 0;
        }
    }
    return -1;
}

/* A value hole's pair, made by the extractor from `adrp xN; add xN, xN,
 * :lo12:`: movz xN, #lo16(S) and movk xN, #hi16(S), lsl 16. S < 4 GiB. */
static int patch_movz_lo16(uint8_t *f, uint64_t s)
{
    uint32_t w = get32(f);
    if ((w & 0xffe00000u) != 0xd2800000u || s >> 32)
        return -1;
    put32(f, (w & 0xffe0001fu) | ((uint32_t)(s & 0xffff) << 5));
    return 0;
}

static int patch_movk_hi16(uint8_t *f, uint64_t s)
{
    uint32_t w = get32(f);
    if ((w & 0xffe00000u) != 0xf2a00000u || s >> 32)
        return -1;
    put32(f, (w & 0xffe0001fu) | ((uint32_t)((s >> 16) & 0xffff) << 5));
    return 0;
}

/* add xd, xn, #imm12: imm12 = S & 0xfff. */
static int patch_add_lo12(uint8_t *f, uint64_t s)
{
    uint32_t w = get32(f);
    if ((w & 0xffc00000u) != 0x91000000u)
        return -1;
    put32(f, (w & ~(0xfffu << 10)) | (((uint32_t)s & 0xfffu) << 10));
    return 0;
}

/* ldr/str (unsigned offset) of 2^scale bytes: imm12 = (S & 0xfff) >> scale;
 * S must be aligned to the access. */
static int patch_ldst_lo12(uint8_t *f, uint64_t s, unsigned scale)
{
    uint32_t w = get32(f);
    if ((w & 0x3b000000u) != 0x39000000u)
        return -1;
    unsigned size = w >> 30, vec = (w >> 26) & 1, opc = (w >> 22) & 3;
    unsigned have = vec && size == 0 && (opc & 2) ? 4 : size;
    uint32_t lo = (uint32_t)s & 0xfffu;
    if (have != scale || (lo & ((1u << scale) - 1)))
        return -1;
    put32(f, (w & ~(0xfffu << 10)) | ((lo >> scale) << 10));
    return 0;
}

/* ldr xt, [xn, :got_lo12:f]: imm12 = (slot & 0xfff) >> 3. */
static int patch_got_lo12(uint8_t *f, uint64_t slot)
{
    if ((get32(f) & 0xffc00000u) != 0xf9400000u)
        return -1;
    return patch_ldst_lo12(f, slot, 3);
}

int patch_hole(uint8_t *code_w, uintptr_t code_x, const jc_hole *h, uint64_t value)
{
    uint8_t *f = code_w + h->offset;
    uint64_t p = (uint64_t)code_x + h->offset;
    uint64_t s = value + (uint64_t)(int64_t)h->addend;
    switch (h->kind) {
    case JC_RELOC_A64_JUMP26: return patch_jump26(f, p, s);
    case JC_RELOC_A64_CONDBR19: return patch_condbr19(f, p, s);
    case JC_RELOC_A64_ADR_PAGE: return patch_adrp(f, p, s);
    case JC_RELOC_A64_MOVZ_PAGE: return patch_movz_page(f, s);
    case JC_RELOC_A64_ADD_LO12: return patch_add_lo12(f, s);
    case JC_RELOC_A64_LDST8_LO12: return patch_ldst_lo12(f, s, 0);
    case JC_RELOC_A64_LDST16_LO12: return patch_ldst_lo12(f, s, 1);
    case JC_RELOC_A64_LDST32_LO12: return patch_ldst_lo12(f, s, 2);
    case JC_RELOC_A64_LDST64_LO12: return patch_ldst_lo12(f, s, 3);
    case JC_RELOC_A64_LDST128_LO12: return patch_ldst_lo12(f, s, 4);
    case JC_RELOC_A64_GOT_PAGE: return patch_adrp(f, p, s);
    case JC_RELOC_A64_GOT_LO12: return patch_got_lo12(f, s);
    case JC_RELOC_A64_MOVZ_LO16: return patch_movz_lo16(f, s);
    case JC_RELOC_A64_MOVK_HI16: return patch_movk_hi16(f, s);
    default: return -1;
    }
}

void patch_fill_nops(uint8_t *p, size_t n)
{
    /* code offsets are multiples of 4 on aarch64 */
    for (; n >= 4; n -= 4, p += 4)
        put32(p, 0xd503201fu); /* nop */
    memset(p, 0, n);
}
