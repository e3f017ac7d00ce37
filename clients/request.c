/* request.c — protocol request lines (see request.h). */
#include "clients/request.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void request_begin(strbuf *sb, const char *op)
{
    strbuf_adds(sb, "{\"op\":");
    strbuf_add_json_string(sb, op, strlen(op));
}

static void add_key(strbuf *sb, const char *key)
{
    strbuf_addc(sb, ',');
    strbuf_add_json_string(sb, key, strlen(key));
    strbuf_addc(sb, ':');
}

void request_add_string(strbuf *sb, const char *key, const char *value)
{
    add_key(sb, key);
    strbuf_add_json_string(sb, value, strlen(value));
}

void request_add_raw(strbuf *sb, const char *key, const char *json)
{
    add_key(sb, key);
    strbuf_adds(sb, json);
}

void request_add_strings(strbuf *sb, const char *key, const char *const *v,
                         size_t n)
{
    add_key(sb, key);
    strbuf_addc(sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            strbuf_addc(sb, ',');
        strbuf_add_json_string(sb, v[i], strlen(v[i]));
    }
    strbuf_addc(sb, ']');
}

void request_end(strbuf *sb) { strbuf_addc(sb, '}'); }

void format_double(char *buf, double v)
{
    /* The first precision that round-trips is the shortest digit string. */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".eEn")) /* "n": inf/nan never reach here; be safe */
        strcat(buf, ".0");
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* Little-endian packing: x86-64 and aarch64 are little-endian already;
 * a big-endian host swaps each value. */
static void add_base64_values(strbuf *sb, const in_column *c, size_t width)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    size_t n = c->rows * width;
    unsigned char *tmp = mem_alloc(n);
    if (!tmp) {
        sb->failed = 1;
        return;
    }
    const unsigned char *src = c->values;
    for (size_t r = 0; r < c->rows; r++)
        for (size_t b = 0; b < width; b++)
            tmp[r * width + b] = src[r * width + width - 1 - b];
    strbuf_add_base64(sb, tmp, n);
    mem_free(tmp);
#else
    strbuf_add_base64(sb, c->values, c->rows * width);
#endif
}

static void add_column(strbuf *sb, const in_column *c)
{
    jc_type type = in_column_type(c);
    size_t width = type == JC_BOOL ? 1 : 8;
    strbuf_adds(sb, "{\"type\":\"");
    strbuf_adds(sb, jc_type_name(type));
    strbuf_adds(sb, "\",");
    if (c->rows > REQUEST_JSON_MAX_ROWS ||
        (type == JC_F64 && !all_finite(c->values, c->rows))) {
        strbuf_adds(sb, "\"base64\":\"");
        add_base64_values(sb, c, width);
        strbuf_adds(sb, "\"}");
        return;
    }
    strbuf_adds(sb, "\"data\":[");
    for (size_t r = 0; r < c->rows; r++) {
        if (r)
            strbuf_addc(sb, ',');
        char num[32];
        switch (type) {
        case JC_F64:
            format_double(num, ((const double *)c->values)[r]);
            strbuf_adds(sb, num);
            break;
        case JC_I64:
            strbuf_addf(sb, "%lld", (long long)((const int64_t *)c->values)[r]);
            break;
        case JC_BOOL:
            strbuf_adds(sb, ((const uint8_t *)c->values)[r] ? "true" : "false");
            break;
        }
    }
    strbuf_adds(sb, "]}");
}

void request_add_columns(strbuf *sb, const char *key, const incols *cs)
{
    add_key(sb, key);
    strbuf_addc(sb, '{');
    int first = 1;
    for (size_t i = 0; i < cs->count; i++) {
        if (cs->cols[i].text_why)
            continue; /* the language has no text: never sent */
        if (!first)
            strbuf_addc(sb, ',');
        first = 0;
        strbuf_add_json_string(sb, cs->cols[i].name, strlen(cs->cols[i].name));
        strbuf_addc(sb, ':');
        add_column(sb, &cs->cols[i]);
    }
    strbuf_addc(sb, '}');
}

void quote_identifier(strbuf *sb, const char *name)
{
    strbuf_addc(sb, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"')
            strbuf_addc(sb, '"');
        strbuf_addc(sb, *p);
    }
    strbuf_addc(sb, '"');
}
