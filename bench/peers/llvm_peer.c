/*
 * llvm_peer.c — LLVM ORC through the C API (LLVM 13 or later; Debian 12's
 * llvm-14-dev): the expression's RPN becomes LLVM IR for a loop over the
 * rows, optimised by the new pass manager's default<O3> pipeline (loop and
 * SLP vectorisation on, as clang -O3) for the host CPU and its features
 * (clang's -march=native -mprefer-vector-width=512), then compiled and
 * linked in memory by LLJIT.
 *
 * Floating point as in the C loop: no fast-math flags on any instruction and
 * LLVM's default FP-contraction (fuse only fmuladd, which is never emitted),
 * so nothing is fused or reassociated; sqrt/exp/sin/log are LLVM intrinsics,
 * which become sqrtsd and calls to the process's libm.
 *
 * One LLJIT instance, its LLVMContext and the optimising target machine are
 * made on the first compile and kept for the process, as a program that
 * compiles many expressions would; a compile is what one more expression
 * costs (IR, O3, code generation, linking), and a release removes its code
 * through the module's resource tracker.
 */
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/peers/peer.h"
#include "bench/peers/rpn.h"

#define STACK 64

/* What every compile shares (see the top of the file). */
static struct {
    int ready;
    LLVMOrcLLJITRef jit;
    LLVMOrcThreadSafeContextRef tsc;
    LLVMTargetMachineRef tm; /* for the optimiser's cost model */
    unsigned serial;         /* each expression gets its own function name */
} shared;

/* 1 (with msg filled in) when err is an error; consumes err either way. */
static int failed(LLVMErrorRef err, const char *what, char *msg, size_t cap)
{
    if (!err)
        return 0;
    char *text = LLVMGetErrorMessage(err);
    snprintf(msg, cap, "%s: %s", what, text);
    LLVMDisposeErrorMessage(text);
    return 1;
}

static void shared_free(void)
{
    if (shared.jit)
        LLVMConsumeError(LLVMOrcDisposeLLJIT(shared.jit));
    if (shared.tsc)
        LLVMOrcDisposeThreadSafeContext(shared.tsc);
    if (shared.tm)
        LLVMDisposeTargetMachine(shared.tm);
    shared.jit = NULL;
    shared.tsc = NULL;
    shared.tm = NULL;
    shared.ready = 0;
}

/* A target machine for the host CPU with all its features, at -O3's
 * code generation level; NULL with msg filled in on failure. */
static LLVMTargetMachineRef host_machine(char *msg, size_t cap)
{
    char *triple = LLVMGetDefaultTargetTriple(), *cpu = LLVMGetHostCPUName(),
         *features = LLVMGetHostCPUFeatures(), *error = NULL;
    LLVMTargetRef target;
    LLVMTargetMachineRef tm = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &error) == 0)
        tm = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive,
                                     LLVMRelocDefault, LLVMCodeModelJITDefault);
    if (!tm)
        snprintf(msg, cap, "no target machine for %s: %s", triple, error ? error : "?");
    LLVMDisposeMessage(error);
    LLVMDisposeMessage(triple);
    LLVMDisposeMessage(cpu);
    LLVMDisposeMessage(features);
    return tm;
}

/* Makes the shared LLJIT, context and target machine, once. */
static int shared_init(char *msg, size_t cap)
{
    if (shared.ready)
        return 0;
    if (LLVMInitializeNativeTarget() || LLVMInitializeNativeAsmPrinter()) {
        snprintf(msg, cap, "LLVM has no native target");
        return -1;
    }
    LLVMTargetMachineRef jit_tm = host_machine(msg, cap);
    if (!jit_tm)
        return -1;
    shared.tm = host_machine(msg, cap);
    if (!shared.tm) {
        LLVMDisposeTargetMachine(jit_tm);
        return -1;
    }
    /* LLJIT's code generator gets the same CPU, features and level (the
     * builder takes the machine over). */
    LLVMOrcLLJITBuilderRef builder = LLVMOrcCreateLLJITBuilder();
    LLVMOrcLLJITBuilderSetJITTargetMachineBuilder(
        builder, LLVMOrcJITTargetMachineBuilderCreateFromTargetMachine(jit_tm));
    if (failed(LLVMOrcCreateLLJIT(&shared.jit, builder), "LLJIT", msg, cap)) {
        shared.jit = NULL;
        shared_free();
        return -1;
    }
    /* exp, sin and log resolve to this process's libm. */
    LLVMOrcDefinitionGeneratorRef libm;
    if (failed(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                   &libm, LLVMOrcLLJITGetGlobalPrefix(shared.jit), NULL, NULL),
               "process symbols", msg, cap)) {
        shared_free();
        return -1;
    }
    LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(shared.jit), libm);
    shared.tsc = LLVMOrcCreateNewThreadSafeContext();
    atexit(shared_free);
    shared.ready = 1;
    return 0;
}

/* The IR under construction for one expression. */
typedef struct ir {
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMTypeRef f64, i1, i64;
    LLVMValueRef fn, i;
    LLVMValueRef row[3]; /* a[i], b[i], c[i], loaded on first use */
} ir;

/* llvm.NAME.f64(x). */
static LLVMValueRef intrinsic(ir *g, const char *name, size_t len, LLVMValueRef x)
{
    unsigned id = LLVMLookupIntrinsicID(name, len);
    LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->mod, id, &g->f64, 1);
    return LLVMBuildCall2(g->b, LLVMIntrinsicGetType(g->ctx, id, &g->f64, 1), f, &x, 1, "");
}

/* The value of column k at row i. */
static LLVMValueRef column(ir *g, int k)
{
    if (!g->row[k]) {
        LLVMValueRef at =
            LLVMBuildInBoundsGEP2(g->b, g->f64, LLVMGetParam(g->fn, (unsigned)k), &g->i, 1, "");
        g->row[k] = LLVMBuildLoad2(g->b, g->f64, at, "");
    }
    return g->row[k];
}

/* Emits the RPN into the loop body; its value (f64, or i1 for a
 * condition), or NULL when the text is not a well-typed expression. */
static LLVMValueRef emit_rpn(ir *g, const char *text)
{
    LLVMValueRef st[STACK];
    int sp = 0;
    rpn_op op;
    double num = 0;
    while (rpn_next(&text, &op, &num)) {
        int need = rpn_arity(op);
        if (op == RPN_BAD || sp < need || sp >= STACK)
            return NULL;
        LLVMValueRef *in = st + sp - need, r = NULL;
        /* Numbers in, except and's operands and sel's condition. */
        LLVMTypeRef want = op == RPN_AND ? g->i1 : g->f64;
        for (int k = op == RPN_SEL; k < need; k++)
            if (LLVMTypeOf(in[k]) != want)
                return NULL;
        if (op == RPN_SEL && LLVMTypeOf(in[0]) != g->i1)
            return NULL;
        switch (op) {
        case RPN_NUM: r = LLVMConstReal(g->f64, num); break;
        case RPN_A:
        case RPN_B:
        case RPN_C: r = column(g, op - RPN_A); break;
        case RPN_ADD: r = LLVMBuildFAdd(g->b, in[0], in[1], ""); break;
        case RPN_SUB: r = LLVMBuildFSub(g->b, in[0], in[1], ""); break;
        case RPN_MUL: r = LLVMBuildFMul(g->b, in[0], in[1], ""); break;
        case RPN_DIV: r = LLVMBuildFDiv(g->b, in[0], in[1], ""); break;
        case RPN_NEG: r = LLVMBuildFNeg(g->b, in[0], ""); break;
        case RPN_SQRT: r = intrinsic(g, "llvm.sqrt", 9, in[0]); break;
        case RPN_EXP: r = intrinsic(g, "llvm.exp", 8, in[0]); break;
        case RPN_SIN: r = intrinsic(g, "llvm.sin", 8, in[0]); break;
        case RPN_LOG: r = intrinsic(g, "llvm.log", 8, in[0]); break;
        case RPN_GT: r = LLVMBuildFCmp(g->b, LLVMRealOGT, in[0], in[1], ""); break;
        case RPN_LT: r = LLVMBuildFCmp(g->b, LLVMRealOLT, in[0], in[1], ""); break;
        case RPN_AND: r = LLVMBuildAnd(g->b, in[0], in[1], ""); break;
        case RPN_SEL: r = LLVMBuildSelect(g->b, in[0], in[1], in[2], ""); break;
        default: return NULL;
        }
        sp -= need;
        st[sp++] = r;
    }
    return sp == 1 ? st[0] : NULL;
}

/* Builds f(a, b, c, [out,] n) into g->mod: a column kernel storing out[i],
 * or a reduction returning the sum (f64, in row order) or the count (an
 * i64 counter, returned as a double). 0, or -1 for bad RPN. */
static int build_function(ir *g, const peer_expr *e, const char *name)
{
    int column_kind = e->kind == PEER_COLUMN, count = e->kind == PEER_COUNT;
    LLVMTypeRef ptr = LLVMPointerType(g->f64, 0);
    LLVMTypeRef params[5] = {ptr, ptr, ptr, column_kind ? ptr : g->i64, g->i64};
    LLVMTypeRef ret = column_kind ? LLVMVoidTypeInContext(g->ctx) : g->f64;
    unsigned nparams = column_kind ? 5 : 4;
    g->fn = LLVMAddFunction(g->mod, name, LLVMFunctionType(ret, params, nparams, 0));
    /* The kernel's contract: out overlaps no input, so the vectoriser needs
     * no run-time overlap check (as restrict in C). */
    LLVMAttributeRef noalias =
        LLVMCreateEnumAttribute(g->ctx, LLVMGetEnumAttributeKindForName("noalias", 7), 0);
    for (unsigned k = 0; k < nparams - 1; k++)
        LLVMAddAttributeAtIndex(g->fn, k + 1, noalias);
    /* LLVM keeps to 256-bit vectors on AVX-512 CPUs unless told otherwise
     * (clang's -mprefer-vector-width=512); the C loop (GCC -march=native)
     * and jitcalc use the full width, so LLVM may too. No effect elsewhere. */
    LLVMAddAttributeAtIndex(g->fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(g->ctx, "prefer-vector-width", 19, "512", 3));
    LLVMValueRef n = LLVMGetParam(g->fn, nparams - 1);

    LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "entry"),
                      loop = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "loop"),
                      done = LLVMAppendBasicBlockInContext(g->ctx, g->fn, "done");
    LLVMPositionBuilderAtEnd(g->b, entry);
    LLVMValueRef zero_i = LLVMConstInt(g->i64, 0, 0);
    LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntSGT, n, zero_i, ""), loop, done);

    LLVMPositionBuilderAtEnd(g->b, loop);
    LLVMTypeRef acc_type = count ? g->i64 : g->f64;
    LLVMValueRef acc_zero = count ? zero_i : LLVMConstReal(g->f64, 0);
    g->i = LLVMBuildPhi(g->b, g->i64, "i");
    LLVMValueRef acc = column_kind ? NULL : LLVMBuildPhi(g->b, acc_type, "acc");
    LLVMValueRef v = emit_rpn(g, e->rpn), next_acc = NULL;
    if (!v || LLVMTypeOf(v) != (count ? g->i1 : g->f64))
        return -1;
    if (column_kind) {
        LLVMValueRef at = LLVMBuildInBoundsGEP2(g->b, g->f64, LLVMGetParam(g->fn, 3), &g->i, 1, "");
        LLVMBuildStore(g->b, v, at);
    } else if (count) {
        next_acc = LLVMBuildAdd(g->b, acc, LLVMBuildZExt(g->b, v, g->i64, ""), "");
    } else {
        next_acc = LLVMBuildFAdd(g->b, acc, v, "");
    }
    LLVMValueRef next_i = LLVMBuildNSWAdd(g->b, g->i, LLVMConstInt(g->i64, 1, 0), "");
    LLVMBuildCondBr(g->b, LLVMBuildICmp(g->b, LLVMIntSLT, next_i, n, ""), loop, done);
    LLVMAddIncoming(g->i, (LLVMValueRef[]){zero_i, next_i}, (LLVMBasicBlockRef[]){entry, loop}, 2);

    LLVMPositionBuilderAtEnd(g->b, done);
    if (column_kind) {
        LLVMBuildRetVoid(g->b);
        return 0;
    }
    LLVMAddIncoming(acc, (LLVMValueRef[]){acc_zero, next_acc}, (LLVMBasicBlockRef[]){entry, loop},
                    2);
    LLVMValueRef result = LLVMBuildPhi(g->b, acc_type, "");
    LLVMAddIncoming(result, (LLVMValueRef[]){acc_zero, next_acc},
                    (LLVMBasicBlockRef[]){entry, loop}, 2);
    LLVMBuildRet(g->b, count ? LLVMBuildUIToFP(g->b, result, g->f64, "") : result);
    return 0;
}

/* default<O3> with clang -O3's vectorisation settings. */
static int optimise(LLVMModuleRef mod, char *msg, size_t cap)
{
    LLVMPassBuilderOptionsRef opt = LLVMCreatePassBuilderOptions();
    LLVMPassBuilderOptionsSetLoopVectorization(opt, 1);
    LLVMPassBuilderOptionsSetSLPVectorization(opt, 1);
    LLVMPassBuilderOptionsSetLoopInterleaving(opt, 1);
    LLVMPassBuilderOptionsSetLoopUnrolling(opt, 1);
    int bad = failed(LLVMRunPasses(mod, "default<O3>", shared.tm, opt), "O3", msg, cap);
    LLVMDisposePassBuilderOptions(opt);
    return bad ? -1 : 0;
}

static int llvm_compile(const peer_expr *e, peer_compiled *out, char *msg, size_t cap)
{
    if (shared_init(msg, cap) != 0)
        return -1;
    char name[32];
    snprintf(name, sizeof name, "expr%u", shared.serial++);
    ir g = {.ctx = LLVMOrcThreadSafeContextGetContext(shared.tsc)};
    g.f64 = LLVMDoubleTypeInContext(g.ctx);
    g.i1 = LLVMInt1TypeInContext(g.ctx);
    g.i64 = LLVMInt64TypeInContext(g.ctx);
    g.mod = LLVMModuleCreateWithNameInContext(name, g.ctx);
    LLVMSetTarget(g.mod, LLVMOrcLLJITGetTripleString(shared.jit));
    LLVMSetDataLayout(g.mod, LLVMOrcLLJITGetDataLayoutStr(shared.jit));
    g.b = LLVMCreateBuilderInContext(g.ctx);
    int bad = build_function(&g, e, name);
    LLVMDisposeBuilder(g.b);
    if (bad)
        snprintf(msg, cap, "bad RPN: %s", e->rpn);
    if (bad || optimise(g.mod, msg, cap) != 0) {
        LLVMDisposeModule(g.mod);
        return -1;
    }

    /* LLJIT owns the module from here; looking the function up compiles it. */
    LLVMOrcJITDylibRef lib = LLVMOrcLLJITGetMainJITDylib(shared.jit);
    LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(lib);
    LLVMOrcThreadSafeModuleRef tsm = LLVMOrcCreateNewThreadSafeModule(g.mod, shared.tsc);
    LLVMOrcExecutorAddress addr = 0;
    if (failed(LLVMOrcLLJITAddLLVMIRModuleWithRT(shared.jit, rt, tsm), "add module", msg, cap) ||
        failed(LLVMOrcLLJITLookup(shared.jit, &addr, name), "compile", msg, cap)) {
        LLVMConsumeError(LLVMOrcResourceTrackerRemove(rt));
        LLVMOrcReleaseResourceTracker(rt);
        return -1;
    }
    out->state = rt;
    out->fn = (void *)(uintptr_t)addr;
    out->run = e->kind == PEER_COLUMN ? peer_run_col : peer_run_red;
    return 0;
}

static void llvm_release(peer_compiled *p)
{
    LLVMOrcResourceTrackerRef rt = p->state;
    LLVMConsumeError(LLVMOrcResourceTrackerRemove(rt));
    LLVMOrcReleaseResourceTracker(rt);
}

const peer_engine peer_llvm = {"llvm", llvm_compile, llvm_release};
