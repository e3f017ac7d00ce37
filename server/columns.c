/* columns.c — request columns to engine columns (see columns.h). */
#include "server/columns.h"

#include <math.h>
#include <string.h>

#include "server/b64.h"
#include "util/mem.h"

void colset_init(colset *s) { memset(s, 0, sizeof *s); }

void colset_free(colset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        mem_free((char *)s->cols[i].name);
        mem_free((void *)s->cols[i].data);
    }
    mem_free(s->cols);
    colset_init(s);
}

size_t type_size(jc_type t) { return t == JC_BOOL ? 1 : 8; }

/* Takes ownership of data (freed on failure). */
static int add(colset *s, const char *name, size_t name_len, jc_type type,
               void *data, size_t rows, perr *e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        jc_column *c = mem_realloc(s->cols, cap * sizeof *c);
        if (!c) {
            mem_free(data);
            return perr_set(e, "out_of_memory", "out of memory");
        }
        s->cols = c;
        s->cap = cap;
    }
    char *copy = mem_strndup(name, name_len);
    if (!copy) {
        mem_free(data);
        return perr_set(e, "out_of_memory", "out of memory");
    }
    s->cols[s->n++] = (jc_column){copy, type, data, rows};
    s->bytes += rows * type_size(type);
    return 0;
}

/* The special strings of f64 columns; 0 when s is none of them. */
static int special_value(const char *s, size_t n, double *v)
{
    if (n == 3 && memcmp(s, "NaN", 3) == 0)
        *v = NAN;
    else if (n == 8 && memcmp(s, "Infinity", 8) == 0)
        *v = INFINITY;
    else if (n == 9 && memcmp(s, "-Infinity", 9) == 0)
        *v = -INFINITY;
    else
        return 0;
    return 1;
}

/* What a lift or an array holds, before checking it against a type. */
typedef struct values {
    enum lift_kind kind;   /* LIFT_EMPTY / I64 / F64 / BOOL */
    int has_special;
    int has_decimal;
    void *data;            /* owned by this struct */
    size_t count;
} values;

/* Reads a jansson array the way prelex reads a lifted one (the slow path,
 * for arrays prelex left alone: escapes, mixed values, errors). */
static int read_array(const json_t *arr, const char *name, values *v, perr *e)
{
    size_t n = json_array_size(arr);
    memset(v, 0, sizeof *v);
    if (n == 0)
        return 0;
    int has_bool = 0, has_num = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(arr, i);
        double d;
        if (json_is_boolean(x)) {
            has_bool = 1;
        } else if (json_is_integer(x)) {
            has_num = 1;
        } else if (json_is_real(x)) {
            has_num = 1;
            v->has_decimal = 1;
        } else if (json_is_string(x) &&
                   special_value(json_string_value(x), json_string_length(x), &d)) {
            has_num = 1;
            v->has_special = 1;
        } else {
            return perr_set(e, "bad_request",
                            "column \"%s\": value %zu is not a number or a boolean "
                            "(strings allowed: \"NaN\", \"Infinity\", \"-Infinity\")",
                            name, i);
        }
        if (has_bool && has_num)
            return perr_set(e, "bad_request",
                            "column \"%s\" mixes booleans and numbers", name);
    }
    v->count = n;
    if (has_bool) {
        uint8_t *b = mem_alloc(n);
        if (!b)
            return perr_set(e, "out_of_memory", "out of memory");
        for (size_t i = 0; i < n; i++)
            b[i] = json_is_true(json_array_get(arr, i));
        v->kind = LIFT_BOOL;
        v->data = b;
        return 0;
    }
    int is_f64 = v->has_decimal || v->has_special;
    void *data = mem_alloc(n * 8);
    if (!data)
        return perr_set(e, "out_of_memory", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(arr, i);
        if (!is_f64) {
            ((int64_t *)data)[i] = (int64_t)json_integer_value(x);
            continue;
        }
        double d;
        if (json_is_integer(x))
            d = (double)json_integer_value(x);
        else if (json_is_real(x))
            d = json_real_value(x);
        else
            special_value(json_string_value(x), json_string_length(x), &d);
        ((double *)data)[i] = d;
    }
    v->kind = is_f64 ? LIFT_F64 : LIFT_I64;
    v->data = data;
    return 0;
}

/* Takes a lifted array's values (the lift gives up its buffer). */
static void take_lift(lifted *l, values *v)
{
    v->kind = l->kind;
    v->has_special = l->has_special;
    v->has_decimal = l->has_decimal;
    v->data = l->values;
    v->count = l->count;
    l->values = NULL; /* the column owns it now */
}

/* Values of an untyped or typed array field: a placeholder or an array. */
static int read_values(const json_t *x, prelex *lex, const char *name,
                       const char *what, values *v, perr *e)
{
    if (json_is_string(x)) {
        lifted *l = prelex_lookup(lex, json_string_value(x), json_string_length(x));
        if (l && l->kind != LIFT_BASE64) {
            take_lift(l, v);
            return 0;
        }
    } else if (json_is_array(x)) {
        return read_array(x, name, v, e);
    }
    return perr_set(e, "bad_request", "column \"%s\": %s", name, what);
}

/* Converts v to type t in place (f64 from i64) or fails naming the column. */
static int check_type(values *v, jc_type t, const char *name, perr *e)
{
    switch (t) {
    case JC_F64:
        if (v->kind == LIFT_BOOL)
            return perr_set(e, "bad_request", "column \"%s\": f64 data must be numbers", name);
        if (v->kind == LIFT_I64) {
            int64_t *iv = v->data;
            double *dv = v->data;
            for (size_t i = 0; i < v->count; i++)
                dv[i] = (double)iv[i];
        }
        return 0;
    case JC_I64:
        if (v->kind == LIFT_BOOL || v->kind == LIFT_F64)
            return perr_set(e, "bad_request",
                            "column \"%s\": i64 data must be JSON integers in the "
                            "int64 range", name);
        return 0;
    case JC_BOOL:
        if (v->kind != LIFT_BOOL && v->kind != LIFT_EMPTY)
            return perr_set(e, "bad_request", "column \"%s\": bool data must be true or false",
                            name);
        return 0;
    }
    return perr_set(e, "internal", "unknown type");
}

static int parse_type(const json_t *x, jc_type *t)
{
    if (!json_is_string(x))
        return -1;
    const char *s = json_string_value(x);
    size_t n = json_string_length(x);
    if (n == 3 && memcmp(s, "f64", 3) == 0)
        *t = JC_F64;
    else if (n == 3 && memcmp(s, "i64", 3) == 0)
        *t = JC_I64;
    else if (n == 4 && memcmp(s, "bool", 4) == 0)
        *t = JC_BOOL;
    else
        return -1;
    return 0;
}

/* Base64 text to values of type t. */
static int read_base64(const char *text, size_t len, jc_type t, const char *name,
                       void **data, size_t *rows, perr *e)
{
    size_t nbytes = b64_decoded_len(text, len);
    size_t size = type_size(t);
    if (nbytes == (size_t)-1)
        return perr_set(e, "bad_request", "column \"%s\": base64 text does not decode", name);
    if (nbytes % size != 0)
        return perr_set(e, "bad_request",
                        "column \"%s\": base64 holds %zu bytes, not a whole number of "
                        "%zu-byte %s values", name, nbytes, size, jc_type_name(t));
    /* +8: the decoder's wide stores may run up to 2 bytes past the end */
    uint8_t *buf = mem_alloc(nbytes + 8);
    if (!buf)
        return perr_set(e, "out_of_memory", "out of memory");
    if (b64_decode(text, len, buf) != 0) {
        mem_free(buf);
        return perr_set(e, "bad_request", "column \"%s\": base64 text does not decode", name);
    }
    if (t == JC_BOOL) {
        uint8_t bad = 0;
        for (size_t i = 0; i < nbytes; i++)
            bad |= buf[i] & 0xFE;
        if (bad) {
            mem_free(buf);
            return perr_set(e, "bad_request",
                            "column \"%s\": bool bytes must be 0 or 1", name);
        }
    }
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    if (size == 8) {
        uint64_t *w = (uint64_t *)buf;
        for (size_t i = 0; i < nbytes / 8; i++)
            w[i] = __builtin_bswap64(w[i]);
    }
#endif
    *data = buf;
    *rows = nbytes / size;
    return 0;
}

/* {"type": T, "data": [...]} or {"type": T, "base64": "..."}. */
static int read_typed(colset *s, const char *name, size_t name_len, const json_t *obj,
                      prelex *lex, perr *e)
{
    const json_t *type = NULL, *data = NULL, *b64 = NULL;
    const char *key;
    size_t klen;
    json_t *val;
    json_object_keylen_foreach((json_t *)obj, key, klen, val)
    {
        if (klen == 4 && memcmp(key, "type", 4) == 0)
            type = val;
        else if (klen == 4 && memcmp(key, "data", 4) == 0)
            data = val;
        else if (klen == 6 && memcmp(key, "base64", 6) == 0)
            b64 = val;
        else
            return perr_set(e, "bad_request",
                            "column \"%s\": unknown field \"%.*s\" (a typed column has "
                            "\"type\" and \"data\" or \"base64\")",
                            name, (int)(klen > 64 ? 64 : klen), key);
    }
    jc_type t;
    if (!type)
        return perr_set(e, "bad_request", "column \"%s\": a typed column needs \"type\"", name);
    if (parse_type(type, &t) != 0)
        return perr_set(e, "bad_request",
                        "column \"%s\": unknown type (use \"f64\", \"i64\" or \"bool\")", name);
    if (!data == !b64)
        return perr_set(e, "bad_request",
                        "column \"%s\": give exactly one of \"data\" and \"base64\"", name);
    if (b64) {
        const char *text;
        size_t len;
        if (!json_is_string(b64))
            return perr_set(e, "bad_request", "column \"%s\": \"base64\" must be a string", name);
        lifted *l = prelex_lookup(lex, json_string_value(b64), json_string_length(b64));
        if (l && l->kind == LIFT_BASE64) {
            text = l->text;
            len = l->len;
        } else {
            text = json_string_value(b64);
            len = json_string_length(b64);
        }
        void *buf = NULL;
        size_t rows = 0;
        if (read_base64(text, len, t, name, &buf, &rows, e) != 0)
            return -1;
        return add(s, name, name_len, t, buf, rows, e);
    }
    values v;
    if (read_values(data, lex, name, "\"data\" must be an array", &v, e) != 0)
        return -1;
    if (check_type(&v, t, name, e) != 0) {
        mem_free(v.data);
        return -1;
    }
    return add(s, name, name_len, t, v.data, v.count, e);
}

int colset_decode(colset *s, const json_t *columns, prelex *lex, perr *e)
{
    if (!json_is_object(columns))
        return perr_set(e, "bad_request", "\"columns\" must be an object");
    const char *key;
    size_t klen;
    json_t *val;
    json_object_keylen_foreach((json_t *)columns, key, klen, val)
    {
        if (json_is_object(val)) {
            if (read_typed(s, key, klen, val, lex, e) != 0)
                return -1;
            continue;
        }
        values v;
        if (read_values(val, lex, key,
                        "expected an array of values or a typed column "
                        "{\"type\": ..., \"data\"|\"base64\": ...}",
                        &v, e) != 0)
            return -1;
        jc_type t = v.kind == LIFT_I64 ? JC_I64 : v.kind == LIFT_BOOL ? JC_BOOL : JC_F64;
        if (add(s, key, klen, t, v.data, v.count, e) != 0)
            return -1;
    }
    return 0;
}

int colset_rows(const jc_column *cols, size_t n, size_t *rows, perr *e)
{
    *rows = n ? cols[0].length : 0;
    for (size_t i = 1; i < n; i++)
        if (cols[i].length != *rows)
            return perr_set(e, "length_mismatch",
                            "column \"%s\" has %zu rows but column \"%s\" has %zu",
                            cols[i].name, cols[i].length, cols[0].name, *rows);
    return 0;
}
