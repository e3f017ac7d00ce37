/* block_exec_avx2.c — the block evaluator's kernels for avx2 (built with its flags, run only when the CPU has it). */
#define BLOCK_EXEC block_exec_avx2
#include "interp/block_exec.h"
