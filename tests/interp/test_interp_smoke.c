#include "testutil.h"

static void smoke(void **state)
{
    (void)state;
    assert_bits(3.0, f64_of("1.0 + 2"));
    assert_int_equal(7, i64_of("1 + 2 * 3"));
    double a[] = {1, 2, 3}, b[] = {10, 20, 30};
    jc_column c[] = {col_f64("a", a, 3), col_f64("b", b, 3)};
    drv_result r = eval_both("a + b", c, 2, 3);
    assert_int_equal(r.rc, 0);
    assert_true(r.is_column);
    assert_bits(33.0, ((double *)r.values)[2]);
    drv_result_free(&r);
    r = eval_both("sum(a * b)", c, 2, 3);
    assert_int_equal(r.rc, 0);
    assert_bits(140.0, r.scalar.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(smoke)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
