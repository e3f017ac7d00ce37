/* response.c — in-place scanning of response lines (see response.h). */
#include "clients/response.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p at the opening quote; returns the byte after the closing one. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\') {
            p++;
            continue;
        }
        if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* A literal (true, false, null) or a number; a cut-off token is refused. */
static const char *skip_scalar(const char *p, const char *end)
{
    static const char *const literals[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(literals[i]);
        if (*p == literals[i][0])
            return (size_t)(end - p) >= n && memcmp(p, literals[i], n) == 0 ? p + n
                                                                          : NULL;
    }
    const char *start = p;
    while (p < end && strchr("+-0123456789.eE", *p) && *p)
        p++;
    if (p == start || (p < end && !strchr(",]} \t\r\n", *p)))
        return NULL;
    return p;
}

const char *jscan_skip(const char *p, const char *end)
{
    p = skip_blanks(p, end);
    if (p >= end)
        return NULL;
    if (*p == '"')
        return skip_string(p, end);
    if (*p != '[' && *p != '{')
        return skip_scalar(p, end);
    /* Containers: count the nesting instead of recursing. */
    size_t depth = 0;
    while (p < end) {
        char c = *p;
        if (c == '"') {
            p = skip_string(p, end);
            if (!p)
                return NULL;
            continue;
        }
        if (c == '[' || c == '{')
            depth++;
        else if (c == ']' || c == '}') {
            if (--depth == 0)
                return p + 1;
        }
        p++;
    }
    return NULL;
}

int jscan_object_begin(jspan obj, jiter *it)
{
    const char *end = obj.p + obj.n;
    const char *p = obj.p ? skip_blanks(obj.p, end) : NULL;
    if (!p || p >= end || *p != '{')
        return -1;
    it->p = p + 1;
    it->end = end;
    it->started = 0;
    return 0;
}

int jscan_object_next(jiter *it, jspan *key, jspan *value)
{
    const char *end = it->end;
    const char *p = skip_blanks(it->p, end);
    if (p >= end)
        return -1;
    if (*p == '}')
        return 0;
    if (it->started) {
        if (*p != ',')
            return -1;
        p = skip_blanks(p + 1, end);
    }
    if (p >= end || *p != '"')
        return -1;
    const char *kstart = p + 1;
    p = skip_string(p, end);
    if (!p)
        return -1;
    key->p = kstart; /* the key's raw text, without its quotes */
    key->n = (size_t)(p - 1 - kstart);
    p = skip_blanks(p, end);
    if (p >= end || *p != ':')
        return -1;
    const char *vstart = skip_blanks(p + 1, end);
    p = jscan_skip(vstart, end);
    if (!p)
        return -1;
    value->p = vstart;
    value->n = (size_t)(p - vstart);
    it->p = p;
    it->started = 1;
    return 1;
}

int jscan_member(jspan obj, const char *key, jspan *value)
{
    jiter it;
    if (jscan_object_begin(obj, &it) < 0)
        return -1;
    jspan k, v;
    int rc;
    while ((rc = jscan_object_next(&it, &k, &v)) == 1) {
        if (jspan_is(k, key)) {
            *value = v;
            return 1;
        }
    }
    return rc;
}

int jscan_array_begin(jspan arr, jiter *it)
{
    const char *end = arr.p + arr.n;
    const char *p = arr.p ? skip_blanks(arr.p, end) : NULL;
    if (!p || p >= end || *p != '[')
        return -1;
    it->p = p + 1;
    it->end = end;
    it->started = 0;
    return 0;
}

int jscan_array_next(jiter *it, jspan *elem)
{
    const char *p = skip_blanks(it->p, it->end);
    if (p >= it->end)
        return -1;
    if (*p == ']')
        return 0;
    if (it->started) {
        if (*p != ',')
            return -1;
        p = skip_blanks(p + 1, it->end);
    }
    const char *after = jscan_skip(p, it->end);
    if (!after)
        return -1;
    elem->p = p;
    elem->n = (size_t)(after - p);
    it->p = after;
    it->started = 1;
    return 1;
}

int jspan_is(jspan v, const char *literal)
{
    return v.p && v.n == strlen(literal) && memcmp(v.p, literal, v.n) == 0;
}

int jspan_int(jspan v, int64_t *out)
{
    if (!v.p || v.n == 0 || v.n > 20)
        return -1;
    char buf[24];
    memcpy(buf, v.p, v.n);
    buf[v.n] = '\0';
    char *endp;
    long long x = strtoll(buf, &endp, 10);
    if (*endp != '\0')
        return -1;
    *out = x;
    return 0;
}

char *jspan_string(jspan v)
{
    if (!v.p || v.n < 2 || v.p[0] != '"')
        return NULL;
    json_t *s = json_loadb(v.p, v.n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    char *copy = NULL;
    if (s && json_is_string(s)) {
        size_t n = json_string_length(s);
        copy = malloc(n + 1);
        if (copy) {
            memcpy(copy, json_string_value(s), n + 1);
        }
    }
    json_decref(s);
    return copy;
}

static void read_error(response *r)
{
    jspan v;
    if (jscan_member(r->error, "code", &v) == 1) {
        char *code = jspan_string(v);
        if (code) {
            snprintf(r->code, sizeof r->code, "%s", code);
            free(code);
        }
    }
    if (jscan_member(r->error, "message", &v) == 1)
        r->message = jspan_string(v);
    if (jscan_member(r->error, "position", &v) == 1)
        jspan_int(v, &r->position);
    if (jscan_member(r->error, "row", &v) == 1)
        jspan_int(v, &r->row);
    if (jscan_member(r->error, "expr", &v) == 1)
        jspan_int(v, &r->expr);
    if (jscan_member(r->error, "in", &v) == 1)
        r->in_where = jspan_is(v, "\"where\"");
}

int response_parse(const char *line, size_t n, response *r)
{
    memset(r, 0, sizeof *r);
    r->line.p = line;
    r->line.n = n;
    r->rows = -1;
    r->row = -1;
    r->expr = -1;
    /* One pass over the members: the result may be most of a long line. */
    jiter it;
    if (jscan_object_begin(r->line, &it) < 0)
        return -1;
    jspan k, v, ok = {NULL, 0};
    int rc;
    while ((rc = jscan_object_next(&it, &k, &v)) == 1) {
        if (jspan_is(k, "ok"))
            ok = v;
        else if (jspan_is(k, "type"))
            r->type = v;
        else if (jspan_is(k, "result"))
            r->result = v;
        else if (jspan_is(k, "results"))
            r->results = v;
        else if (jspan_is(k, "indices"))
            r->indices = v;
        else if (jspan_is(k, "rows"))
            r->rows_span = v;
        else if (jspan_is(k, "error"))
            r->error = v;
    }
    if (rc < 0)
        return -1;
    if (jspan_is(ok, "true"))
        r->ok = 1;
    else if (!jspan_is(ok, "false"))
        return -1;
    if (r->rows_span.p)
        jspan_int(r->rows_span, &r->rows);
    if (!r->ok) {
        snprintf(r->code, sizeof r->code, "internal");
        if (r->error.p)
            read_error(r);
    }
    return 0;
}

void response_free(response *r)
{
    free(r->message);
    r->message = NULL;
}
