/*
 * query.c — the run calls of the public API: binding the caller's columns to
 * a program's slots, filters, runs over a selection, one-shot eval.
 *
 * A run over a selection gathers the selected rows of the used columns into
 * dense copies and runs the program over those; errors are mapped back to
 * the caller's row numbers, so a row is always a row of the caller's data.
 */
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/select.h"
#include "interp/reduce.h"
#include "util/error.h"
#include "util/mem.h"

void jc_result_free(jc_result *result)
{
    if (!result)
        return;
    mem_free(result->values);
    result->values = NULL;
    result->rows = 0;
}

void jc_selection_free(jc_selection *selection)
{
    if (!selection)
        return;
    mem_free(selection->indices);
    selection->indices = NULL;
    selection->count = 0;
}

static size_t elem_size(jc_type type) { return type == JC_BOOL ? 1 : 8; }

/* strcmp(a, b) == 0 for the short names columns have, without a call. */
static int same_name(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* The first of the caller's columns named name. */
static const jc_column *find_column(const jc_column *cols, size_t ncols, const char *name)
{
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].name && same_name(cols[i].name, name))
            return &cols[i];
    return NULL;
}

/* Why column c (NULL: none given) cannot be bound to slot s: out of line,
 * so that binding, which runs on every call, stays a short loop. */
__attribute__((noinline, cold)) static int bind_error(const jc_program *p, uint32_t s,
                                                      const jc_column *c, size_t nrows,
                                                      jc_error *err)
{
    const char *name = p->column_names[s];
    jc_type want = (jc_type)p->code->tree.columns[s].type;
    if (!c)
        return error_set(err, JC_UNKNOWN_COLUMN, 0, -1, "no column named '%s' was given", name);
    if (c->type != want)
        return error_set(err, JC_TYPE_ERROR, 0, -1,
                         "column '%s' is %s, but the program was compiled for %s", name,
                         jc_type_name(c->type), jc_type_name(want));
    if (c->length != nrows)
        return error_set(err, JC_LENGTH_MISMATCH, 0, -1, "column '%s' has %zu rows, expected %zu",
                         name, c->length, nrows);
    return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "column '%s' has no data", name);
}

/* Fills ptrs[slot] with the data of the caller's column for every slot,
 * by name: the first column of that name. (Folding drops the columns it no
 * longer reads, so every slot is used.) Binding runs on every call; most
 * callers pass their columns in the program's slot order (the order the
 * expression first uses them, as a schema written from it usually is),
 * and while they do, slot s is cols[s] after one compare. That is still
 * the first column of its name: the columns before it carry the other
 * slots' names, which differ from it. */
static int bind_columns(const jc_program *p, const jc_column *cols, size_t ncols,
                        size_t nrows, const void **ptrs, jc_error *err)
{
    const jc_tree *t = &p->code->tree;
    const jc_colref *want = t->columns;
    char *const *names = p->column_names;
    uint32_t n = t->ncolumns, s = 0;
    for (; s < n && s < ncols; s++) {
        const jc_column *c = &cols[s];
        if (!c->name || !same_name(c->name, names[s]))
            break; /* out of order from here: search */
        if (c->type != (jc_type)want[s].type || c->length != nrows || (nrows && !c->data))
            return bind_error(p, s, c, nrows, err);
        ptrs[s] = c->data;
    }
    for (; s < n; s++) {
        const jc_column *c = find_column(cols, ncols, names[s]);
        if (!c || c->type != (jc_type)want[s].type || c->length != nrows ||
            (nrows && !c->data))
            return bind_error(p, s, c, nrows, err);
        ptrs[s] = c->data;
    }
    return 0;
}

/* The arguments of a run into a result (n inputs at in). */
static int check_args(const jc_program *p, const void *in, size_t n, jc_result *out,
                      jc_error *err)
{
    error_clear(err);
    if (out)
        memset(out, 0, sizeof *out);
    if (!p || !out || (n && !in))
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "NULL argument");
    return 0;
}

/* An error found over gathered rows names the gathered position; say the
 * caller's row instead, in the field and in the words ("at row N"). */
static void map_error_row(jc_error *err, const size_t *indices, size_t nsel)
{
    if (!err || err->row < 0 || (size_t)err->row >= nsel)
        return;
    char old[32], *at;
    snprintf(old, sizeof old, "at row %lld", (long long)err->row);
    err->row = (int64_t)indices[err->row];
    if ((at = strstr(err->message, old)) != NULL) {
        char rest[JC_ERROR_MESSAGE_SIZE];
        snprintf(rest, sizeof rest, "%s", at + strlen(old));
        snprintf(at, sizeof err->message - (size_t)(at - err->message), "at row %lld%s",
                 (long long)err->row, rest);
    }
}

/* Columns bound on the stack; more allocate. */
#define INLINE_COLUMNS 16

/* Copies the nsel selected rows of each bound column into new dense
 * columns (gathered[s]) and points ptrs at them. */
static int gather_rows(const jc_program *p, const void **ptrs, void **gathered, size_t nrows,
                       const size_t *indices, size_t nsel, jc_error *err)
{
    const jc_tree *t = &p->code->tree;
    for (uint32_t s = 0; s < t->ncolumns; s++) {
        size_t size = elem_size((jc_type)t->columns[s].type);
        char *dst = mem_alloc(nsel * size);
        if (!dst)
            return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory selecting rows");
        gathered[s] = dst;
        const char *src = ptrs[s];
        for (size_t i = 0; i < nsel; i++) {
            if (indices[i] >= nrows)
                return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                                 "selected row %zu is past the %zu rows", indices[i], nrows);
            memcpy(dst + i * size, src + indices[i] * size, size);
        }
        ptrs[s] = dst;
    }
    return 0;
}

/* Runs p over the given rows of the caller's columns: all rows when indices
 * is NULL, else the nsel listed ones (gathered). */
static int run_rows(const jc_program *p, const jc_column *cols, size_t ncols,
                    size_t nrows, const size_t *indices, size_t nsel,
                    void *into, jc_result *out, jc_error *err)
{
    uint32_t n = p->code->tree.ncolumns;
    const void *ptrs_inline[INLINE_COLUMNS];
    void *gathered_inline[INLINE_COLUMNS];
    const void **ptrs = ptrs_inline;
    void **gathered = gathered_inline;
    if (n > INLINE_COLUMNS) {
        ptrs = mem_calloc(n, sizeof *ptrs);
        gathered = mem_calloc(n, sizeof *gathered);
    } else if (indices) {
        memset(gathered_inline, 0, n * sizeof *gathered);
    }
    int rc = -1;
    if (!ptrs || !gathered) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory binding columns");
        goto done;
    }
    if (bind_columns(p, cols, ncols, nrows, ptrs, err) != 0)
        goto done;
    if (indices && gather_rows(p, ptrs, gathered, nrows, indices, nsel, err) != 0)
        goto done;
    rc = run_compiled(p->engine, p->code, p->consts, ptrs, indices ? nsel : nrows, into,
                      out, err);
    if (rc != 0 && indices)
        map_error_row(err, indices, nsel);
done:
    for (uint32_t s = 0; indices && gathered && s < n; s++)
        mem_free(gathered[s]);
    if (ptrs != ptrs_inline) {
        mem_free(gathered);
        mem_free(ptrs);
    }
    return rc;
}

/* Binds the columns and runs over all nrows rows: the common call, kept
 * short (no gather, nothing allocated for up to INLINE_COLUMNS columns). */
static int run_all(const jc_program *p, const jc_column *cols, size_t ncols, size_t nrows,
                   void *into, jc_result *out, jc_error *err)
{
    if (p->ncolumns > INLINE_COLUMNS)
        return run_rows(p, cols, ncols, nrows, NULL, 0, into, out, err);
    const void *ptrs[INLINE_COLUMNS];
    if (bind_columns(p, cols, ncols, nrows, ptrs, err) != 0)
        return -1;
    return run_compiled(p->engine, p->code, p->consts, ptrs, nrows, into, out, err);
}

int jc_run(const jc_program *p, const jc_column *cols, size_t ncols, size_t nrows,
           jc_result *out, jc_error *err)
{
    if (check_args(p, cols, ncols, out, err) != 0)
        return -1;
    return run_all(p, cols, ncols, nrows, NULL, out, err);
}

/* The arguments of a run into the caller's buffer (n inputs at in). */
static int check_into(const jc_program *p, const void *in, size_t n, size_t nrows,
                      const void *into, jc_error *err)
{
    error_clear(err);
    if (!p || (n && !in))
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "NULL argument");
    const jc_tree *t = &p->code->tree;
    if (!(t->nodes[t->root].flags & NODE_ROWWISE))
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                         "a run into a buffer needs a column result; this expression gives a scalar");
    if (nrows && !into)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "NULL output buffer");
    return 0;
}

int jc_run_into(const jc_program *p, const jc_column *cols, size_t ncols, size_t nrows,
                void *into, jc_error *err)
{
    if (check_into(p, cols, ncols, nrows, into, err) != 0)
        return -1;
    jc_result r;
    return run_all(p, cols, ncols, nrows, into, &r, err);
}

/* The positional columns of jc_run_slots: one per slot, each with data
 * unless there are no rows. */
static int check_slots(const jc_program *p, const void *const *data, size_t ndata,
                       size_t nrows, jc_error *err)
{
    uint32_t n = p->code->tree.ncolumns;
    if (ndata != n)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                         "the program reads %u columns, %zu were given", n, ndata);
    for (uint32_t s = 0; s < n && nrows; s++)
        if (!data[s])
            return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "column %u ('%s') has no data",
                             s, p->column_names[s]);
    return 0;
}

/* The columns of jc_run_slots* as they nearly always are, checked in
 * line: a call over a few rows costs about its instructions. When this
 * says no, check_slots (and check_args, check_into) say what is wrong. */
static inline int slots_fine(const jc_program *p, const void *const *data, size_t ndata,
                             size_t nrows)
{
    if (!p || !data || ndata != p->code->tree.ncolumns)
        return 0;
    for (size_t s = 0; s < ndata && nrows; s++)
        if (!data[s])
            return 0;
    return 1;
}

int jc_run_slots(const jc_program *p, const void *const *data, size_t ndata, size_t nrows,
                 jc_result *out, jc_error *err)
{
    if (out && slots_fine(p, data, ndata, nrows) && p->code->direct_count) {
        /* a count over one chunk: one kernel call (run_direct_count) */
        error_clear(err);
        if (run_direct_count(p->code, p->consts, data, nrows, out) == 0)
            return 0;
    }
    if (check_args(p, data, ndata, out, err) != 0 ||
        check_slots(p, data, ndata, nrows, err) != 0)
        return -1;
    return run_compiled(p->engine, p->code, p->consts, data, nrows, NULL, out, err);
}

static inline int slots_into_fine(const jc_program *p, const void *const *data, size_t ndata,
                                  size_t nrows, const void *into)
{
    if (!into || !slots_fine(p, data, ndata, nrows))
        return 0;
    const jc_tree *t = &p->code->tree;
    return (t->nodes[t->root].flags & NODE_ROWWISE) != 0;
}

int jc_run_slots_into(const jc_program *p, const void *const *data, size_t ndata,
                      size_t nrows, void *into, jc_error *err)
{
    jc_result r;
    if (slots_into_fine(p, data, ndata, nrows, into)) {
        error_clear(err);
        int rc = run_direct_jit_into(p->code, p->consts, data, nrows, into);
        if (rc == 0)
            return 0;
        if (rc == 1) /* a row may have faulted: the general run finds it */
            return run_general(p->engine, p->code, p->consts, data, nrows, into, &r, err);
    } else if (check_into(p, data, ndata, nrows, into, err) != 0 ||
               check_slots(p, data, ndata, nrows, err) != 0) {
        return -1;
    }
    return run_compiled(p->engine, p->code, p->consts, data, nrows, into, &r, err);
}

int jc_run_selected(const jc_program *p, const jc_column *cols, size_t ncols,
                    size_t nrows, const size_t *indices, size_t nsel,
                    jc_result *out, jc_error *err)
{
    if (check_args(p, cols, ncols, out, err) != 0)
        return -1;
    if (nsel && !indices)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "NULL indices");
    static const size_t none[1] = {0};
    return run_rows(p, cols, ncols, nrows, nsel ? indices : none, nsel, NULL, out, err);
}

int jc_filter(const jc_program *p, const jc_column *cols, size_t ncols, size_t nrows,
              jc_selection *out, jc_error *err)
{
    error_clear(err);
    if (!p || !out || (ncols && !cols))
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "NULL argument");
    out->count = 0;
    out->indices = NULL;
    if (jc_program_type(p) != JC_BOOL)
        return error_set(err, JC_TYPE_ERROR, 0, -1,
                         "a filter must be a bool expression, this one is %s",
                         jc_type_name(jc_program_type(p)));
    jc_result r;
    if (jc_run(p, cols, ncols, nrows, &r, err) != 0)
        return -1;
    size_t count = 0;
    if (r.is_column)
        count = bool_count(r.values, r.rows);
    else if (!r.is_null && r.scalar.b)
        count = nrows;
    out->indices = mem_alloc((count + SELECT_SLACK) * sizeof(size_t));
    if (!out->indices) {
        jc_result_free(&r);
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory for a selection");
    }
    if (r.is_column)
        select_rows(r.values, r.rows, out->indices);
    else
        for (size_t k = 0; k < count; k++)
            out->indices[k] = k;
    out->count = count;
    jc_result_free(&r);
    return 0;
}

int jc_eval(jc_engine *e, const char *expr, size_t len, const jc_column *cols,
            size_t ncols, size_t nrows, jc_result *out, jc_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    jc_program *p = jc_compile(e, expr, len, cols, ncols, err);
    if (!p)
        return -1;
    int rc = jc_run(p, cols, ncols, nrows, out, err);
    jc_program_free(p);
    return rc;
}
