/*
 * test_patch_aarch64.c — the aarch64 patcher (linker/patch_aarch64.c, issue
 * 11), one relocation kind at a time: each writes the field its instruction
 * encodes, refuses an instruction that is not the one it patches, and
 * refuses a value out of range. Then code patched by hand runs: a call by
 * `bl` through a trampoline and a GOT slot, a value hole turned into movz,
 * and the loop's conditional back edge. Built on aarch64 only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jit/codemem.h"
#include "linker/patch.h"

static uint32_t patched(uint32_t insn, uint8_t kind, uintptr_t at, uint64_t value,
                        int32_t addend, int *rc)
{
    uint8_t buf[4];
    memcpy(buf, &insn, 4);
    jc_hole h = {0, kind, JC_SYM_CONT, 0, addend};
    *rc = patch_hole(buf, at, &h, value);
    uint32_t out;
    memcpy(&out, buf, 4);
    return out;
}

static uint32_t ok(uint32_t insn, uint8_t kind, uintptr_t at, uint64_t value, int32_t addend)
{
    int rc;
    uint32_t w = patched(insn, kind, at, value, addend, &rc);
    assert_int_equal(rc, 0);
    return w;
}

static void refused(uint32_t insn, uint8_t kind, uintptr_t at, uint64_t value)
{
    int rc;
    patched(insn, kind, at, value, 0, &rc);
    assert_int_equal(rc, -1);
}

#define B 0x14000000u
#define BMI 0x54000004u
#define ADRP_X6 0x90000006u
#define ADD_X6 0x910000c6u     /* add x6, x6, #0 */
#define LDR_Q18_X6 0x3dc000d2u /* ldr q18, [x6] */
#define LDR_D16_X6 0xfd4000d0u /* ldr d16, [x6] */
#define LDR_X0_X0 0xf9400000u  /* ldr x0, [x0] */
#define NOP 0xd503201fu

static void test_jump26_encodes_the_distance_and_checks_b(void **state)
{
    (void)state;
    assert_int_equal(ok(B, JC_RELOC_A64_JUMP26, 0x10000, 0x10040, 0), B | 0x10);
    assert_int_equal(ok(B, JC_RELOC_A64_JUMP26, 0x10040, 0x10000, 0), B | 0x3fffff0);
    refused(0x94000000u, JC_RELOC_A64_JUMP26, 0x10000, 0x10040);  /* bl */
    refused(B, JC_RELOC_A64_JUMP26, 0x10000, 0x10000 + (128u << 20)); /* ±128 MiB */
    refused(B, JC_RELOC_A64_JUMP26, 0x10000, 0x10002);              /* not aligned */
}

static void test_condbr19_keeps_the_condition(void **state)
{
    (void)state;
    assert_int_equal(ok(BMI, JC_RELOC_A64_CONDBR19, 0x2000, 0x1000, 0),
                     0x54000004u | (((uint32_t)-(0x1000 >> 2) & 0x7ffff) << 5));
    refused(B, JC_RELOC_A64_CONDBR19, 0x2000, 0x1000);
    refused(BMI, JC_RELOC_A64_CONDBR19, 0x0, 1u << 20); /* ±1 MiB */
}

static void test_adrp_encodes_the_page_distance(void **state)
{
    (void)state;
    /* three pages on: immlo = 3, immhi = 0 */
    assert_int_equal(ok(ADRP_X6, JC_RELOC_A64_ADR_PAGE, 0x400ffc, 0x403010, 0),
                     ADRP_X6 | (3u << 29));
    /* minus one page: imm21 all ones */
    assert_int_equal(ok(ADRP_X6, JC_RELOC_A64_ADR_PAGE, 0x401000, 0x400fff, 0),
                     ADRP_X6 | (3u << 29) | (0x7ffffu << 5));
    refused(ADD_X6, JC_RELOC_A64_ADR_PAGE, 0x400000, 0x401000);
    refused(ADRP_X6, JC_RELOC_A64_ADR_PAGE, 0, (uint64_t)5 << 32); /* ±4 GiB */
}

static void test_value_hole_adrp_becomes_movz_of_its_page(void **state)
{
    (void)state;
    /* movz x6, #0x3000 whatever the code address */
    assert_int_equal(ok(ADRP_X6, JC_RELOC_A64_MOVZ_PAGE, 0x7f0000001000, 0x3450, 0),
                     0xd2800006u | (0x3000u << 5));
    assert_int_equal(ok(ADRP_X6, JC_RELOC_A64_MOVZ_PAGE, 0, 0x40, 8), 0xd2800006u);
    /* a whole 64 KiB multiple fits one movz (lsl 16) */
    assert_int_equal(ok(ADRP_X6, JC_RELOC_A64_MOVZ_PAGE, 0, 0x30000, 0),
                     0xd2800006u | (1u << 21) | (3u << 5));
    refused(ADRP_X6, JC_RELOC_A64_MOVZ_PAGE, 0, 0x13000); /* two chunks */
    refused(ADD_X6, JC_RELOC_A64_MOVZ_PAGE, 0, 0x1000);
}

static void test_value_hole_movz_movk_pair_takes_any_32_bit_value(void **state)
{
    (void)state;
    /* movz x7, #0 / movk x7, #0, lsl 16, as the extractor leaves them */
    assert_int_equal(ok(0xd2800007u, JC_RELOC_A64_MOVZ_LO16, 0, 0x12345670, 8),
                     0xd2800007u | (0x5678u << 5));
    assert_int_equal(ok(0xf2a00007u, JC_RELOC_A64_MOVK_HI16, 0, 0x12345670, 8),
                     0xf2a00007u | (0x1234u << 5));
    refused(0xd2800007u, JC_RELOC_A64_MOVZ_LO16, 0, (uint64_t)1 << 32);
    refused(0xf2a00007u, JC_RELOC_A64_MOVK_HI16, 0, (uint64_t)1 << 32);
    refused(0xd2a00007u, JC_RELOC_A64_MOVZ_LO16, 0, 0x10); /* movz lsl 16 */
    refused(0xd2800007u, JC_RELOC_A64_MOVK_HI16, 0, 0x10); /* not movk */
    refused(ADRP_X6, JC_RELOC_A64_MOVZ_LO16, 0, 0x10);
}

static void test_lo12_kinds_check_size_and_alignment(void **state)
{
    (void)state;
    assert_int_equal(ok(ADD_X6, JC_RELOC_A64_ADD_LO12, 0, 0x12345, 0), ADD_X6 | (0x345u << 10));
    assert_int_equal(ok(LDR_Q18_X6, JC_RELOC_A64_LDST128_LO12, 0, 0x1230, 0x20),
                     LDR_Q18_X6 | ((0x250u >> 4) << 10));
    refused(LDR_Q18_X6, JC_RELOC_A64_LDST128_LO12, 0, 0x1238); /* not 16-aligned */
    refused(LDR_D16_X6, JC_RELOC_A64_LDST128_LO12, 0, 0x1230); /* an 8-byte load */
    assert_int_equal(ok(LDR_D16_X6, JC_RELOC_A64_LDST64_LO12, 0, 0x1238, 0),
                     LDR_D16_X6 | ((0x238u >> 3) << 10));
    assert_int_equal(ok(LDR_X0_X0, JC_RELOC_A64_GOT_LO12, 0, 0x5ff8, 0),
                     LDR_X0_X0 | ((0xff8u >> 3) << 10));
    refused(LDR_D16_X6, JC_RELOC_A64_GOT_LO12, 0, 0x5ff8); /* not ldr x */
    refused(NOP, JC_RELOC_A64_ADD_LO12, 0, 0x10);
    refused(NOP, 99, 0, 0); /* unknown kind */
}

static void test_fill_nops_and_trailing_jump_size(void **state)
{
    (void)state;
    uint32_t w[3] = {0};
    patch_fill_nops((uint8_t *)w, 12);
    assert_int_equal(w[0], NOP);
    assert_int_equal(w[2], NOP);
    assert_int_equal(patch_trailing_jump_bytes, 4);
}

/* ---- patched code that runs ------------------------------------------- */
static uint64_t forty_two(void) { return 42; }

typedef uint64_t (*fn0)(void);

/* Writes words into fresh code memory, patches holes, flushes, returns the
 * executable address. The last 8 bytes of the block are a GOT slot. */
static uintptr_t emit(codemem *m, const uint32_t *words, size_t n, const jc_hole *holes,
                      size_t nh, uint64_t (*values)(const jc_hole *, uintptr_t slot),
                      uint8_t **w_out)
{
    uint8_t *w;
    uintptr_t x;
    size_t held;
    assert_int_equal(codemem_alloc(m, 4 * n + 16, &w, &x, &held), 0);
    memcpy(w, words, 4 * n);
    uintptr_t slot = (x + 4 * n + 7) & ~(uintptr_t)7;
    uint64_t target = (uint64_t)(uintptr_t)forty_two;
    memcpy(w + (slot - x), &target, 8);
    for (size_t k = 0; k < nh; k++)
        assert_int_equal(patch_hole(w, x, &holes[k], values(&holes[k], slot)), 0);
    __builtin___clear_cache((char *)x, (char *)x + 4 * n);
    *w_out = w;
    return x;
}

static uint64_t slot_value(const jc_hole *h, uintptr_t slot)
{
    return h->sym == JC_SYM_FUNC ? slot : (uint64_t)h->index;
}

static void test_call_through_a_trampoline_runs(void **state)
{
    (void)state;
    jc_error err;
    codemem *m = codemem_new(&err);
    assert_non_null(m);
    /* stp; bl T; ldp; ret; T: adrp x16, slot; ldr x16, [x16, lo12]; br x16
     * — what the extractor makes of a CALL26 */
    static const uint32_t code[] = {0xa9bf7bfdu, 0x94000003u, 0xa8c17bfdu, 0xd65f03c0u,
                                    0x90000010u, 0xf9400210u, 0xd61f0200u};
    static const jc_hole holes[] = {{16, JC_RELOC_A64_GOT_PAGE, JC_SYM_FUNC, 0, 0},
                                    {20, JC_RELOC_A64_GOT_LO12, JC_SYM_FUNC, 0, 0}};
    uint8_t *w;
    uintptr_t x = emit(m, code, 7, holes, 2, slot_value, &w);
    assert_int_equal(((fn0)x)(), 42);
    codemem_free(m);
}

static void test_value_hole_pair_computes_the_value(void **state)
{
    (void)state;
    jc_error err;
    codemem *m = codemem_new(&err);
    assert_non_null(m);
    /* adrp x0, HOLE+8; add x0, x0, :lo12:HOLE+8; ret — the value is the
     * hole's index field here (slot_value) */
    static const uint32_t code[] = {0x90000000u, 0x91000000u, 0xd65f03c0u};
    jc_hole holes[] = {{0, JC_RELOC_A64_MOVZ_PAGE, JC_SYM_HOLE_A, 0xabc0, 8},
                       {4, JC_RELOC_A64_ADD_LO12, JC_SYM_HOLE_A, 0xabc0, 8}};
    uint8_t *w;
    uintptr_t x = emit(m, code, 3, holes, 2, slot_value, &w);
    assert_int_equal(((fn0)x)(), 0xabc8);
    /* the extractor's movz/movk form of the same pair, beyond 64 KiB */
    static const uint32_t pair[] = {0xd2800000u, 0xf2a00000u, 0xd65f03c0u};
    jc_hole holes2[] = {{0, JC_RELOC_A64_MOVZ_LO16, JC_SYM_HOLE_A, 0xfff0, 0x20018},
                        {4, JC_RELOC_A64_MOVK_HI16, JC_SYM_HOLE_A, 0xfff0, 0x20018}};
    x = emit(m, pair, 3, holes2, 2, slot_value, &w);
    assert_int_equal(((fn0)x)(), 0x30008);
    codemem_free(m);
}

static void test_conditional_back_edge_loops(void **state)
{
    (void)state;
    jc_error err;
    codemem *m = codemem_new(&err);
    assert_non_null(m);
    /* mov x1, #-10; mov x0, #0; L: add x0, x0, #3; adds x1, x1, #2;
     * b.mi L (CONDBR19 to L); b END (JUMP26); END: ret — five rounds */
    static const uint32_t code[] = {0x92800121u, 0xd2800000u, 0x91000c00u, 0xb1000821u,
                                    0x54000004u, 0x14000000u, 0xd65f03c0u};
    jc_hole holes[] = {{16, JC_RELOC_A64_CONDBR19, JC_SYM_TARGET, 0, 0},
                       {20, JC_RELOC_A64_JUMP26, JC_SYM_CONT, 0, 0}};
    /* the targets are code addresses: known once the block is placed */
    uint8_t *w;
    uintptr_t x;
    size_t held;
    assert_int_equal(codemem_alloc(m, 64, &w, &x, &held), 0);
    memcpy(w, code, sizeof code);
    assert_int_equal(patch_hole(w, x, &holes[0], x + 8), 0);
    assert_int_equal(patch_hole(w, x, &holes[1], x + 24), 0);
    __builtin___clear_cache((char *)x, (char *)x + sizeof code);
    assert_int_equal(((fn0)x)(), 15);
    codemem_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jump26_encodes_the_distance_and_checks_b),
        cmocka_unit_test(test_condbr19_keeps_the_condition),
        cmocka_unit_test(test_adrp_encodes_the_page_distance),
        cmocka_unit_test(test_value_hole_adrp_becomes_movz_of_its_page),
        cmocka_unit_test(test_value_hole_movz_movk_pair_takes_any_32_bit_value),
        cmocka_unit_test(test_lo12_kinds_check_size_and_alignment),
        cmocka_unit_test(test_fill_nops_and_trailing_jump_size),
        cmocka_unit_test(test_call_through_a_trampoline_runs),
        cmocka_unit_test(test_value_hole_pair_computes_the_value),
        cmocka_unit_test(test_conditional_back_edge_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
