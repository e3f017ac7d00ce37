/*
 * lineedit.h — reading repl lines: libedit (line editing, history kept in
 * ~/.jitcalc_history) when it was found at build time and stdin is a
 * terminal; plain stdin otherwise (pipes, scripts, builds without libedit).
 */
#ifndef JC_CLIENTS_LINEEDIT_H
#define JC_CLIENTS_LINEEDIT_H

typedef struct lineedit lineedit;

lineedit *lineedit_open(void);
/* 1 when lines come from a person at a terminal (prompts are shown). */
int lineedit_interactive(const lineedit *le);
/* The next line without its newline (malloc'd; free with free()), or NULL
 * at end of input. */
char *lineedit_read(lineedit *le, const char *prompt);
void lineedit_remember(lineedit *le, const char *line);
void lineedit_close(lineedit *le); /* saves the history */

#endif /* JC_CLIENTS_LINEEDIT_H */
