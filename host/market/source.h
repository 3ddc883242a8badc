/*
 * market — replay sources: one iterator of market events over the synthetic
 * generator, a set of CSV bar files (one per symbol) or a binary bar file.
 *
 * The backtest driver (and the paper feed) pull th_event's in time order with
 * market_source_next() and publish them on the bus.
 *
 * CSV sources: every file is read as a stream (see csv_bars.h) and the
 * streams are merged by event time; equal times go in input order, so a
 * given set of files always replays in the same order. Each bar becomes a
 * TH_EV_BAR with h.venue / h.symbol from its input's instrument and
 * h.ts_ns = open_time_ns + interval_ns: a bar is an event at its close,
 * never before (no look-ahead in backtests).
 *
 * Synthetic sources: the generator's trades, quotes and bars (synth.h).
 *
 * Bar file sources: the bars of a .thb file (barfile.h) in file order, each
 * a TH_EV_BAR like the CSV source's. Replaying one is a block read, a CRC
 * and a copy per bar: the fastest way to feed a long backtest.
 *
 * Options, for all:
 *  - [from_ns, to_ns): bars are kept when their open time is in the range,
 *    trades and quotes when their timestamp is. 0 = unbounded on that side.
 *    The range applies to the source bars before resampling: align from/to to
 *    the resample interval to get only whole bars.
 *  - resample_ns: bars are replaced by bars of this (coarser) interval,
 *    aligned to the Unix epoch (resample.h); trades and quotes pass as they
 *    are. A target period that ends at or before to_ns, or that a later source
 *    bar shows to be over, is complete. The last period when the data runs out
 *    may be partial: it is emitted only if flush_partial is set.
 */
#ifndef TH_MARKET_SOURCE_H
#define TH_MARKET_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "market/csv_bars.h"
#include "market/synth.h"
#include "tradehost/th_event.h"
#include "tradehost/th_types.h"

typedef struct market_csv_input {
	const char *path;          /* copied */
	th_instrument instrument;  /* venue, symbol (required) and price/qty scales of the file's values */
	csv_bars_format format;    /* CSV_BARS_AUTO to detect */
	market_rounding rounding;  /* MARKET_ROUND_REJECT unless rounding is wanted */
	int64_t interval_ns;       /* 0 = infer from the file */
} market_csv_input;

typedef struct market_source_options {
	int64_t from_ns;           /* inclusive; 0 = from the start */
	int64_t to_ns;             /* exclusive; 0 = to the end */
	int64_t resample_ns;       /* 0 = emit bars at their own interval */
	int flush_partial;         /* emit a partial last resampled bar when the data ends */
} market_source_options;

typedef struct market_source market_source;

/* Synthetic source; the config is copied. opt may be NULL (no options). */
market_source *market_source_synth(const synth_config *cfg, const market_source_options *opt, char *err,
                                   size_t errlen);

/* CSV source over n >= 1 files, one symbol each (symbols must differ per venue).
 * Opens every file and detects its layout now, so a missing file or bad
 * header fails here. opt may be NULL. */
market_source *market_source_csv(const market_csv_input *inputs, size_t n, const market_source_options *opt,
                                 char *err, size_t errlen);

/* Bar file source. instruments[i] describes the file's symbol i: its symbol
 * and scales must be the file's (checked), venue is required, base, quote,
 * tick, lot, min_qty and min_notional are taken as given. The file's header
 * and length are checked now; each block's CRC and each record when read.
 * opt may be NULL. */
market_source *market_source_barfile(const char *path, const th_instrument *instruments, size_t n,
                                     const market_source_options *opt, char *err, size_t errlen);

/*
 * Next event in time order: 1 = *out filled, 0 = end, -1 = error (a bad row,
 * with file:line in err); after an error the source stays failed.
 * For CSV sources only the header and the bar payload of *out are written
 * (the bytes th_event_size() counts); the synthetic source zeroes all of it.
 */
int market_source_next(market_source *src, th_event *out, char *err, size_t errlen);

/* Instruments in input / config order. */
const th_instrument *market_source_instruments(const market_source *src, size_t *count);

void market_source_destroy(market_source *src);

#endif
