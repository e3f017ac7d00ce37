/*
 * jitcalc.h — the whole public surface of libjitcalc.
 *
 * jitcalc evaluates expressions such as `price * qty * (1 - discount)` over
 * columns of numbers. An expression is compiled once (to machine code by
 * copy-and-patch where the machine supports it, else to the reference
 * interpreter) and run many times over caller-owned column buffers.
 *
 * Ownership: the caller owns every column buffer and every string it passes
 * in; the library owns what it returns through a create call (engine,
 * program, result values) until the matching free call.
 *
 * Thread safety: an engine may be used from many threads at once (compile,
 * eval, run, stats). A program is immutable once compiled: any number of
 * threads may run the same program at the same time. A jc_result and a
 * jc_error belong to the thread that passed them in.
 *
 * Errors: every call that can fail returns 0 on success and -1 on failure and
 * fills the caller's jc_error; nothing aborts or exits on any input.
 */
#ifndef JITCALC_H
#define JITCALC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JITCALC_VERSION_MAJOR 0
#define JITCALC_VERSION_MINOR 1
#define JITCALC_VERSION_PATCH 0
#define JITCALC_VERSION "0.1.0"

/* Pass as an expression length to mean "NUL-terminated". */
#define JC_NUL_TERMINATED ((size_t)-1)

/* Value types. A bool column holds one byte per row, 0 or 1. */
typedef enum jc_type {
    JC_F64 = 0, /* double */
    JC_I64 = 1, /* int64_t */
    JC_BOOL = 2 /* uint8_t, 0 or 1 */
} jc_type;

/* Error codes. jc_code_name() gives the stable snake_case name used in the
 * protocol ("parse_error", ...). */
typedef enum jc_code {
    JC_OK = 0,
    JC_PARSE_ERROR,
    JC_TYPE_ERROR,
    JC_UNKNOWN_COLUMN,
    JC_UNKNOWN_FUNCTION,
    JC_INTEGER_OVERFLOW,
    JC_DIVISION_BY_ZERO,
    JC_INVALID_CAST,
    JC_LENGTH_MISMATCH,
    JC_LIMIT_EXCEEDED,
    JC_OUT_OF_MEMORY,
    JC_INVALID_ARGUMENT, /* API misuse: NULL pointer, unknown type, ... */
    JC_INTERNAL
} jc_code;

#define JC_ERROR_MESSAGE_SIZE 256

/* One error, everywhere. position is 1-based in Unicode code points of the
 * expression (0 when it does not apply); row is the 0-based row of the input
 * columns as the caller passed them (-1 when it does not apply). */
typedef struct jc_error {
    jc_code code;
    int64_t position;
    int64_t row;
    char message[JC_ERROR_MESSAGE_SIZE];
} jc_error;

const char *jc_code_name(jc_code code);
const char *jc_type_name(jc_type type); /* "f64", "i64", "bool" */

/* A column: caller-owned. data may be NULL when length is 0, and is ignored
 * when the column only describes a schema (jc_compile). */
typedef struct jc_column {
    const char *name;
    jc_type type;
    const void *data;
    size_t length;
} jc_column;

/* Default limits (each can be changed per engine). */
#define JC_DEFAULT_MAX_EXPR_BYTES 65536u
#define JC_DEFAULT_MAX_DEPTH 256u
#define JC_DEFAULT_MAX_COLUMNS 1024u
#define JC_DEFAULT_CACHE_ENTRIES 1024u
#define JC_DEFAULT_CACHE_BYTES (64u * 1024u * 1024u)

typedef struct jc_options {
    int jit;                /* 1: use the JIT where available (default); 0: interpreter only */
    const char *isa;        /* NULL or "auto": best for the CPU, overridden by $JITCALC_ISA;
                               else "none", "sse2", "avx2", "avx512", "neon" */
    size_t cache_entries;   /* compiled programs kept (0 disables the cache) */
    size_t cache_bytes;     /* bytes of executable code kept, page padding included */
    size_t max_expr_bytes;  /* longest expression accepted */
    unsigned max_depth;     /* deepest nesting accepted (see docs/language.md) */
    unsigned max_columns;   /* distinct columns one expression may use */
    unsigned threads;       /* threads one large run may use (1 = the caller's only) */
} jc_options;

/* Fills opts with the defaults above. */
void jc_options_init(jc_options *opts);

typedef struct jc_engine jc_engine;
typedef struct jc_program jc_program;

/* opts may be NULL for the defaults. Returns NULL and fills err on failure
 * (an unknown isa name is JC_INVALID_ARGUMENT; an isa the CPU lacks too). */
jc_engine *jc_engine_new(const jc_options *opts, jc_error *err);
void jc_engine_free(jc_engine *engine); /* programs must be freed first */

/* Compiles expr (len bytes, or JC_NUL_TERMINATED) against a schema: the
 * columns it may reference, by name and type (data and length are ignored).
 * Returns a new program owned by the caller, or NULL with err filled. */
jc_program *jc_compile(jc_engine *engine, const char *expr, size_t len,
                       const jc_column *schema, size_t ncols, jc_error *err);
void jc_program_free(jc_program *program); /* NULL is fine */

/* A result. For a column result, values holds rows values of type (double,
 * int64_t or uint8_t), owned by the result. For a scalar, rows is 0, values
 * is NULL, and the value is in the union unless is_null (an aggregate with no
 * value over zero rows). */
typedef struct jc_result {
    jc_type type;
    int is_column;
    int is_null;
    size_t rows;
    void *values;
    union {
        double f64;
        int64_t i64;
        uint8_t b;
    } scalar;
} jc_result;

void jc_result_free(jc_result *result); /* frees values; safe on a zeroed result */

/* Runs a program over nrows rows. Columns are matched to the program's
 * schema by name (the first of a repeated name; passing them in the order
 * the expression first uses them is the quickest to match); extra columns
 * are ignored; each used column must have
 * length nrows (else JC_LENGTH_MISMATCH) and the compiled type (else
 * JC_TYPE_ERROR). Thread-safe for one program from many threads. */
int jc_run(const jc_program *program, const jc_column *columns, size_t ncols,
           size_t nrows, jc_result *out, jc_error *err);

/* As jc_run for a program with a column result, but writes the nrows values
 * into the caller's buffer `out` (nrows doubles, int64_ts or bytes, per
 * jc_program_type) instead of allocating: the zero-copy way to run the same
 * program again and again. A program with a scalar result is
 * JC_INVALID_ARGUMENT. On an error the contents of out are unspecified. */
int jc_run_into(const jc_program *program, const jc_column *columns,
                size_t ncols, size_t nrows, void *out, jc_error *err);

/* As jc_run and jc_run_into, with the columns by position instead of by
 * name: data[i] points to the nrows values of the program's column i (see
 * jc_program_column_name and jc_program_column_type; ndata must be
 * jc_program_column_count). Nothing is looked up, so a caller that runs
 * one program over batch after batch resolves its columns once and then
 * pays the least per call. The types are the caller's promise: raw
 * pointers carry none to check. */
int jc_run_slots(const jc_program *program, const void *const *data, size_t ndata,
                 size_t nrows, jc_result *out, jc_error *err);
int jc_run_slots_into(const jc_program *program, const void *const *data, size_t ndata,
                      size_t nrows, void *out, jc_error *err);

/* Runs a program over the selected rows only (indices ascending, each
 * < nrows, as jc_filter returns them). Aggregates reduce the selected rows;
 * an error's row is the index into the caller's columns, not the selection. */
int jc_run_selected(const jc_program *program, const jc_column *columns,
                    size_t ncols, size_t nrows, const size_t *indices,
                    size_t nselected, jc_result *out, jc_error *err);

/* A selection of rows: ascending 0-based indices, owned by the selection. */
typedef struct jc_selection {
    size_t count;
    size_t *indices;
} jc_selection;

void jc_selection_free(jc_selection *selection);

/* Evaluates a bool program as a filter: the rows where it is true. A scalar
 * filter selects all rows or none; a null one selects none. */
int jc_filter(const jc_program *program, const jc_column *columns, size_t ncols,
              size_t nrows, jc_selection *out, jc_error *err);

/* Compile and run in one call (uses the engine's cache). */
int jc_eval(jc_engine *engine, const char *expr, size_t len,
            const jc_column *columns, size_t ncols, size_t nrows,
            jc_result *out, jc_error *err);

/* What a program is. Pointers are borrowed and live as long as the program. */
jc_type jc_program_type(const jc_program *program);
int jc_program_is_column(const jc_program *program); /* 1 column, 0 scalar */
/* The canonical, fully parenthesised text (made on first call; NULL only
 * when out of memory). */
const char *jc_program_canonical(const jc_program *program);
/* 1 when this compile found the expression's code in the engine's cache. */
int jc_program_cached(const jc_program *program);
size_t jc_program_column_count(const jc_program *program);
const char *jc_program_column_name(const jc_program *program, size_t i);
jc_type jc_program_column_type(const jc_program *program, size_t i);

/* How a program runs: the instruction set ("none" for the interpreter), the
 * architecture, the code size, and the stencil chain, one name per stencil
 * in code order, passes separated by "|". Borrowed pointers. */
typedef struct jc_explain {
    const char *arch;      /* "x86_64", "aarch64", ... */
    const char *isa;       /* "avx2", "none", ... */
    size_t code_bytes;     /* bytes of machine code (0 for the interpreter) */
    size_t nstencils;
    const char *const *stencils;
} jc_explain;

int jc_program_explain(const jc_program *program, jc_explain *out, jc_error *err);

/* The compiled machine code of pass `pass` (for disassembly in tests and
 * debugging); returns 0 and sets *code = NULL when there is none. */
int jc_program_code(const jc_program *program, unsigned pass, const void **code,
                    size_t *len);

/* Engine counters. */
typedef struct jc_stats {
    uint64_t cache_entries;
    uint64_t cache_code_bytes;
    uint64_t cache_hits;
    uint64_t cache_misses;
    uint64_t cache_evictions;
    uint64_t compile_ns;   /* total time spent compiling on misses */
    int jit;               /* 1 when the JIT is in use */
    const char *isa;       /* borrowed, static */
    const char *arch;      /* borrowed, static */
} jc_stats;

void jc_engine_stats(const jc_engine *engine, jc_stats *out);

/* The library's version string (JITCALC_VERSION of the built library). */
const char *jc_version(void);

#ifdef __cplusplus
}
#endif

#endif /* JITCALC_H */
