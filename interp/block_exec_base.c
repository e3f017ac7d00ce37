/* block_exec_base.c — the block evaluator's kernels for the baseline ISA. */
#define BLOCK_EXEC block_exec_base
#include "interp/block_exec.h"
