/* cases.c — loading and matching protocol cases (see cases.h). */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cases_load(const char *path, pcase **out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    pcase *cases = NULL;
    int n = 0, cap = 0, lineno = 0;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    while ((len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == '>') {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                cases = realloc(cases, (size_t)cap * sizeof *cases);
            }
            const char *req = line + 1;
            if (*req == ' ')
                req++;
            cases[n] = (pcase){strdup(req), NULL, 0, lineno};
            n++;
        } else if ((line[0] == '<' || line[0] == '~') && n > 0) {
            const char *exp = line + 2;
            if (strcmp(exp, "(none)") != 0)
                cases[n - 1].expected = strdup(exp);
            cases[n - 1].prefix = line[0] == '~';
        }
    }
    free(line);
    fclose(f);
    *out = cases;
    return n;
}

void cases_free(pcase *cases, int n)
{
    for (int i = 0; i < n; i++) {
        free(cases[i].request);
        free(cases[i].expected);
    }
    free(cases);
}

/* Index past the JSON string starting at s[i] == '"'. */
static size_t skip_string(const char *s, size_t i)
{
    for (i++; s[i] && s[i] != '"'; i++)
        if (s[i] == '\\' && s[i + 1])
            i++;
    return s[i] ? i + 1 : i;
}

char *cases_normalize(const char *r)
{
    size_t n = strlen(r);
    char *out = malloc(n + 1);
    size_t o = 0, i = 0;
    while (i < n) {
        if (strncmp(r + i, "\"message\":\"", 11) == 0) {
            memcpy(out + o, "\"message\":\"*\"", 13);
            o += 13;
            i = skip_string(r, i + 10);
        } else if (strncmp(r + i, ",\"cached\":true", 14) == 0) {
            i += 14;
        } else if (strncmp(r + i, ",\"cached\":false", 15) == 0) {
            i += 15;
        } else if (r[i] == '"') {
            size_t end = skip_string(r, i);
            memcpy(out + o, r + i, end - i);
            o += end - i;
            i = end;
        } else {
            out[o++] = r[i++];
        }
    }
    out[o] = '\0';
    return out;
}

int cases_match(const pcase *c, const char *response)
{
    if (!c->expected || !response)
        return !c->expected && !response;
    char *norm = cases_normalize(response);
    int ok = c->prefix ? strncmp(norm, c->expected, strlen(c->expected)) == 0
                       : strcmp(norm, c->expected) == 0;
    free(norm);
    return ok;
}
