/* output.c — formatting answers and errors (see output.h). */
#include "clients/output.h"

#include <stdint.h>
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

/* One column of CSV rows: values from the answer (an array, or a scalar
 * repeated on every row), or a text column's cells picked by row index. */
typedef struct out_col {
    jspan values;
    int is_array;
    jiter it;
    const char *const *texts;
    size_t ntexts;
} out_col;

/* The selected row indices of an answer, or NULL when it has none. */
static size_t *read_indices(const response *r, size_t *count, int *bad)
{
    jiter it;
    jspan v;
    *count = 0;
    *bad = 0;
    if (!r->indices.p)
        return NULL;
    if (jscan_array_begin(r->indices, &it) < 0) {
        *bad = 1;
        return NULL;
    }
    size_t cap = 0;
    size_t *idx = NULL;
    int rc;
    while ((rc = jscan_array_next(&it, &v)) == 1) {
        int64_t x;
        if (jspan_int(v, &x) < 0 || x < 0)
            break;
        if (*count == cap) {
            cap = cap ? cap * 2 : 64;
            size_t *grown = realloc(idx, cap * sizeof *grown);
            if (!grown)
                break;
            idx = grown;
        }
        idx[(*count)++] = (size_t)x;
    }
    if (rc != 0) {
        free(idx);
        *bad = 1;
        return NULL;
    }
    return idx;
}

/* Prints the columns as CSV rows (header already printed). Rows end when
 * the answer's arrays end (all together), or, with only text columns, at
 * the last selected index. */
static int print_csv_rows(FILE *f, out_col *cols, size_t n, const response *r)
{
    size_t nidx;
    int bad;
    size_t *idx = read_indices(r, &nidx, &bad);
    if (bad)
        return -1;
    int any_array = 0;
    size_t text_rows = 0;
    for (size_t c = 0; c < n; c++) {
        if (cols[c].texts) {
            text_rows = cols[c].ntexts;
            continue;
        }
        cols[c].is_array = jscan_array_begin(cols[c].values, &cols[c].it) == 0;
        any_array |= cols[c].is_array;
    }
    if (idx)
        text_rows = nidx;
    int rc = -1;
    for (size_t row = 0;; row++) {
        if (any_array) {
            int more = 0, ended = 0;
            for (size_t c = 0; c < n; c++) {
                if (!cols[c].is_array)
                    continue;
                jiter probe = cols[c].it;
                jspan v;
                int got = jscan_array_next(&probe, &v);
                if (got < 0)
                    goto done;
                more |= got == 1;
                ended |= got == 0;
            }
            if (!more)
                break;
            if (ended)
                goto done; /* columns of different lengths: not our answer */
        } else if (row >= text_rows)
            break;
        size_t src = idx ? (row < nidx ? idx[row] : SIZE_MAX) : row;
        for (size_t c = 0; c < n; c++) {
            if (c)
                fputc(',', f);
            if (cols[c].texts) {
                if (src >= cols[c].ntexts)
                    goto done;
                output_csv_field(f, cols[c].texts[src]);
            } else if (cols[c].is_array) {
                jspan v;
                jscan_array_next(&cols[c].it, &v);
                output_value(f, v, 1);
            } else
                output_value(f, cols[c].values, 1);
        }
        fputc('\n', f);
    }
    rc = 0;
done:
    free(idx);
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
        out_col col = {.values = values};
        return print_csv_rows(f, &col, 1, r);
    }
    /* --with-input: results = [expr?, value input columns...]. */
    size_t first_input = v->expr ? 1 : 0;
    out_col *cols = calloc(v->ninputs + 1, sizeof *cols);
    if (!cols)
        return -1;
    int rc = -1;
    size_t k = first_input;
    for (size_t i = 0; i < v->ninputs; i++) {
        cols[i].texts = v->inputs[i].texts;
        cols[i].ntexts = v->inputs[i].ntexts;
        if (!cols[i].texts && nth_result(r, k++, &cols[i].values) < 0)
            goto done;
    }
    size_t n = v->ninputs;
    if (v->expr) {
        if (nth_result(r, 0, &cols[n].values) < 0)
            goto done;
        if (!is_array(cols[n].values)) {
            /* A scalar has no rows to pair with the input. */
            output_csv_field(f, v->expr);
            fputc('\n', f);
            output_value(f, cols[n].values, 1);
            fputc('\n', f);
            rc = 0;
            goto done;
        }
        n++;
    }
    /* Input columns first, the result last, as in a spreadsheet. */
    for (size_t i = 0; i < v->ninputs; i++) {
        if (i)
            fputc(',', f);
        output_csv_field(f, v->inputs[i].name);
    }
    if (v->expr) {
        if (v->ninputs)
            fputc(',', f);
        output_csv_field(f, v->expr);
    }
    fputc('\n', f);
    rc = print_csv_rows(f, cols, n, r);
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
