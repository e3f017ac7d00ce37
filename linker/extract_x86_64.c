/*
 * extract_x86_64.c — the x86-64 half of the extractor: which relocations a
 * stencil may use, and the instruction-level checks that make a stencil
 * safe to paste: its continuation is a `jmp` (never a `call`, which would
 * leave a return address behind), only EXIT returns, every hole is exactly
 * the displacement or immediate field of the instruction it belongs to, and
 * calls go through a GOT slot.
 */
#include <stdio.h>
#include <string.h>

#include "linker/extract.h"
#include "linker/x86_decode.h"

#define R_X86_64_64 1
#define R_X86_64_PC32 2
#define R_X86_64_PLT32 4
#define R_X86_64_GOTPCREL 9
#define R_X86_64_32 10
#define R_X86_64_32S 11
#define R_X86_64_GOTPCRELX 41
#define R_X86_64_REX_GOTPCRELX 42

static int x86_reloc_kind(uint32_t type, int sym)
{
    switch (sym) {
    case JC_SYM_CONT:
    case JC_SYM_TARGET:
        return type == R_X86_64_PLT32 || type == R_X86_64_PC32 ? JC_RELOC_X86_PC32 : 0;
    case JC_SYM_RODATA:
        return type == R_X86_64_PC32 ? JC_RELOC_X86_PC32 : 0;
    case JC_SYM_FUNC:
        return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX ||
                       type == R_X86_64_REX_GOTPCRELX
                   ? JC_RELOC_X86_GOTPCREL
                   : 0;
    case JC_SYM_HOLE_A:
        return type == R_X86_64_32S   ? JC_RELOC_X86_32S
               : type == R_X86_64_32 ? JC_RELOC_X86_32
               : type == R_X86_64_64 ? JC_RELOC_X86_64
                                     : 0;
    default:
        return 0;
    }
}

static const jc_hole *hole_at(const ex_stencil *s, size_t off)
{
    for (size_t h = 0; h < s->nholes; h++)
        if (s->holes[h].offset == off)
            return &s->holes[h];
    return NULL;
}

static int is_jump_hole(const jc_hole *h)
{
    return h && (h->sym == JC_SYM_CONT || h->sym == JC_SYM_TARGET);
}

#define MAX_INSNS 1024

static int x86_check(ex_stencil *s, char *err, size_t errlen)
{
    size_t starts[MAX_INSNS];
    x86_insn insns[MAX_INSNS];
    size_t n = 0, off = 0;
    int continues = 0;
    size_t covered = 0; /* holes found in a field */

    while (off < s->size) {
        x86_insn in;
        if (n == MAX_INSNS || x86_decode(s->code + off, s->size - off, &in) < 0) {
            snprintf(err, errlen, "unknown instruction at +%zu (byte %02x)", off,
                     s->code[off]);
            return -1;
        }
        uint8_t op = in.opcode;
        if (in.map == 0 && (op == 0xc3 || op == 0xc2) && !s->returns) {
            snprintf(err, errlen, "returns (ret at +%zu): GCC did not turn the "
                     "continuation call into a jump", off);
            return -1;
        }
        if (in.map == 0 && op == 0xe8) {
            const jc_hole *h = hole_at(s, off + in.imm_off);
            snprintf(err, errlen, "%s by call at +%zu instead of jmp",
                     is_jump_hole(h) ? "reaches its continuation"
                                     : "calls a function directly", off);
            return -1;
        }
        if (in.map == 0 && op == 0xff && in.has_modrm &&
            ((in.modrm >> 3) & 7) >= 4 && ((in.modrm >> 3) & 7) <= 5) {
            snprintf(err, errlen, "indirect jump at +%zu (tail call through "
                     "a pointer, or a jump table)", off);
            return -1;
        }
        /* every hole in this instruction must be one of its fields */
        for (size_t h = 0; h < s->nholes; h++) {
            const jc_hole *ho = &s->holes[h];
            if (ho->offset < off || ho->offset >= off + in.len)
                continue;
            size_t f = ho->offset - off;
            unsigned width = ho->kind == JC_RELOC_X86_64 ? 8 : 4;
            int in_disp = in.disp_size == 4 && f == in.disp_off && width == 4;
            int in_imm = in.imm_size == width && f == in.imm_off;
            if (!in_disp && !in_imm) {
                snprintf(err, errlen, "hole at +%u is not a field of the "
                         "instruction at +%zu", ho->offset, off);
                return -1;
            }
            switch (ho->sym) {
            case JC_SYM_CONT:
            case JC_SYM_TARGET:
                if (!(in.map == 0 && op == 0xe9) || ho->addend != -4) {
                    snprintf(err, errlen, "continuation at +%zu is not a "
                             "`jmp rel32`", off);
                    return -1;
                }
                continues |= ho->sym == JC_SYM_CONT;
                break;
            case JC_SYM_FUNC:
                if (!(in.map == 0 && op == 0xff && in.rip_relative &&
                      ((in.modrm >> 3) & 7) == 2)) {
                    snprintf(err, errlen, "function slot at +%zu is not used "
                             "by `call *slot(%%rip)`", off);
                    return -1;
                }
                break;
            case JC_SYM_RODATA:
                if (!in.rip_relative || !in_disp) {
                    snprintf(err, errlen, "read-only data at +%zu is not "
                             "addressed relative to rip", off);
                    return -1;
                }
                /* P is the field; the instruction ends after it */
                if (ho->addend > 0x7fffffff - 64) {
                    snprintf(err, errlen, "read-only data offset overflows");
                    return -1;
                }
                break;
            default:
                break;
            }
            covered++;
        }
        starts[n] = off;
        insns[n++] = in;
        off += in.len;
    }
    if (covered != s->nholes) {
        snprintf(err, errlen, "a hole straddles two instructions");
        return -1;
    }
    if (s->returns) {
        if (continues || n == 0 || insns[n - 1].opcode != 0xc3) {
            snprintf(err, errlen, "must end in ret and never continue");
            return -1;
        }
        return 0;
    }
    if (!continues) {
        snprintf(err, errlen, "never reaches its continuation");
        return -1;
    }
    /* Trailing jump: the last instruction is `jmp jc_cont`. */
    const jc_hole *last = n ? hole_at(s, starts[n - 1] + 1) : NULL;
    if (n && insns[n - 1].map == 0 && insns[n - 1].opcode == 0xe9 && last &&
        last->sym == JC_SYM_CONT && starts[n - 1] + 5 == s->size)
        s->flags |= JC_STENCIL_TRAILING_JUMP;
    /* Loop tail: `jcc over; jmp X; over: jmp cont` becomes
     * `j!cc X; jmp cont` (GCC 12 makes no conditional tail calls). */
    if ((s->flags & JC_STENCIL_TRAILING_JUMP) && n >= 3) {
        size_t a = starts[n - 3], b = starts[n - 2];
        const x86_insn *ja = &insns[n - 3], *jb = &insns[n - 2];
        const jc_hole *hb = hole_at(s, b + 1);
        if (ja->map == 0 && ja->opcode >= 0x70 && ja->opcode <= 0x7f &&
            ja->len == 2 && s->code[a + 1] == 5 && jb->map == 0 &&
            jb->opcode == 0xe9 && is_jump_hole(hb)) {
            uint8_t cc = (uint8_t)((ja->opcode & 0x0f) ^ 1);
            size_t hb_index = (size_t)(hb - s->holes);
            s->code[a] = 0x0f;
            s->code[a + 1] = (uint8_t)(0x80 | cc);
            memset(s->code + a + 2, 0, 4);
            memmove(s->code + a + 6, s->code + b + 5, s->size - (b + 5));
            s->holes[hb_index].offset = (uint32_t)(a + 2);
            for (size_t h = 0; h < s->nholes; h++)
                if (s->holes[h].offset > b + 1)
                    s->holes[h].offset -= 1;
            s->size -= 1;
        }
    }
    return 0;
}

const ex_arch ex_arch_x86_64 = {
    .name = "x86_64",
    .machine = 62, /* EM_X86_64 */
    .reloc_kind = x86_reloc_kind,
    .check = x86_check,
};
