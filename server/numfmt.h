/*
 * numfmt.h — numbers as the protocol writes and reads them.
 *
 * f64 out: the shortest decimal text that reads back (strtod) to the same
 * double: the fewest significant digits among 1..17 that round-trip (the
 * same digits as the first of printf's %.15g, %.16g, %.17g that reads back,
 * computed without printf: see numfmt.c, also for the 46 powers of two
 * where a shorter decimal would read back too).
 * Layout: plain decimal notation when 1e-4 <= |v| < 1e17 (so integral values
 * below 1e17 print as integers, without exponent or ".0"), else exponent
 * notation as printf's %g writes it ("1e+20", "2.5e-07"). -0.0 is "-0".
 * NaN and the infinities are not numbers in JSON: callers write them as the
 * strings "NaN", "Infinity", "-Infinity".
 */
#ifndef JC_SERVER_NUMFMT_H
#define JC_SERVER_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text fmt_f64 / fmt_i64 write, without a NUL (plus one for it). */
#define NUMFMT_MAX 32

/* Writes finite v to buf (room for NUMFMT_MAX bytes, which it may use as
 * scratch past the text; no NUL). Returns the length. */
size_t fmt_f64(double v, char *buf);

/* Writes v in decimal to buf (room for NUMFMT_MAX bytes; no NUL). */
size_t fmt_i64(int64_t v, char *buf);

/* Reads a JSON number token (text[0..len), exactly the JSON grammar) as a
 * double, correctly rounded. Returns 0, or -1 when the token is not a JSON
 * number or overflows to infinity (JSON has no infinities; underflow to 0 or
 * a subnormal is fine). */
int parse_f64(const char *text, size_t len, double *out);

#endif /* JC_SERVER_NUMFMT_H */
