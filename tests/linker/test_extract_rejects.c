/*
 * test_extract_rejects.c — the build-time extractor refuses stencils that
 * cannot be pasted safely, and says which stencil and why: an unsupported
 * relocation, a continuation reached by call, an unexpected ret, a symbol
 * outside the allowlist. The crafted objects are assembled from the
 * files in tests/linker/crafted/; a well-formed one is accepted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

/* Runs the extractor on crafted/<name>.o; returns its exit status and its
 * standard error in msg. */
static int extract(const char *name, char *msg, size_t cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' avx2 4 '%s/%s.o' '%s/%s.c' --partial 2>&1",
             JC_EXTRACT, JC_CRAFTED_DIR, name, JC_CRAFTED_DIR, name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(msg, 1, cap - 1, p);
    msg[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect_failure(const char *object, const char *stencil, const char *why)
{
    char msg[4096];
    int rc = extract(object, msg, sizeof msg);
    if (rc == 0)
        fail_msg("%s was accepted", object);
    if (!strstr(msg, stencil) || !strstr(msg, why))
        fail_msg("%s: message does not name %s / %s: %s", object, stencil, why, msg);
}

static void test_unsupported_relocation_fails_naming_the_stencil(void **state)
{
    (void)state;
    expect_failure("bad_reloc", "stencil ADD_F64_0", "unsupported relocation");
}

static void test_continuation_by_call_fails(void **state)
{
    (void)state;
    expect_failure("call_cont", "stencil NEG_F64_0", "by call");
}

static void test_unexpected_ret_fails(void **state)
{
    (void)state;
    expect_failure("unexpected_ret", "stencil NOT_0", "returns");
}

static void test_symbol_outside_allowlist_fails(void **state)
{
    (void)state;
    expect_failure("bad_symbol", "stencil SQRT_0", "allowlist");
}

static void test_well_formed_stencil_is_accepted(void **state)
{
    (void)state;
    char msg[4096];
    assert_int_equal(extract("good", msg, sizeof msg), 0);
}

#if defined(__aarch64__) /* issue 11: crafted/aarch64/ */
static void test_load_from_a_value_hole_fails(void **state)
{
    (void)state;
    expect_failure("hole_load", "stencil SCALAR_64_0", "unsupported relocation");
}

static void test_indirect_jump_fails(void **state)
{
    (void)state;
    expect_failure("indirect_jump", "stencil ABS_F64_0", "indirect jump");
}

static void test_value_hole_add_without_its_adrp_fails(void **state)
{
    (void)state;
    expect_failure("unpaired_hole", "stencil LOADC_64_0", "no `adrp`");
}

static void test_call_by_bl_goes_through_a_trampoline(void **state)
{
    (void)state;
    char msg[4096];
    assert_int_equal(extract("call_by_bl", msg, sizeof msg), 0);
    /* the generated table ends the stencil with adrp x16; ldr x16; br x16 */
    char path[1024], text[1 << 16];
    snprintf(path, sizeof path, "%s/call_by_bl.c", JC_CRAFTED_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    assert_non_null(strstr(text, "0x03,0x00,0x00,0x94")); /* bl +12 */
    assert_non_null(strstr(text, "0x10,0x00,0x00,0x90,0x10,0x02,0x40,0xf9,0x00,0x02,0x1f,0xd6"));
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unsupported_relocation_fails_naming_the_stencil),
        cmocka_unit_test(test_continuation_by_call_fails),
        cmocka_unit_test(test_unexpected_ret_fails),
        cmocka_unit_test(test_symbol_outside_allowlist_fails),
        cmocka_unit_test(test_well_formed_stencil_is_accepted),
#if defined(__aarch64__)
        cmocka_unit_test(test_load_from_a_value_hole_fails),
        cmocka_unit_test(test_indirect_jump_fails),
        cmocka_unit_test(test_value_hole_add_without_its_adrp_fails),
        cmocka_unit_test(test_call_by_bl_goes_through_a_trampoline),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
