/* output.c — formatting answers and errors (see output.h). */
#include "clients/output.h"

#include <stdlib.h>
#include <string.h>

#include "clients/text.h"

int format_parse(const char *name, out_format *out)
{
    if (strcmp(name, "lines") == 0)
        *out = FORMAT_LINES;
    else if (strcmp(name, "csv") == 0)
        *out = FORMAT_CSV;
    else if (strcmp(name, "json") == 0)
        *out = FORMAT_JSON;
    else
        return -1;
    return 0;
}

void output_value(FILE *f, jspan v, int empty_null)
{
    if (!v.p)
        return;
    if (v.n >= 2 && v.p[0] == '"') {
        if (!memchr(v.p, '\\', v.n)) {
            fwrite(v.p + 1, 1, v.n - 2, f);
            return;
        }
        char *s = jspan_string(v);
        if (s) {
            fputs(s, f);
            free(s);
        }
        return;
    }
    if (empty_null && jspan_is(v, "null"))
        return;
    fwrite(v.p, 1, v.n, f);
}

void output_csv_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
                          s[n - 1] == '\t');
    if (strpbrk(s, ",\"\r\n"))
        quote = 1;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Prints the elements of a column (or a scalar) one per line. */
static int print_lines(FILE *f, jspan values, size_t max_rows)
{
    jiter it;
    if (jscan_array_begin(values, &it) < 0) {
        output_value(f, values, 0);
        fputc('\n', f);
        return 0;
    }
    jspan v;
    int rc;
    size_t shown = 0, total = 0;
    while ((rc = jscan_array_next(&it, &v)) == 1) {
        total++;
        if (max_rows && shown == max_rows)
            continue;
        output_value(f, v, 0);
        fputc('\n', f);
        shown++;
    }
    if (total > shown)
        fprintf(f, "... %zu more rows (%zu in all)\n", total - shown, total);
    return rc;
}

/* Prints parallel columns as CSV rows (header already printed). A scalar
 * among them repeats on every row. */
static int print_csv_rows(FILE *f, const jspan *cols, size_t n)
{
    jiter *its = calloc(n ? n : 1, sizeof *its);
    int *is_array = calloc(n ? n : 1, sizeof *is_array);
    int rc = -1;
    if (!its || !is_array)
        goto done;
    for (size_t c = 0; c < n; c++)
        is_array[c] = jscan_array_begin(cols[c], &its[c]) == 0;
    for (;;) {
        int more = 0, ended = 0;
        jspan v[1];
        for (size_t c = 0; c < n; c++) {
            if (!is_array[c])
                continue;
            jiter probe = its[c];
            int got = jscan_array_next(&probe, v);
            if (got < 0)
                goto done;
            if (got)
                more = 1;
            else
                ended = 1;
        }
        if (!more)
            break;
        if (ended)
            goto done; /* columns of different lengths: not our answer */
        for (size_t c = 0; c < n; c++) {
            if (c)
                fputc(',', f);
            if (!is_array[c]) {
                output_value(f, cols[c], 1);
                continue;
            }
            jscan_array_next(&its[c], v);
            output_value(f, v[0], 1);
        }
        fputc('\n', f);
    }
    rc = 0;
done:
    free(its);
    free(is_array);
    return rc;
}

/* The k-th entry of "results": its "result" member. */
static int nth_result(const response *r, size_t k, jspan *out)
{
    jiter it;
    jspan item;
    if (jscan_array_begin(r->results, &it) < 0)
        return -1;
    for (size_t i = 0; i <= k; i++)
        if (jscan_array_next(&it, &item) != 1)
            return -1;
    return jscan_member(item, "result", out) == 1 ? 0 : -1;
}

static int is_array(jspan v)
{
    jiter it;
    return jscan_array_begin(v, &it) == 0;
}

int output_eval(FILE *f, const eval_view *v, const response *r)
{
    if (v->format == FORMAT_JSON) {
        fwrite(r->line.p, 1, r->line.n, f);
        fputc('\n', f);
        return 0;
    }
    if (!v->with_input) {
        /* Filter-only queries answer with the selected row indices. */
        jspan values = v->expr ? r->result : r->indices;
        if (!values.p)
            return -1;
        if (v->format == FORMAT_LINES)
            return print_lines(f, values, v->max_rows);
        output_csv_field(f, v->expr ? v->expr : "row");
        fputc('\n', f);
        if (!is_array(values)) {
            output_value(f, values, 1);
            fputc('\n', f);
            return 0;
        }
        return print_csv_rows(f, &values, 1);
    }
    /* --with-input: results = [expr?, input columns...]. */
    size_t first_input = v->expr ? 1 : 0;
    size_t n = v->ninputs + first_input;
    jspan *cols = calloc(n ? n : 1, sizeof *cols);
    if (!cols)
        return -1;
    int rc = -1;
    for (size_t k = 0; k < n; k++)
        if (nth_result(r, k, &cols[k]) < 0)
            goto done;
    if (v->expr && !is_array(cols[0])) {
        /* A scalar has no rows to pair with the input. */
        output_csv_field(f, v->expr);
        fputc('\n', f);
        output_value(f, cols[0], 1);
        fputc('\n', f);
        rc = 0;
        goto done;
    }
    /* Input columns first, the result last, as in a spreadsheet. */
    for (size_t i = 0; i < v->ninputs; i++) {
        if (i)
            fputc(',', f);
        output_csv_field(f, v->inputs[i]);
    }
    if (v->expr) {
        if (v->ninputs)
            fputc(',', f);
        output_csv_field(f, v->expr);
        jspan result = cols[0];
        memmove(cols, cols + 1, v->ninputs * sizeof *cols);
        cols[v->ninputs] = result;
    }
    fputc('\n', f);
    rc = print_csv_rows(f, cols, n);
done:
    free(cols);
    return rc;
}

void output_caret(FILE *f, const char *text, long long position,
                  const char *indent)
{
    size_t n = strlen(text);
    size_t off = utf8_offset(text, n, position);
    size_t line_start = off;
    while (line_start > 0 && text[line_start - 1] != '\n')
        line_start--;
    size_t line_end = off;
    while (line_end < n && text[line_end] != '\n')
        line_end++;
    fputs(indent, f);
    for (size_t i = line_start; i < line_end;) {
        size_t step = utf8_step(text + i, line_end - i);
        unsigned char c = (unsigned char)text[i];
        if (c == '\t' || (c >= 0x20 && c != 0x7F))
            fwrite(text + i, 1, step, f);
        else
            fputc('?', f); /* keep the terminal sane, one column per char */
        i += step;
    }
    fputc('\n', f);
    fputs(indent, f);
    for (size_t i = line_start; i < off;) {
        fputc(text[i] == '\t' ? '\t' : ' ', f);
        i += utf8_step(text + i, off - i);
    }
    fputs("^\n", f);
}

void output_error(FILE *f, const char *prefix, const response *r,
                  const char *expr, const char *expr_label,
                  const incols *input)
{
    fprintf(f, "%s%s: %s\n", prefix, r->code[0] ? r->code : "error",
            r->message ? r->message : "(no message)");
    if (r->position > 0 && expr) {
        if (expr_label)
            fprintf(f, "  in %s, at position %lld:\n", expr_label,
                    (long long)r->position);
        output_caret(f, expr, r->position, "    ");
    }
    if (r->row >= 0) {
        size_t line = input ? incols_row_line(input, r->row) : 0;
        if (line)
            fprintf(f, "  at row %lld (%s line %zu)\n", (long long)r->row,
                    input->source, line);
        else
            fprintf(f, "  at row %lld\n", (long long)r->row);
    }
}
