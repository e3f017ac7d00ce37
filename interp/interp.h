/*
 * interp.h — the reference interpreter: the semantics every other path
 * (the JIT's stencils) is tested against, bit for bit, and the fallback
 * where no JIT runs.
 *
 * Takes in: a typed tree (parser/tree.h) with its passes planned, and per
 * run the block io of interp/exec.h. Hands on: pass outputs (reduced by
 * interp/reduce.h in the executor), the scalar root's value, evaluation
 * errors. The executor (engine/run.c) drives it:
 *
 *   for each pass p:           interp_block over blocks of rows; on a
 *                              non-zero return, interp_precise_each (or
 *                              interp_precise) over the same rows
 *   aggregate passes:          outputs -> agg_add/agg_merge/agg_finish ->
 *                              scalar table + states
 *   scalar-shaped root:        interp_scalar once, after the passes
 *
 * Rows: every `row` here (arguments, err->row) is a position in the run
 * (element index of io->cols), not yet mapped through a selection; a
 * poisoned scalar's fault is reported with its state's code and row as
 * they are. Map rows to the caller's indices once, at the end.
 *
 * Evaluation errors carry position 0 (the row says where).
 *
 * Thread safety: a tree is only read; a workspace belongs to one thread at
 * a time. Nothing here has global mutable state (the ISA choice is made
 * once, race-free).
 */
#ifndef JC_INTERP_INTERP_H
#define JC_INTERP_INTERP_H

#include <stddef.h>
#include <stdint.h>

#include "interp/exec.h"
#include "jitcalc.h"
#include "parser/tree.h"

/* Per-thread scratch for interp_block: the compiled block program of every
 * pass of t and its buffers (a few, whatever the tree's size). Valid for
 * t only, until t changes. */
typedef struct interp_ws interp_ws;

/* NULL when out of memory (or when t is malformed). */
interp_ws *interp_ws_new(const jc_tree *t);
void interp_ws_free(interp_ws *ws); /* NULL is fine */

/* Fast path: computes every output of pass `pass` for rows [begin, end)
 * into io->outs (element 0 = row begin), a block of up to JC_BLOCK_ROWS
 * rows per node at a time, every lane of both sides of if/and/or. When a
 * lane faults, the block is run again with masks of the rows that take
 * each lazy side, so a fault on a side its row does not take is no fault.
 * Returns 0 when no row faulted; else non-zero (bit c set: a row faulted
 * with code c) — then the outputs for [begin, end) are unspecified and the
 * executor must run interp_precise[_each] on the same rows.
 * It reads scalar slots as values and ignores their states: when a pass
 * reads a poisoned scalar (SCALAR_FAULT), run it with interp_precise[_each]
 * instead. (SCALAR_NULL only arises over zero rows, where there is nothing
 * to run.) */
uint64_t interp_block(const jc_tree *t, unsigned pass, const jc_block_io *io,
                      size_t begin, size_t end, interp_ws *ws);

/* Precise path: the language's semantics, row order, if/and/or lazy,
 * scalar slots per `states` (NULL: all SCALAR_VALUE; a poisoned slot
 * faults where it is read on a taken path). Writes the same outputs as
 * interp_block. Returns 0, or -1 with *err at the first real fault (the
 * smallest row; in a row, the first in evaluation order, outputs in pass
 * order), the outputs of the rows before it written. -1 with
 * JC_OUT_OF_MEMORY / JC_INTERNAL too. Cost: each block runs through the
 * block kernels with masks (about twice interp_block); only a row where a
 * fault really happens is walked node by node. Allocates per call. */
int interp_precise(const jc_tree *t, unsigned pass, const jc_block_io *io,
                   const jc_scalar_state *states, size_t begin, size_t end,
                   jc_error *err);

/* As interp_precise, but a fault stops only the output it happens in, so
 * that one faulting aggregate argument poisons only its own aggregate:
 * errs[k] (one per output of the pass) is output k's first fault, or code
 * JC_OK; the other outputs are computed for every row. Returns how many
 * outputs faulted, or -1 (out of memory / internal; errs[0] says which). */
int interp_precise_each(const jc_tree *t, unsigned pass, const jc_block_io *io,
                        const jc_scalar_state *states, size_t begin, size_t end,
                        jc_error *errs);

/* The scalar-shaped root, once, after the aggregate passes. scalars: the
 * run's scalar table (constants, then aggregates); states as above.
 * Laziness first, then null: `false and X`, `true or X`, `if(false, X, y)`
 * never look at X; any other operand that is null makes the result null
 * (*is_null = 1). A poisoned aggregate read on a taken path is the error.
 * Returns 0 (f64 results canonical), or -1 with *err. */
int interp_scalar(const jc_tree *t, const uint64_t *scalars,
                  const jc_scalar_state *states, jc_value *out, int *is_null,
                  jc_error *err);

/* Constant folding of a typed tree: every subtree of constants that
 * evaluates without a fault becomes one CONST (one that faults stays and
 * faults at run time); if/and/or whose condition (left side) is constant
 * become the taken branch. Then CONST slots are renumbered in post-order,
 * columns no longer used are dropped (the others renumbered in first-use
 * order), and tree_plan_passes computes the passes. A row-wise
 * if/and/or never folds into a constant or a scalar branch, so a column
 * result stays a column. Returns 0, or -1 with *err (out of memory); after
 * a failure t must only be freed. */
int fold_constants(jc_tree *t, jc_error *err);

/* fold_constants' rule for one node whose operands are all constants (a
 * jc_fold_fn, parser/parser.h): 1 with its value in *out (a bool as 0/1),
 * or 0 when it faults and so stays, to fault at run time. jc_compile hands
 * it to typecheck_tree_folding. */
int fold_node(jc_op op, jc_type type, jc_type ktype, const jc_value *args, jc_value *out);

#endif /* JC_INTERP_INTERP_H */
