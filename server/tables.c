/* tables.c — stored tables (see tables.h). */
#include "server/tables.h"

#include <pthread.h>
#include <string.h>

#include "util/mem.h"

struct tables {
    pthread_mutex_t lock;
    table **items; /* sorted by name (bytes, then length) */
    size_t n, cap;
    size_t bytes, max_bytes;
    atomic_size_t max_rows; /* read without the lock by tables_max_rows */
};

/* Recomputes max_rows. Lock held. */
static void update_max_rows(tables *ts)
{
    size_t m = 0;
    for (size_t i = 0; i < ts->n; i++)
        if (ts->items[i]->rows > m)
            m = ts->items[i]->rows;
    atomic_store(&ts->max_rows, m);
}

size_t tables_max_rows(tables *ts) { return atomic_load(&ts->max_rows); }

tables *tables_new(size_t max_bytes)
{
    tables *ts = mem_calloc(1, sizeof *ts);
    if (!ts)
        return NULL;
    pthread_mutex_init(&ts->lock, NULL);
    ts->max_bytes = max_bytes;
    return ts;
}

static void table_destroy(table *t)
{
    colset_free(&t->cols);
    mem_free(t->name);
    mem_free(t);
}

void table_release(table *t)
{
    if (t && atomic_fetch_sub(&t->refs, 1) == 1)
        table_destroy(t);
}

void tables_free(tables *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; i < ts->n; i++)
        table_release(ts->items[i]);
    mem_free(ts->items);
    pthread_mutex_destroy(&ts->lock);
    mem_free(ts);
}

static int cmp_name(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

/* Index of name, or of where it would go (*found says which). Lock held. */
static size_t find(const tables *ts, const char *name, size_t len, int *found)
{
    size_t lo = 0, hi = ts->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_name(ts->items[mid]->name, ts->items[mid]->name_len, name, len);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

int tables_put(tables *ts, const char *name, size_t name_len, colset *cols,
               size_t rows, perr *e)
{
    table *t = mem_calloc(1, sizeof *t);
    char *copy = mem_strndup(name, name_len);
    if (!t || !copy) {
        mem_free(t);
        mem_free(copy);
        return perr_set(e, "out_of_memory", "out of memory");
    }
    t->name = copy;
    t->name_len = name_len;
    t->rows = rows;
    atomic_init(&t->refs, 1);

    pthread_mutex_lock(&ts->lock);
    int found;
    size_t at = find(ts, name, name_len, &found);
    size_t old_bytes = found ? ts->items[at]->cols.bytes : 0;
    size_t total = ts->bytes - old_bytes;
    if (cols->bytes > ts->max_bytes || total > ts->max_bytes - cols->bytes) {
        pthread_mutex_unlock(&ts->lock);
        mem_free(copy);
        mem_free(t);
        return perr_set(e, "limit_exceeded",
                        "storing %zu bytes would pass the stored-table limit of %zu bytes "
                        "(%zu in use by other tables)", cols->bytes, ts->max_bytes, total);
    }
    if (!found && ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 8;
        table **items = mem_realloc(ts->items, cap * sizeof *items);
        if (!items) {
            pthread_mutex_unlock(&ts->lock);
            mem_free(copy);
            mem_free(t);
            return perr_set(e, "out_of_memory", "out of memory");
        }
        ts->items = items;
        ts->cap = cap;
    }
    t->cols = *cols;
    colset_init(cols);
    table *old = NULL;
    if (found) {
        old = ts->items[at];
        ts->items[at] = t;
    } else {
        memmove(ts->items + at + 1, ts->items + at, (ts->n - at) * sizeof *ts->items);
        ts->items[at] = t;
        ts->n++;
    }
    ts->bytes = total + t->cols.bytes;
    update_max_rows(ts);
    pthread_mutex_unlock(&ts->lock);
    table_release(old);
    return 0;
}

table *tables_get(tables *ts, const char *name, size_t name_len)
{
    pthread_mutex_lock(&ts->lock);
    int found;
    size_t at = find(ts, name, name_len, &found);
    table *t = found ? ts->items[at] : NULL;
    if (t)
        atomic_fetch_add(&t->refs, 1);
    pthread_mutex_unlock(&ts->lock);
    return t;
}

int tables_drop(tables *ts, const char *name, size_t name_len)
{
    pthread_mutex_lock(&ts->lock);
    int found;
    size_t at = find(ts, name, name_len, &found);
    table *t = NULL;
    if (found) {
        t = ts->items[at];
        memmove(ts->items + at, ts->items + at + 1, (ts->n - at - 1) * sizeof *ts->items);
        ts->n--;
        ts->bytes -= t->cols.bytes;
        update_max_rows(ts);
    }
    pthread_mutex_unlock(&ts->lock);
    table_release(t);
    return found ? 0 : -1;
}

void tables_list(tables *ts, jbuf *out)
{
    pthread_mutex_lock(&ts->lock);
    jb_char(out, '[');
    for (size_t i = 0; i < ts->n; i++) {
        const table *t = ts->items[i];
        if (i)
            jb_char(out, ',');
        jb_lit(out, "{\"name\":");
        jb_str(out, t->name, t->name_len);
        jb_lit(out, ",\"rows\":");
        jb_u64(out, t->rows);
        jb_lit(out, ",\"bytes\":");
        jb_u64(out, t->cols.bytes);
        jb_lit(out, ",\"columns\":[");
        for (size_t c = 0; c < t->cols.n; c++) {
            if (c)
                jb_char(out, ',');
            jb_lit(out, "{\"name\":");
            jb_cstr(out, t->cols.cols[c].name);
            jb_lit(out, ",\"type\":\"");
            jb_lit(out, jc_type_name(t->cols.cols[c].type));
            jb_lit(out, "\"}");
        }
        jb_lit(out, "]}");
    }
    jb_char(out, ']');
    pthread_mutex_unlock(&ts->lock);
}

void tables_usage(tables *ts, size_t *count, size_t *bytes, size_t *max_rows)
{
    pthread_mutex_lock(&ts->lock);
    *count = ts->n;
    *bytes = ts->bytes;
    *max_rows = atomic_load(&ts->max_rows);
    pthread_mutex_unlock(&ts->lock);
}
