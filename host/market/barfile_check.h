/*
 * market — the rules every bar file obeys, shared by the writer (so it never
 * writes a file the reader refuses) and the reader (so a corrupt or hand-made
 * file is caught at the record that breaks them).
 */
#ifndef TH_MARKET_BARFILE_CHECK_H
#define TH_MARKET_BARFILE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "market/barfile.h"

/* The fast yes/no on the decode path: low <= open, close <= high, volume >= 0,
 * event time representable and not before last_ts. */
static inline int barfile_bar_ok(const th_bar *b, int64_t last_ts)
{
	return b->interval_ns > 0 && b->volume >= 0 && b->low <= b->open && b->low <= b->close && b->high >= b->open &&
	       b->high >= b->close && b->open_time_ns <= INT64_MAX - b->interval_ns &&
	       b->open_time_ns + b->interval_ns >= last_ts;
}

/* 0 if the bar is fine, else -1 with the first broken rule in why. */
int barfile_check_bar(const th_bar *b, int64_t last_ts, char *why, size_t whylen);

/* 0 if the symbol table is usable (1..BARFILE_MAX_SYMBOLS entries, names
 * non-empty and unique, scales 0..18, intervals > 0 — or 0 too when
 * interval_unknown_ok, for a writer that learns them from the first bar),
 * else -1 naming `what` (the file) and the entry. */
int barfile_check_symbols(const char *what, const barfile_symbol *syms, size_t n, int interval_unknown_ok, char *err,
                          size_t errlen);

#endif
