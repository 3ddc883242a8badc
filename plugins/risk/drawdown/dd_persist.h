/*
 * drawdown — the breaker table as bytes, for the host state store (restart)
 * and export/import (hot reload). Explicit little-endian fields, never a raw
 * struct, so the format does not depend on padding or compiler:
 *
 *   "THDD" u32 version(=1) u32 count, then per scope:
 *   u8 kind, u8 latched, u8 seen_state, u8 owned_state, u8 name_len, name bytes,
 *   i64 peak, i64 host_peak_floor, i64 below_since_ns[3], i64 next_step_ns
 *
 * Decoding checks every field and refuses the whole blob on the first fault,
 * with a message naming it: a breaker state we cannot trust is not restored.
 */
#ifndef DRAWDOWN_DD_PERSIST_H
#define DRAWDOWN_DD_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "dd_internal.h"

#define DD_BLOB_HEADER 12u
#define DD_BLOB_RECORD_MAX (5u + (TH_NAME_MAX - 1) + 6u * 8u)

/* Bytes needed for a table of `cap` scopes in the worst case. */
size_t dd_blob_cap(uint32_t cap);
/* Encodes the table into buf (cap bytes, at least dd_blob_cap(t->count)); returns the length. */
size_t dd_encode(const dd_table *t, uint8_t *buf, size_t cap);
/* Replaces the table's contents with the blob's. On failure the table is left
 * empty, `err` says what is wrong, and -1 is returned. */
int dd_decode(dd_table *t, const uint8_t *buf, size_t len, char *err, size_t errcap);

#endif
