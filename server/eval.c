/*
 * eval.c — the ops that compile expressions: eval (expr | exprs, where,
 * indices, encoding) and explain.
 */
#include <string.h>

#include "server/b64.h"
#include "server/numfmt.h"
#include "server/request.h"
#include "util/mem.h"

jc_program *service_compile(jc_service *svc, const char *expr, size_t len,
                            const jc_column *schema, size_t n, int *cached,
                            jc_error *err)
{
    jc_program *p = jc_compile(svc->engine, expr, len, schema, n, err);
    *cached = p && jc_program_cached(p);
    return p;
}

/* ---- values out ---- */

static void write_base64(jbuf *b, const void *data, size_t bytes)
{
    char *p = jb_reserve(b, b64_encoded_len(bytes) + 2);
    if (!p)
        return;
    *p++ = '"';
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#error "base64 results are little-endian: add a byte swap for this host"
#endif
    b64_encode(data, bytes, p);
    p += b64_encoded_len(bytes);
    *p = '"';
    jb_commit(b, b64_encoded_len(bytes) + 2);
}

static void write_column(jbuf *b, const jc_result *res, int base64)
{
    size_t n = res->rows;
    if (base64) {
        write_base64(b, res->values, n * type_size(res->type));
        return;
    }
    /* each value with its comma fits in NUMFMT_MAX + 1 bytes ("false,") */
    if (!jb_reserve(b, n * (NUMFMT_MAX + 1) + 2))
        return;
    char *p = b->data + b->len, *start = p;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        switch (res->type) {
        case JC_F64: {
            double v = ((const double *)res->values)[i];
            if (v != v) {
                memcpy(p, "\"NaN\"", 5);
                p += 5;
            } else if (v == __builtin_inf()) {
                memcpy(p, "\"Infinity\"", 10);
                p += 10;
            } else if (v == -__builtin_inf()) {
                memcpy(p, "\"-Infinity\"", 11);
                p += 11;
            } else {
                p += fmt_f64(v, p);
            }
            break;
        }
        case JC_I64:
            p += fmt_i64(((const int64_t *)res->values)[i], p);
            break;
        case JC_BOOL:
            if (((const uint8_t *)res->values)[i]) {
                memcpy(p, "true", 4);
                p += 4;
            } else {
                memcpy(p, "false", 5);
                p += 5;
            }
            break;
        }
    }
    *p++ = ']';
    jb_commit(b, (size_t)(p - start));
}

static void write_scalar(jbuf *b, const jc_result *res)
{
    if (res->is_null) {
        jb_lit(b, "null");
        return;
    }
    switch (res->type) {
    case JC_F64: jb_f64(b, res->scalar.f64); break;
    case JC_I64: jb_i64(b, res->scalar.i64); break;
    case JC_BOOL: jb_bool(b, res->scalar.b); break;
    }
}

/* "type":…,["rows":…,]"result":…,"cached":… */
static void write_result(jbuf *b, const jc_result *res, int cached, int base64)
{
    jb_lit(b, "\"type\":\"");
    jb_lit(b, jc_type_name(res->type));
    jb_char(b, '"');
    if (res->is_column) {
        jb_lit(b, ",\"rows\":");
        jb_u64(b, res->rows);
        jb_lit(b, ",\"result\":");
        write_column(b, res, base64);
    } else {
        jb_lit(b, ",\"result\":");
        write_scalar(b, res);
    }
    jb_lit(b, ",\"cached\":");
    jb_bool(b, cached);
}

static void write_indices(jbuf *b, const jc_selection *sel)
{
    if (!jb_reserve(b, sel->count * (NUMFMT_MAX + 1) + 2))
        return;
    char *p = b->data + b->len, *start = p;
    *p++ = '[';
    for (size_t i = 0; i < sel->count; i++) {
        if (i)
            *p++ = ',';
        p += fmt_i64((int64_t)sel->indices[i], p);
    }
    *p++ = ']';
    jb_commit(b, (size_t)(p - start));
}

/* ---- eval ---- */

typedef struct eval_args {
    const char *expr;
    size_t expr_len;
    const json_t *exprs; /* array of strings, or NULL */
    const char *where;
    size_t where_len;
    int has_where;
    int indices;
    int base64;
} eval_args;

static int read_eval_args(request *r, eval_args *a)
{
    memset(a, 0, sizeof *a);
    int has_expr = field_string(r, "expr", &a->expr, &a->expr_len);
    if (has_expr < 0)
        return -1;
    int has_where = field_string(r, "where", &a->where, &a->where_len);
    if (has_where < 0)
        return -1;
    a->has_where = has_where == 0;
    a->exprs = json_object_get(r->root, "exprs");
    if (a->exprs) {
        if (has_expr == 0)
            return perr_set(&r->err, "bad_request", "give \"expr\" or \"exprs\", not both");
        size_t n = json_array_size(a->exprs);
        if (!json_is_array(a->exprs) || n == 0)
            return perr_set(&r->err, "bad_request",
                            "\"exprs\" must be a non-empty array of strings");
        for (size_t i = 0; i < n; i++)
            if (!json_is_string(json_array_get(a->exprs, i)))
                return perr_set(&r->err, "bad_request", "\"exprs\"[%zu] must be a string", i);
    }
    if (has_expr != 0 && !a->exprs && !a->has_where)
        return perr_set(&r->err, "bad_request", "eval needs \"expr\", \"exprs\" or \"where\"");
    const json_t *ind = json_object_get(r->root, "indices");
    if (ind) {
        if (!json_is_boolean(ind))
            return perr_set(&r->err, "bad_request", "\"indices\" must be true or false");
        a->indices = json_is_true(ind);
        if (a->indices && !a->has_where)
            return perr_set(&r->err, "bad_request", "\"indices\" needs \"where\"");
    }
    const char *enc;
    size_t enc_len;
    int has_enc = field_string(r, "encoding", &enc, &enc_len);
    if (has_enc < 0)
        return -1;
    if (has_enc == 0) {
        if (enc_len == 6 && memcmp(enc, "base64", 6) == 0)
            a->base64 = 1;
        else if (!(enc_len == 4 && memcmp(enc, "json", 4) == 0))
            return perr_set(&r->err, "bad_request",
                            "\"encoding\" must be \"json\" or \"base64\"");
    }
    return 0;
}

/* Compiles and runs the where filter. */
static int run_where(request *r, const eval_args *a, const inputs *in, jc_selection *sel)
{
    jc_error err;
    int cached;
    jc_program *p = service_compile(r->svc, a->where, a->where_len, in->cols, in->ncols,
                                    &cached, &err);
    int rc = 0;
    if (!p) {
        rc = perr_from_jc(&r->err, &err);
    } else if (jc_program_type(p) != JC_BOOL) {
        rc = perr_set(&r->err, "type_error", "the where filter must be a bool expression, not %s",
                      jc_type_name(jc_program_type(p)));
    } else if (jc_filter(p, in->cols, in->ncols, in->rows, sel, &err) != 0) {
        rc = perr_from_jc(&r->err, &err);
    }
    if (p)
        jc_program_free(p);
    if (rc)
        r->err.in_where = 1;
    return rc;
}

int op_eval(request *r)
{
    static const char *const allowed[] = {"expr",    "exprs",   "where",    "indices",
                                          "table",   "columns", "encoding", NULL};
    eval_args a;
    if (check_fields(r, "eval", allowed) != 0 || read_eval_args(r, &a) != 0)
        return -1;
    inputs in;
    int rc = -1;
    jc_selection sel = {0, NULL};
    int have_sel = 0;
    size_t n = a.exprs ? json_array_size(a.exprs) : a.expr ? 1 : 0;
    jc_result *res = NULL;
    int *cached = NULL;
    if (inputs_read(r, &in, 1) != 0)
        goto done;
    if (a.has_where) {
        if (run_where(r, &a, &in, &sel) != 0)
            goto done;
        have_sel = 1;
    }
    /* one or a few expressions (the common case) need no allocation */
    jc_result res_small[4];
    int cached_small[4];
    if (n <= 4) {
        memset(res_small, 0, sizeof res_small);
        memset(cached_small, 0, sizeof cached_small);
        res = res_small;
        cached = cached_small;
    } else {
        res = mem_calloc(n, sizeof *res);
        cached = mem_calloc(n, sizeof *cached);
    }
    if (!res || !cached) {
        perr_set(&r->err, "out_of_memory", "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        const char *text = a.expr;
        size_t len = a.expr_len;
        if (a.exprs) {
            const json_t *s = json_array_get(a.exprs, k);
            text = json_string_value(s);
            len = json_string_length(s);
        }
        jc_error err;
        jc_program *p = service_compile(r->svc, text, len, in.cols, in.ncols, &cached[k], &err);
        int ok = p && (a.has_where ? jc_run_selected(p, in.cols, in.ncols, in.rows, sel.indices,
                                                     sel.count, &res[k], &err)
                                   : jc_run(p, in.cols, in.ncols, in.rows, &res[k], &err)) == 0;
        if (p)
            jc_program_free(p);
        if (!ok) {
            perr_from_jc(&r->err, &err);
            if (a.exprs)
                r->err.expr = (int64_t)k;
            goto done;
        }
    }

    jbuf *b = &r->out;
    response_ok(r);
    if (!a.exprs && a.expr) {
        jb_char(b, ',');
        if (a.has_where && !res[0].is_column) {
            jb_lit(b, "\"rows\":");
            jb_u64(b, sel.count);
            jb_char(b, ',');
        }
        write_result(b, &res[0], cached[0], a.base64);
        if (a.indices) {
            jb_lit(b, ",\"indices\":");
            write_indices(b, &sel);
        }
    } else {
        if (a.has_where) {
            jb_lit(b, ",\"rows\":");
            jb_u64(b, sel.count);
        }
        if (a.indices) {
            jb_lit(b, ",\"indices\":");
            write_indices(b, &sel);
        }
        if (a.exprs) {
            jb_lit(b, ",\"results\":[");
            for (size_t k = 0; k < n; k++) {
                jb_lit(b, k ? ",{" : "{");
                write_result(b, &res[k], cached[k], a.base64);
                jb_char(b, '}');
            }
            jb_char(b, ']');
        }
    }
    jb_char(b, '}');
    rc = 0;
done:
    for (size_t k = 0; res && k < n; k++)
        jc_result_free(&res[k]);
    if (n > 4) {
        mem_free(res);
        mem_free(cached);
    }
    if (have_sel)
        jc_selection_free(&sel);
    inputs_free(&in);
    return rc;
}

/* ---- explain ---- */

/* Appends the schema of a "types" object ({"a":"f64",…}) to in. */
static int read_types(request *r, const json_t *types, inputs *in)
{
    if (!json_is_object(types))
        return perr_set(&r->err, "bad_request", "\"types\" must be an object of type names");
    size_t n = json_object_size(types);
    jc_column *cols = mem_realloc(in->cols, (in->ncols + n + 1) * sizeof *cols);
    if (!cols)
        return perr_set(&r->err, "out_of_memory", "out of memory");
    in->cols = cols;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)types, key, val)
    {
        const char *t = json_is_string(val) ? json_string_value(val) : "";
        jc_type type;
        if (strcmp(t, "f64") == 0)
            type = JC_F64;
        else if (strcmp(t, "i64") == 0)
            type = JC_I64;
        else if (strcmp(t, "bool") == 0)
            type = JC_BOOL;
        else
            return perr_set(&r->err, "bad_request",
                            "\"types\": column \"%s\" needs \"f64\", \"i64\" or \"bool\"", key);
        for (size_t i = 0; i < in->ncols; i++)
            if (strcmp(in->cols[i].name, key) == 0)
                return perr_set(&r->err, "bad_request",
                                "column \"%s\" is given twice (in \"types\" and elsewhere)", key);
        in->cols[in->ncols++] = (jc_column){key, type, NULL, 0};
    }
    return 0;
}

int op_explain(request *r)
{
    static const char *const allowed[] = {"expr", "columns", "types", "table", NULL};
    if (check_fields(r, "explain", allowed) != 0)
        return -1;
    const char *expr;
    size_t len;
    int got = field_string(r, "expr", &expr, &len);
    if (got < 0)
        return -1;
    if (got == 1)
        return perr_set(&r->err, "bad_request", "explain needs \"expr\"");
    inputs in;
    if (inputs_read(r, &in, 0) != 0) {
        inputs_free(&in);
        return -1;
    }
    const json_t *types = json_object_get(r->root, "types");
    if (types && read_types(r, types, &in) != 0) {
        inputs_free(&in);
        return -1;
    }
    jc_error err;
    int cached;
    jc_program *p = service_compile(r->svc, expr, len, in.cols, in.ncols, &cached, &err);
    jc_explain ex;
    if (!p || jc_program_explain(p, &ex, &err) != 0) {
        if (p)
            jc_program_free(p);
        inputs_free(&in);
        return perr_from_jc(&r->err, &err);
    }
    const char *canonical = jc_program_canonical(p); /* built on demand */
    if (!canonical) {
        jc_program_free(p);
        inputs_free(&in);
        return perr_set(&r->err, "out_of_memory", "out of memory");
    }
    jbuf *b = &r->out;
    response_ok(r);
    jb_lit(b, ",\"canonical\":");
    jb_cstr(b, canonical);
    jb_lit(b, ",\"type\":\"");
    jb_lit(b, jc_type_name(jc_program_type(p)));
    jb_lit(b, jc_program_is_column(p) ? "\",\"shape\":\"column\"" : "\",\"shape\":\"scalar\"");
    jb_lit(b, ",\"columns\":[");
    for (size_t i = 0; i < jc_program_column_count(p); i++) {
        const char *name = jc_program_column_name(p, i);
        jb_lit(b, i ? ",{\"name\":" : "{\"name\":");
        jb_cstr(b, name ? name : "");
        jb_lit(b, ",\"type\":\"");
        jb_lit(b, jc_type_name(jc_program_column_type(p, i)));
        jb_lit(b, "\"}");
    }
    jb_lit(b, "],\"stencils\":[");
    for (size_t i = 0; i < ex.nstencils; i++) {
        if (i)
            jb_char(b, ',');
        jb_cstr(b, ex.stencils[i] ? ex.stencils[i] : "");
    }
    jb_lit(b, "],\"code_bytes\":");
    jb_u64(b, ex.code_bytes);
    jb_lit(b, ",\"arch\":");
    jb_cstr(b, ex.arch ? ex.arch : "unknown");
    jb_lit(b, ",\"isa\":");
    jb_cstr(b, ex.isa ? ex.isa : "none");
    jb_lit(b, ",\"cached\":");
    jb_bool(b, cached);
    jb_char(b, '}');
    jc_program_free(p);
    inputs_free(&in);
    return 0;
}
