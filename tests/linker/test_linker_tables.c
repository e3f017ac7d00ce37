/*
 * test_linker_tables.c — the generated stencil tables of every instruction
 * set in this build are complete and self-consistent: every stencil has
 * code, every hole is a known kind inside its stencil, trailing jumps are
 * what the flag says, only EXIT returns, and every called function is an
 * allowed one that resolved to an address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "jit/internal.h"

static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512, JIT_ISA_NEON};
#define NISAS (sizeof isas / sizeof *isas)

/* The encodings of this architecture's tables: x86-64, or aarch64 (issue
 * 11; every aarch64 hole is one 4-byte instruction). */
#if defined(__aarch64__)
static uint32_t word_at(const uint8_t *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}
#endif

static int kind_width(unsigned kind)
{
#if defined(__aarch64__)
    return kind >= JC_RELOC_A64_JUMP26 && kind <= JC_RELOC_A64_MOVK_HI16 ? 4 : 0;
#else
    if (kind < JC_RELOC_X86_PC32 || kind > JC_RELOC_X86_64)
        return 0;
    return kind == JC_RELOC_X86_64 ? 8 : 4;
#endif
}

/* The last instruction is the strippable `jmp jc_cont` (h: its hole). */
static int ends_in_cont_jump(const uint8_t *code, const jc_stencil *st, const jc_hole *h)
{
#if defined(__aarch64__)
    return h && (word_at(code + st->size - 4) & 0xfc000000u) == 0x14000000u &&
           h->sym == JC_SYM_CONT && h->addend == 0; /* b */
#else
    return h && code[st->size - 5] == 0xe9 && h->sym == JC_SYM_CONT && h->addend == -4;
#endif
}

static int ends_in_ret(const uint8_t *code, const jc_stencil *st)
{
#if defined(__aarch64__)
    return word_at(code + st->size - 4) == 0xd65f03c0u; /* ret */
#else
    return code[st->size - 1] == 0xc3;
#endif
}

/* Pin stencils (shapes R, W) exist only for the set's pin registers, mask
 * stencils (K, J, M, N) only in a set with the mask register. */
static int present(const jc_stencil_set *set, int id)
{
    char sh = jc_stencil_shapes[id];
    if (JC_SHAPE_MASK(sh))
        return set->masks;
    if (sh != 'R' && sh != 'W')
        return 1;
    return jc_stencil_pin(sh, jc_stencil_variants[id]) < set->npins;
}

static void test_every_stencil_has_code(void **state)
{
    (void)state;
    int sets = 0;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        sets++;
        assert_int_equal(set->lanes, jit_isa_lanes(isas[s]));
        for (int id = 0; id < JC_NSTENCILS; id++) {
            const jc_stencil *st = &set->stencils[id];
            if (st->size == 0 && present(set, id))
                fail_msg("%s: %s has no code", set->isa, jc_stencil_names[id]);
            if (st->size != 0 && !present(set, id))
                fail_msg("%s: %s is beyond the set's %u pins", set->isa,
                         jc_stencil_names[id], set->npins);
        }
    }
    assert_true(sets > 0);
}

static void test_holes_are_known_and_inside(void **state)
{
    (void)state;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        for (int id = 0; id < JC_NSTENCILS; id++) {
            const jc_stencil *st = &set->stencils[id];
            for (unsigned k = 0; k < st->nholes; k++) {
                const jc_hole *h = &set->holes[st->holes + k];
                unsigned width = (unsigned)kind_width(h->kind);
                if (!width)
                    fail_msg("%s %s: unknown kind %u", set->isa, jc_stencil_names[id], h->kind);
                if (h->sym < JC_SYM_CONT || h->sym > JC_SYM_FUNC)
                    fail_msg("%s %s: unknown symbol %u", set->isa, jc_stencil_names[id], h->sym);
                if (h->offset + width > st->size)
                    fail_msg("%s %s: hole outside", set->isa, jc_stencil_names[id]);
                if (h->sym == JC_SYM_FUNC)
                    assert_true(h->index < set->nfuncs);
                if (h->sym == JC_SYM_RODATA)
                    assert_true(h->addend >= -16 && h->addend < (int32_t)set->rodata_size);
            }
        }
    }
}

static const jc_hole *hole_at(const jc_stencil_set *set, const jc_stencil *st,
                              uint32_t off)
{
    for (unsigned k = 0; k < st->nholes; k++)
        if (set->holes[st->holes + k].offset == off)
            return &set->holes[st->holes + k];
    return NULL;
}

static void test_trailing_jump_flag_matches_the_bytes(void **state)
{
    (void)state;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        for (int id = 0; id < JC_NSTENCILS; id++) {
            const jc_stencil *st = &set->stencils[id];
            if (!present(set, id))
                continue;
            const uint8_t *code = set->code + st->code;
            const jc_hole *h = st->size >= 5 ? hole_at(set, st, st->size - 4u) : NULL;
            int jump = ends_in_cont_jump(code, st, h);
            if (jump != !!(st->flags & JC_STENCIL_TRAILING_JUMP))
                fail_msg("%s %s: trailing jump flag %d, bytes say %d", set->isa,
                         jc_stencil_names[id], st->flags, jump);
            /* every stencil ends in its continuation jump, except EXIT and
             * calls with a rare out-of-line path after it (SLEEF repairs):
             * so every chain of plain stencils runs straight through */
            int repaired = (st->flags & JC_STENCIL_CALLS) != 0;
            if (id != JC_ST_EXIT && !repaired && !jump)
                fail_msg("%s %s does not end in its continuation jump", set->isa,
                         jc_stencil_names[id]);
        }
    }
}

static void test_only_exit_returns(void **state)
{
    (void)state;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        for (int id = 0; id < JC_NSTENCILS; id++) {
            const jc_stencil *st = &set->stencils[id];
            if (!present(set, id))
                continue;
            int conts = 0;
            for (unsigned k = 0; k < st->nholes; k++)
                conts += set->holes[st->holes + k].sym == JC_SYM_CONT;
            if (id == JC_ST_EXIT) {
                assert_int_equal(conts, 0);
                assert_true(ends_in_ret(set->code + st->code, st));
            } else if (conts == 0) {
                fail_msg("%s %s never continues", set->isa, jc_stencil_names[id]);
            }
        }
    }
}

static void test_pin_stencils_exist_for_the_sets_pins(void **state)
{
    (void)state;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        /* AVX-512 keeps zmm16..zmm29 for pins and k7 for the mask; the
         * narrower sets have neither */
        assert_int_equal(set->npins, isas[s] == JIT_ISA_AVX512 ? JC_PIN_REGS : 0);
        assert_int_equal(set->masks, isas[s] == JIT_ISA_AVX512);
        for (int id = 0; id < JC_NSTENCILS; id++) {
            /* names spell the variant: ADDR_F64_<depth>_<pin> */
            char sh = jc_stencil_shapes[id];
            unsigned v = jc_stencil_variants[id];
            char want[32];
            if (sh == 'W')
                snprintf(want, sizeof want, "_%u_%u", v / JC_PIN_REGS, v % JC_PIN_REGS);
            else if (sh == 'S' || sh == 'N')
                want[0] = 0;
            else
                snprintf(want, sizeof want, "_%u", v);
            const char *n = jc_stencil_names[id];
            size_t ln = strlen(n), lw = strlen(want);
            if (ln < lw || strcmp(n + ln - lw, want))
                fail_msg("%s: variant %u of shape %c", n, v, sh);
        }
    }
}

static void test_loop_tail_branches_back_conditionally(void **state)
{
    (void)state;
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        const jc_stencil *st = &set->stencils[JC_ST_TAIL];
        const uint8_t *code = set->code + st->code;
        int found = 0;
        for (unsigned k = 0; k < st->nholes; k++) {
            const jc_hole *h = &set->holes[st->holes + k];
#if defined(__aarch64__)
            if (h->sym == JC_SYM_TARGET) {
                /* `adds x1, x1, #lanes; b.mi target; b cont`: the
                 * extractor made the conditional branch (CONDBR19) */
                assert_int_equal(word_at(code), 0xb1000021u | (set->lanes << 10));
                assert_int_equal(h->offset, 4);
                assert_int_equal(h->kind, JC_RELOC_A64_CONDBR19);
                assert_int_equal(word_at(code + 4), 0x54000004u); /* b.mi */
                assert_int_equal(st->size, 12);
                found = 1;
            }
#else
            if (h->sym == JC_SYM_TARGET) {
                /* The row register counts up to zero: `add $lanes, %rsi;
                 * jne target` (0f 85 rel32: add and jne fuse, add and js
                 * do not), not `je over; jmp target`, and no bound read
                 * from memory. */
                static const uint8_t add_rsi[] = {0x48, 0x83, 0xc6};
                assert_int_equal(h->offset, 6);
                assert_memory_equal(code, add_rsi, 3);
                assert_int_equal(code[3], set->lanes);
                assert_int_equal(code[h->offset - 2], 0x0f);
                assert_int_equal(code[h->offset - 1], 0x85);
                found = 1;
            }
#endif
        }
        assert_true(found);
    }
}

static void test_called_functions_are_allowed_and_resolved(void **state)
{
    (void)state;
    static const char *const suffix[] = {"", "d2_u10sse2", "d4_u10avx", "d8_u10avx512fnofma",
                                         "d2_u10advsimdnofma"};
    static const char *const suffix05[] = {"", "d2_u05sse2", "d4_u05avx", "d8_u05avx512fnofma",
                                           "d2_u05advsimdnofma"};
    for (size_t s = 0; s < NISAS; s++) {
        const jc_stencil_set *set = jit_isa_set(isas[s]);
        if (!set)
            continue;
        assert_true(set->nfuncs > 0);
        for (unsigned i = 0; i < set->nfuncs; i++) {
            const char *n = set->func_names[i];
            assert_non_null(set->funcs[i]);
            if (!strncmp(n, "jc_lane_", 8))
                continue;
            assert_true(!strncmp(n, "Sleef_cinz_", 11));
            /* the vector width of the set, deterministic 1-ulp (0.5 for hypot) */
            const char *want = strstr(n, "hypot") ? suffix05[isas[s]] : suffix[isas[s]];
            size_t ln = strlen(n), lw = strlen(want);
            if (ln < lw || strcmp(n + ln - lw, want))
                fail_msg("%s calls %s", set->isa, n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_stencil_has_code),
        cmocka_unit_test(test_holes_are_known_and_inside),
        cmocka_unit_test(test_trailing_jump_flag_matches_the_bytes),
        cmocka_unit_test(test_only_exit_returns),
        cmocka_unit_test(test_pin_stencils_exist_for_the_sets_pins),
        cmocka_unit_test(test_loop_tail_branches_back_conditionally),
        cmocka_unit_test(test_called_functions_are_allowed_and_resolved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
