/* test_api_threads.c — one program run from several threads at once gives
 * every thread the right answer, and a run split across threads gives the
 * same bits as a run on one thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"

#define ROWS 300007 /* many chunks, and a ragged tail */

static double *col_a, *col_b;

static void fill(void)
{
    uint64_t s = 42;
    col_a = malloc(ROWS * sizeof(double));
    col_b = malloc(ROWS * sizeof(double));
    for (size_t i = 0; i < ROWS; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        col_a[i] = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        col_b[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5;
    }
}

typedef struct job {
    const jc_program *program;
    jc_column *cols;
    double sum;
    int rc;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    jc_error err;
    for (int i = 0; i < 20 && j->rc == 0; i++) {
        jc_result r;
        j->rc = jc_run(j->program, j->cols, 2, ROWS, &r, &err);
        if (j->rc == 0) {
            j->sum = r.scalar.f64;
            jc_result_free(&r);
        }
    }
    return NULL;
}

static void one_program_runs_on_four_threads_at_once(void **state)
{
    (void)state;
    jc_error err;
    jc_engine *engine = jc_engine_new(NULL, &err);
    assert_non_null(engine);
    jc_column cols[] = {{"a", JC_F64, col_a, ROWS}, {"b", JC_F64, col_b, ROWS}};
    jc_program *p = jc_compile(engine, "sum(a * b + sqrt(a))", JC_NUL_TERMINATED, cols, 2, &err);
    assert_non_null(p);
    job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (job){p, cols, 0, 0};
        assert_int_equal(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(jobs[i].rc, 0);
        assert_memory_equal(&jobs[i].sum, &jobs[0].sum, sizeof(double));
    }
    jc_program_free(p);
    jc_engine_free(engine);
}

/* Small interpreter runs take a workspace from the program's pool and give
 * it back on every call (atomic slots, engine/compile.c): eight threads
 * doing so at once, with one large run now and then among them (its
 * worker threads take workspaces too), all get the right rows. */
typedef struct small_job {
    const jc_program *program;
    int rc;
} small_job;

enum { SMALL_ROWS = 300 };

static void *run_small_job(void *arg)
{
    small_job *j = arg;
    jc_column cols[] = {{"a", JC_F64, col_a, SMALL_ROWS}, {"b", JC_F64, col_b, SMALL_ROWS}};
    jc_column all[] = {{"a", JC_F64, col_a, ROWS}, {"b", JC_F64, col_b, ROWS}};
    double out[SMALL_ROWS];
    jc_error err;
    for (int i = 0; i < 3000 && j->rc == 0; i++) {
        if (i % 500 == 0) {
            jc_result r;
            if ((j->rc = jc_run(j->program, all, 2, ROWS, &r, &err)) == 0) {
                const double *v = r.values;
                for (size_t k = 0; k < ROWS; k += 997)
                    if (v[k] != col_a[k] * 2 - col_b[k])
                        j->rc = -2;
                jc_result_free(&r);
            }
            continue;
        }
        if ((j->rc = jc_run_into(j->program, cols, 2, SMALL_ROWS, out, &err)) != 0)
            break;
        for (size_t k = 0; k < SMALL_ROWS; k++)
            if (out[k] != col_a[k] * 2 - col_b[k])
                j->rc = -2;
    }
    return NULL;
}

static void interpreter_workspaces_are_shared_safely_between_threads(void **state)
{
    (void)state;
    jc_options opts;
    jc_options_init(&opts);
    opts.jit = 0;
    opts.threads = 2;
    jc_error err;
    jc_engine *engine = jc_engine_new(&opts, &err);
    assert_non_null(engine);
    jc_column schema[] = {{"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}};
    jc_program *p = jc_compile(engine, "a * 2 - b", JC_NUL_TERMINATED, schema, 2, &err);
    assert_non_null(p);
    small_job jobs[8];
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (small_job){p, 0};
        assert_int_equal(pthread_create(&th[i], NULL, run_small_job, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 8; i++)
        assert_int_equal(jobs[i].rc, 0);
    jc_program_free(p);
    jc_engine_free(engine);
}

static void split_runs_give_the_same_bits(void **state)
{
    (void)state;
    const char *exprs[] = {"sum(a * b)", "avg(a - b)", "a / sum(a) + b",
                           "max(a) - min(b)", "sum(if(a > 0.5, a, -b))"};
    jc_column cols[] = {{"a", JC_F64, col_a, ROWS}, {"b", JC_F64, col_b, ROWS}};
    jc_error err;
    jc_options one, two;
    jc_options_init(&one);
    jc_options_init(&two);
    two.threads = 2;
    jc_engine *e1 = jc_engine_new(&one, &err);
    jc_engine *e2 = jc_engine_new(&two, &err);
    assert_non_null(e1);
    assert_non_null(e2);
    for (size_t k = 0; k < sizeof exprs / sizeof *exprs; k++) {
        jc_result r1, r2;
        assert_int_equal(jc_eval(e1, exprs[k], JC_NUL_TERMINATED, cols, 2, ROWS, &r1, &err), 0);
        assert_int_equal(jc_eval(e2, exprs[k], JC_NUL_TERMINATED, cols, 2, ROWS, &r2, &err), 0);
        assert_int_equal(r1.is_column, r2.is_column);
        if (r1.is_column)
            assert_memory_equal(r1.values, r2.values, r1.rows * sizeof(double));
        else
            assert_memory_equal(&r1.scalar.f64, &r2.scalar.f64, sizeof(double));
        jc_result_free(&r1);
        jc_result_free(&r2);
    }
    jc_engine_free(e1);
    jc_engine_free(e2);
}

int main(void)
{
    fill();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_program_runs_on_four_threads_at_once),
        cmocka_unit_test(split_runs_give_the_same_bits),
        cmocka_unit_test(interpreter_workspaces_are_shared_safely_between_threads),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(col_a);
    free(col_b);
    return rc;
}
