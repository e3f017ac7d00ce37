/* eval.c — the eval request and its answer (see eval.h), and the `eval`
 * command. */
#include "clients/eval.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/input.h"
#include "clients/request.h"
#include "clients/response.h"
#include "clients/text.h"
#include "util/mem.h"

/* The input columns --with-input prints: the columns given (text ones
 * included), then a stored table's columns (asked for with a tables
 * request). Names are owned by the list. */
typedef struct input_list {
    view_input *v;
    size_t count;
} input_list;

static void inputs_free(input_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        mem_free((char *)l->v[i].name);
    mem_free(l->v);
    l->v = NULL;
    l->count = 0;
}

static int inputs_add(input_list *l, const char *name, const in_column *text)
{
    view_input *grown = mem_realloc(l->v, (l->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->v = grown;
    view_input *in = &l->v[l->count];
    in->name = mem_strndup(name, strlen(name));
    if (!in->name)
        return -1;
    in->texts = text ? (const char *const *)text->values : NULL;
    in->ntexts = text ? text->rows : 0;
    l->count++;
    return 0;
}

/* Adds the column names of stored table `table`. A table that does not
 * exist adds nothing: the eval request then answers unknown_table. */
static int add_table_columns(client *c, const char *table, input_list *l)
{
    strbuf req, answer;
    strbuf_init(&req);
    strbuf_init(&answer);
    request_begin(&req, "tables");
    request_end(&req);
    int status = req.failed ? CLI_ERROR : client_request(c, req.data, req.len, &answer);
    strbuf_free(&req);
    jspan line = {answer.data, answer.len}, list, t, cols, col, name;
    jiter it, ci;
    if (status == CLI_OK && jscan_member(line, "tables", &list) == 1 &&
        jscan_array_begin(list, &it) == 0) {
        while (jscan_array_next(&it, &t) == 1) {
            char *tname = jscan_member(t, "name", &name) == 1 ? jspan_string(name) : NULL;
            int match = tname && strcmp(tname, table) == 0;
            free(tname);
            if (!match || jscan_member(t, "columns", &cols) != 1 ||
                jscan_array_begin(cols, &ci) < 0)
                continue;
            while (status == CLI_OK && jscan_array_next(&ci, &col) == 1) {
                char *cname = jscan_member(col, "name", &name) == 1 ? jspan_string(name)
                                                                   : NULL;
                if (cname && inputs_add(l, cname, NULL) < 0) {
                    fprintf(stderr, "jitcalc: out of memory\n");
                    status = CLI_ERROR;
                }
                free(cname);
            }
        }
    }
    strbuf_free(&answer);
    return status;
}

/* The texts of "exprs" for --with-input: the expression (if any), then
 * each value input column as a quoted identifier, so the daemon returns
 * the input values formatted (and filtered) exactly like results. */
static char **with_input_exprs(const eval_spec *s, const input_list *inputs,
                               size_t *n)
{
    size_t first = s->expr ? 1 : 0;
    *n = first;
    char **v = mem_calloc(first + inputs->count + 1, sizeof *v);
    if (!v)
        return NULL;
    if (s->expr)
        v[0] = (char *)s->expr;
    for (size_t i = 0; i < inputs->count; i++) {
        if (inputs->v[i].texts)
            continue;
        strbuf q;
        strbuf_init(&q);
        quote_identifier(&q, inputs->v[i].name);
        v[*n] = (char *)strbuf_cstr(&q);
        if (!v[*n]) {
            for (size_t j = first; j < *n; j++)
                mem_free(v[j]);
            mem_free(v);
            return NULL;
        }
        (*n)++;
    }
    return v;
}

static void free_exprs(const eval_spec *s, char **v, size_t n)
{
    for (size_t i = s->expr ? 1 : 0; i < n; i++)
        mem_free(v[i]);
    mem_free(v);
}

/* 1 when some --with-input column is text (its rows are picked on the
 * client, by the answer's indices). */
static int any_text(const input_list *inputs)
{
    for (size_t i = 0; i < inputs->count; i++)
        if (inputs->v[i].texts)
            return 1;
    return 0;
}

static void build_request(strbuf *req, const eval_spec *s, char **exprs,
                          size_t nexprs, int want_indices)
{
    request_begin(req, "eval");
    if (s->with_input && nexprs > 0)
        request_add_strings(req, "exprs", (const char *const *)exprs, nexprs);
    else if (s->expr)
        request_add_string(req, "expr", s->expr);
    if (s->where) {
        request_add_string(req, "where", s->where);
        if (want_indices)
            request_add_raw(req, "indices", "true");
    }
    if (s->table)
        request_add_string(req, "table", s->table);
    if (s->input->count)
        request_add_columns(req, "columns", s->input);
    request_end(req);
}

/* Which text an error's position points into. */
static void error_text(const eval_spec *s, const response *r, char **exprs,
                       size_t nexprs, const char **text, const char **label)
{
    *label = NULL;
    *text = s->expr;
    if (r->in_where) {
        *text = s->where;
        *label = "--where";
    } else if (s->with_input && r->expr >= 0 && (size_t)r->expr < nexprs) {
        *text = exprs[r->expr];
        if (r->expr > 0 || !s->expr)
            *label = "an input column";
    }
}

/* The column name at 1-based code point `position` of an expression: a
 * plain identifier or a "quoted" one ("" inside is one quote). Returns a
 * new string, or NULL when there is no name there. */
static char *name_at(const char *text, int64_t position)
{
    size_t len = strlen(text);
    size_t i = utf8_offset(text, len, position);
    strbuf name;
    strbuf_init(&name);
    if (i < len && text[i] == '"') {
        for (i++; i < len; i++) {
            if (text[i] == '"') {
                if (i + 1 < len && text[i + 1] == '"')
                    i++;
                else
                    break;
            }
            strbuf_addc(&name, text[i]);
        }
    } else {
        while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '_'))
            strbuf_addc(&name, text[i++]);
    }
    if (name.len == 0 || !strbuf_cstr(&name)) {
        strbuf_free(&name);
        return NULL;
    }
    return name.data;
}

/* After unknown_column: if the name is a text column of the input, says
 * why it was not sent. */
static void explain_text_column(const eval_spec *s, const response *r,
                                const char *text)
{
    if (strcmp(r->code, "unknown_column") != 0 || !text || r->position <= 0)
        return;
    char *name = name_at(text, r->position);
    long ci = name ? incols_find(s->input, name) : -1;
    if (ci >= 0 && s->input->cols[ci].text_why)
        fprintf(stderr, "  column \"%s\" holds text, which expressions cannot use:\n"
                        "  %s\n", name, s->input->cols[ci].text_why);
    mem_free(name);
}

/* Prints an ok answer. */
static int print_answer(const eval_spec *s, const input_list *inputs,
                        const response *r, const strbuf *answer, FILE *out)
{
    eval_view v = {.format = s->format, .expr = s->expr, .inputs = inputs->v,
                   .ninputs = inputs->count, .with_input = s->with_input,
                   .max_rows = s->max_rows};
    if (output_eval(out, &v, r) < 0) {
        fprintf(stderr, "%sthe answer does not have the expected shape: %.*s\n",
                s->error_prefix, (int)(answer->len > 200 ? 200 : answer->len),
                answer->data ? answer->data : "");
        return CLI_ERROR;
    }
    return CLI_OK;
}

int eval_run(client *c, const eval_spec *s, FILE *out)
{
    input_list inputs = {NULL, 0};
    size_t nexprs = 0;
    char **exprs = NULL;
    strbuf req, answer;
    strbuf_init(&req);
    strbuf_init(&answer);
    int status = CLI_OK;
    if (s->with_input) {
        int oom = 0;
        for (size_t i = 0; !oom && i < s->input->count; i++) {
            const in_column *c = &s->input->cols[i];
            oom = inputs_add(&inputs, c->name, c->text_why ? c : NULL) < 0;
        }
        if (!oom && s->table)
            status = add_table_columns(c, s->table, &inputs);
        if (!oom && status == CLI_OK)
            oom = !(exprs = with_input_exprs(s, &inputs, &nexprs));
        if (oom) {
            fprintf(stderr, "%sout of memory\n", s->error_prefix);
            status = CLI_ERROR;
        }
        if (status != CLI_OK)
            goto done;
    }
    /* Row indices: a filter's answer, or the rows of text columns. */
    int want_indices = s->where && ((!s->expr && !s->with_input) ||
                                    (s->with_input && any_text(&inputs)));
    build_request(&req, s, exprs, nexprs, want_indices);
    if (req.failed) {
        fprintf(stderr, "%sout of memory building the request\n", s->error_prefix);
        status = CLI_ERROR;
        goto done;
    }
    status = client_request(c, req.data, req.len, &answer);
    if (status != CLI_OK)
        goto done;
    response r;
    if (response_parse(answer.data ? answer.data : "", answer.len, &r) < 0) {
        fprintf(stderr, "%sthe answer is not a jitcalc response: %.*s\n",
                s->error_prefix, (int)(answer.len > 200 ? 200 : answer.len),
                answer.data ? answer.data : "");
        status = CLI_ERROR;
        goto done;
    }
    if (r.ok)
        status = print_answer(s, &inputs, &r, &answer, out);
    else {
        if (s->format == FORMAT_JSON) {
            fwrite(answer.data, 1, answer.len, out);
            fputc('\n', out);
        }
        const char *text, *label;
        error_text(s, &r, exprs, nexprs, &text, &label);
        output_error(stderr, s->error_prefix, &r, text, label, s->input);
        explain_text_column(s, &r, text);
        status = CLI_ERROR;
    }
    response_free(&r);
done:
    strbuf_free(&req);
    strbuf_free(&answer);
    if (exprs)
        free_exprs(s, exprs, nexprs);
    inputs_free(&inputs);
    return status;
}

int cmd_eval(const cli_args *a)
{
    const char *expr = a->noperands ? a->operands[0] : NULL;
    out_format format = a->format;
    if (!expr && !a->where)
        return cli_usage_error("eval", "eval needs an expression (or --where for a filter)");
    if (a->with_input) {
        if (!a->format_given)
            format = FORMAT_CSV;
        else if (format != FORMAT_CSV)
            return cli_usage_error("eval", "--with-input prints CSV: use it with --format csv");
        if (a->ncols == 0 && !a->csv && !a->table)
            return cli_usage_error("eval", "--with-input needs input columns "
                                           "(--col, --csv or --table)");
    }
    if ((expr && input_check_text("expression", expr) != CLI_OK) ||
        (a->where && input_check_text("--where expression", a->where) != CLI_OK))
        return CLI_USAGE;
    incols input;
    int status = input_columns(a, &input);
    if (status != CLI_OK)
        return status;
    client c;
    status = client_open(&c, a->socket, a->local);
    if (status == CLI_OK) {
        eval_spec s = {.expr = expr, .where = a->where, .table = a->table,
                       .input = &input, .format = format,
                       .with_input = a->with_input, .error_prefix = "jitcalc: "};
        status = eval_run(&c, &s, stdout);
    }
    client_close(&c);
    incols_free(&input);
    return status;
}
