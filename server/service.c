/*
 * service.c — one request line to one response line: parsing, the op
 * dispatch, the small ops (load, drop, tables, ping, stats) and error
 * responses. eval and explain are in eval.c.
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/request.h"
#include "util/mem.h"

#define MIB (1024u * 1024u)

void service_options_init(service_options *opts)
{
    opts->max_request_bytes = 64 * (size_t)MIB;
    opts->max_table_bytes = 1024 * (size_t)MIB;
    opts->heavy_bytes = 32 * 1024;
    opts->heavy_rows = 65536;
    opts->max_request_columns = SIZE_MAX;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* jansson's allocations, with a per-thread budget while a request is
 * parsed: column payloads never reach jansson (prelex.h), so what is left is
 * structure, and a line that would still make a huge JSON tree (a 64 MiB
 * array as "id") is refused instead of taking gigabytes. */
static _Thread_local size_t json_budget = SIZE_MAX;
static _Thread_local int json_budget_hit;

static void *json_alloc(size_t n)
{
    if (n > json_budget) {
        json_budget_hit = 1;
        return NULL;
    }
    if (json_budget != SIZE_MAX)
        json_budget -= n;
    return mem_alloc(n);
}

static pthread_once_t json_alloc_once = PTHREAD_ONCE_INIT;
static void json_alloc_init(void) { json_set_alloc_funcs(json_alloc, mem_free); }

jc_service *service_new(jc_engine *engine, const service_options *opts)
{
    pthread_once(&json_alloc_once, json_alloc_init);
    jc_service *svc = mem_calloc(1, sizeof *svc);
    if (!svc)
        return NULL;
    svc->engine = engine;
    if (opts)
        svc->opts = *opts;
    else
        service_options_init(&svc->opts);
    svc->tables = tables_new(svc->opts.max_table_bytes);
    if (!svc->tables) {
        mem_free(svc);
        return NULL;
    }
    atomic_init(&svc->requests, 0);
    atomic_init(&svc->errors, 0);
    svc->start_ns = now_ns();
    return svc;
}

void service_free(jc_service *svc)
{
    if (!svc)
        return;
    tables_free(svc->tables);
    mem_free(svc);
}

void service_set_transport_stats(jc_service *svc,
                                 void (*fn)(void *ctx, service_transport_stats *out),
                                 void *ctx)
{
    svc->transport_stats = fn;
    svc->transport_ctx = ctx;
}

int service_is_heavy(jc_service *svc, const char *line, size_t len)
{
    if (len >= svc->opts.heavy_bytes)
        return 1;
    return tables_max_rows(svc->tables) >= svc->opts.heavy_rows &&
           memmem(line, len, "\"table\"", 7) != NULL;
}

/* ---- responses ---- */

static void write_id(request *r)
{
    if (r->id) {
        jb_lit(&r->out, "\"id\":");
        jb_json(&r->out, r->id);
        jb_char(&r->out, ',');
    }
}

void response_ok(request *r)
{
    jb_char(&r->out, '{');
    write_id(r);
    jb_lit(&r->out, "\"ok\":true");
}

/* Replaces whatever was written with the error response for r->err. */
static void response_error(request *r)
{
    const perr *e = &r->err;
    jbuf *b = &r->out;
    jb_free(b); /* also clears a failure from the abandoned response */
    jb_char(b, '{');
    write_id(r);
    jb_lit(b, "\"ok\":false,\"error\":{\"code\":\"");
    jb_lit(b, e->code ? e->code : "internal");
    jb_lit(b, "\",\"message\":");
    jb_cstr(b, e->message);
    if (e->position > 0) {
        jb_lit(b, ",\"position\":");
        jb_i64(b, e->position);
    }
    if (e->row >= 0) {
        jb_lit(b, ",\"row\":");
        jb_i64(b, e->row);
    }
    if (e->expr >= 0) {
        jb_lit(b, ",\"expr\":");
        jb_i64(b, e->expr);
    }
    if (e->in_where)
        jb_lit(b, ",\"in\":\"where\"");
    jb_lit(b, "}}");
}

/* The last resort when building a response ran out of memory. */
static char *oom_response(int *out_of_memory)
{
    static const char text[] =
        "{\"ok\":false,\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";
    char *s = malloc(sizeof text);
    if (s)
        memcpy(s, text, sizeof text);
    else if (out_of_memory)
        *out_of_memory = 1;
    return s;
}

char *service_error(jc_service *svc, const char *code, const char *message,
                    int *out_of_memory)
{
    request r;
    memset(&r, 0, sizeof r);
    jb_init(&r.out);
    perr_set(&r.err, code, "%s", message);
    response_error(&r);
    atomic_fetch_add(&svc->requests, 1);
    atomic_fetch_add(&svc->errors, 1);
    char *s = jb_take(&r.out, NULL);
    return s ? s : oom_response(out_of_memory);
}

/* ---- fields ---- */

int field_string(request *r, const char *name, const char **s, size_t *n)
{
    const json_t *v = json_object_get(r->root, name);
    if (!v)
        return 1;
    if (!json_is_string(v))
        return perr_set(&r->err, "bad_request", "\"%s\" must be a string", name);
    *s = json_string_value(v);
    *n = json_string_length(v);
    return 0;
}

int check_fields(request *r, const char *op, const char *const *allowed)
{
    const char *key;
    size_t klen;
    json_t *val;
    json_object_keylen_foreach(r->root, key, klen, val)
    {
        if (strcmp(key, "id") == 0 || strcmp(key, "op") == 0)
            continue;
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strlen(*a) == klen && memcmp(*a, key, klen) == 0;
        if (!ok)
            return perr_set(&r->err, "bad_request", "unknown field \"%.*s\" for op \"%s\"",
                            (int)(klen > 64 ? 64 : klen), key, op);
    }
    return 0;
}

/* A table name: a non-empty string without NUL. */
static int table_name(request *r, const char **name, size_t *len)
{
    int got = field_string(r, "table", name, len);
    if (got < 0)
        return -1;
    if (got == 1)
        return perr_set(&r->err, "bad_request", "\"table\" is required");
    if (*len == 0 || memchr(*name, '\0', *len))
        return perr_set(&r->err, "bad_request",
                        "\"table\" must be a non-empty name without NUL characters");
    return 0;
}

/* ---- inputs: stored table + request columns ---- */

void inputs_free(inputs *in)
{
    table_release(in->table);
    colset_free(&in->own);
    mem_free(in->cols);
    memset(in, 0, sizeof *in);
}

int inputs_read(request *r, inputs *in, int rows_check)
{
    memset(in, 0, sizeof *in);
    colset_init(&in->own);
    const json_t *columns = json_object_get(r->root, "columns");
    const char *tname;
    size_t tlen;
    int got = field_string(r, "table", &tname, &tlen);
    if (got < 0)
        return -1;
    if (got == 0) {
        in->table = tables_get(r->svc->tables, tname, tlen);
        if (!in->table)
            return perr_set(&r->err, "unknown_table", "no stored table \"%.*s\"",
                            (int)(tlen > 200 ? 200 : tlen), tname);
    }
    if (columns && colset_decode(&in->own, columns, &r->lex, &r->err) != 0)
        return -1;
    size_t nt = in->table ? in->table->cols.n : 0;
    in->ncols = nt + in->own.n;
    in->cols = mem_alloc((in->ncols ? in->ncols : 1) * sizeof *in->cols);
    if (!in->cols)
        return perr_set(&r->err, "out_of_memory", "out of memory");
    if (nt)
        memcpy(in->cols, in->table->cols.cols, nt * sizeof *in->cols);
    if (in->own.n)
        memcpy(in->cols + nt, in->own.cols, in->own.n * sizeof *in->cols);
    for (size_t i = 0; i < nt && in->own.n; i++)
        for (size_t j = 0; j < in->own.n; j++)
            if (strcmp(in->cols[i].name, in->own.cols[j].name) == 0)
                return perr_set(&r->err, "bad_request",
                                "column \"%s\" is both in table \"%s\" and in \"columns\"",
                                in->own.cols[j].name, in->table->name);
    if (rows_check && colset_rows(in->cols, in->ncols, &in->rows, &r->err) != 0)
        return -1;
    return 0;
}

/* ---- the small ops ---- */

/* Before a change of state (load, drop): writes the start of the success
 * response and reserves room for the rest, so that once the change is made
 * its answer cannot fail for want of memory (an out_of_memory answer must
 * mean nothing changed). */
static int commit_ready(request *r)
{
    response_ok(r);
    if (!jb_reserve(&r->out, 64))
        return perr_set(&r->err, "out_of_memory", "out of memory");
    return 0;
}

static int op_ping(request *r)
{
    static const char *const allowed[] = {NULL};
    if (check_fields(r, "ping", allowed) != 0)
        return -1;
    response_ok(r);
    jb_char(&r->out, '}');
    return 0;
}

static void stat_u64(jbuf *b, const char *key, uint64_t v)
{
    jb_char(b, ',');
    jb_cstr(b, key);
    jb_char(b, ':');
    jb_u64(b, v);
}

static int op_stats(request *r)
{
    static const char *const allowed[] = {NULL};
    if (check_fields(r, "stats", allowed) != 0)
        return -1;
    jc_service *svc = r->svc;
    jc_stats st;
    jc_engine_stats(svc->engine, &st);
    service_transport_stats ts;
    memset(&ts, 0, sizeof ts);
    if (svc->transport_stats)
        svc->transport_stats(svc->transport_ctx, &ts);
    size_t ntables, table_bytes, max_rows;
    tables_usage(svc->tables, &ntables, &table_bytes, &max_rows);
    jbuf *b = &r->out;
    response_ok(r);
    stat_u64(b, "cache_entries", st.cache_entries);
    stat_u64(b, "cache_code_bytes", st.cache_code_bytes);
    stat_u64(b, "cache_hits", st.cache_hits);
    stat_u64(b, "cache_misses", st.cache_misses);
    stat_u64(b, "cache_evictions", st.cache_evictions);
    stat_u64(b, "compile_ns", st.compile_ns);
    /* this request is counted: it is being answered */
    stat_u64(b, "requests", atomic_load(&svc->requests));
    stat_u64(b, "errors", atomic_load(&svc->errors));
    stat_u64(b, "connections", ts.connections);
    stat_u64(b, "connections_total", ts.connections_total);
    stat_u64(b, "connections_refused", ts.connections_refused);
    stat_u64(b, "requests_offloaded", ts.requests_offloaded);
    stat_u64(b, "tables", ntables);
    stat_u64(b, "table_bytes", table_bytes);
    jb_lit(b, ",\"uptime_s\":");
    jb_f64(b, (double)((now_ns() - svc->start_ns) / 1000000u) / 1000.0);
    jb_lit(b, ",\"jit\":");
    jb_bool(b, st.jit);
    jb_lit(b, ",\"isa\":");
    jb_cstr(b, st.isa ? st.isa : "none");
    jb_lit(b, ",\"arch\":");
    jb_cstr(b, st.arch ? st.arch : "unknown");
    jb_lit(b, ",\"version\":");
    jb_cstr(b, jc_version());
    jb_char(b, '}');
    return 0;
}

static int op_load(request *r)
{
    static const char *const allowed[] = {"table", "columns", NULL};
    if (check_fields(r, "load", allowed) != 0)
        return -1;
    const char *name;
    size_t len;
    if (table_name(r, &name, &len) != 0)
        return -1;
    const json_t *columns = json_object_get(r->root, "columns");
    if (!columns)
        return perr_set(&r->err, "bad_request", "\"columns\" is required for load");
    colset cs;
    colset_init(&cs);
    size_t rows;
    if (colset_decode(&cs, columns, &r->lex, &r->err) != 0 ||
        colset_rows(cs.cols, cs.n, &rows, &r->err) != 0 || commit_ready(r) != 0 ||
        tables_put(r->svc->tables, name, len, &cs, rows, &r->err) != 0) {
        colset_free(&cs);
        return -1;
    }
    jb_lit(&r->out, ",\"rows\":");
    jb_u64(&r->out, rows);
    jb_char(&r->out, '}');
    return 0;
}

static int op_drop(request *r)
{
    static const char *const allowed[] = {"table", NULL};
    if (check_fields(r, "drop", allowed) != 0)
        return -1;
    const char *name;
    size_t len;
    if (table_name(r, &name, &len) != 0)
        return -1;
    if (commit_ready(r) != 0)
        return -1;
    if (tables_drop(r->svc->tables, name, len) != 0)
        return perr_set(&r->err, "unknown_table", "no stored table \"%.*s\"",
                        (int)(len > 200 ? 200 : len), name);
    jb_char(&r->out, '}');
    return 0;
}

static int op_tables(request *r)
{
    static const char *const allowed[] = {NULL};
    if (check_fields(r, "tables", allowed) != 0)
        return -1;
    response_ok(r);
    jb_lit(&r->out, ",\"tables\":");
    tables_list(r->svc->tables, &r->out);
    jb_char(&r->out, '}');
    return 0;
}

/* ---- the request ---- */

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

static int dispatch(request *r, const char *line, size_t len)
{
    if (len > r->svc->opts.max_request_bytes)
        return perr_set(&r->err, "limit_exceeded",
                        "request of %zu bytes is longer than the limit of %zu bytes", len,
                        r->svc->opts.max_request_bytes);
    if (prelex_run(&r->lex, line, len) != 0)
        return perr_set(&r->err, "out_of_memory", "out of memory");
    if (r->lex.ncolumns > r->svc->opts.max_request_columns)
        return perr_set(&r->err, "limit_exceeded",
                        "%zu columns in one request; the limit is %zu", r->lex.ncolumns,
                        r->svc->opts.max_request_columns);
    json_error_t jerr;
    /* 16 bytes of JSON tree per byte of what jansson reads, plus 4 MiB:
     * more than a legitimate request needs (a string or number costs
     * jansson about 10 times its text) */
    json_budget = (size_t)16 * r->lex.len + ((size_t)4 << 20);
    json_budget_hit = 0;
    r->root = json_loadb(r->lex.line, r->lex.len,
                         JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    json_budget = SIZE_MAX;
    if (!r->root) {
        if (json_budget_hit)
            return perr_set(&r->err, "limit_exceeded",
                            "the request's JSON structure is too large to parse (send column "
                            "values under \"columns\", or as base64)");
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return perr_set(&r->err, "out_of_memory", "out of memory parsing the request");
        return perr_set(&r->err, "bad_json", "not JSON: %s", jerr.text);
    }
    if (!json_is_object(r->root))
        return perr_set(&r->err, "bad_request", "a request must be a JSON object");
    r->id = json_object_get(r->root, "id");
    const char *op = "eval";
    size_t oplen = 4;
    if (field_string(r, "op", &op, &oplen) < 0)
        return -1;
    static const struct {
        const char *name;
        int (*fn)(request *);
    } ops[] = {{"eval", op_eval},     {"explain", op_explain}, {"load", op_load},
               {"drop", op_drop},     {"tables", op_tables},   {"ping", op_ping},
               {"stats", op_stats}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strlen(ops[i].name) == oplen && memcmp(ops[i].name, op, oplen) == 0)
            return ops[i].fn(r);
    return perr_set(&r->err, "bad_request",
                    "unknown op \"%.*s\" (ops: eval, explain, load, drop, tables, ping, stats)",
                    (int)(oplen > 64 ? 64 : oplen), op);
}

char *service_handle(jc_service *svc, const char *line, size_t len, int *out_of_memory)
{
    if (is_blank(line, len))
        return NULL;
    request r;
    memset(&r, 0, sizeof r);
    r.svc = svc;
    jb_init(&r.out);
    atomic_fetch_add(&svc->requests, 1);
    int rc = dispatch(&r, line, len);
    if (rc == 0 && r.out.failed)
        rc = perr_set(&r.err, "out_of_memory", "out of memory writing the response");
    if (rc != 0) {
        atomic_fetch_add(&svc->errors, 1);
        response_error(&r);
    }
    json_decref(r.root);
    prelex_free(&r.lex);
    char *s = jb_take(&r.out, NULL);
    return s ? s : oom_response(out_of_memory);
}
