/* test_service.c — the protocol in-process (service_handle): the case file,
 * UTF-8 and NUL rules, out-of-memory at every allocation, many threads on
 * one service with tables loaded and dropped underneath. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "server/service.h"
#include "util/mem.h"

typedef struct fixture {
    jc_engine *engine;
    jc_service *svc;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    jc_error err;
    f->engine = jc_engine_new(NULL, &err);
    if (!f->engine)
        return -1;
    f->svc = service_new(f->engine, NULL);
    *state = f;
    return f->svc ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    service_free(f->svc);
    jc_engine_free(f->engine);
    free(f);
    return 0;
}

static char *ask(fixture *f, const char *line)
{
    int oom = 0;
    char *r = service_handle(f->svc, line, strlen(line), &oom);
    assert_int_equal(oom, 0);
    return r;
}

static void protocol_cases_give_the_expected_bytes(void **state)
{
    fixture *f = *state;
    pcase *cases;
    int n = cases_load(CASES_DIR "/protocol.txt", &cases);
    assert_true(n > 50);
    int failures = 0;
    for (int i = 0; i < n; i++) {
        char *r = ask(f, cases[i].request);
        if (!cases_match(&cases[i], r)) {
            char *norm = r ? cases_normalize(r) : NULL;
            print_error("protocol.txt:%d: %s\n  got      %s\n  expected %s\n", cases[i].line,
                        cases[i].request, norm ? norm : "(none)",
                        cases[i].expected ? cases[i].expected : "(none)");
            free(norm);
            failures++;
        }
        free(r);
    }
    cases_free(cases, n);
    assert_int_equal(failures, 0);
}

static void invalid_utf8_is_bad_json_and_nul_reaches_the_parser(void **state)
{
    fixture *f = *state;
    static const char *bad[] = {"{\"expr\":\"\xff\"}", "{\"expr\":\"\xc3\"}",
                                "{\"expr\":\"\xed\xa0\x80\"}", "{\"op\":\"ping\"}\xff",
                                "{\"expr\":\"a\",\"columns\":{\"a\":{\"type\":\"f64\","
                                "\"base64\":\"AAAA\xff" "AAA\"}}}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *r = ask(f, bad[i]);
        if (!strstr(r, "\"code\":\"bad_json\""))
            fail_msg("%s -> %s", bad[i], r);
        free(r);
    }
    /* NUL inside the expression: the parser sees it and points at it */
    char *r = ask(f, "{\"expr\":\"1 +\\u0000 2\"}");
    assert_non_null(strstr(r, "\"code\":\"parse_error\""));
    assert_non_null(strstr(r, "\"position\":4"));
    free(r);
    /* a raw NUL byte in the line is not JSON */
    int oom = 0;
    r = service_handle(f->svc, "{\"op\":\0\"ping\"}", 15, &oom);
    assert_non_null(strstr(r, "\"code\":\"bad_json\""));
    free(r);
}

static void oversized_requests_are_limit_exceeded(void **state)
{
    (void)state;
    jc_error err;
    jc_engine *engine = jc_engine_new(NULL, &err);
    service_options o;
    service_options_init(&o);
    o.max_request_bytes = 64;
    o.max_table_bytes = 100;
    jc_service *svc = service_new(engine, &o);
    char line[200];
    memset(line, ' ', sizeof line);
    memcpy(line, "{\"op\":\"ping\"}", 13);
    int oom = 0;
    char *r = service_handle(svc, line, 64, &oom);
    assert_string_equal(r, "{\"ok\":true}");
    free(r);
    r = service_handle(svc, line, 65, &oom);
    assert_non_null(strstr(r, "\"code\":\"limit_exceeded\""));
    free(r);
    /* a table past max_table_bytes stores nothing */
    const char *load = "{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"a\":[1,2,3,4]}}";
    r = service_handle(svc, load, strlen(load), &oom);
    assert_non_null(strstr(r, "\"ok\":true"));
    free(r);
    const char *big = "{\"op\":\"load\",\"table\":\"u\",\"columns\":{\"a\":[1,2,3,4,5,6,7,8,9]}}";
    r = service_handle(svc, big, strlen(big), &oom);
    assert_non_null(strstr(r, "\"code\":\"limit_exceeded\""));
    free(r);
    r = service_handle(svc, "{\"op\":\"tables\"}", 15, &oom);
    assert_null(strstr(r, "\"u\""));
    free(r);
    r = service_error(svc, "limit_exceeded", "too long", &oom);
    assert_string_equal(r, "{\"ok\":false,\"error\":{\"code\":\"limit_exceeded\","
                           "\"message\":\"too long\"}}");
    free(r);
    service_free(svc);
    jc_engine_free(engine);
}

static void huge_json_structures_are_refused_not_built(void **state)
{
    fixture *f = *state;
    /* an "id" array of 8 million numbers: jansson would need ~400 MB */
    size_t n = 8000000, len = 0;
    char *line = malloc(n * 2 + 64);
    len += (size_t)sprintf(line, "{\"op\":\"ping\",\"id\":[");
    for (size_t i = 0; i < n; i++) {
        line[len++] = '1';
        line[len++] = ',';
    }
    line[len - 1] = ']';
    line[len++] = '}';
    int oom = 0;
    char *r = service_handle(f->svc, line, len, &oom);
    assert_non_null(strstr(r, "\"code\":\"limit_exceeded\""));
    free(r);
    /* with a column limit, 70,000 tiny columns are refused before any is
     * built, and 3,000 are fine */
    service_options o;
    service_options_init(&o);
    o.max_request_columns = 65536;
    jc_service *svc = service_new(f->engine, &o);
    len = (size_t)sprintf(line, "{\"expr\":\"1\",\"columns\":{");
    for (int i = 0; i < 70000; i++)
        len += (size_t)sprintf(line + len, "%s\"c%d\":[1]", i ? "," : "", i);
    len += (size_t)sprintf(line + len, "}}");
    r = service_handle(svc, line, len, &oom);
    assert_non_null(strstr(r, "\"code\":\"limit_exceeded\""));
    free(r);
    len = (size_t)sprintf(line, "{\"expr\":\"c2999 + 1\",\"columns\":{");
    for (int i = 0; i < 3000; i++)
        len += (size_t)sprintf(line + len, "%s\"c%d\":[%d]", i ? "," : "", i, i);
    len += (size_t)sprintf(line + len, "}}");
    r = service_handle(svc, line, len, &oom);
    assert_non_null(strstr(r, "\"result\":[3000]"));
    free(r);
    service_free(svc);
    free(line);
}

static void heavy_requests_are_recognised_by_size_and_table(void **state)
{
    fixture *f = *state;
    char *big = malloc(40000);
    memset(big, ' ', 40000);
    assert_int_equal(service_is_heavy(f->svc, "{\"op\":\"ping\"}", 13), 0);
    assert_int_equal(service_is_heavy(f->svc, big, 40000), 1);
    free(big);
}

/* The string value of "key" in a response line, copied into out. */
static void string_field(const char *line, const char *key, char *out, size_t len)
{
    char pat[32];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(line, pat);
    assert_non_null(p);
    p += strlen(pat);
    size_t n = strcspn(p, "\"");
    assert_true(n < len);
    memcpy(out, p, n);
    out[n] = '\0';
}

/* explain names the machine the code is for (issue 11): the architecture
 * this test was built for, and the engine's instruction set; the JIT is on
 * by default on aarch64 (NEON) and absent on riscv64. */
static void explain_names_the_architecture_and_instruction_set(void **state)
{
    fixture *f = *state;
    char *r = ask(f, "{\"op\":\"explain\",\"expr\":\"a * b + 1\",\"types\":"
                     "{\"a\":\"f64\",\"b\":\"f64\"}}");
    char *st = ask(f, "{\"op\":\"stats\"}");
    char arch[32], isa[32], engine_isa[32];
    string_field(r, "arch", arch, sizeof arch);
    string_field(r, "isa", isa, sizeof isa);
    string_field(st, "isa", engine_isa, sizeof engine_isa);
    assert_string_equal(isa, engine_isa);
    /* machine code exactly when an instruction set is named */
    assert_int_equal(strstr(r, "\"code_bytes\":0,") == NULL, strcmp(isa, "none") != 0);
    const char *want_isa = getenv("JITCALC_ISA");
    int auto_isa = !want_isa || !*want_isa || strcmp(want_isa, "auto") == 0;
#if defined(__x86_64__)
    assert_string_equal(arch, "x86_64");
#elif defined(__aarch64__)
    assert_string_equal(arch, "aarch64");
    if (auto_isa)
        assert_string_equal(isa, "neon");
#elif defined(__riscv) && __riscv_xlen == 64
    assert_string_equal(arch, "riscv64");
    assert_string_equal(isa, "none");
#endif
    (void)auto_isa;
    free(r);
    free(st);
}

/* Every allocation of a request, failed in turn: each answer is the right
 * one or out_of_memory, never a crash or a leak (ASan builds check that). */
static void allocation_failures_answer_out_of_memory(void **state)
{
    fixture *f = *state;
    static const char *reqs[] = {
        ("{\"id\":[1],\"exprs\":[\"a * b + 1\",\"sum(a)\"],\"where\":\"a > 1\",\"indices\":true,"
         "\"columns\":{\"a\":[1,2,3],\"b\":{\"type\":\"f64\",\"base64\":\"AAAAAAAA+D8AAAAAAAAEwAAAAAAAAAAA\"}}}"),
        "{\"op\":\"load\",\"table\":\"oom\",\"columns\":{\"a\":[1.5,2],\"b\":[true,false]}}",
        "{\"op\":\"explain\",\"expr\":\"a * 2\",\"types\":{\"a\":\"i64\"}}",
        "{\"op\":\"stats\"}",
        "{\"op\":\"tables\"}",
        "{\"expr\":\"a\",\"columns\":{\"a\":[1,\"x\"]}}",
    };
    for (size_t q = 0; q < sizeof reqs / sizeof reqs[0]; q++) {
        char *want = ask(f, reqs[q]);
        int completed = 0;
        for (long n = 0; n < 400 && !completed; n++) {
            int oom = 0;
            mem_fail_after(n);
            char *r = service_handle(f->svc, reqs[q], strlen(reqs[q]), &oom);
            mem_fail_after(-1);
            if (!r) {
                assert_int_equal(oom, 1);
                continue;
            }
            if (strstr(r, "\"code\":\"out_of_memory\"") == NULL) {
                /* no failure injected in time: the full answer */
                if (strstr(reqs[q], "stats") == NULL && strstr(reqs[q], "load") == NULL) {
                    char *a = cases_normalize(r), *b = cases_normalize(want);
                    assert_string_equal(a, b);
                    free(a);
                    free(b);
                }
                completed = 1;
            }
            free(r);
        }
        assert_true(completed);
        free(want);
    }
}

typedef struct worker {
    fixture *f;
    int id;
    int bad;
} worker;

static void *hammer(void *arg)
{
    worker *w = arg;
    char req[256];
    for (int i = 0; i < 300; i++) {
        int oom = 0;
        if (w->id == 0 && i % 3 == 0) {
            snprintf(req, sizeof req,
                     "{\"op\":\"load\",\"table\":\"shared\",\"columns\":{\"a\":[%d,%d,%d]}}", i, i,
                     i);
        } else if (w->id == 0 && i % 3 == 1) {
            snprintf(req, sizeof req, "{\"op\":\"drop\",\"table\":\"shared\"}");
        } else {
            snprintf(req, sizeof req, "{\"id\":%d,\"table\":\"shared\",\"expr\":\"a[0] + %d\"}",
                     i, w->id);
            /* invalid expression on purpose half the time: errors too */
            if (i % 2)
                snprintf(req, sizeof req,
                         "{\"id\":%d,\"table\":\"shared\",\"expr\":\"sum(a) + %d\"}", i, w->id);
        }
        char *r = service_handle(w->f->svc, req, strlen(req), &oom);
        if (!r || (!strstr(r, "\"ok\":true") && !strstr(r, "unknown_table") &&
                   !strstr(r, "parse_error")))
            w->bad++;
        free(r);
    }
    return NULL;
}

static void many_threads_share_tables_safely(void **state)
{
    fixture *f = *state;
    pthread_t t[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){f, i, 0};
        pthread_create(&t[i], NULL, hammer, &w[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(protocol_cases_give_the_expected_bytes),
        cmocka_unit_test(invalid_utf8_is_bad_json_and_nul_reaches_the_parser),
        cmocka_unit_test(oversized_requests_are_limit_exceeded),
        cmocka_unit_test(huge_json_structures_are_refused_not_built),
        cmocka_unit_test(heavy_requests_are_recognised_by_size_and_table),
        cmocka_unit_test(explain_names_the_architecture_and_instruction_set),
        cmocka_unit_test(allocation_failures_answer_out_of_memory),
        cmocka_unit_test(many_threads_share_tables_safely),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
