/* prelex.c — lifts column payloads out of a request line (see prelex.h). */
#include "server/prelex.h"

#include <string.h>

#include "server/jbuf.h"
#include "server/numfmt.h"
#include "util/mem.h"

/* Deeper than jansson accepts (JSON_PARSER_MAX_DEPTH 2048): past it the
 * line is invalid anyway and nothing is lifted. */
#define MAX_DEPTH 2100

/* What the object being scanned is. */
enum ctx { C_OTHER, C_TOP, C_COLS, C_TYPED };
/* What the next value is. */
enum vctx { V_OTHER, V_ROOT, V_COLSVAL, V_COLUMN, V_DATA, V_BASE64 };

typedef struct scan {
    prelex *p;
    const char *in;
    size_t len;
    jbuf out;      /* the rewritten line, once there is an edit */
    size_t copied; /* in[0..copied) is in out */
    int edited;
    int allow;     /* lifting allowed */
    int saw_nul;   /* the line has the escape \u0000 */
    uint8_t ctx[MAX_DEPTH];
    uint8_t is_obj[MAX_DEPTH];
} scan;

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/* Skips plain string bytes 32 at a time: one signed compare finds both
 * control bytes (< 0x20) and non-ASCII ones (negative as signed), two more
 * the quote and the backslash. Returns the index of the first byte that is
 * not plain, or of the last whole block's end. */
__attribute__((target("avx2"))) static size_t skip_plain_avx2(const char *in, size_t j,
                                                               size_t len)
{
    const __m256i quote = _mm256_set1_epi8('"'), bslash = _mm256_set1_epi8('\\'),
                  space = _mm256_set1_epi8(0x20);
    while (j + 32 <= len) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(in + j));
        __m256i special = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bslash)),
            _mm256_cmpgt_epi8(space, v));
        unsigned mask = (unsigned)_mm256_movemask_epi8(special);
        if (mask)
            return j + (size_t)__builtin_ctz(mask);
        j += 32;
    }
    return j;
}

static int have_avx2(void)
{
    static int cached = -1; /* a benign race: every thread computes the same */
    if (cached < 0)
        cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    return cached;
}
#define SKIP_PLAIN_AVX2 1
#endif

/* Index of the closing quote of the string opened at in[i] (len when
 * unterminated). Reports escapes, non-plain bytes (control or non-ASCII)
 * and the escape \u0000. Many bytes per step while they are plain. */
static size_t scan_string(const char *in, size_t len, size_t i, int *escaped,
                          int *plain, int *nul)
{
    size_t j = i + 1;
#ifdef SKIP_PLAIN_AVX2
    int wide = len - j >= 256 && have_avx2();
#endif
    for (;;) {
#ifdef SKIP_PLAIN_AVX2
        if (wide)
            j = skip_plain_avx2(in, j, len);
#endif
        while (j + 8 <= len) {
            uint64_t w;
            memcpy(&w, in + j, 8);
            uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
            uint64_t m = ((q - ONES) & ~q) | ((b - ONES) & ~b) |
                         ((w - ONES * 0x20) & ~w) | w;
            if (m & HIGHS)
                break;
            j += 8;
        }
        if (j >= len)
            return len;
        size_t stop = j + 8 < len ? j + 8 : len;
        while (j < stop) {
            unsigned char c = (unsigned char)in[j];
            if (c == '"')
                return j;
            if (c == '\\') {
                *escaped = 1;
                if (j + 6 <= len && in[j + 1] == 'u' && memcmp(in + j + 2, "0000", 4) == 0)
                    *nul = 1;
                j += 2;
                continue;
            }
            if (c < 0x20 || c >= 0x80)
                *plain = 0;
            j++;
        }
        if (j >= len)
            return len;
    }
}

static void edit(scan *s, size_t from, size_t to, const char *repl, size_t n)
{
    jb_raw(&s->out, s->in + s->copied, from - s->copied);
    jb_raw(&s->out, repl, n);
    s->copied = to;
    s->edited = 1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_num_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* An integer token (-?(0|[1-9][0-9]*)) as int64: 1 when it is one and fits,
 * 0 when it is one but does not fit, -1 when it is not an integer token. */
static int parse_int_token(const char *t, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && t[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= n || (t[i] == '0' && n - i > 1))
        return -1;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    int overflow = 0;
    for (; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        unsigned d = (unsigned)(t[i] - '0');
        if (v > (limit - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
    }
    if (overflow)
        return 0;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 1;
}

static lifted *new_lift(prelex *p)
{
    if (p->nlifts == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        lifted *l = mem_realloc(p->lifts, cap * sizeof *l);
        if (!l)
            return NULL;
        p->lifts = l;
        p->cap = cap;
    }
    lifted *l = &p->lifts[p->nlifts];
    memset(l, 0, sizeof *l);
    return l;
}

/* Replaces in[from..to) by the placeholder of the last lift. */
static void placeholder(scan *s, size_t from, size_t to)
{
    char text[40];
    size_t n = 0;
    memcpy(text, "\"\\u0000L", 8);
    n = 8;
    n += fmt_i64((int64_t)s->p->nlifts, text + n);
    text[n++] = '"';
    edit(s, from, to, text, n);
    s->p->nlifts++;
}

/* Parses the flat array at in[i] ('[') into a new lift. Returns 1 and sets
 * *end past its ']' when it was lifted, 0 when it is not a plain column
 * array (left to jansson), -1 when out of memory. */
static int lift_array(scan *s, size_t i, size_t *end)
{
    const char *in = s->in;
    size_t len = s->len;
    const char *close = memchr(in + i, ']', len - i);
    if (!close)
        return 0;
    /* n values need at least 2n - 1 bytes between the brackets */
    size_t maxn = (size_t)(close - (in + i)) / 2 + 1;
    lifted *l = new_lift(s->p);
    if (!l)
        return -1;
    size_t j = i + 1, n = 0;
    while (j < len && is_ws(in[j]))
        j++;
    if (j < len && in[j] == ']') {
        l->kind = LIFT_EMPTY;
        *end = j + 1;
        return 1;
    }
    int mode = LIFT_EMPTY;
    for (;;) {
        while (j < len && is_ws(in[j]))
            j++;
        if (j >= len)
            goto not_liftable;
        char c = in[j];
        if (c == 't' || c == 'f') {
            int v = c == 't';
            size_t n_lit = v ? 4 : 5;
            if (len - j < n_lit || memcmp(in + j, v ? "true" : "false", n_lit) != 0)
                goto not_liftable;
            if (mode == LIFT_EMPTY) {
                mode = LIFT_BOOL;
                l->values = mem_alloc(maxn);
                if (!l->values)
                    return -1;
            } else if (mode != LIFT_BOOL) {
                goto not_liftable;
            }
            ((uint8_t *)l->values)[n++] = (uint8_t)v;
            j += n_lit;
        } else if (c == '"' || c == '-' || (c >= '0' && c <= '9')) {
            if (mode == LIFT_BOOL)
                goto not_liftable;
            if (mode == LIFT_EMPTY) {
                mode = LIFT_I64;
                l->values = mem_alloc(maxn * 8);
                if (!l->values)
                    return -1;
            }
            double d;
            int64_t iv;
            int is_int = 0;
            if (c == '"') {
                static const struct { const char *text; size_t n; double v; } specials[] = {
                    {"\"NaN\"", 5, __builtin_nan("")},
                    {"\"Infinity\"", 10, __builtin_inf()},
                    {"\"-Infinity\"", 11, -__builtin_inf()}};
                size_t k = 0;
                for (; k < 3; k++)
                    if (len - j >= specials[k].n && memcmp(in + j, specials[k].text, specials[k].n) == 0)
                        break;
                if (k == 3)
                    goto not_liftable;
                d = specials[k].v;
                j += specials[k].n;
                l->has_special = 1;
            } else {
                size_t t = j;
                while (j < len && is_num_char(in[j]))
                    j++;
                int r = parse_int_token(in + t, j - t, &iv);
                if (r == 1) {
                    is_int = 1;
                } else {
                    if (parse_f64(in + t, j - t, &d) != 0)
                        goto not_liftable;
                    if (r == -1)
                        l->has_decimal = 1;
                }
            }
            if (is_int && mode == LIFT_I64) {
                ((int64_t *)l->values)[n++] = iv;
            } else {
                if (mode == LIFT_I64) {
                    /* the first non-integer: the column is f64 after all */
                    int64_t *iv_all = l->values;
                    double *dv_all = l->values;
                    for (size_t k = 0; k < n; k++)
                        dv_all[k] = (double)iv_all[k];
                    mode = LIFT_F64;
                }
                ((double *)l->values)[n++] = is_int ? (double)iv : d;
            }
        } else {
            goto not_liftable;
        }
        while (j < len && is_ws(in[j]))
            j++;
        if (j < len && in[j] == ',') {
            j++;
            continue;
        }
        if (j < len && in[j] == ']') {
            *end = j + 1;
            break;
        }
        goto not_liftable;
    }
    l->kind = mode;
    l->count = n;
    return 1;

not_liftable:
    mem_free(l->values);
    l->values = NULL;
    return 0;
}

/* What the value after key (raw bytes) is, inside an object of ctx. */
static enum vctx key_next(enum ctx ctx, const char *key, size_t n)
{
    switch (ctx) {
    case C_TOP:
        return n == 7 && memcmp(key, "columns", 7) == 0 ? V_COLSVAL : V_OTHER;
    case C_COLS:
        return V_COLUMN;
    case C_TYPED:
        if (n == 4 && memcmp(key, "data", 4) == 0)
            return V_DATA;
        if (n == 6 && memcmp(key, "base64", 6) == 0)
            return V_BASE64;
        return V_OTHER;
    default:
        return V_OTHER;
    }
}

/* One pass. Returns 1 when done, 0 when the line is unusual enough to hand
 * to jansson untouched, -1 when out of memory. */
static int run_scan(scan *s)
{
    const char *in = s->in;
    size_t len = s->len, i = 0;
    int depth = 0, expect_key = 0;
    enum vctx next = V_ROOT;
    while (i < len) {
        char c = in[i];
        if (is_ws(c)) {
            i++;
            continue;
        }
        switch (c) {
        case '{': {
            if (depth == MAX_DEPTH)
                return 0;
            enum ctx ctx = next == V_ROOT      ? C_TOP
                           : next == V_COLSVAL ? C_COLS
                           : next == V_COLUMN  ? C_TYPED
                                               : C_OTHER;
            s->ctx[depth] = (uint8_t)ctx;
            s->is_obj[depth] = 1;
            depth++;
            expect_key = 1;
            next = V_OTHER;
            i++;
            break;
        }
        case '[':
            if (s->allow && (next == V_COLUMN || next == V_DATA)) {
                size_t end;
                int r = lift_array(s, i, &end);
                if (r < 0)
                    return -1;
                if (r == 1) {
                    placeholder(s, i, end);
                    i = end;
                    next = V_OTHER;
                    break;
                }
            }
            if (depth == MAX_DEPTH)
                return 0;
            s->ctx[depth] = C_OTHER;
            s->is_obj[depth] = 0;
            depth++;
            expect_key = 0;
            next = V_OTHER;
            i++;
            break;
        case '}':
        case ']':
            if (depth == 0)
                return 0;
            depth--;
            expect_key = 0;
            next = V_OTHER;
            i++;
            break;
        case ',':
            expect_key = depth > 0 && s->is_obj[depth - 1];
            next = V_OTHER;
            i++;
            break;
        case ':':
            i++;
            break;
        case '"': {
            int escaped = 0, plain = 1;
            size_t close = scan_string(in, len, i, &escaped, &plain, &s->saw_nul);
            if (close >= len)
                return 0;
            if (s->saw_nul && s->allow)
                return 0; /* the caller rescans without lifting */
            if (expect_key && depth > 0) {
                if (s->ctx[depth - 1] == C_COLS)
                    s->p->ncolumns++;
                next = key_next((enum ctx)s->ctx[depth - 1], in + i + 1, close - i - 1);
                expect_key = 0;
            } else {
                if (s->allow && next == V_BASE64 && !escaped && plain) {
                    lifted *l = new_lift(s->p);
                    if (!l)
                        return -1;
                    l->kind = LIFT_BASE64;
                    l->text = in + i + 1;
                    l->len = close - i - 1;
                    placeholder(s, i, close + 1);
                }
                next = V_OTHER;
            }
            i = close + 1;
            break;
        }
        default:
            if (c == '-' || (c >= '0' && c <= '9')) {
                size_t t = i;
                while (i < len && is_num_char(in[i]))
                    i++;
                int64_t v;
                if (parse_int_token(in + t, i - t, &v) == 0) {
                    /* out of int64 range: an f64, as jansson cannot read it */
                    jb_raw(&s->out, in + s->copied, i - s->copied);
                    jb_raw(&s->out, ".0", 2);
                    s->copied = i;
                    s->edited = 1;
                }
            } else if (c >= 'a' && c <= 'z') {
                while (i < len && in[i] >= 'a' && in[i] <= 'z')
                    i++;
            } else {
                return 0;
            }
            next = V_OTHER;
            break;
        }
        if (s->out.failed)
            return -1;
    }
    return s->out.failed ? -1 : 1;
}

static void reset(prelex *p)
{
    for (size_t k = 0; k < p->nlifts; k++)
        mem_free(p->lifts[k].values);
    p->nlifts = 0;
}

int prelex_run(prelex *p, const char *line, size_t len)
{
    memset(p, 0, sizeof *p);
    /* on the stack (4 KiB): no allocation for lines that need no edit */
    scan st, *s = &st;
    for (int pass = 0; pass < 2; pass++) {
        s->p = p;
        s->in = line;
        s->len = len;
        jb_init(&s->out);
        s->copied = 0;
        s->edited = 0;
        s->allow = pass == 0;
        s->saw_nul = 0;
        p->ncolumns = 0;
        int r = run_scan(s);
        if (r < 0) {
            jb_free(&s->out);
            prelex_free(p);
            return -1;
        }
        if (r == 1 && s->edited) {
            jb_raw(&s->out, line + s->copied, len - s->copied);
            size_t n;
            p->owned = jb_take(&s->out, &n);
            if (!p->owned) {
                prelex_free(p);
                return -1;
            }
            p->line = p->owned;
            p->len = n;
            p->lifting = s->allow;
            break;
        }
        jb_free(&s->out);
        reset(p);
        p->line = line;
        p->len = len;
        if (r == 1 || !s->saw_nul || !s->allow)
            break;
        /* a \u0000 somewhere: scan again with lifting off */
    }
    return 0;
}

void prelex_free(prelex *p)
{
    reset(p);
    mem_free(p->lifts);
    mem_free(p->owned);
    memset(p, 0, sizeof *p);
}

lifted *prelex_lookup(prelex *p, const char *s, size_t n)
{
    if (!p->lifting || n < 3 || s[0] != '\0' || s[1] != 'L')
        return NULL;
    size_t k = 0;
    for (size_t i = 2; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NULL;
        k = k * 10 + (size_t)(s[i] - '0');
        if (k >= p->nlifts)
            return NULL;
    }
    return k < p->nlifts ? &p->lifts[k] : NULL;
}
