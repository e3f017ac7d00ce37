/* driver.c — the interpreter tests' tiny executor (driver.h). */
#include "driver.h"

#include <stdlib.h>
#include <string.h>

#include "interp/interp.h"
#include "interp/reduce.h"
#include "interp/vm.h"
#include "parser/parser.h"
#include "util/error.h"

typedef struct run {
    const jc_tree *t;
    const drv_opts *o;
    jc_block_io io;
    const void **cols;
    uint64_t *scalars;
    jc_scalar_state *states;
    interp_ws *ws;
    size_t nrows;
    drv_result *r;
} run;

static int pass_reads_poison(const run *x)
{
    for (uint32_t s = 0; s < x->t->nconsts + x->t->naggs; s++)
        if (x->states[s].kind == SCALAR_FAULT)
            return 1;
    return 0;
}

/* Computes rows [begin, end) of pass p into outs (element 0 = begin).
 * Each mode: errs[k] per output; else errs[0]. Returns interp's result. */
static int compute(run *x, unsigned p, void *const *outs, size_t begin,
                   size_t end, jc_error *errs, int each)
{
    jc_block_io io = x->io;
    io.outs = outs;
    if (x->o->path == DRV_FAST && !pass_reads_poison(x) &&
        interp_block(x->t, p, &io, begin, end, x->ws) == 0) {
        uint32_t nout = x->t->passes[p].nout;
        for (uint32_t k = 0; k < (each ? nout : 1); k++)
            error_clear(&errs[k]);
        return 0;
    }
    if (x->o->path == DRV_ROWS)
        return interp_precise_rows(x->t, p, &io, x->states, begin, end, errs, each);
    if (each)
        return interp_precise_each(x->t, p, &io, x->states, begin, end, errs);
    return interp_precise(x->t, p, &io, x->states, begin, end, errs);
}

static int run_final(run *x, unsigned p)
{
    const jc_tree *t = x->t;
    size_t size = type_size(t->nodes[t->root].type);
    drv_result *r = x->r;
    r->values = malloc(x->nrows * size + 1);
    r->rows = x->nrows;
    r->is_column = 1;
    size_t step = x->o->call_rows ? x->o->call_rows : JC_BLOCK_ROWS;
    for (size_t b = 0; b < x->nrows; b += step) {
        size_t e = b + step < x->nrows ? b + step : x->nrows;
        void *out = (char *)r->values + b * size;
        if (compute(x, p, &out, b, e, &r->err, 0) != 0)
            return -1;
    }
    return 0;
}

static int run_aggregates(run *x, unsigned p)
{
    const jc_tree *t = x->t;
    const jc_pass *ps = &t->passes[p];
    uint32_t nout = ps->nout;
    if (nout == 0)
        return 0;
    uint32_t *agg = calloc(nout, sizeof *agg); /* output k -> aggregate index */
    uint32_t k = 0;
    for (uint32_t a = 0; a < t->naggs; a++) {
        const jc_node *nd = &t->nodes[t->aggs[a]];
        if (nd->agg_level == p + 1 && nd->nargs == 1)
            agg[k++] = a;
    }
    size_t step = x->o->call_rows ? x->o->call_rows : JC_BLOCK_ROWS;
    void **outs = calloc(nout, sizeof *outs);
    jc_error *errs = calloc(nout, sizeof *errs);
    agg_acc *total = calloc(nout, sizeof *total), *chunk = calloc(nout, sizeof *chunk);
    jc_scalar_state *poison = calloc(nout, sizeof *poison);
    for (k = 0; k < nout; k++) {
        const jc_node *an = &t->nodes[t->aggs[agg[k]]];
        jc_type at = (jc_type)t->nodes[tree_agg_input(t, t->aggs[agg[k]])].type;
        outs[k] = malloc(step * 8);
        agg_begin(&total[k], (jc_op)an->op, at);
    }
    for (size_t c0 = 0; c0 < x->nrows; c0 += JC_CHUNK_ROWS) {
        size_t c1 = c0 + JC_CHUNK_ROWS < x->nrows ? c0 + JC_CHUNK_ROWS : x->nrows;
        for (k = 0; k < nout; k++)
            agg_begin(&chunk[k], (jc_op)total[k].op, (jc_type)total[k].type);
        for (size_t b = c0; b < c1; b += step) {
            size_t e = b + step < c1 ? b + step : c1;
            int rc = compute(x, p, outs, b, e, errs, 1);
            if (rc < 0) {
                x->r->err = errs[0];
                return -1; /* leaks in a failing test are fine */
            }
            for (k = 0; k < nout; k++) {
                if (poison[k].kind == SCALAR_FAULT)
                    continue;
                if (errs[k].code != JC_OK) {
                    poison[k].kind = SCALAR_FAULT;
                    poison[k].code = errs[k].code;
                    poison[k].row = errs[k].row;
                    continue;
                }
                size_t piece = x->o->add_rows ? x->o->add_rows : e - b;
                for (size_t q = b; q < e; q += piece) {
                    size_t qe = q + piece < e ? q + piece : e;
                    size_t size = total[k].type == JC_BOOL ? 1 : 8;
                    agg_add(&chunk[k], (const char *)outs[k] + (q - b) * size, qe - q,
                            q - c0);
                }
            }
        }
        for (k = 0; k < nout; k++)
            agg_merge(&total[k], &chunk[k]);
    }
    for (k = 0; k < nout; k++) {
        uint32_t slot = t->nconsts + agg[k];
        if (poison[k].kind == SCALAR_FAULT)
            x->states[slot] = poison[k];
        else
            agg_finish(&total[k], x->nrows, &x->scalars[slot], &x->states[slot]);
        free(outs[k]);
    }
    free(agg);
    free(outs);
    free(errs);
    free(total);
    free(chunk);
    free(poison);
    return 0;
}

void drv_eval(const char *expr, const jc_column *cols, size_t ncols,
              size_t nrows, const drv_opts *opts, drv_result *r)
{
    static const drv_opts defaults;
    const drv_opts *o = opts ? opts : &defaults;
    memset(r, 0, sizeof *r);
    error_clear(&r->err);
    jc_tree t;
    jc_limits lim = {JC_DEFAULT_MAX_EXPR_BYTES, JC_DEFAULT_MAX_DEPTH,
                     JC_DEFAULT_MAX_COLUMNS};
    run x = {.t = &t, .o = o, .nrows = nrows, .r = r};
    r->rc = -1;
    if (parse_expression(&t, expr, strlen(expr), &lim, &r->err) < 0)
        return;
    if (typecheck_tree(&t, cols, ncols, &lim, &r->err) < 0 ||
        (!o->no_fold && fold_constants(&t, &r->err) < 0))
        goto out;
    r->type = (jc_type)t.nodes[t.root].type;

    uint32_t nslots = t.nconsts + t.naggs;
    x.scalars = calloc(nslots + 1, sizeof *x.scalars);
    x.states = calloc(nslots + 1, sizeof *x.states);
    x.cols = calloc(t.ncolumns + 1, sizeof *x.cols);
    for (uint32_t i = 0; i < t.nconsts; i++)
        x.scalars[i] = t.consts[i].value.bits;
    for (uint32_t a = 0; a < t.naggs; a++) {
        x.states[t.nconsts + a].row = -1;
        if (t.nodes[t.aggs[a]].op == OP_COUNT)
            x.scalars[t.nconsts + a] = nrows;
    }
    for (uint32_t c = 0; c < t.ncolumns; c++)
        for (size_t j = 0; j < ncols; j++)
            if (strcmp(cols[j].name, t.columns[c].name) == 0)
                x.cols[c] = cols[j].data;
    x.io.cols = x.cols;
    x.io.scalars = x.scalars;
    x.ws = interp_ws_new(&t);
    if (!x.ws) {
        error_set(&r->err, JC_OUT_OF_MEMORY, 0, -1, "interp_ws_new failed");
        goto out;
    }
    interp_ws_force(x.ws, o->isa, o->math);

    for (unsigned p = 0; p < t.npasses; p++) {
        int rc = t.passes[p].is_final ? run_final(&x, p) : run_aggregates(&x, p);
        if (rc < 0)
            goto out;
    }
    if (!r->is_column &&
        interp_scalar(&t, x.scalars, x.states, &r->scalar, &r->is_null, &r->err) < 0)
        goto out;
    r->rc = 0;
out:
    if (r->rc < 0) {
        free(r->values);
        r->values = NULL;
        r->rows = 0;
    }
    interp_ws_free(x.ws);
    free(x.scalars);
    free(x.states);
    free(x.cols);
    tree_free(&t);
}

void drv_result_free(drv_result *r)
{
    free(r->values);
    r->values = NULL;
}

int drv_same(const drv_result *a, const drv_result *b)
{
    if (a->rc != b->rc)
        return 0;
    if (a->rc < 0)
        return a->err.code == b->err.code && a->err.row == b->err.row;
    if (a->type != b->type || a->is_column != b->is_column ||
        a->is_null != b->is_null || a->rows != b->rows)
        return 0;
    if (a->is_column)
        return a->rows == 0 ||
               memcmp(a->values, b->values, a->rows * type_size(a->type)) == 0;
    return a->is_null || a->scalar.bits == b->scalar.bits;
}
