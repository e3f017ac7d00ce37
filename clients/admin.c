/* admin.c — the small commands: load, drop, tables, stats, ping. Each is
 * one request and a short printout of its answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/client.h"
#include "clients/input.h"
#include "clients/output.h"
#include "clients/request.h"
#include "clients/response.h"

typedef void (*print_fn)(const cli_args *a, const response *r);

/* Sends one request, prints the answer with `print` (or as is for
 * --format json), and prints errors to stderr. */
static int round_trip(const cli_args *a, strbuf *req, print_fn print)
{
    if (req->failed) {
        fprintf(stderr, "jitcalc: out of memory building the request\n");
        return CLI_ERROR;
    }
    client c;
    int status = client_open(&c, a->socket, a->local);
    strbuf answer;
    strbuf_init(&answer);
    if (status == CLI_OK)
        status = client_request(&c, req->data, req->len, &answer);
    client_close(&c);
    if (status != CLI_OK) {
        strbuf_free(&answer);
        return status;
    }
    response r;
    if (response_parse(answer.data ? answer.data : "", answer.len, &r) < 0) {
        fprintf(stderr, "jitcalc: the answer is not a jitcalc response: %.*s\n",
                (int)(answer.len > 200 ? 200 : answer.len), answer.data ? answer.data : "");
        strbuf_free(&answer);
        return CLI_ERROR;
    }
    if (a->format == FORMAT_JSON) {
        fwrite(answer.data, 1, answer.len, stdout);
        fputc('\n', stdout);
    }
    if (!r.ok) {
        output_error(stderr, "jitcalc: ", &r, NULL, NULL, NULL);
        status = CLI_ERROR;
    } else if (a->format != FORMAT_JSON)
        print(a, &r);
    response_free(&r);
    strbuf_free(&answer);
    return status;
}

static int is_object(jspan v)
{
    jiter it;
    return jscan_object_begin(v, &it) == 0;
}

/* Members of an answer other than id and ok, nested objects flattened
 * with dots: "cache.hits: 3" (lines) or "cache.hits,3" (csv). */
static void print_members(FILE *f, jspan obj, const char *prefix,
                          out_format format)
{
    jiter it;
    jspan k, v;
    if (jscan_object_begin(obj, &it) < 0)
        return;
    while (jscan_object_next(&it, &k, &v) == 1) {
        if (!*prefix && (jspan_is(k, "id") || jspan_is(k, "ok")))
            continue;
        char path[256];
        snprintf(path, sizeof path, "%s%.*s", prefix, (int)k.n, k.p);
        if (is_object(v)) {
            /* Nesting in stats answers is shallow; recursion depth is the
             * answer's depth, bounded by the path buffer's length. */
            size_t len = strlen(path);
            if (len + 2 <= sizeof path) {
                path[len] = '.';
                path[len + 1] = '\0';
                print_members(f, v, path, format);
            }
            continue;
        }
        if (format == FORMAT_CSV) {
            output_csv_field(f, path);
            fputc(',', f);
        } else
            fprintf(f, "%s: ", path);
        output_value(f, v, 0);
        fputc('\n', f);
    }
}

static void print_stats(const cli_args *a, const response *r)
{
    if (a->format == FORMAT_CSV)
        puts("key,value");
    print_members(stdout, r->line, "", a->format);
}

static void print_ok(const cli_args *a, const response *r)
{
    (void)a;
    (void)r;
    puts("ok");
}

static void print_loaded(const cli_args *a, const response *r)
{
    printf("loaded %.*s row%s into %s\n", (int)r->rows_span.n,
           r->rows_span.p ? r->rows_span.p : "?", r->rows == 1 ? "" : "s",
           a->operands[0]);
}

static void print_dropped(const cli_args *a, const response *r)
{
    (void)r;
    printf("dropped %s\n", a->operands[0]);
}

/* A table's columns, from [{"name":"a","type":"i64"},...], as
 * "a i64, b f64" (lines) or "a:i64 b:f64" (csv). */
static void print_table_columns(FILE *f, jspan cols, out_format format)
{
    jiter it;
    jspan col, name, type;
    if (jscan_array_begin(cols, &it) < 0)
        return;
    int first = 1;
    while (jscan_array_next(&it, &col) == 1) {
        if (jscan_member(col, "name", &name) != 1 || jscan_member(col, "type", &type) != 1)
            continue;
        if (!first)
            fputs(format == FORMAT_CSV ? " " : ", ", f);
        output_value(f, name, 0);
        fputc(format == FORMAT_CSV ? ':' : ' ', f);
        output_value(f, type, 0);
        first = 0;
    }
}

/* One table per line: "sales  3 rows  48 bytes  a i64, b f64", or CSV
 * under the header name,rows,bytes,columns. */
static void print_tables(const cli_args *a, const response *r)
{
    jspan list, table, name, rows, bytes, cols;
    jiter it;
    if (jscan_member(r->line, "tables", &list) != 1 || jscan_array_begin(list, &it) < 0)
        return;
    int csv = a->format == FORMAT_CSV;
    if (csv)
        puts("name,rows,bytes,columns");
    while (jscan_array_next(&it, &table) == 1) {
        if (jscan_member(table, "name", &name) != 1)
            continue;
        if (jscan_member(table, "rows", &rows) != 1)
            rows.p = NULL;
        if (jscan_member(table, "bytes", &bytes) != 1)
            bytes.p = NULL;
        if (jscan_member(table, "columns", &cols) != 1)
            cols.p = NULL;
        if (csv) {
            char *s = jspan_string(name);
            output_csv_field(stdout, s ? s : "");
            free(s);
            putchar(',');
            output_value(stdout, rows, 1);
            putchar(',');
            output_value(stdout, bytes, 1);
            putchar(',');
            /* Built apart so names with commas or quotes get CSV quoting. */
            char *text = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&text, &len);
            if (mem) {
                print_table_columns(mem, cols, FORMAT_CSV);
                fclose(mem);
                output_csv_field(stdout, text);
            }
            free(text);
        } else {
            output_value(stdout, name, 0);
            fputs("  ", stdout);
            output_value(stdout, rows, 0);
            fputs(" rows  ", stdout);
            output_value(stdout, bytes, 0);
            fputs(" bytes  ", stdout);
            print_table_columns(stdout, cols, FORMAT_LINES);
        }
        putchar('\n');
    }
}

int cmd_load(const cli_args *a)
{
    if (a->noperands != 1)
        return cli_usage_error("load", "load needs a table name");
    if (!a->csv && a->ncols == 0)
        return cli_usage_error("load", "load needs columns: --csv FILE or --col NAME=V1,V2,...");
    if (input_check_text("table name", a->operands[0]) != CLI_OK)
        return CLI_USAGE;
    incols input;
    int status = input_columns(a, &input);
    if (status != CLI_OK)
        return status;
    for (size_t i = 0; i < input.count; i++)
        if (input.cols[i].text_why)
            fprintf(stderr, "jitcalc: note: column \"%s\" holds text and is not stored\n",
                    input.cols[i].name);
    strbuf req;
    strbuf_init(&req);
    request_begin(&req, "load");
    request_add_string(&req, "table", a->operands[0]);
    request_add_columns(&req, "columns", &input);
    request_end(&req);
    incols_free(&input);
    status = round_trip(a, &req, print_loaded);
    strbuf_free(&req);
    return status;
}

int cmd_drop(const cli_args *a)
{
    if (a->noperands != 1)
        return cli_usage_error("drop", "drop needs a table name");
    if (input_check_text("table name", a->operands[0]) != CLI_OK)
        return CLI_USAGE;
    strbuf req;
    strbuf_init(&req);
    request_begin(&req, "drop");
    request_add_string(&req, "table", a->operands[0]);
    request_end(&req);
    int status = round_trip(a, &req, print_dropped);
    strbuf_free(&req);
    return status;
}

/* A request that is just an op. */
static int simple(const cli_args *a, const char *op, print_fn print)
{
    strbuf req;
    strbuf_init(&req);
    request_begin(&req, op);
    request_end(&req);
    int status = round_trip(a, &req, print);
    strbuf_free(&req);
    return status;
}

int cmd_tables(const cli_args *a) { return simple(a, "tables", print_tables); }
int cmd_stats(const cli_args *a) { return simple(a, "stats", print_stats); }
int cmd_ping(const cli_args *a) { return simple(a, "ping", print_ok); }
