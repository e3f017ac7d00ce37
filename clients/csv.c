/* csv.c — RFC 4180 text to typed input columns (see csv.h). */
#include "clients/csv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clients/strbuf.h"
#include "util/mem.h"

typedef struct reader {
    const char *p;
    const char *end;
    size_t line;     /* 1-based line of p */
    strbuf scratch;  /* a quoted field with "" escapes, unescaped */
    size_t lines_cap; /* capacity of the incols' row_line table */
    const char *name;
    char *msg;
    size_t msglen;
} reader;

/* One field as read: its text and whether it ended the record. */
typedef struct field {
    const char *text;
    size_t len;
    int quoted;
    int last;
} field;

/* Consumes a record terminator (LF, CRLF or CR) if p is at one. */
static int eat_line_end(reader *r)
{
    if (r->p < r->end && *r->p == '\r') {
        r->p++;
        if (r->p < r->end && *r->p == '\n')
            r->p++;
        r->line++;
        return 1;
    }
    if (r->p < r->end && *r->p == '\n') {
        r->p++;
        r->line++;
        return 1;
    }
    return 0;
}

/* After a field: a comma (more fields follow), a line end or the end of
 * the text (the record ends). */
static int finish_field(reader *r, field *f)
{
    if (r->p == r->end || eat_line_end(r)) {
        f->last = 1;
        return 0;
    }
    if (*r->p == ',') {
        r->p++;
        f->last = 0;
        return 0;
    }
    snprintf(r->msg, r->msglen, "%s:%zu: unexpected '%c' after a closing quote",
             r->name, r->line, *r->p);
    return -1;
}

/* Counts the line breaks (LF, CRLF, lone CR) in s[0..n). */
static size_t count_lines(const char *s, size_t n)
{
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
            lines++;
    return lines;
}

static int read_quoted(reader *r, field *f)
{
    size_t start_line = r->line;
    const char *start = ++r->p; /* after the opening quote */
    strbuf_reset(&r->scratch);
    int escaped = 0;
    for (;;) {
        const char *q = memchr(r->p, '"', (size_t)(r->end - r->p));
        if (!q) {
            snprintf(r->msg, r->msglen,
                     "%s:%zu: a quoted field is not closed (missing '\"')",
                     r->name, start_line);
            return -1;
        }
        r->line += count_lines(r->p, (size_t)(q - r->p));
        if (q + 1 < r->end && q[1] == '"') {
            /* "" is one quote: keep the text up to and including one. */
            strbuf_add(&r->scratch, r->p, (size_t)(q + 1 - r->p));
            r->p = q + 2;
            escaped = 1;
            continue;
        }
        if (escaped) {
            strbuf_add(&r->scratch, r->p, (size_t)(q - r->p));
            if (r->scratch.failed) {
                snprintf(r->msg, r->msglen, "%s: out of memory", r->name);
                return -1;
            }
            f->text = r->scratch.data ? r->scratch.data : "";
            f->len = r->scratch.len;
        } else {
            f->text = start;
            f->len = (size_t)(q - start);
        }
        r->p = q + 1;
        f->quoted = 1;
        return finish_field(r, f);
    }
}

static int read_field(reader *r, field *f)
{
    if (r->p < r->end && *r->p == '"')
        return read_quoted(r, f);
    const char *start = r->p;
    while (r->p < r->end && *r->p != ',' && *r->p != '\n' && *r->p != '\r')
        r->p++;
    f->text = start;
    f->len = (size_t)(r->p - start);
    f->quoted = 0;
    return finish_field(r, f);
}

/* Only line breaks remain (blank lines at the end are not records). */
static int only_line_ends(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != '\n' && *p != '\r')
            return 0;
    return 1;
}

static int read_header(reader *r, incols *cs)
{
    field f;
    do {
        if (read_field(r, &f) < 0)
            return -1;
        const char *name = f.text;
        size_t len = f.len;
        if (!f.quoted) {
            while (len && (*name == ' ' || *name == '\t')) {
                name++;
                len--;
            }
            while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
                len--;
        }
        char why[200];
        if (incols_add_column(cs, name, len, why, sizeof why) < 0) {
            snprintf(r->msg, r->msglen, "%s:1: header: %s", r->name, why);
            return -1;
        }
    } while (!f.last);
    return 0;
}

/* Records that data row `row` starts on line `line`; the table is only
 * kept once some row is not on line row + 2 (a header or field with line
 * breaks in quotes). */
static int note_row_line(incols *cs, size_t row, size_t line, size_t *cap)
{
    if (!cs->row_line && line == row + 2)
        return 0;
    if (row >= *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 1024;
        while (grown_cap <= row)
            grown_cap *= 2;
        size_t *grown = mem_realloc(cs->row_line, grown_cap * sizeof *grown);
        if (!grown)
            return -1;
        if (!cs->row_line)
            for (size_t i = 0; i < row; i++)
                grown[i] = i + 2;
        cs->row_line = grown;
        *cap = grown_cap;
    }
    cs->row_line[row] = line;
    return 0;
}

/* What to do with one field of a data record. */
typedef int (*cell_fn)(reader *r, incols *cs, size_t row, size_t line,
                       size_t col, const field *f);

/* Walks the data records, checking their shape (no blank line inside the
 * data, as many fields as the header) and handing each field to fn. */
static int each_record(reader *r, incols *cs, cell_fn fn)
{
    size_t ncols = cs->count;
    for (size_t row = 0; r->p < r->end; row++) {
        if (only_line_ends(r->p, r->end))
            break;
        size_t line = r->line;
        if (*r->p == '\n' || *r->p == '\r') {
            snprintf(r->msg, r->msglen, "%s:%zu: blank line (row %zu)",
                     r->name, line, row);
            return -1;
        }
        field f = {.last = 0};
        size_t fi = 0;
        for (; !f.last; fi++) {
            if (read_field(r, &f) < 0)
                return -1;
            if (fi < ncols && fn(r, cs, row, line, fi, &f) < 0)
                return -1;
        }
        if (fi != ncols) {
            snprintf(r->msg, r->msglen,
                     "%s:%zu: %zu field%s, but the header has %zu (row %zu)",
                     r->name, line, fi, fi == 1 ? "" : "s", ncols, row);
            return -1;
        }
    }
    return 0;
}

/* First pass: a cell that is no value makes its column a text column. */
static int find_text(reader *r, incols *cs, size_t row, size_t line, size_t col,
                     const field *f)
{
    if (cs->cols[col].text_why)
        return 0;
    cell v = cell_parse(f->text, f->len);
    if (v.kind != CELL_BAD)
        return 0;
    char why[400];
    snprintf(why, sizeof why, "%s:%zu: '%.*s%s' %s (row %zu)", r->name, line,
             (int)(f->len > 40 ? 40 : f->len), f->text, f->len > 40 ? "..." : "",
             v.why, row);
    if (incols_make_text(cs, col, why) < 0) {
        snprintf(r->msg, r->msglen, "%s: out of memory", r->name);
        return -1;
    }
    return 0;
}

/* Second pass: the cells into their columns. */
static int take_cell(reader *r, incols *cs, size_t row, size_t line, size_t col,
                     const field *f)
{
    if (col == 0 && note_row_line(cs, row, line, &r->lines_cap) < 0) {
        snprintf(r->msg, r->msglen, "%s: out of memory", r->name);
        return -1;
    }
    if (cs->cols[col].text_why) {
        if (incols_add_text(cs, col, f->text, f->len) == 0)
            return 0;
        snprintf(r->msg, r->msglen, "%s: out of memory", r->name);
        return -1;
    }
    char why[200];
    if (incols_add_cell(cs, col, f->text, f->len, why, sizeof why) == 0)
        return 0;
    snprintf(r->msg, r->msglen, "%s:%zu: column \"%s\": %s (row %zu)", r->name, line,
             cs->cols[col].name, why, row);
    return -1;
}

/* Two passes over the records: the types of a column are only known once
 * all its cells are seen, and a text column keeps its cells as text. */
static int read_records(reader *r, incols *cs)
{
    const char *data_start = r->p;
    size_t data_line = r->line;
    if (each_record(r, cs, find_text) < 0)
        return -1;
    r->p = data_start;
    r->line = data_line;
    return each_record(r, cs, take_cell);
}

int csv_parse(const char *data, size_t len, const char *name, incols *cs,
              char *msg, size_t msglen)
{
    reader r = {.p = data, .end = data + len, .line = 1, .name = name,
                .msg = msg, .msglen = msglen};
    strbuf_init(&r.scratch);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r.p += 3;
    if (only_line_ends(r.p, r.end)) {
        snprintf(msg, msglen, "%s: no header row (the file is empty)", name);
        return -1;
    }
    incols tmp;
    incols_init(&tmp);
    tmp.source = mem_strndup(name, strlen(name));
    int rc = -1;
    if (!tmp.source)
        snprintf(msg, msglen, "%s: out of memory", name);
    else if (read_header(&r, &tmp) == 0 && read_records(&r, &tmp) == 0)
        rc = incols_finish(&tmp, msg, msglen);
    strbuf_free(&r.scratch);
    if (rc < 0) {
        incols_free(&tmp);
        return -1;
    }
    *cs = tmp;
    return 0;
}

/* Reads all of f into a new buffer. */
static char *slurp(FILE *f, size_t *len)
{
    strbuf sb;
    strbuf_init(&sb);
    for (;;) {
        if (strbuf_reserve(&sb, 1 << 16) < 0)
            break;
        size_t n = fread(sb.data + sb.len, 1, 1 << 16, f);
        sb.len += n;
        if (n == 0)
            break;
    }
    if (sb.failed || ferror(f)) {
        strbuf_free(&sb);
        return NULL;
    }
    *len = sb.len;
    if (!sb.data)
        return mem_strndup("", 0);
    return sb.data;
}

int csv_read_file(const char *path, incols *cs, char *msg, size_t msglen)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(msg, msglen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = 0;
    errno = 0;
    char *data = slurp(f, &len);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (!data) {
        snprintf(msg, msglen, "cannot read %s: %s", path,
                 saved ? strerror(saved) : "out of memory");
        return -1;
    }
    int rc = csv_parse(data, len, is_stdin ? "<stdin>" : path, cs, msg, msglen);
    mem_free(data);
    return rc;
}
