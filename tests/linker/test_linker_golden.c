/*
 * test_linker_golden.c — a few stencils' bytes and holes per instruction
 * set, compared with checked-in golden files (tests/linker/golden/). A
 * compiler or flag change that alters the machine code shows up here as a
 * diff to review. To accept a change: JITCALC_UPDATE_GOLDEN=1 ./linker_golden
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit/internal.h"

static const int chosen[] = {JC_ST_ENTRY, JC_ST_TAIL, JC_ST_EXIT, JC_ST_LOADC_64 + 1,
                             JC_ST_LOADP0_64 + 2, JC_ST_ADD_F64, JC_ST_MULS_F64,
                             JC_ST_STOREP0_F64, JC_ST_LT_I64 + 1, JC_ST_EXP,
                             JC_ST_PINP1_64 + 3, JC_ST_ADDR_F64 + 1 * JC_PIN_REGS + 2};

static const char *const kind_name[] = {"?", "PC32", "GOTPCREL", "ABS32", "ABS32S", "ABS64"};
/* aarch64 (issue 11): from JC_RELOC_A64_JUMP26 on */
static const char *const a64_kind_name[] = {
    "JUMP26", "CONDBR19", "ADR_PAGE", "MOVZ_PAGE", "ADD_LO12", "LDST8_LO12", "LDST16_LO12",
    "LDST32_LO12", "LDST64_LO12", "LDST128_LO12", "GOT_PAGE", "GOT_LO12", "MOVZ_LO16",
    "MOVK_HI16", "CALL26"};

static const char *kind_str(unsigned kind)
{
    if (kind < sizeof kind_name / sizeof *kind_name)
        return kind_name[kind];
    if (kind >= JC_RELOC_A64_JUMP26 &&
        kind - JC_RELOC_A64_JUMP26 < sizeof a64_kind_name / sizeof *a64_kind_name)
        return a64_kind_name[kind - JC_RELOC_A64_JUMP26];
    return "?";
}
static const char *const sym_name[] = {"?", "CONT", "TARGET", "HOLE_A", "RODATA", "FUNC"};

static size_t dump(const jc_stencil_set *set, char *out, size_t cap)
{
    size_t n = 0;
#define OUT(...) n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__)
    for (size_t c = 0; c < sizeof chosen / sizeof *chosen; c++) {
        const jc_stencil *st = &set->stencils[chosen[c]];
        OUT("%s size=%u flags=%u\n ", jc_stencil_names[chosen[c]], st->size, st->flags);
        for (unsigned b = 0; b < st->size; b++)
            OUT(" %02x", set->code[st->code + b]);
        OUT("\n");
        for (unsigned k = 0; k < st->nholes; k++) {
            const jc_hole *h = &set->holes[st->holes + k];
            OUT("  hole +%u %s %s", h->offset, kind_str(h->kind), sym_name[h->sym]);
            if (h->sym == JC_SYM_FUNC)
                OUT(" %s", set->func_names[h->index]);
            OUT(" %+d\n", h->addend);
        }
    }
#undef OUT
    return n;
}

static void check(jit_isa isa)
{
    const jc_stencil_set *set = jit_isa_set(isa);
    if (!set)
        skip();
    static char now[1 << 16], want[1 << 16];
    size_t n = dump(set, now, sizeof now);
    assert_true(n < sizeof now);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s-%s.txt", JC_GOLDEN_DIR, jit_arch(), set->isa);
    const char *upd = getenv("JITCALC_UPDATE_GOLDEN");
    if (upd && !strcmp(upd, "1")) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fwrite(now, 1, n, f);
        fclose(f);
        return;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("no golden file %s (run with JITCALC_UPDATE_GOLDEN=1)", path);
    size_t m = fread(want, 1, sizeof want - 1, f);
    fclose(f);
    want[m] = 0;
    if (m != n || memcmp(now, want, n)) {
        printf("--- %s\n%s\n--- now\n%s\n", path, want, now);
        fail_msg("stencils differ from %s: a compiler or flag change?", path);
    }
}

static void test_sse2_stencils_match_golden(void **state)
{
    (void)state;
    check(JIT_ISA_SSE2);
}

static void test_avx2_stencils_match_golden(void **state)
{
    (void)state;
    check(JIT_ISA_AVX2);
}

static void test_avx512_stencils_match_golden(void **state)
{
    (void)state;
    check(JIT_ISA_AVX512);
}

static void test_neon_stencils_match_golden(void **state)
{
    (void)state;
    check(JIT_ISA_NEON);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sse2_stencils_match_golden),
        cmocka_unit_test(test_avx2_stencils_match_golden),
        cmocka_unit_test(test_avx512_stencils_match_golden),
        cmocka_unit_test(test_neon_stencils_match_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
