/*
 * test_oom_service.c — every allocation made while the protocol service
 * answers a request fails in turn (util/mem.h; jansson's allocations go
 * through it too): the answer is the same as without the failure, or an
 * out_of_memory error response; never a crash, another error, no answer,
 * a leak, or a half-stored table (oomcheck.h).
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"
#include "oomcheck.h"
#include "server/service.h"
#include "util/mem.h"

#define MAX_ALLOCATIONS 50000

typedef struct ctx {
    const char *before; /* a request answered before arming (e.g. a load), or NULL */
    const char *line;   /* the request under test */
    char *want;         /* its unarmed response */
    jc_engine *engine;
    jc_service *svc;
    char *got;
    int oom_flag;
} ctx;

static int setup(void *p)
{
    ctx *c = p;
    jc_error err;
    c->engine = jc_engine_new(NULL, &err);
    if (!c->engine)
        return -1;
    c->svc = service_new(c->engine, NULL);
    if (!c->svc)
        return -1;
    if (c->before)
        free(service_handle(c->svc, c->before, strlen(c->before), NULL));
    return 0;
}

static void teardown(void *p)
{
    ctx *c = p;
    free(c->got);
    c->got = NULL;
    service_free(c->svc);
    jc_engine_free(c->engine);
    c->svc = NULL;
    c->engine = NULL;
}

/* The error code of a response text, or NULL when it is a success. */
static char *response_code(const char *text)
{
    json_t *r = json_loads(text, 0, NULL);
    if (!r)
        return NULL;
    const char *code =
        json_string_value(json_object_get(json_object_get(r, "error"), "code"));
    char *copy = code ? strdup(code) : NULL;
    json_decref(r);
    return copy;
}

/* Two responses say the same, clocks aside (stats: uptime, compile time). */
static int same_response(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
    static const char *const clocks[] = {"uptime_s", "compile_ns"};
    for (size_t i = 0; x && y && i < 2; i++) {
        json_object_del(x, clocks[i]);
        json_object_del(y, clocks[i]);
    }
    int same = x && y && json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}

static int failures;

/* One armed request. Its answer must be the unarmed one or an
 * out_of_memory error, and a request that failed leaves no trace: asked
 * again without failures, it is answered as the unarmed one was. */
static enum oom_outcome call(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    c->oom_flag = 0;
    c->got = service_handle(c->svc, c->line, strlen(c->line), &c->oom_flag);
    /* The checks allocate: disarm for them. The sweep's probe afterwards
     * must still tell whether a failure happened, so re-arm with 0 (fail
     * at once) when one did, and leave the hook off when none did. */
    void *probe = mem_alloc(1);
    int injected = probe == NULL;
    mem_fail_after(-1);
    mem_free(probe);
    enum oom_outcome o = OOM_DONE;
    if (!c->got) {
        /* allowed only as the documented last resort */
        if (!c->oom_flag) {
            snprintf(why, whylen, "no response and no out-of-memory flag");
            o = OOM_WRONG;
        } else {
            o = OOM_REPORTED;
        }
    } else if (!same_response(c->got, c->want)) {
        char *code = response_code(c->got);
        if (code && strcmp(code, "out_of_memory") == 0) {
            o = OOM_REPORTED;
        } else {
            snprintf(why, whylen, "answered %.200s instead of %.200s", c->got, c->want);
            o = OOM_WRONG;
        }
        free(code);
    }
    if (o == OOM_REPORTED && !c->before) {
        char *again = service_handle(c->svc, c->line, strlen(c->line), NULL);
        char *want_code = response_code(c->want);
        char *code = again ? response_code(again) : NULL;
        if (!again || (code && !want_code)) {
            snprintf(why, whylen, "after the failure, the request gives %.200s",
                     again ? again : "(nothing)");
            o = OOM_WRONG;
        }
        free(code);
        free(want_code);
        free(again);
    }
    if (injected)
        mem_fail_after(0);
    return o;
}

static void sweep(const char *before, const char *line)
{
    ctx c = {.before = before, .line = line};
    /* the unarmed answer, from a fresh engine and service */
    assert_int_equal(setup(&c), 0);
    c.want = service_handle(c.svc, line, strlen(line), NULL);
    assert_non_null(c.want);
    teardown(&c);
    char label[200];
    snprintf(label, sizeof label, "service_handle('%.120s')", line);
    oom_case oc = {label, &c, setup, call, teardown};
    if (oom_sweep(&oc, MAX_ALLOCATIONS) < 0)
        failures++;
    free(c.want);
}

static void no_failures(void)
{
    int n = failures;
    failures = 0;
    if (n)
        fail_msg("%d sweep(s) failed (see above)", n);
}

static void every_op_survives_every_allocation_failure(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "{\"op\":\"ping\",\"id\":1}",
        "{\"op\":\"stats\"}",
        "{\"op\":\"tables\"}",
        "{\"id\":\"x\",\"expr\":\"a*b + 1\",\"columns\":{\"a\":[1,2.5,3],\"b\":[4,5,6]}}",
        "{\"expr\":\"sum(a) / count()\",\"columns\":{\"a\":[1,2,3]}}",
        "{\"expr\":\"p and not q\",\"columns\":{\"p\":[true,false],\"q\":[false,false]}}",
        "{\"expr\":\"a * 2\",\"columns\":{\"a\":[\"NaN\",\"Infinity\",-0.0,0.1]}}",
        ("{\"expr\":\"n + x\",\"columns\":{\"n\":{\"type\":\"i64\",\"data\":[1,2]},"
         "\"x\":{\"type\":\"f64\",\"base64\":\"AAAAAAAA+D8AAAAAAAAAQA==\"}}}"),
        "{\"expr\":\"a * 2\",\"encoding\":\"base64\",\"columns\":{\"a\":[1,2,3]}}",
        "{\"exprs\":[\"a+b\",\"sum(a)\",\"a > 1\"],\"columns\":{\"a\":[1,2,3],\"b\":[1,1,1]}}",
        "{\"expr\":\"a * 10\",\"where\":\"a != 1\",\"indices\":true,\"columns\":{\"a\":[1,2,0,5]}}",
        "{\"where\":\"a > 1\",\"indices\":true,\"columns\":{\"a\":[1,2,3]}}",
        "{\"op\":\"explain\",\"expr\":\"a > 100 and b < 2\",\"types\":{\"a\":\"f64\",\"b\":\"i64\"}}",
        "{\"expr\":\"10 // a\",\"where\":\"a != 1\",\"columns\":{\"a\":[1,2,0,5]}}",
        "{\"expr\":\"a +\",\"columns\":{\"a\":[1]}}",
        "{\"expr\":\"a\",\"wehre\":\"a > 1\",\"columns\":{\"a\":[1]}}",
        "not json",
        "{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"qty\":[1,5,7],\"price\":[9.5,3,12]}}",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        sweep(NULL, lines[i]);
    no_failures();
}

static void requests_on_a_stored_table_survive_every_allocation_failure(void **state)
{
    (void)state;
    const char *load =
        "{\"op\":\"load\",\"table\":\"sales\",\"columns\":{\"qty\":[1,5,7],\"price\":[9.5,3,12]}}";
    sweep(load, "{\"expr\":\"qty * price\",\"table\":\"sales\"}");
    sweep(load, "{\"expr\":\"qty * price + extra\",\"table\":\"sales\",\"columns\":{\"extra\":[1,2,3]}}");
    sweep(load, "{\"op\":\"tables\"}");
    sweep(load, "{\"op\":\"drop\",\"table\":\"sales\"}");
    /* replacing a table: a failure keeps the old one (checked by the
     * unarmed tables answer of the next sweep's setup being the same) */
    sweep(load, "{\"op\":\"load\",\"table\":\"sales\",\"columns\":{\"qty\":[2]}}");
    no_failures();
}

/* A request that changes the stored tables (load, drop) either does it
 * and says so, or says it failed and changed nothing. before: run first,
 * unarmed; stored_after_success: whether table "t" exists after the
 * request succeeds. */
static void all_or_nothing(const char *before, const char *line, int stored_after_success)
{
    for (long n = 0; n < MAX_ALLOCATIONS; n++) {
        jc_engine *e = jc_engine_new(NULL, NULL);
        jc_service *s = service_new(e, NULL);
        assert_non_null(s);
        if (before)
            free(service_handle(s, before, strlen(before), NULL));
        mem_fail_after(n);
        int oom = 0;
        char *r = service_handle(s, line, strlen(line), &oom);
        void *probe = mem_alloc(1);
        mem_fail_after(-1);
        mem_free(probe);
        char *code = r ? response_code(r) : NULL;
        char *tables = service_handle(s, "{\"op\":\"tables\"}", 15, NULL);
        assert_non_null(tables);
        int stored = strstr(tables, "\"t\"") != NULL;
        int failed = code || !r;
        int want_stored = failed ? before != NULL : stored_after_success;
        if (stored != want_stored) {
            failures++;
            printf("'%s' with allocation %ld failing: it %s (%s), yet table t is %s: %s\n",
                   line, n, failed ? "failed" : "succeeded", code ? code : "no error",
                   stored ? "stored" : "not stored", tables);
        }
        free(code);
        free(tables);
        free(r);
        service_free(s);
        jc_engine_free(e);
        if (probe || stored != want_stored)
            return; /* it ran without a failure, or the first bad state is shown */
    }
    failures++;
    printf("'%s': still failing after %d allocations\n", line, MAX_ALLOCATIONS);
}

static void a_load_or_drop_that_runs_out_of_memory_changes_nothing(void **state)
{
    (void)state;
    const char *load = "{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"a\":[1,2,3]}}";
    all_or_nothing(NULL, load, 1);
    all_or_nothing(load, "{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"b\":[1.5]}}", 1);
    all_or_nothing(load, "{\"op\":\"drop\",\"table\":\"t\"}", 0);
    no_failures();
}

int main(int argc, char **argv)
{
    (void)argc;
    oom_init(argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_op_survives_every_allocation_failure),
        cmocka_unit_test(requests_on_a_stored_table_survive_every_allocation_failure),
        cmocka_unit_test(a_load_or_drop_that_runs_out_of_memory_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
