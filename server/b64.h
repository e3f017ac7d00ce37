/*
 * b64.h — standard base64 (RFC 4648 alphabet A-Z a-z 0-9 + /), the way large
 * columns travel in the protocol.
 *
 * Both directions are table driven with no per-byte branches, because base64
 * columns are the protocol's bulk path (target: >= 1 GB/s end to end; the
 * measured figures are in server/README.md).
 */
#ifndef JC_SERVER_B64_H
#define JC_SERVER_B64_H

#include <stddef.h>
#include <stdint.h>

/* Characters b64_encode writes for n bytes (always padded to a multiple of 4). */
static inline size_t b64_encoded_len(size_t n) { return (n + 2) / 3 * 4; }

/* Writes b64_encoded_len(n) characters (no NUL) to out. */
void b64_encode(const uint8_t *in, size_t n, char *out);

/* Bytes that len characters decode to, or (size_t)-1 when len cannot be
 * base64 (padded or not: len % 4 == 1 never is). Looks at the trailing '='
 * only; b64_decode checks everything else. */
size_t b64_decoded_len(const char *in, size_t len);

/* Decodes len characters into out (room for b64_decoded_len bytes).
 * Padding is optional, but if present it must be correct; bits left over
 * after the last byte must be zero (one text per byte string). Returns 0, or
 * -1 on any character outside the alphabet, misplaced '=' or non-zero
 * leftover bits (out is then unspecified). */
int b64_decode(const char *in, size_t len, uint8_t *out);

#endif /* JC_SERVER_B64_H */
