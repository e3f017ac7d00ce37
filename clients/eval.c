/* eval.c — the eval request and its answer (see eval.h), and the `eval`
 * command. */
#include "clients/eval.h"

#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/input.h"
#include "clients/request.h"
#include "clients/response.h"
#include "util/mem.h"

/* The names of the input columns --with-input prints: the columns sent,
 * then a stored table's columns (asked for with a tables request). */
typedef struct name_list {
    char **names;
    size_t count;
} name_list;

static void names_free(name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        mem_free(l->names[i]);
    mem_free(l->names);
    l->names = NULL;
    l->count = 0;
}

static int names_add(name_list *l, const char *name)
{
    char **grown = mem_realloc(l->names, (l->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->names = grown;
    l->names[l->count] = mem_strndup(name, strlen(name));
    return l->names[l->count++] ? 0 : -1;
}

/* Adds the column names of stored table `table`. A table that does not
 * exist adds nothing: the eval request then answers unknown_table. */
static int add_table_columns(client *c, const char *table, name_list *l)
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
                if (cname && names_add(l, cname) < 0) {
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
 * each input column as a quoted identifier, so the daemon returns the
 * input values formatted (and filtered) exactly like results. */
static char **with_input_exprs(const eval_spec *s, const name_list *inputs,
                               size_t *n)
{
    size_t first = s->expr ? 1 : 0;
    *n = first + inputs->count;
    char **v = mem_calloc(*n ? *n : 1, sizeof *v);
    if (!v)
        return NULL;
    if (s->expr)
        v[0] = (char *)s->expr;
    for (size_t i = 0; i < inputs->count; i++) {
        strbuf q;
        strbuf_init(&q);
        quote_identifier(&q, inputs->names[i]);
        v[first + i] = (char *)strbuf_cstr(&q);
        if (!v[first + i]) {
            for (size_t j = first; j < first + i; j++)
                mem_free(v[j]);
            mem_free(v);
            return NULL;
        }
    }
    return v;
}

static void free_exprs(const eval_spec *s, char **v, size_t n)
{
    for (size_t i = s->expr ? 1 : 0; i < n; i++)
        mem_free(v[i]);
    mem_free(v);
}

static void build_request(strbuf *req, const eval_spec *s, char **exprs,
                          size_t nexprs)
{
    request_begin(req, "eval");
    if (s->with_input)
        request_add_strings(req, "exprs", (const char *const *)exprs, nexprs);
    else if (s->expr)
        request_add_string(req, "expr", s->expr);
    if (s->where) {
        request_add_string(req, "where", s->where);
        if (!s->expr && !s->with_input)
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

/* Prints an ok answer. */
static int print_answer(const eval_spec *s, const name_list *inputs,
                        const response *r, const strbuf *answer, FILE *out)
{
    eval_view v = {.format = s->format, .expr = s->expr,
                   .inputs = (const char *const *)inputs->names,
                   .ninputs = inputs->count, .with_input = s->with_input,
                   .max_rows = s->max_rows};
    if (output_eval(out, &v, r) < 0) {
        fprintf(stderr, "%sthe answer does not have the expected shape: %.200s\n",
                s->error_prefix, answer->data);
        return CLI_ERROR;
    }
    return CLI_OK;
}

int eval_run(client *c, const eval_spec *s, FILE *out)
{
    name_list inputs = {NULL, 0};
    size_t nexprs = 0;
    char **exprs = NULL;
    strbuf req, answer;
    strbuf_init(&req);
    strbuf_init(&answer);
    int status = CLI_OK;
    if (s->with_input) {
        int oom = 0;
        for (size_t i = 0; !oom && i < s->input->count; i++)
            oom = names_add(&inputs, s->input->cols[i].name) < 0;
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
    build_request(&req, s, exprs, nexprs);
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
        fprintf(stderr, "%sthe answer is not a jitcalc response: %.200s\n",
                s->error_prefix, answer.data ? answer.data : "");
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
        status = CLI_ERROR;
    }
    response_free(&r);
done:
    strbuf_free(&req);
    strbuf_free(&answer);
    if (exprs)
        free_exprs(s, exprs, nexprs);
    names_free(&inputs);
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
