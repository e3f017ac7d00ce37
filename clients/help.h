/* help.h — the words `jitcalc --help` and `jitcalc CMD --help` print. */
#ifndef JC_CLIENTS_HELP_H
#define JC_CLIENTS_HELP_H

/* The full help of one command, or NULL for an unknown name. */
const char *help_command(const char *command);
/* The overview: every command in one line each. */
const char *help_overview(void);

#endif /* JC_CLIENTS_HELP_H */
