/*
 * stencil_names.c — the name of every stencil variant, by id, spelled by the
 * preprocessor from ops/stencil_list.h (so names and ids cannot drift).
 * The symbol of a stencil in the objects is "jc_st_" + its name.
 */
#include "linker/stencil.h"

#define N_S(n) #n,
#define N_P(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4", #n "_5", #n "_6",
#define N_O(n) N_P(n)
#define N_U(n) N_P(n)
#define N_B(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4", #n "_5",
#define N_T(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4",
#define JC_ST_NAME(name, shape) N_##shape(name)

const char *const jc_stencil_names[JC_NSTENCILS] = {JC_STENCILS(JC_ST_NAME)};
