/*
 * tables.h — the service's stored tables: named column sets that `load`
 * stores and later requests on any connection read.
 *
 * A table is immutable once stored and reference-counted: a request holds a
 * reference while it reads the columns, so `drop` or a replacing `load`
 * during that request only unlinks the name; the memory goes with the last
 * reference. All stored tables together are bounded by max_bytes of values.
 */
#ifndef JC_SERVER_TABLES_H
#define JC_SERVER_TABLES_H

#include <stdatomic.h>
#include <stddef.h>

#include "server/columns.h"
#include "server/jbuf.h"
#include "server/proto.h"

typedef struct table {
    char *name;
    size_t name_len;
    colset cols;
    size_t rows;
    atomic_size_t refs;
} table;

typedef struct tables tables;

tables *tables_new(size_t max_bytes);
void tables_free(tables *ts);

/* Stores cols (all of `rows` rows) as table `name`, replacing one of that
 * name; takes the columns over (cols is left empty) on success. Returns 0,
 * or -1 with e filled (limit_exceeded when the values would pass max_bytes:
 * then nothing changes). */
int tables_put(tables *ts, const char *name, size_t name_len, colset *cols,
               size_t rows, perr *e);

/* The table of that name with one more reference, or NULL. */
table *tables_get(tables *ts, const char *name, size_t name_len);
void table_release(table *t);

/* Unlinks the table; 0, or -1 when there is none of that name. */
int tables_drop(tables *ts, const char *name, size_t name_len);

/* Writes [{"name":…,"rows":…,"bytes":…,"columns":[{"name":…,"type":…}]},…]
 * in name order. */
void tables_list(tables *ts, jbuf *out);

/* Totals for stats and for deciding what is a large request. */
void tables_usage(tables *ts, size_t *count, size_t *bytes, size_t *max_rows);
/* The most rows of any stored table (lock-free, for every request). */
size_t tables_max_rows(tables *ts);

#endif /* JC_SERVER_TABLES_H */
