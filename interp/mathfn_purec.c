/* mathfn_purec.c — the scalar mathfn_set (SLEEF d1 purec), one value at a
 * time: the reference every wider set must match bit for bit. */
#include <sleef.h>

#define MF_LANES 1
#define MF_LOAD(p) (*(p))
#define MF_STORE(p, v) (*(p) = (v))
#define MF_FN(f, u) Sleef_cinz_##f##d1_##u##purec
#define MF_SET mathfn_set_purec
#define MF_ISA "purec"
#include "interp/mathfn_vec.h"
