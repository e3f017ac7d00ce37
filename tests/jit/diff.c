/*
 * diff.c — see diff.h.
 */
#include "tests/jit/diff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp/interp.h"
#include "parser/parser.h"

const jc_column dt_schema[DT_NCOLS] = {
    {"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}, {"n", JC_I64, NULL, 0},
    {"m", JC_I64, NULL, 0}, {"p", JC_BOOL, NULL, 0}, {"q", JC_BOOL, NULL, 0},
};

static const double f_edges[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.0, 0.1,
    1e-310, 5e-324, 1e308, -1e308, 1.7976931348623157e308, INFINITY, -INFINITY,
    NAN, -NAN, 4503599627370495.5, 9007199254740993.0, 9223372036854775808.0,
    -9223372036854775808.0, 1e19, 123.456, -7.75, 0.49999999999999994, 710.0,
    -745.5, 1e-5,
    /* NaNs with payloads, quiet and signaling: results are canonical */
    __builtin_nan("0x123"), -__builtin_nan("0x5"), __builtin_nans("0x1"),
    -__builtin_nans("0x7ffff"),
};
static const int64_t i_edges[] = {
    0, 1, -1, 2, -2, 3, -3, 7, -7, 10, INT64_MAX, INT64_MIN, INT64_MIN + 1,
    INT64_MAX - 1, 2147483648LL, -2147483648LL, 4294967297LL, 3037000499LL,
    -3037000500LL, 9007199254740993LL, 308, 309, -308, 400,
};
#define NF (sizeof f_edges / sizeof *f_edges)
#define NI (sizeof i_edges / sizeof *i_edges)

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void dt_data_edges(dt_data *d, size_t rows, uint64_t seed)
{
    size_t r = rows ? rows : 1;
    d->rows = rows;
    d->a = malloc(r * 8);
    d->b = malloc(r * 8);
    d->n = malloc(r * 8);
    d->m = malloc(r * 8);
    d->p = malloc(r);
    d->q = malloc(r);
    uint64_t s = seed;
    for (size_t i = 0; i < rows; i++) {
        if (i < NF * NF) {
            d->a[i] = f_edges[i % NF];
            d->b[i] = f_edges[(i / NF) % NF];
        } else {
            d->a[i] = ((double)(rnd(&s) >> 11) / 9007199254740992.0 - 0.5) * 20;
            d->b[i] = ((double)(rnd(&s) >> 11) / 9007199254740992.0 - 0.5) * 20;
        }
        if (i < NI * NI) {
            d->n[i] = i_edges[i % NI];
            d->m[i] = i_edges[(i / NI) % NI];
        } else {
            d->n[i] = (int64_t)(rnd(&s) % 2001) - 1000;
            d->m[i] = (int64_t)(rnd(&s) % 21) - 10;
        }
        d->p[i] = (uint8_t)(i & 1);
        d->q[i] = (uint8_t)((i >> 1) & 1);
    }
    d->cols[0] = d->a;
    d->cols[1] = d->b;
    d->cols[2] = d->n;
    d->cols[3] = d->m;
    d->cols[4] = d->p;
    d->cols[5] = d->q;
}

void dt_data_free(dt_data *d)
{
    free(d->a);
    free(d->b);
    free(d->n);
    free(d->m);
    free(d->p);
    free(d->q);
}

static size_t esize(uint8_t type)
{
    return type == JC_BOOL ? 1 : 8;
}

int dt_compare(jit_pool *pool, jit_isa isa, const char *text, const dt_data *d,
               size_t begin, size_t end, size_t block, size_t *faulted)
{
    jc_tree t;
    jc_error err;
    jc_limits lim = {65536, 256, 1024};
    tree_init(&t);
    if (parse_expression(&t, text, strlen(text), &lim, &err) < 0 ||
        typecheck_tree(&t, dt_schema, DT_NCOLS, &lim, &err) < 0 ||
        fold_constants(&t, &err) < 0) {
        printf("%s: %s\n", text, err.message);
        tree_free(&t);
        return -1;
    }
    jit_code *code = jit_supports(&t, isa) ? jit_compile(pool, &t, isa, &err) : NULL;
    interp_ws *ws = interp_ws_new(&t);
    if (!code || !ws) {
        printf("%s: does not compile for %s: %s\n", text, jit_isa_name(isa), err.message);
        tree_free(&t);
        interp_ws_free(ws);
        jit_code_free(code);
        return -1;
    }
    /* columns by the tree's slots; scalars: constants, then aggregate values */
    const void *cols[DT_NCOLS];
    for (uint32_t s = 0; s < t.ncolumns; s++)
        for (int k = 0; k < DT_NCOLS; k++)
            if (!strcmp(t.columns[s].name, dt_schema[k].name))
                cols[s] = d->cols[k];
    uint64_t *scalars = calloc(t.nconsts + t.naggs + 1, 8);
    for (uint32_t s = 0; s < t.nconsts; s++)
        scalars[s] = t.consts[s].value.bits;
    for (uint32_t k = 0; k < t.naggs; k++) {
        double f = -2.5;
        uint64_t fb;
        memcpy(&fb, &f, 8);
        scalars[t.nconsts + k] = t.nodes[t.aggs[k]].type == JC_F64 ? fb : 3;
    }
    int bad = 0;
    if (block == 0)
        block = end > begin ? end - begin : 1;
    for (unsigned p = 0; p < t.npasses; p++) {
        uint32_t nout = t.passes[p].nout;
        void *o1[8], *o2[8];
        if (nout > 8) {
            printf("%s: too many outputs for the harness\n", text);
            bad++;
            break;
        }
        for (uint32_t k = 0; k < nout; k++) {
            o1[k] = malloc(block * 8 + 1);
            o2[k] = malloc(block * 8 + 1);
        }
        for (size_t b0 = begin; b0 < end || b0 == begin; b0 += block) {
            size_t b1 = b0 + block < end ? b0 + block : end;
            for (uint32_t k = 0; k < nout; k++) {
                memset(o1[k], 0xAA, block * 8);
                memset(o2[k], 0x55, block * 8);
            }
            jc_block_io io1 = {cols, scalars, o1}, io2 = {cols, scalars, o2};
            uint64_t f1 = interp_block(&t, p, &io1, b0, b1, ws);
            uint64_t f2 = jit_run(code, p, &io2, b0, b1);
            /* A real fault (the interpreter's block path masks faults of
             * lanes a lazy branch does not take) must be detected; the JIT
             * may also flag untaken lanes (the executor then re-runs the
             * block precisely), but its selected values must still match. */
            if (f1 && !f2) {
                printf("%s [%s] pass %u rows [%zu,%zu): interp fault %#llx, jit %#llx\n",
                       text, jit_isa_name(isa), p, b0, b1, (unsigned long long)f1,
                       (unsigned long long)f2);
                bad++;
            } else if (f1) {
                if (faulted)
                    (*faulted)++;
            } else {
                for (uint32_t k = 0; k < nout; k++) {
                    size_t es = esize(t.nodes[t.pass_outs[t.passes[p].first_out + k]].type);
                    for (size_t r = 0; r < b1 - b0; r++) {
                        if (memcmp((char *)o1[k] + r * es, (char *)o2[k] + r * es, es)) {
                            uint64_t v1 = 0, v2 = 0;
                            memcpy(&v1, (char *)o1[k] + r * es, es);
                            memcpy(&v2, (char *)o2[k] + r * es, es);
                            printf("%s [%s] pass %u out %u row %zu: interp %#llx jit %#llx "
                                   "(a=%g b=%g n=%lld m=%lld)\n",
                                   text, jit_isa_name(isa), p, k, b0 + r,
                                   (unsigned long long)v1, (unsigned long long)v2,
                                   d->a[b0 + r], d->b[b0 + r], (long long)d->n[b0 + r],
                                   (long long)d->m[b0 + r]);
                            bad++;
                            break;
                        }
                    }
                }
            }
            if (b1 >= end)
                break;
        }
        for (uint32_t k = 0; k < nout; k++) {
            free(o1[k]);
            free(o2[k]);
        }
    }
    free(scalars);
    interp_ws_free(ws);
    jit_code_free(code);
    tree_free(&t);
    return bad;
}
