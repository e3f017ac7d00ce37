/*
 * x86_decode.c — instruction lengths for stencil code (see x86_decode.h).
 * Tables are by opcode map; each entry says whether a ModRM byte follows and
 * how large the immediate is. Unknown opcodes are refused rather than
 * guessed, so a new instruction in the stencils shows up as a build error.
 */
#include "linker/x86_decode.h"

#include <string.h>

enum { BAD = 0xff, Z = 0xfe, V8 = 0xfd }; /* immediate sizes: Z = 2 or 4
                                             (operand size), V8 = 8 with
                                             REX.W else Z */

/* One-byte map: has ModRM? */
static int map0_modrm(uint8_t op)
{
    if (op < 0x40)
        return (op & 7) < 4;
    switch (op) {
    case 0x62: case 0x63: case 0x69: case 0x6b:
    case 0x80: case 0x81: case 0x83:
    case 0x84: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89:
    case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f:
    case 0xc0: case 0xc1: case 0xc6: case 0xc7:
    case 0xd0: case 0xd1: case 0xd2: case 0xd3:
    case 0xf6: case 0xf7: case 0xfe: case 0xff:
        return 1;
    default:
        return 0;
    }
}

/* One-byte map: immediate size, or BAD for an opcode we refuse. */
static uint8_t map0_imm(uint8_t op, uint8_t modrm)
{
    if (op < 0x40) {
        switch (op & 7) {
        case 4: return 1;
        case 5: return Z;
        case 6: case 7: return BAD; /* segment push/pop, BCD, prefixes */
        default: return 0;
        }
    }
    if (op >= 0x50 && op <= 0x5f) return 0;         /* push/pop reg */
    if (op >= 0x70 && op <= 0x7f) return 1;         /* jcc rel8 */
    if (op >= 0x84 && op <= 0x8d) return 0;
    if (op >= 0x90 && op <= 0x99) return 0;         /* nop, xchg, cdqe, cqo */
    if (op >= 0xb0 && op <= 0xb7) return 1;
    if (op >= 0xb8 && op <= 0xbf) return V8;        /* mov r, imm32/imm64 */
    if (op >= 0xd0 && op <= 0xd3) return 0;
    switch (op) {
    case 0x63: return 0;
    case 0x68: return Z;
    case 0x69: return Z;
    case 0x6a: return 1;
    case 0x6b: return 1;
    case 0x80: return 1;
    case 0x81: return Z;
    case 0x83: return 1;
    case 0x8f: return 0;
    case 0x9c: case 0x9d: return 0;
    case 0xa8: return 1;
    case 0xa9: return Z;
    case 0xc0: case 0xc1: return 1;
    case 0xc2: return 2;
    case 0xc3: return 0;
    case 0xc6: return 1;
    case 0xc7: return Z;
    case 0xc9: return 0;
    case 0xcc: return 0;
    case 0xe8: case 0xe9: return 4;
    case 0xeb: return 1;
    case 0xf6: return ((modrm >> 3) & 7) < 2 ? 1 : 0;
    case 0xf7: return ((modrm >> 3) & 7) < 2 ? Z : 0;
    case 0xfe: case 0xff: return 0;
    default: return BAD;
    }
}

/* 0F map (legacy encoding): ModRM and immediate. Returns -1 if refused. */
static int map1_info(uint8_t op, int *modrm, int *imm)
{
    *modrm = 1;
    *imm = 0;
    if (op >= 0x80 && op <= 0x8f) { *modrm = 0; *imm = 4; return 0; } /* jcc rel32 */
    if (op >= 0xc8 && op <= 0xcf) { *modrm = 0; return 0; }          /* bswap */
    switch (op) {
    case 0x05: case 0x0b: case 0xa2: case 0x31:
        *modrm = 0; return 0; /* syscall, ud2, cpuid, rdtsc */
    case 0x70: case 0x71: case 0x72: case 0x73:
    case 0xa4: case 0xac: case 0xba: case 0xc2: case 0xc4: case 0xc5:
    case 0xc6:
        *imm = 1; return 0;
    case 0x0e: case 0x0f: case 0x04: case 0x06: case 0x07: case 0x08:
    case 0x09: case 0x0a: case 0x0c: case 0x24: case 0x25: case 0x26:
    case 0x27: case 0x36: case 0x39: case 0x3b: case 0x3c: case 0x3d:
    case 0x3e: case 0x3f: case 0x7a: case 0x7b: case 0xa6: case 0xa7:
    case 0xb9: case 0xff: case 0x37: case 0x34: case 0x35: case 0x77:
        return -1; /* never in stencils (0x77 emms; VEX 0x77 handled apart) */
    default:
        return 0;
    }
}

/* Immediate size in the 0F map for VEX/EVEX encodings. */
static int vex_map1_imm(uint8_t op)
{
    switch (op) {
    case 0x70: case 0x71: case 0x72: case 0x73: case 0xc2: case 0xc4:
    case 0xc5: case 0xc6:
        return 1;
    default:
        return 0;
    }
}

/* ModRM, SIB and displacement starting at p[k]; fills the fields. */
static int decode_modrm(const uint8_t *p, size_t n, size_t *k, x86_insn *o,
                        int evex)
{
    (void)evex; /* EVEX compresses disp8 but keeps its size */
    if (*k >= n)
        return -1;
    uint8_t m = p[(*k)++];
    o->modrm = m;
    o->has_modrm = 1;
    unsigned mod = m >> 6, rm = m & 7;
    unsigned disp = 0;
    if (mod != 3 && rm == 4) {
        if (*k >= n)
            return -1;
        uint8_t sib = p[(*k)++];
        if (mod == 0 && (sib & 7) == 5)
            disp = 4;
    }
    if (mod == 0 && rm == 5) {
        disp = 4;
        o->rip_relative = 1;
    } else if (mod == 1) {
        disp = 1;
    } else if (mod == 2) {
        disp = 4;
    }
    if (disp) {
        o->disp_off = (uint8_t)*k;
        o->disp_size = (uint8_t)disp;
        *k += disp;
    }
    return *k <= n ? 0 : -1;
}

int x86_decode(const uint8_t *p, size_t n, x86_insn *o)
{
    memset(o, 0, sizeof *o);
    size_t k = 0;
    int opsize16 = 0, rexw = 0;
    /* legacy prefixes */
    for (;;) {
        if (k >= n)
            return -1;
        uint8_t b = p[k];
        if (b == 0x66) {
            opsize16 = 1;
        } else if (b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0xf0 ||
                   b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26 ||
                   b == 0x64 || b == 0x65) {
        } else {
            break;
        }
        k++;
    }
    /* VEX / EVEX */
    if (p[k] == 0xc4 || p[k] == 0xc5 || p[k] == 0x62) {
        uint8_t kind = p[k];
        int map;
        if (kind == 0xc5) {
            if (k + 2 > n)
                return -1;
            map = 1;
            k += 2;
        } else if (kind == 0xc4) {
            if (k + 3 > n)
                return -1;
            map = p[k + 1] & 0x1f;
            k += 3;
        } else {
            if (k + 4 > n)
                return -1;
            map = p[k + 1] & 0x07;
            k += 4;
        }
        if (map < 1 || map > 3 || k >= n)
            return -1;
        o->map = (uint8_t)map;
        o->opcode_off = (unsigned)k;
        o->opcode = p[k++];
        if (kind != 0x62 && map == 1 && o->opcode == 0x77) {
            o->len = (unsigned)k; /* vzeroupper / vzeroall: no ModRM */
            return 0;
        }
        if (decode_modrm(p, n, &k, o, kind == 0x62) < 0)
            return -1;
        int imm = map == 3 ? 1 : map == 1 ? vex_map1_imm(o->opcode) : 0;
        if (imm) {
            o->imm_off = (uint8_t)k;
            o->imm_size = (uint8_t)imm;
            k += (size_t)imm;
        }
        if (k > n)
            return -1;
        o->len = (unsigned)k;
        return 0;
    }
    if (p[k] >= 0x40 && p[k] <= 0x4f) {
        rexw = (p[k] & 8) != 0;
        k++;
        if (k >= n)
            return -1;
    }
    uint8_t op = p[k];
    int imm = 0;
    if (op == 0x0f) {
        k++;
        if (k >= n)
            return -1;
        uint8_t op2 = p[k];
        if (op2 == 0x38 || op2 == 0x3a) {
            k++;
            if (k >= n)
                return -1;
            o->map = op2 == 0x38 ? 2 : 3;
            o->opcode_off = (unsigned)k;
            o->opcode = p[k++];
            if (decode_modrm(p, n, &k, o, 0) < 0)
                return -1;
            imm = op2 == 0x3a ? 1 : 0;
        } else {
            int has_modrm;
            o->map = 1;
            o->opcode_off = (unsigned)k;
            o->opcode = p[k++];
            if (map1_info(o->opcode, &has_modrm, &imm) < 0)
                return -1;
            if (has_modrm && decode_modrm(p, n, &k, o, 0) < 0)
                return -1;
        }
    } else {
        o->map = 0;
        o->opcode_off = (unsigned)k;
        o->opcode = p[k++];
        uint8_t modrm = 0;
        if (map0_modrm(op)) {
            if (decode_modrm(p, n, &k, o, 0) < 0)
                return -1;
            modrm = o->modrm;
        }
        uint8_t sz = map0_imm(op, modrm);
        if (sz == BAD)
            return -1;
        if (sz == V8)
            sz = rexw ? 8 : (opsize16 ? 2 : 4);
        else if (sz == Z)
            sz = opsize16 ? 2 : 4;
        imm = sz;
    }
    if (imm) {
        o->imm_off = (uint8_t)k;
        o->imm_size = (uint8_t)imm;
        k += (size_t)imm;
    }
    if (k > n)
        return -1;
    o->len = (unsigned)k;
    return 0;
}
