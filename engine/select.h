/*
 * select.h — the rows a bool column selects, as the list jc_filter returns.
 */
#ifndef JC_ENGINE_SELECT_H
#define JC_ENGINE_SELECT_H

#include <stddef.h>
#include <stdint.h>

/* Room select_rows needs in `out` beyond one entry per selected row. */
#define SELECT_SLACK 8

/* Writes the positions of the non-zero bytes of v[0..n), in order, to out
 * (room for their count plus SELECT_SLACK); returns their count. */
size_t select_rows(const uint8_t *v, size_t n, size_t *out);

#endif /* JC_ENGINE_SELECT_H */
