/* diffcheck.c — the JIT and the interpreter must agree (see diffcheck.h). */
#include "diffcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int diff_open(diff_engines *d, const char *isa, unsigned threads, jc_error *err)
{
    memset(d, 0, sizeof *d);
    jc_options o;
    jc_options_init(&o);
    o.isa = isa ? isa : "auto";
    o.threads = threads ? threads : 1;
    d->jit = jc_engine_new(&o, err);
    if (!d->jit)
        return -1;
    jc_options_init(&o);
    o.isa = "none";
    d->interp = jc_engine_new(&o, err);
    if (!d->interp) {
        jc_engine_free(d->jit);
        d->jit = NULL;
        return -1;
    }
    return 0;
}

void diff_close(diff_engines *d)
{
    jc_engine_free(d->jit);
    jc_engine_free(d->interp);
    memset(d, 0, sizeof *d);
}

int diff_has_jit(const diff_engines *d)
{
    jc_stats st;
    jc_engine_stats(d->jit, &st);
    return st.jit;
}

static int differ(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int differ(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return 1;
}

static size_t width(jc_type t) { return t == JC_BOOL ? 1 : 8; }

/* Compares two calls' outcomes: rc, and code and row on failure. */
static int same_failure(const char *what, int rj, const jc_error *ej, int ri,
                        const jc_error *ei, char *msg, size_t msglen)
{
    if (rj != ri)
        return differ(msg, msglen, "%s: jit %s (%s: %s), interpreter %s (%s: %s)", what,
                      rj ? "failed" : "succeeded", jc_code_name(ej->code), ej->message,
                      ri ? "failed" : "succeeded", jc_code_name(ei->code), ei->message);
    if (rj && (ej->code != ei->code || ej->row != ei->row))
        return differ(msg, msglen,
                      "%s: jit error %s at row %lld (%s), interpreter %s at row %lld (%s)",
                      what, jc_code_name(ej->code), (long long)ej->row, ej->message,
                      jc_code_name(ei->code), (long long)ei->row, ei->message);
    return 0;
}

static int same_result(const char *what, const jc_result *j, const jc_result *i,
                       char *msg, size_t msglen)
{
    if (j->type != i->type || j->is_column != i->is_column || j->is_null != i->is_null ||
        j->rows != i->rows)
        return differ(msg, msglen,
                      "%s: jit %s %s null=%d rows=%zu, interpreter %s %s null=%d rows=%zu",
                      what, jc_type_name(j->type), j->is_column ? "column" : "scalar",
                      j->is_null, j->rows, jc_type_name(i->type),
                      i->is_column ? "column" : "scalar", i->is_null, i->rows);
    if (j->is_column) {
        size_t w = width(j->type);
        for (size_t r = 0; r < j->rows; r++) {
            const unsigned char *a = (const unsigned char *)j->values + r * w;
            const unsigned char *b = (const unsigned char *)i->values + r * w;
            if (memcmp(a, b, w) != 0) {
                uint64_t x = 0, y = 0;
                memcpy(&x, a, w);
                memcpy(&y, b, w);
                return differ(msg, msglen,
                              "%s: row %zu: jit 0x%016llx, interpreter 0x%016llx (%s)",
                              what, r, (unsigned long long)x, (unsigned long long)y,
                              jc_type_name(j->type));
            }
        }
        return 0;
    }
    if (j->is_null)
        return 0;
    uint64_t x = 0, y = 0;
    if (j->type == JC_BOOL) {
        x = j->scalar.b;
        y = i->scalar.b;
    } else {
        memcpy(&x, &j->scalar, 8);
        memcpy(&y, &i->scalar, 8);
    }
    if (x != y)
        return differ(msg, msglen, "%s: scalar: jit 0x%016llx, interpreter 0x%016llx (%s)",
                      what, (unsigned long long)x, (unsigned long long)y,
                      jc_type_name(j->type));
    return 0;
}

static int check_run(const jc_program *pj, const jc_program *pi, const jc_column *cols,
                     size_t ncols, size_t nrows, char *msg, size_t msglen)
{
    jc_result rj, ri;
    jc_error ej, ei;
    memset(&rj, 0, sizeof rj);
    memset(&ri, 0, sizeof ri);
    int cj = jc_run(pj, cols, ncols, nrows, &rj, &ej);
    int ci = jc_run(pi, cols, ncols, nrows, &ri, &ei);
    int bad = same_failure("run", cj, &ej, ci, &ei, msg, msglen);
    if (!bad && cj == 0)
        bad = same_result("run", &rj, &ri, msg, msglen);
    jc_result_free(&rj);
    jc_result_free(&ri);
    return bad;
}

static int check_filter(const jc_program *pj, const jc_program *pi,
                        const jc_column *cols, size_t ncols, size_t nrows, char *msg,
                        size_t msglen)
{
    jc_selection sj = {0, NULL}, si = {0, NULL};
    jc_error ej, ei;
    int cj = jc_filter(pj, cols, ncols, nrows, &sj, &ej);
    int ci = jc_filter(pi, cols, ncols, nrows, &si, &ei);
    int bad = same_failure("filter", cj, &ej, ci, &ei, msg, msglen);
    if (!bad && cj == 0) {
        if (sj.count != si.count)
            bad = differ(msg, msglen, "filter: jit selects %zu rows, interpreter %zu",
                         sj.count, si.count);
        for (size_t k = 0; !bad && k < sj.count; k++)
            if (sj.indices[k] != si.indices[k])
                bad = differ(msg, msglen,
                             "filter: selection %zu: jit row %zu, interpreter row %zu", k,
                             sj.indices[k], si.indices[k]);
    }
    jc_selection_free(&sj);
    jc_selection_free(&si);
    return bad;
}

/* The rows where the bool column "p" is true, or -1 when there is none. */
static long select_p(const jc_column *cols, size_t ncols, size_t nrows, size_t **out)
{
    for (size_t k = 0; k < ncols; k++) {
        if (strcmp(cols[k].name, "p") != 0 || cols[k].type != JC_BOOL ||
            cols[k].length != nrows)
            continue;
        size_t *idx = malloc((nrows ? nrows : 1) * sizeof *idx);
        if (!idx)
            return -1;
        size_t n = 0;
        for (size_t r = 0; r < nrows; r++)
            if (((const uint8_t *)cols[k].data)[r])
                idx[n++] = r;
        *out = idx;
        return (long)n;
    }
    return -1;
}

static int check_selected(const jc_program *pj, const jc_program *pi,
                          const jc_column *cols, size_t ncols, size_t nrows, char *msg,
                          size_t msglen)
{
    size_t *idx = NULL;
    long n = select_p(cols, ncols, nrows, &idx);
    if (n < 0)
        return 0;
    jc_result rj, ri;
    jc_error ej, ei;
    memset(&rj, 0, sizeof rj);
    memset(&ri, 0, sizeof ri);
    int cj = jc_run_selected(pj, cols, ncols, nrows, idx, (size_t)n, &rj, &ej);
    int ci = jc_run_selected(pi, cols, ncols, nrows, idx, (size_t)n, &ri, &ei);
    int bad = same_failure("run_selected", cj, &ej, ci, &ei, msg, msglen);
    if (!bad && cj == 0)
        bad = same_result("run_selected", &rj, &ri, msg, msglen);
    jc_result_free(&rj);
    jc_result_free(&ri);
    free(idx);
    return bad;
}

int diff_check(diff_engines *d, const char *expr, const jc_column *cols, size_t ncols,
               size_t nrows, char *msg, size_t msglen, diff_counts *counts)
{
    jc_error ej, ei;
    jc_program *pj = jc_compile(d->jit, expr, JC_NUL_TERMINATED, cols, ncols, &ej);
    jc_program *pi = jc_compile(d->interp, expr, JC_NUL_TERMINATED, cols, ncols, &ei);
    int bad = same_failure("compile", pj == NULL, &ej, pi == NULL, &ei, msg, msglen);
    if (!bad && !pj && ej.position != ei.position)
        bad = differ(msg, msglen, "compile: jit error at %lld, interpreter at %lld",
                     (long long)ej.position, (long long)ei.position);
    if (!bad && pj) {
        if (counts) {
            jc_explain ex;
            counts->compiled++;
            if (jc_program_explain(pj, &ex, &ej) == 0 && ex.code_bytes > 0)
                counts->jitted++;
        }
        bad = check_run(pj, pi, cols, ncols, nrows, msg, msglen);
        if (!bad && jc_program_type(pj) == JC_BOOL && jc_program_is_column(pj))
            bad = check_filter(pj, pi, cols, ncols, nrows, msg, msglen);
        if (!bad)
            bad = check_selected(pj, pi, cols, ncols, nrows, msg, msglen);
    }
    jc_program_free(pj);
    jc_program_free(pi);
    return bad;
}
