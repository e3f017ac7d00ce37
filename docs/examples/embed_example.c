/* embed_example.c — the complete example of docs/embedding.md: compile an
 * expression once, run it over columns, print a column and a scalar. */
#include <stdio.h>

#include <jitcalc.h>

int main(void)
{
    jc_error err;
    jc_engine *engine = jc_engine_new(NULL, &err); /* default options */
    if (!engine) {
        fprintf(stderr, "engine: %s\n", err.message);
        return 1;
    }

    double price[] = {10.0, 20.0, 7.5};
    int64_t qty[] = {3, 1, 4};
    double discount[] = {0.0, 0.25, 0.1};
    jc_column columns[] = {
        {"price", JC_F64, price, 3},
        {"qty", JC_I64, qty, 3},
        {"discount", JC_F64, discount, 3},
    };

    /* Compile once against the columns' names and types... */
    jc_program *total = jc_compile(engine, "price * qty * (1 - discount)",
                                   JC_NUL_TERMINATED, columns, 3, &err);
    if (!total) {
        fprintf(stderr, "compile: %s at %lld\n", err.message, (long long)err.position);
        return 1;
    }
    /* ...run as often as you like, from any number of threads. */
    jc_result result;
    if (jc_run(total, columns, 3, 3, &result, &err) != 0) {
        fprintf(stderr, "run: %s (row %lld)\n", err.message, (long long)err.row);
        return 1;
    }
    const double *values = result.values;
    for (size_t i = 0; i < result.rows; i++)
        printf("row %zu: %g\n", i, values[i]);
    jc_result_free(&result);
    jc_program_free(total);

    /* One-shot evaluation of an aggregate: a scalar result. */
    if (jc_eval(engine, "sum(price * qty)", JC_NUL_TERMINATED, columns, 3, 3,
                &result, &err) != 0) {
        fprintf(stderr, "eval: %s\n", err.message);
        return 1;
    }
    printf("revenue before discounts: %g\n", result.scalar.f64);
    jc_result_free(&result);

    jc_engine_free(engine);
    return 0;
}
