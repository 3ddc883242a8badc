/*
 * market — binary bar files (.thb): OHLCV bars of one or more symbols in
 * event-time order, stored as fixed-size records of fixed-point integers so
 * that replaying them costs a checksum and a copy instead of parsing text or
 * running the synthetic generator.
 *
 * Format, version 1. All integers little-endian, signed two's complement.
 *
 *   offset  size  header (BARFILE_HEADER_BYTES = 64)
 *        0     8  magic "THBARS\r\n"
 *        8     4  u32 version (1)
 *       12     4  u32 header_bytes: 64 + 64 * nsymbols (where the records start)
 *       16     4  u32 record_bytes (56)
 *       20     4  u32 block_records: records per checksummed block (4096 from
 *                     this writer, 229 KB: a block stays in cache between its
 *                     CRC and its decoding; readers accept 1..65536)
 *       24     8  u64 bar_count
 *       32     4  u32 nsymbols (1..BARFILE_MAX_SYMBOLS)
 *       36     4  u32 header_crc: CRC-32 (zlib) of bytes [0, header_bytes)
 *                     computed with this field set to 0
 *       40    24  reserved, 0
 *
 *   symbol table: nsymbols entries of 64 bytes
 *        0    24  symbol, NUL-padded (e.g. "BTC-USDT")
 *       24     4  i32 price_scale: fractional digits of the prices
 *       28     4  i32 qty_scale: fractional digits of the volume
 *       32     8  i64 interval_ns: bar length of this symbol (> 0)
 *       40    24  reserved, 0
 *
 *   records: bar_count entries of 56 bytes, in non-decreasing event time
 *   (open_time_ns + interval_ns; equal times keep their written order)
 *        0     8  i64 open_time_ns (Unix ns)
 *        8    32  i64 open, high, low, close (at the symbol's price_scale)
 *       40     8  i64 volume (at the symbol's qty_scale, >= 0)
 *       48     4  u32 trades
 *       52     2  u16 symbol index into the table
 *       54     2  u16 reserved, 0
 *
 *   trailer: one u32 CRC-32 per block of block_records records (the last
 *   block may be shorter), ceil(bar_count / block_records) entries.
 *
 * The file length is therefore exact: header_bytes + 56 * bar_count +
 * 4 * nblocks; anything else is a truncated (or padded) file. Venue,
 * tick and lot are not stored: the same file replays on any venue instance.
 *
 * Reading checks the header and the length at open, then each block's CRC
 * when the block is loaded (one large read per block), and every record as
 * it is decoded (symbol index, low <= open/close <= high, volume >= 0, time
 * order). Errors name the file, the record index and its byte offset.
 */
#ifndef TH_MARKET_BARFILE_H
#define TH_MARKET_BARFILE_H

#include <stddef.h>
#include <stdint.h>

#include "tradehost/th_types.h"

#define BARFILE_MAGIC "THBARS\r\n"
#define BARFILE_VERSION 1u
#define BARFILE_HEADER_BYTES 64u
#define BARFILE_SYMBOL_BYTES 64u
#define BARFILE_RECORD_BYTES 56u
#define BARFILE_BLOCK_RECORDS 4096u      /* what this writer uses */
#define BARFILE_MAX_BLOCK_RECORDS 65536u /* what readers accept */
#define BARFILE_MAX_SYMBOLS 1024u

typedef struct barfile_symbol {
	char symbol[TH_SYMBOL_MAX];
	int32_t price_scale;
	int32_t qty_scale;
	int64_t interval_ns;
} barfile_symbol;

/* ---- writing ---- */

typedef struct barfile_writer barfile_writer;

/* Starts writing `path` (through path.tmp, renamed by barfile_finish so a
 * failed conversion never leaves a half file under the final name). A symbol
 * whose interval_ns is 0 takes the interval of its first bar. */
barfile_writer *barfile_create(const char *path, const barfile_symbol *symbols, size_t nsymbols, char *err,
                               size_t errlen);

/* Appends one bar of symbol index `sym`; its price/qty scales must be the
 * symbol's and its event time must not be before the previous bar's. */
int barfile_append(barfile_writer *w, size_t sym, const th_bar *bar, char *err, size_t errlen);

uint64_t barfile_written(const barfile_writer *w);

/* Writes the trailer and the final header, renames into place and frees w
 * (also on failure, after removing the temporary file). */
int barfile_finish(barfile_writer *w, char *err, size_t errlen);

/* Gives up: removes the temporary file and frees w. NULL is fine. */
void barfile_abort(barfile_writer *w);

/* ---- reading ---- */

typedef struct barfile barfile;

/* Opens and checks the header, symbol table and exact file length. */
barfile *barfile_open(const char *path, char *err, size_t errlen);

const barfile_symbol *barfile_symbols(const barfile *f, size_t *count);
uint64_t barfile_bar_count(const barfile *f);
const char *barfile_path(const barfile *f);

/* Next bar in file order: 1 (*sym and *out filled; out's scales and
 * interval are the symbol's), 0 at the end, -1 on a corrupt block or
 * record (err names file, record and offset); the reader then stays failed. */
int barfile_next(barfile *f, size_t *sym, th_bar *out, char *err, size_t errlen);

/* Back to the first record (checks are repeated). */
void barfile_rewind(barfile *f);

void barfile_close(barfile *f);

#endif
