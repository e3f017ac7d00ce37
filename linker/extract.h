/*
 * extract.h — the build-time extractor's inner interface: extract.c reads
 * the ELF object and writes the tables; one file per architecture
 * (extract_x86_64.c, ...) maps relocation types to hole kinds and checks each
 * stencil's instructions. Build-time only: a host program, never linked
 * into libjitcalc.
 */
#ifndef JC_LINKER_EXTRACT_H
#define JC_LINKER_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "linker/stencil.h"

#define EXTRACT_MAX_CODE 4096
#define EXTRACT_MAX_HOLES 64

/* One stencil being extracted: its bytes (which the checks may rewrite) and
 * holes, already classified by symbol. */
typedef struct ex_stencil {
    const char *name;
    int returns;   /* EXIT: must end in ret and never continue */
    uint8_t code[EXTRACT_MAX_CODE];
    size_t size;
    jc_hole holes[EXTRACT_MAX_HOLES];
    size_t nholes;
    uint8_t flags; /* JC_STENCIL_* */
} ex_stencil;

typedef struct ex_arch {
    const char *name;  /* "x86_64" */
    uint16_t machine;  /* ELF e_machine */
    /* Hole kind of an ELF relocation type against a symbol class, or 0 if
     * the pair is not supported. */
    int (*reloc_kind)(uint32_t type, int sym);
    /* Checks the stencil (calls, returns, hole fields), rewrites the loop
     * tail's branch pattern, and sets JC_STENCIL_TRAILING_JUMP. Returns 0,
     * or -1 with a message in err. */
    int (*check)(ex_stencil *s, char *err, size_t errlen);
} ex_arch;

extern const ex_arch ex_arch_x86_64;
extern const ex_arch ex_arch_aarch64; /* issue 11 */

#endif /* JC_LINKER_EXTRACT_H */
