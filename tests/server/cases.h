/*
 * cases.h — the data-driven protocol cases (cases/protocol.txt), shared by
 * the in-process test and the daemon test so both check the same bytes.
 */
#ifndef JC_TESTS_SERVER_CASES_H
#define JC_TESTS_SERVER_CASES_H

#include <stddef.h>

typedef struct pcase {
    char *request;   /* without newline */
    char *expected;  /* NULL: no response expected */
    int prefix;      /* expected is a prefix ("~" lines) */
    int line;        /* in the file, for messages */
} pcase;

/* Loads the file; returns the count (cases in *out, free with
 * cases_free), or -1. */
int cases_load(const char *path, pcase **out);
void cases_free(pcase *cases, int n);

/* A copy of a response with every "message" value replaced by "*" and every
 * "cached" field removed. */
char *cases_normalize(const char *response);

/* 1 when the normalised response matches the case. */
int cases_match(const pcase *c, const char *response);

#endif
