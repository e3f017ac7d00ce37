/* consumer.c — an out-of-tree program using the installed libjitcalc. */
#include <jitcalc.h>
#include <stdio.h>

int main(void)
{
    jc_error err;
    jc_engine *engine = jc_engine_new(NULL, &err);
    if (!engine)
        return 1;
    jc_result r;
    if (jc_eval(engine, "2^10 + 1", JC_NUL_TERMINATED, NULL, 0, 0, &r, &err) != 0)
        return 1;
    printf("%s %.17g\n", jc_version(), r.scalar.f64);
    jc_result_free(&r);
    jc_engine_free(engine);
    return 0;
}
