/*
 * fuzz_protocol.c — libFuzzer harness for the NDJSON protocol handler.
 *
 * bytes -> lines (split at '\n', as the daemon frames them) ->
 * service_handle on a fresh in-process service (so a `load` in one line is
 * seen by the next lines of the same input, and no state leaks between
 * inputs). Every non-blank line must be answered by exactly one JSON
 * object on one line, with a boolean "ok"; an error has a known code and
 * a message; a success echoes the request's "id". A blank line gets no
 * answer. An "internal" error counts as a bug.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jc_engine *engine;

static void fail(const char *why, const char *line, size_t len, const char *resp)
{
    fprintf(stderr, "fuzz_protocol: %s\n  request (%zu bytes): %.*s\n  response: %s\n", why,
            len, (int)(len > 2000 ? 2000 : len), line, resp ? resp : "(none)");
    abort();
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

static int known_code(const char *code)
{
    static const char *const codes[] = {
        "parse_error",    "type_error",       "unknown_column", "unknown_function",
        "integer_overflow", "division_by_zero", "invalid_cast",   "length_mismatch",
        "limit_exceeded", "out_of_memory",    "bad_json",       "bad_request",
        "unknown_table",  NULL};
    for (const char *const *c = codes; *c; c++)
        if (strcmp(*c, code) == 0)
            return 1;
    return 0;
}

/* JSON equality where numbers compare by value: the service prints every
 * number in its shortest form, so an id of 1.0 or -1.050e3 comes back as 1
 * or -1050 (the same JSON number). Recursion is bounded by jansson's
 * nesting limit. */
static int same_json(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b))
            return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b) ||
               (json_number_value(a) != json_number_value(a) &&
                json_number_value(b) != json_number_value(b));
    }
    if (json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_json(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    }
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b))
            return 0;
        const char *key;
        size_t klen;
        json_t *v;
        json_object_keylen_foreach((json_t *)a, key, klen, v)
        {
            const json_t *w = json_object_getn(b, key, klen);
            if (!w || !same_json(v, w))
                return 0;
        }
        return 1;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

static void check_response(const char *line, size_t len, const char *resp)
{
    if (strchr(resp, '\n'))
        fail("the response is more than one line", line, len, resp);
    json_error_t jerr;
    json_t *r = json_loads(resp, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!r || !json_is_object(r))
        fail("the response is not one JSON object", line, len, resp);
    json_t *ok = json_object_get(r, "ok");
    if (!json_is_boolean(ok))
        fail("the response has no boolean \"ok\"", line, len, resp);
    if (json_is_false(ok)) {
        json_t *e = json_object_get(r, "error");
        const char *code = json_string_value(json_object_get(e, "code"));
        if (!code || !known_code(code))
            fail("an error response without a known code", line, len, resp);
        if (!json_is_string(json_object_get(e, "message")))
            fail("an error response without a message", line, len, resp);
    } else {
        /* A success means the request was a JSON object: its id comes back. */
        json_t *req = json_loadb(line, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        json_t *id = json_is_object(req) ? json_object_get(req, "id") : NULL;
        if (id && !same_json(id, json_object_get(r, "id")))
            fail("the response does not echo the request's id", line, len, resp);
        json_decref(req);
    }
    json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        jc_error err;
        engine = jc_engine_new(NULL, &err);
        if (!engine) {
            fprintf(stderr, "fuzz_protocol: no engine: %s\n", err.message);
            abort();
        }
    }
    service_options opts;
    service_options_init(&opts);
    opts.max_request_bytes = 1 << 20;
    opts.max_table_bytes = 1 << 20;
    jc_service *svc = service_new(engine, &opts);
    if (!svc)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        int oom = 0;
        char *resp = service_handle(svc, p, len, &oom);
        if (oom)
            fail("out of memory reported without an allocation failure", p, len, resp);
        if (!resp && !blank(p, len))
            fail("a non-blank line got no response", p, len, resp);
        if (resp && blank(p, len))
            fail("a blank line got a response", p, len, resp);
        if (resp)
            check_response(p, len, resp);
        free(resp);
        if (!nl)
            break;
        p = nl + 1;
    }
    service_free(svc);
    return 0;
}
