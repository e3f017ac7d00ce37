/* test_select_rows.c — jc_filter's row list (engine/select.c): the
 * positions of the non-zero bytes, in order, whatever the size (the
 * AVX-512 path takes 64 rows at a time, the rest is the portable loop) and
 * the density, within the slack the list is allocated with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/select.h"

#define CANARY ((size_t)0x5eed5eed5eed5eedull)

static void check(size_t n, unsigned per_mille, uint64_t seed)
{
    uint8_t *v = calloc(n + 1, 1);
    size_t want = 0;
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(s >> 33) % 1000;
        /* any non-zero byte selects, not only 1 */
        v[i] = r < per_mille ? (uint8_t)(1 + (s >> 20) % 255) : 0;
        want += v[i] != 0;
    }
    size_t *out = malloc((want + SELECT_SLACK + 1) * sizeof *out);
    out[want + SELECT_SLACK] = CANARY;
    assert_int_equal(select_rows(v, n, out), want);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i])
            assert_int_equal(out[k++], i);
    assert_true(out[want + SELECT_SLACK] == CANARY);
    free(out);
    free(v);
}

static void every_selected_row_in_order(void **state)
{
    (void)state;
    static const unsigned density[] = {0, 5, 100, 500, 990, 1000};
    for (size_t d = 0; d < sizeof density / sizeof *density; d++) {
        for (size_t n = 0; n <= 200; n++)
            check(n, density[d], n * 31 + d);
        check(1000, density[d], 7);
        check(4099, density[d], 11);
        check(65536 + 63, density[d], 13);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_selected_row_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
