/*
 * extract_aarch64.c — the aarch64 half of the extractor (issue 11): which
 * relocations a stencil may use against which symbols, and the instruction
 * checks that make a stencil safe to paste. Every aarch64 instruction is 4
 * bytes, so checking is a walk over words:
 *   - the continuation and the loop target are reached by `b` (JUMP26),
 *     never by `bl` (which would leave a return address in x30);
 *   - only EXIT contains `ret`; no `br` (a jump table or a tail call
 *     through a pointer); `blr` only (calls through a GOT slot);
 *   - every hole is on the instruction its relocation kind patches, and a
 *     value hole (JC_HOLE_A) is only ever `adrp` + `add`, never a load from
 *     it. A value hole is a number, not an address near the code, so the
 *     pair is rewritten: `adrp xN; ...; add xN, xN, :lo12:` (the only shape
 *     GCC 12 makes here) becomes `movz xN, #lo16; ...; movk xN, #hi16, lsl
 *     16`, any value below 4 GiB; another shape (an adrp shared by several
 *     adds, or an add into another register) keeps its add and has its adrp
 *     turned into `movz xN, #Page(value)` at patch time, below 64 KiB;
 *   - local branches stay inside the stencil.
 * It also rewrites the loop tail (`b.pl over; b target; over: b cont` →
 * `b.mi target; b cont`, a CONDBR19 hole GCC cannot make itself) and gives
 * a call by `bl` (CALL26, what GCC emits without -fno-plt) a trampoline
 * appended to the stencil that jumps through the function's GOT slot.
 */
#include <stdio.h>
#include <string.h>

#include "linker/extract.h"

#define R_AARCH64_ABS64 257
#define R_AARCH64_ADR_PREL_PG_HI21 275
#define R_AARCH64_ADD_ABS_LO12_NC 277
#define R_AARCH64_LDST8_ABS_LO12_NC 278
#define R_AARCH64_JUMP26 282
#define R_AARCH64_CALL26 283
#define R_AARCH64_LDST16_ABS_LO12_NC 284
#define R_AARCH64_LDST32_ABS_LO12_NC 285
#define R_AARCH64_LDST64_ABS_LO12_NC 286
#define R_AARCH64_LDST128_ABS_LO12_NC 299
#define R_AARCH64_ADR_GOT_PAGE 311
#define R_AARCH64_LD64_GOT_LO12_NC 312

static int a64_reloc_kind(uint32_t type, int sym)
{
    switch (sym) {
    case JC_SYM_CONT:
    case JC_SYM_TARGET:
        /* CALL26 is accepted here only to be refused by the check with a
         * better message ("by call") */
        return type == R_AARCH64_JUMP26 || type == R_AARCH64_CALL26 ? JC_RELOC_A64_JUMP26
                                                                    : 0;
    case JC_SYM_HOLE_A:
        return type == R_AARCH64_ADR_PREL_PG_HI21  ? JC_RELOC_A64_MOVZ_PAGE
               : type == R_AARCH64_ADD_ABS_LO12_NC ? JC_RELOC_A64_ADD_LO12
                                                   : 0;
    case JC_SYM_RODATA:
        switch (type) {
        case R_AARCH64_ADR_PREL_PG_HI21: return JC_RELOC_A64_ADR_PAGE;
        case R_AARCH64_ADD_ABS_LO12_NC: return JC_RELOC_A64_ADD_LO12;
        case R_AARCH64_LDST8_ABS_LO12_NC: return JC_RELOC_A64_LDST8_LO12;
        case R_AARCH64_LDST16_ABS_LO12_NC: return JC_RELOC_A64_LDST16_LO12;
        case R_AARCH64_LDST32_ABS_LO12_NC: return JC_RELOC_A64_LDST32_LO12;
        case R_AARCH64_LDST64_ABS_LO12_NC: return JC_RELOC_A64_LDST64_LO12;
        case R_AARCH64_LDST128_ABS_LO12_NC: return JC_RELOC_A64_LDST128_LO12;
        default: return 0;
        }
    case JC_SYM_FUNC:
        return type == R_AARCH64_ADR_GOT_PAGE       ? JC_RELOC_A64_GOT_PAGE
               : type == R_AARCH64_LD64_GOT_LO12_NC ? JC_RELOC_A64_GOT_LO12
               : type == R_AARCH64_CALL26 || type == R_AARCH64_JUMP26
                   ? JC_RELOC_A64_CALL26
                   : 0;
    default:
        return 0;
    }
}

/* ---- instruction classes (the encodings the patcher also checks) ------- */
static uint32_t word(const ex_stencil *s, size_t off)
{
    uint32_t w;
    memcpy(&w, s->code + off, 4);
    return w;
}

static void set_word(ex_stencil *s, size_t off, uint32_t w)
{
    memcpy(s->code + off, &w, 4);
}

static int is_b(uint32_t w) { return (w & 0xfc000000u) == 0x14000000u; }
static int is_bl(uint32_t w) { return (w & 0xfc000000u) == 0x94000000u; }
static int is_bcond(uint32_t w) { return (w & 0xff000010u) == 0x54000000u; }
static int is_cbz(uint32_t w) { return (w & 0x7e000000u) == 0x34000000u; }
static int is_tbz(uint32_t w) { return (w & 0x7e000000u) == 0x36000000u; }
static int is_adrp(uint32_t w) { return (w & 0x9f000000u) == 0x90000000u; }
static int is_adr(uint32_t w) { return (w & 0x9f000000u) == 0x10000000u; }
static int is_ldr_literal(uint32_t w) { return (w & 0x3b000000u) == 0x18000000u; }
/* add xd, xn, #imm12 (64-bit, no shift) */
static int is_add_imm(uint32_t w) { return (w & 0xffc00000u) == 0x91000000u; }
/* ldr x, [xn, #imm] (64-bit GPR, unsigned offset) */
static int is_ldr_x(uint32_t w) { return (w & 0xffc00000u) == 0xf9400000u; }
/* unconditional branch (register): br, blr, ret, eret, and the PAC forms */
static int is_branch_reg(uint32_t w) { return (w & 0xfe000000u) == 0xd6000000u; }
static int is_ret(uint32_t w) { return (w & 0xfffffc1fu) == 0xd65f0000u; }
static int is_blr(uint32_t w) { return (w & 0xfffffc1fu) == 0xd63f0000u; }

/* log2 of the access size of a load/store (unsigned offset), or -1. */
static int ldst_scale(uint32_t w)
{
    if ((w & 0x3b000000u) != 0x39000000u)
        return -1;
    unsigned size = w >> 30, vec = (w >> 26) & 1, opc = (w >> 22) & 3;
    if (vec && size == 0 && (opc & 2))
        return 4; /* q register */
    return (int)size;
}

static int64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = 1ull << (bits - 1);
    v &= (m << 1) - 1;
    return (int64_t)((v ^ m) - m);
}

/* The byte displacement of a PC-relative branch, or 0 if w is none. */
static int64_t branch_disp(uint32_t w, int *is_branch)
{
    *is_branch = 1;
    if (is_b(w) || is_bl(w))
        return sext(w & 0x03ffffffu, 26) * 4;
    if (is_bcond(w) || is_cbz(w))
        return sext((w >> 5) & 0x7ffffu, 19) * 4;
    if (is_tbz(w))
        return sext((w >> 5) & 0x3fffu, 14) * 4;
    if (is_ldr_literal(w))
        return sext((w >> 5) & 0x7ffffu, 19) * 4;
    if (is_adr(w))
        return sext(((w >> 5) & 0x7ffffu) << 2 | ((w >> 29) & 3), 21);
    *is_branch = 0;
    return 0;
}

static jc_hole *hole_at(ex_stencil *s, size_t off)
{
    for (size_t h = 0; h < s->nholes; h++)
        if (s->holes[h].offset == off)
            return &s->holes[h];
    return NULL;
}

static int is_jump_hole(const jc_hole *h)
{
    return h && (h->sym == JC_SYM_CONT || h->sym == JC_SYM_TARGET);
}

/* Checks that the instruction under hole h is the one its kind patches. */
static int hole_fits(const ex_stencil *s, const jc_hole *h, char *err, size_t errlen)
{
    uint32_t w = word(s, h->offset);
    int ok;
    switch (h->kind) {
    case JC_RELOC_A64_JUMP26: ok = is_b(w) && h->addend == 0; break;
    case JC_RELOC_A64_CALL26: ok = is_bl(w) || is_b(w); break;
    case JC_RELOC_A64_ADR_PAGE:
    case JC_RELOC_A64_MOVZ_PAGE:
    case JC_RELOC_A64_GOT_PAGE: ok = is_adrp(w); break;
    case JC_RELOC_A64_ADD_LO12: ok = is_add_imm(w); break;
    case JC_RELOC_A64_LDST8_LO12:
    case JC_RELOC_A64_LDST16_LO12:
    case JC_RELOC_A64_LDST32_LO12:
    case JC_RELOC_A64_LDST64_LO12:
    case JC_RELOC_A64_LDST128_LO12:
        ok = ldst_scale(w) == h->kind - JC_RELOC_A64_LDST8_LO12;
        break;
    case JC_RELOC_A64_GOT_LO12: ok = is_ldr_x(w); break;
    default: ok = 0; break;
    }
    if (!ok)
        snprintf(err, errlen, "hole at +%u (kind %u) is not on the instruction its "
                 "relocation patches (%08x)", h->offset, h->kind, w);
    return ok;
}

/* A value hole's `add` must take the register its `adrp` (rewritten to
 * movz Page(value)) defined, with the same addend: then the pair computes
 * exactly the value, wherever GCC scheduled the two. */
static int hole_pairs_match(const ex_stencil *s, char *err, size_t errlen)
{
    for (size_t a = 0; a < s->nholes; a++) {
        const jc_hole *ha = &s->holes[a];
        if (ha->sym != JC_SYM_HOLE_A || ha->kind != JC_RELOC_A64_ADD_LO12)
            continue;
        unsigned rn = (word(s, ha->offset) >> 5) & 31;
        int found = 0;
        for (size_t p = 0; p < s->nholes && !found; p++) {
            const jc_hole *hp = &s->holes[p];
            found = hp->sym == JC_SYM_HOLE_A && hp->kind == JC_RELOC_A64_MOVZ_PAGE &&
                    hp->offset < ha->offset && hp->addend == ha->addend &&
                    (word(s, hp->offset) & 31) == rn;
        }
        if (!found) {
            snprintf(err, errlen, "value hole `add` at +%u has no `adrp` of x%u "
                     "before it", ha->offset, rn);
            return 0;
        }
    }
    return 1;
}

/* A value hole's adrp whose only lo12 user is an in-place add becomes
 * movz + movk (see the top of the file). */
static void rewrite_value_pairs(ex_stencil *s)
{
    for (size_t p = 0; p < s->nholes; p++) {
        jc_hole *hp = &s->holes[p];
        if (hp->sym != JC_SYM_HOLE_A || hp->kind != JC_RELOC_A64_MOVZ_PAGE)
            continue;
        unsigned rd = word(s, hp->offset) & 31;
        jc_hole *user = NULL;
        int users = 0;
        for (size_t a = 0; a < s->nholes; a++) {
            jc_hole *ha = &s->holes[a];
            if (ha->sym == JC_SYM_HOLE_A && ha->kind == JC_RELOC_A64_ADD_LO12 &&
                ha->offset > hp->offset && ((word(s, ha->offset) >> 5) & 31) == rd) {
                users++;
                user = ha;
            }
        }
        if (users != 1 || (word(s, user->offset) & 31) != rd || user->addend != hp->addend)
            continue;
        set_word(s, hp->offset, 0xd2800000u | rd); /* movz xN, #0 */
        hp->kind = JC_RELOC_A64_MOVZ_LO16;
        set_word(s, user->offset, 0xf2a00000u | rd); /* movk xN, #0, lsl 16 */
        user->kind = JC_RELOC_A64_MOVK_HI16;
    }
}

/* `bl f` → `bl T`, with T appended: adrp x16, slot; ldr x16, [x16, lo12];
 * br x16 (x16 is the ABI's intra-procedure-call scratch register, free at
 * any call). Any distance: the slot holds the function's address. */
static int add_trampoline(ex_stencil *s, jc_hole *h, char *err, size_t errlen)
{
    size_t t = s->size;
    if (t + 12 > EXTRACT_MAX_CODE || s->nholes + 1 > EXTRACT_MAX_HOLES) {
        snprintf(err, errlen, "no room for a trampoline");
        return -1;
    }
    uint32_t w = word(s, h->offset);
    set_word(s, h->offset, (w & 0xfc000000u) | (uint32_t)((t - h->offset) >> 2));
    set_word(s, t, 0x90000010u);     /* adrp x16, 0 */
    set_word(s, t + 4, 0xf9400210u); /* ldr x16, [x16] */
    set_word(s, t + 8, 0xd61f0200u); /* br x16 */
    jc_hole lo = *h;
    h->offset = (uint32_t)t;
    h->kind = JC_RELOC_A64_GOT_PAGE;
    h->addend = 0;
    lo.offset = (uint32_t)t + 4;
    lo.kind = JC_RELOC_A64_GOT_LO12;
    lo.addend = 0;
    s->holes[s->nholes++] = lo;
    s->size = t + 12;
    return 0;
}

static int a64_check(ex_stencil *s, char *err, size_t errlen)
{
    if (s->size % 4) {
        snprintf(err, errlen, "size %zu is not a whole number of instructions", s->size);
        return -1;
    }
    for (size_t h = 0; h < s->nholes; h++) {
        if (s->holes[h].offset % 4 || s->holes[h].offset + 4 > s->size) {
            snprintf(err, errlen, "hole at +%u is not an instruction", s->holes[h].offset);
            return -1;
        }
        for (size_t g = h + 1; g < s->nholes; g++)
            if (s->holes[g].offset == s->holes[h].offset) {
                snprintf(err, errlen, "two holes at +%u", s->holes[h].offset);
                return -1;
            }
    }
    int continues = 0;
    size_t n = s->size / 4;
    for (size_t k = 0; k < n; k++) {
        size_t off = 4 * k;
        uint32_t w = word(s, off);
        jc_hole *h = hole_at(s, off);
        if (is_branch_reg(w)) {
            if (is_ret(w) && !s->returns) {
                snprintf(err, errlen, "returns (ret at +%zu): GCC did not turn the "
                         "continuation call into a jump", off);
                return -1;
            }
            if (!is_ret(w) && !is_blr(w)) {
                snprintf(err, errlen, "indirect jump at +%zu (tail call through a "
                         "pointer, or a jump table)", off);
                return -1;
            }
        }
        if (is_bl(w) && (!h || h->kind != JC_RELOC_A64_CALL26)) {
            snprintf(err, errlen, "%s by call (bl) at +%zu instead of b",
                     is_jump_hole(h) ? "reaches its continuation"
                                     : "calls a function directly", off);
            return -1;
        }
        if (h) {
            if (!hole_fits(s, h, err, errlen))
                return -1;
            continues |= h->sym == JC_SYM_CONT;
            if (h->kind == JC_RELOC_A64_CALL26 && is_b(w)) {
                snprintf(err, errlen, "tail-calls a function at +%zu", off);
                return -1;
            }
            continue;
        }
        /* no relocation: a PC-relative reference must stay inside */
        int br;
        int64_t d = branch_disp(w, &br);
        if (br && ((int64_t)off + d < 0 || (int64_t)off + d > (int64_t)s->size)) {
            snprintf(err, errlen, "PC-relative reference at +%zu leaves the stencil", off);
            return -1;
        }
        if (is_adrp(w)) {
            snprintf(err, errlen, "adrp without a relocation at +%zu", off);
            return -1;
        }
    }
    if (!hole_pairs_match(s, err, errlen))
        return -1;
    rewrite_value_pairs(s);
    if (s->returns) {
        if (continues || n == 0 || !is_ret(word(s, s->size - 4))) {
            snprintf(err, errlen, "must end in ret and never continue");
            return -1;
        }
        return 0;
    }
    if (!continues) {
        snprintf(err, errlen, "never reaches its continuation");
        return -1;
    }
    /* Calls by bl get their trampolines (after the last instruction, so such
     * a stencil keeps its trailing jump: it is not marked strippable). */
    int tramp = 0;
    for (size_t h = 0; h < s->nholes; h++)
        if (s->holes[h].kind == JC_RELOC_A64_CALL26) {
            if (add_trampoline(s, &s->holes[h], err, errlen) < 0)
                return -1;
            tramp = 1;
        }
    if (tramp) {
        /* holes back in code order */
        for (size_t a = 1; a < s->nholes; a++)
            for (size_t b = a; b > 0 && s->holes[b - 1].offset > s->holes[b].offset; b--) {
                jc_hole t = s->holes[b];
                s->holes[b] = s->holes[b - 1];
                s->holes[b - 1] = t;
            }
        return 0;
    }
    /* Trailing jump: the last instruction is `b jc_cont`. */
    const jc_hole *last = hole_at(s, s->size - 4);
    if (last && last->sym == JC_SYM_CONT && is_b(word(s, s->size - 4)))
        s->flags |= JC_STENCIL_TRAILING_JUMP;
    /* Loop tail: `b.cc over; b X; over: b cont` becomes `b.!cc X; b cont`
     * (GCC 12 makes no conditional tail calls). */
    if ((s->flags & JC_STENCIL_TRAILING_JUMP) && n >= 3) {
        size_t a = s->size - 12, b = s->size - 8;
        uint32_t wa = word(s, a);
        jc_hole *hb = hole_at(s, b);
        if (is_bcond(wa) && ((wa >> 5) & 0x7ffffu) == 2 && (wa & 15) < 14 &&
            is_jump_hole(hb) && !hole_at(s, a)) {
            set_word(s, a, 0x54000000u | ((wa & 15) ^ 1)); /* b.!cc, imm19 0 */
            hb->offset = (uint32_t)a;
            hb->kind = JC_RELOC_A64_CONDBR19;
            set_word(s, b, word(s, b + 4));
            hole_at(s, b + 4)->offset = (uint32_t)b;
            s->size -= 4;
        }
    }
    return 0;
}

const ex_arch ex_arch_aarch64 = {
    .name = "aarch64",
    .machine = 183, /* EM_AARCH64 */
    .reloc_kind = a64_reloc_kind,
    .check = a64_check,
};
