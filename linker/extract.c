/*
 * extract.c — the build-time stencil extractor, a host program run by CMake:
 *
 *   jc_extract ISA LANES stencils.o out.c [--partial]
 *
 * Reads the ELF relocatable object GCC made from ops/stencils.c for one
 * instruction set and writes a C file defining `jc_stencils_<ISA>` (see
 * linker/stencil.h): every stencil of ops/stencil_list.h with its bytes,
 * holes and flags, the read-only data the stencils address, and the
 * functions they call. Any surprise fails the build with the stencil's name:
 * a missing or unknown stencil, a relocation kind or symbol outside the
 * allowlist, a continuation reached by call, an unexpected ret. --partial
 * (for tests) skips the check that every listed stencil exists.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linker/extract.h"

typedef struct obj {
    uint8_t *data;
    size_t size;
    const Elf64_Ehdr *eh;
    const Elf64_Shdr *sh;
    const Elf64_Sym *syms;
    size_t nsyms;
    const char *strtab;
    const char *shstrtab;
} obj;

static const char *g_object = "";

static void die(const char *stencil, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "jc_extract: %s: ", g_object);
    if (stencil)
        fprintf(stderr, "stencil %s: ", stencil);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void load(obj *o, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(NULL, "cannot open: %s", strerror(errno));
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (sz <= 0)
        die(NULL, "empty file");
    o->size = (size_t)sz;
    o->data = malloc(o->size);
    if (!o->data || fread(o->data, 1, o->size, f) != o->size)
        die(NULL, "cannot read");
    fclose(f);
    o->eh = (const Elf64_Ehdr *)o->data;
    if (o->size < sizeof(Elf64_Ehdr) || memcmp(o->eh->e_ident, ELFMAG, SELFMAG) ||
        o->eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        o->eh->e_ident[EI_DATA] != ELFDATA2LSB || o->eh->e_type != ET_REL)
        die(NULL, "not a 64-bit little-endian ELF relocatable object");
    if (o->eh->e_shoff + (size_t)o->eh->e_shnum * sizeof(Elf64_Shdr) > o->size)
        die(NULL, "truncated section headers");
    o->sh = (const Elf64_Shdr *)(o->data + o->eh->e_shoff);
    o->shstrtab = (const char *)o->data + o->sh[o->eh->e_shstrndx].sh_offset;
    for (unsigned i = 0; i < o->eh->e_shnum; i++) {
        if (o->sh[i].sh_type == SHT_SYMTAB) {
            o->syms = (const Elf64_Sym *)(o->data + o->sh[i].sh_offset);
            o->nsyms = o->sh[i].sh_size / sizeof(Elf64_Sym);
            o->strtab = (const char *)o->data + o->sh[o->sh[i].sh_link].sh_offset;
        }
    }
    if (!o->syms)
        die(NULL, "no symbol table");
}

static const char *sec_name(const obj *o, unsigned i)
{
    return o->shstrtab + o->sh[i].sh_name;
}

/* ---- the set being built ------------------------------------------------ */
static ex_stencil g_st[JC_NSTENCILS];
static int g_found[JC_NSTENCILS];
static uint8_t g_rodata[1 << 16];
static size_t g_rodata_size;
static uint32_t g_rodata_off[1 << 16]; /* by section index, +1 (0: none) */
static char *g_funcs[256];
static unsigned g_nfuncs;

static int is_rodata(const char *name)
{
    return !strcmp(name, ".rodata") || !strncmp(name, ".rodata.", 8);
}

/* Blob offset of a read-only data section, copied on first use. */
static uint32_t rodata_place(const obj *o, unsigned sec, const char *stencil)
{
    if (sec >= (1u << 16))
        die(stencil, "section index out of range");
    if (g_rodata_off[sec])
        return g_rodata_off[sec] - 1;
    for (unsigned i = 0; i < o->eh->e_shnum; i++)
        if (o->sh[i].sh_type == SHT_RELA && o->sh[i].sh_info == sec)
            die(stencil, "read-only data %s has relocations", sec_name(o, sec));
    if (o->sh[sec].sh_type != SHT_PROGBITS)
        die(stencil, "read-only data %s is not PROGBITS", sec_name(o, sec));
    size_t off = (g_rodata_size + 63) & ~(size_t)63;
    size_t sz = o->sh[sec].sh_size;
    if (off + sz > sizeof g_rodata)
        die(stencil, "too much read-only data");
    memset(g_rodata + g_rodata_size, 0, off - g_rodata_size);
    memcpy(g_rodata + off, o->data + o->sh[sec].sh_offset, sz);
    g_rodata_size = off + sz;
    g_rodata_off[sec] = (uint32_t)off + 1;
    return (uint32_t)off;
}

static unsigned func_index(const char *name, const char *stencil)
{
    for (unsigned i = 0; i < g_nfuncs; i++)
        if (!strcmp(g_funcs[i], name))
            return i;
    if (g_nfuncs == 256)
        die(stencil, "too many functions");
    g_funcs[g_nfuncs] = strdup(name);
    return g_nfuncs++;
}

/* Functions a stencil may call: SLEEF's deterministic vector functions and
 * jitcalc's own lane helpers (jit/lanes.c). */
static int allowed_func(const char *name)
{
    return !strncmp(name, "Sleef_cinz_", 11) || !strncmp(name, "jc_lane_", 8);
}

static void extract_one(const obj *o, const ex_arch *arch, const Elf64_Sym *fs,
                        ex_stencil *s)
{
    unsigned sec = fs->st_shndx;
    if (sec == SHN_UNDEF || sec >= o->eh->e_shnum)
        die(s->name, "not defined in a section");
    const Elf64_Shdr *sh = &o->sh[sec];
    if (fs->st_size == 0 || fs->st_size > EXTRACT_MAX_CODE)
        die(s->name, "size %lu out of range", (unsigned long)fs->st_size);
    if (fs->st_value != 0 || fs->st_size != sh->sh_size)
        die(s->name, "does not fill its own section (build with "
            "-ffunction-sections, without hot/cold splitting)");
    s->size = fs->st_size;
    memcpy(s->code, o->data + sh->sh_offset, s->size);

    for (unsigned r = 0; r < o->eh->e_shnum; r++) {
        if (o->sh[r].sh_type == SHT_REL)
            if (o->sh[r].sh_info == sec)
                die(s->name, "REL relocations are not supported");
        if (o->sh[r].sh_type != SHT_RELA || o->sh[r].sh_info != sec)
            continue;
        const Elf64_Rela *rel = (const Elf64_Rela *)(o->data + o->sh[r].sh_offset);
        size_t nrel = o->sh[r].sh_size / sizeof(Elf64_Rela);
        for (size_t k = 0; k < nrel; k++) {
            uint32_t type = (uint32_t)ELF64_R_TYPE(rel[k].r_info);
            size_t symi = ELF64_R_SYM(rel[k].r_info);
            if (symi >= o->nsyms)
                die(s->name, "bad symbol index");
            const Elf64_Sym *sym = &o->syms[symi];
            const char *sname = o->strtab + sym->st_name;
            jc_hole h = {0};
            h.offset = (uint32_t)rel[k].r_offset;
            int64_t addend = rel[k].r_addend;
            if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION ||
                (ELF64_ST_BIND(sym->st_info) == STB_LOCAL &&
                 sym->st_shndx != SHN_UNDEF)) {
                unsigned ts = sym->st_shndx;
                if (ts >= o->eh->e_shnum || !is_rodata(sec_name(o, ts)))
                    die(s->name, "refers to section %s (only read-only data "
                        "is allowed)", ts < o->eh->e_shnum ? sec_name(o, ts) : "?");
                h.sym = JC_SYM_RODATA;
                addend += (int64_t)sym->st_value + rodata_place(o, ts, s->name);
                sname = sec_name(o, ts);
            } else if (!strcmp(sname, "jc_cont")) {
                h.sym = JC_SYM_CONT;
            } else if (!strcmp(sname, "jc_target")) {
                h.sym = JC_SYM_TARGET;
            } else if (!strcmp(sname, "JC_HOLE_A")) {
                h.sym = JC_SYM_HOLE_A;
            } else if (sym->st_shndx == SHN_UNDEF && allowed_func(sname)) {
                h.sym = JC_SYM_FUNC;
                h.index = (uint16_t)func_index(sname, s->name);
            } else {
                die(s->name, "refers to symbol `%s`, which is not in the "
                    "allowlist", sname);
            }
            h.kind = (uint8_t)arch->reloc_kind(type, h.sym);
            if (!h.kind)
                die(s->name, "unsupported relocation type %u against `%s` at +%u",
                    type, sname, h.offset);
            if (addend < INT32_MIN || addend > INT32_MAX)
                die(s->name, "addend out of range");
            h.addend = (int32_t)addend;
            if (s->nholes == EXTRACT_MAX_HOLES)
                die(s->name, "too many holes");
            s->holes[s->nholes++] = h;
        }
    }
    /* holes in code order, for the checks and for readable tables */
    for (size_t a = 1; a < s->nholes; a++)
        for (size_t b = a; b > 0 && s->holes[b - 1].offset > s->holes[b].offset; b--) {
            jc_hole t = s->holes[b];
            s->holes[b] = s->holes[b - 1];
            s->holes[b - 1] = t;
        }
    for (size_t h = 0; h < s->nholes; h++)
        if (s->holes[h].sym == JC_SYM_FUNC)
            s->flags |= JC_STENCIL_CALLS;
    char err[256];
    if (arch->check(s, err, sizeof err) < 0)
        die(s->name, "%s", err);
}

/* Stencil families (a name and its variants), from the list. */
#define EX_FAMILY(name, shape) {JC_ST_##name, JC_SHAPE_VARIANTS_##shape, #shape[0]},
static const struct {
    int first, count;
    char shape;
} g_families[] = {JC_STENCILS(EX_FAMILY)};
#undef EX_FAMILY
#define NFAMILIES (sizeof g_families / sizeof *g_families)

/* Pin registers: R and W stencils exist for pins 0..n-1 and for no
 * other, with n the same for every family (a set without pins has none). */
static unsigned check_pins(int partial)
{
    unsigned n = 0;
    while (n < JC_PIN_REGS && g_found[JC_ST_PINS_64 + n])
        n++;
    for (size_t f = 0; f < NFAMILIES && !partial; f++) {
        if (g_families[f].shape != 'R' && g_families[f].shape != 'W')
            continue;
        for (int v = 0; v < g_families[f].count; v++) {
            int id = g_families[f].first + v;
            int want = jc_stencil_pin(g_families[f].shape, (unsigned)v) < n;
            if (g_found[id] != want)
                die(jc_stencil_names[id], want ? "missing from the object (the set "
                    "has %u pin registers)" : "beyond the set's %u pin registers", n);
        }
    }
    return n;
}

/* The mask register's stencils (shapes K, J, M, N, Y): all of them or none.
 * Returns 1 if the set has them. */
static unsigned check_masks(int partial)
{
    int any = -1;
    for (int k = 0; k < JC_NSTENCILS && !partial; k++) {
        if (!JC_SHAPE_MASK(jc_stencil_shapes[k]))
            continue;
        if (any < 0)
            any = g_found[k];
        else if (g_found[k] != any)
            die(jc_stencil_names[k], any ? "missing from the object (the set has the "
                "mask register's stencils)" : "in a set without the mask register's stencils");
    }
    return g_found[JC_ST_COUNTK];
}

static void write_bytes(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s0x%02x,%s", i % 16 ? "" : "    ", p[i],
                i % 16 == 15 || i + 1 == n ? "\n" : "");
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: jc_extract ISA LANES stencils.o out.c [--partial]\n");
        return 2;
    }
    const char *isa = argv[1];
    unsigned lanes = (unsigned)atoi(argv[2]);
    g_object = argv[3];
    int partial = argc > 5 && !strcmp(argv[5], "--partial");
    obj o = {0};
    load(&o, argv[3]);
    const ex_arch *arch = NULL;
    if (o.eh->e_machine == ex_arch_x86_64.machine)
        arch = &ex_arch_x86_64;
    else if (o.eh->e_machine == ex_arch_aarch64.machine) /* issue 11 */
        arch = &ex_arch_aarch64;
    else
        die(NULL, "no extractor for ELF machine %u", o.eh->e_machine);

    /* Every jc_st_ function must be a listed stencil. */
    for (size_t i = 1; i < o.nsyms; i++) {
        const char *nm = o.strtab + o.syms[i].st_name;
        if (ELF64_ST_TYPE(o.syms[i].st_info) != STT_FUNC || strncmp(nm, "jc_st_", 6))
            continue;
        int id = -1;
        for (int k = 0; k < JC_NSTENCILS; k++)
            if (!strcmp(jc_stencil_names[k], nm + 6))
                id = k;
        if (id < 0)
            die(nm + 6, "not in ops/stencil_list.h");
        g_st[id].name = jc_stencil_names[id];
        g_st[id].returns = id == JC_ST_EXIT;
        extract_one(&o, arch, &o.syms[i], &g_st[id]);
        g_found[id] = 1;
    }
    unsigned npins = check_pins(partial);
    unsigned masks = check_masks(partial);
    for (int k = 0; k < JC_NSTENCILS; k++) {
        if (g_found[k] || JC_SHAPE_OPTIONAL(jc_stencil_shapes[k]))
            continue;
        if (!partial)
            die(jc_stencil_names[k], "missing from the object");
    }

    FILE *f = fopen(argv[4], "w");
    if (!f)
        die(NULL, "cannot write %s", argv[4]);
    fprintf(f, "/* Generated by linker/extract.c from %s (%s, %u lanes): do "
            "not edit. */\n#include \"linker/stencil.h\"\n\n", g_object, arch->name,
            lanes);
    fprintf(f, "static const uint8_t code[] = {\n");
    size_t off = 0;
    uint32_t code_off[JC_NSTENCILS], hole_off[JC_NSTENCILS];
    size_t nholes = 0;
    for (int k = 0; k < JC_NSTENCILS; k++) {
        code_off[k] = (uint32_t)off;
        hole_off[k] = (uint32_t)nholes;
        if (!g_found[k])
            continue;
        fprintf(f, "    /* %s */\n", g_st[k].name);
        write_bytes(f, g_st[k].code, g_st[k].size);
        off += g_st[k].size;
        nholes += g_st[k].nholes;
    }
    fprintf(f, "};\n\nstatic const jc_hole holes[] = {\n");
    for (int k = 0; k < JC_NSTENCILS; k++)
        for (size_t h = 0; h < g_st[k].nholes; h++) {
            const jc_hole *ho = &g_st[k].holes[h];
            fprintf(f, "    {%u, %u, %u, %u, %d}, /* %s */\n", ho->offset, ho->kind,
                    ho->sym, ho->index, ho->addend, g_st[k].name);
        }
    if (!nholes)
        fprintf(f, "    {0, 0, 0, 0, 0}\n");
    fprintf(f, "};\n\nstatic const jc_stencil stencils[JC_NSTENCILS] = {\n");
    for (int k = 0; k < JC_NSTENCILS; k++)
        fprintf(f, "    {%u, %zu, %zu, %u, %u}, /* %s */\n", code_off[k], g_st[k].size,
                g_st[k].nholes, hole_off[k], g_st[k].flags, jc_stencil_names[k]);
    fprintf(f, "};\n\nstatic const uint8_t rodata[] __attribute__((aligned(64))) = {\n");
    write_bytes(f, g_rodata, g_rodata_size);
    if (!g_rodata_size)
        fprintf(f, "    0\n");
    fprintf(f, "};\n\n");
    for (unsigned i = 0; i < g_nfuncs; i++)
        fprintf(f, "extern void %s(void);\n", g_funcs[i]);
    fprintf(f, "\nstatic const void *const funcs[] = {\n");
    for (unsigned i = 0; i < g_nfuncs; i++)
        fprintf(f, "    (const void *)%s,\n", g_funcs[i]);
    if (!g_nfuncs)
        fprintf(f, "    0\n");
    fprintf(f, "};\n\nstatic const char *const func_names[] = {\n");
    for (unsigned i = 0; i < g_nfuncs; i++)
        fprintf(f, "    \"%s\",\n", g_funcs[i]);
    if (!g_nfuncs)
        fprintf(f, "    0\n");
    fprintf(f, "};\n\nconst jc_stencil_set jc_stencils_%s = {\n"
            "    \"%s\", %u, code, holes, stencils, rodata, %zu, funcs, func_names, %u, %u, %u\n"
            "};\n", isa, isa, lanes, g_rodata_size, g_nfuncs, npins, masks);
    if (fclose(f) != 0)
        die(NULL, "cannot write %s", argv[4]);
    free(o.data);
    return 0;
}
