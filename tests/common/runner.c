/* runner.c — exec a built program, through the emulator of a cross build
 * (see runner.h). */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void runner_exec(const char *const *argv)
{
    const char *runner = getenv("JITCALC_TEST_RUNNER");
    if (!runner || !*runner) {
        execv(argv[0], (char *const *)argv);
        return;
    }
    /* the runner's words, then the program and its arguments; on the
     * stack: after fork in a threaded process, malloc may deadlock */
    char words[1024];
    const char *all[160];
    size_t n = 0;
    if (snprintf(words, sizeof words, "%s", runner) >= (int)sizeof words)
        return;
    char *save = NULL;
    for (char *w = strtok_r(words, " ", &save); w && n < 32; w = strtok_r(NULL, " ", &save))
        all[n++] = w;
    for (size_t i = 0; argv[i]; i++) {
        if (n + 1 >= sizeof all / sizeof *all)
            return;
        all[n++] = argv[i];
    }
    all[n] = NULL;
    execvp(all[0], (char *const *)all);
}
