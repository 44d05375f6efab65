/* How the C memos that keep entries by the identity of objects (a walker state and a segment
 * id, a slots dict and an id, a plan ...) choose an entry's slot. Addresses are multiples of
 * 16 and close together, so their low bits say little: each is multiplied by its own odd
 * 64-bit constant and the top bits of the mix pick the slot. Included by _moves.h, _walk.c
 * and _values.c; every function is static. */
#ifndef X12KIT_MEMO_H
#define X12KIT_MEMO_H

#include <stdint.h>

/* The slot of (a, b, c) in a memo of 2**bits slots; NULL for what the key has not. */
static inline size_t
memo_slot(const void *a, const void *b, const void *c, unsigned bits)
{
    uint64_t mix = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull
                   ^ (uint64_t)(uintptr_t)b * 0xC2B2AE3D27D4EB4Full
                   ^ (uint64_t)(uintptr_t)c * 0x165667B19E3779F9ull;
    return (size_t)(mix >> (64 - bits));
}

#endif
