/* block_exec_avx512.c — the block evaluator's kernels for avx512 (built with its flags, run only when the CPU has it). */
#define BLOCK_EXEC block_exec_avx512
#include "interp/block_exec.h"
