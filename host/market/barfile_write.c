/*
 * market — bar file writer: records are collected one checksummed block at a
 * time and written with one write() per block; the header (with the final
 * bar count and its CRC) is written last, then the file is renamed into place.
 */
#include "market/barfile.h"
#include "market/barfile_check.h"
#include "market/barfile_codec.h"
#include "market/market_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct barfile_writer {
	char *path, *tmp;
	int fd;
	barfile_symbol *syms;
	size_t nsym;
	uint64_t count;
	int64_t last_ts;
	unsigned char *block;   /* BARFILE_BLOCK_RECORDS records */
	size_t in_block;
	uint32_t *crcs;         /* one per finished block */
	size_t ncrcs, crcs_cap;
};

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

static void writer_free(barfile_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w->tmp);
	free(w->syms);
	free(w->block);
	free(w->crcs);
	free(w);
}

void barfile_abort(barfile_writer *w)
{
	if (!w)
		return;
	if (w->tmp)
		unlink(w->tmp);
	writer_free(w);
}

barfile_writer *barfile_create(const char *path, const barfile_symbol *symbols, size_t nsymbols, char *err,
                               size_t errlen)
{
	if (!path || !path[0]) {
		market_err(err, errlen, "bar file: no output path");
		return NULL;
	}
	if (barfile_check_symbols(path, symbols, nsymbols, 1, err, errlen) != 0)
		return NULL;
	barfile_writer *w = calloc(1, sizeof *w);
	if (!w) {
		market_err(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	w->fd = -1;
	size_t plen = strlen(path);
	w->path = strdup(path);
	w->tmp = malloc(plen + 5);
	w->syms = calloc(nsymbols, sizeof *w->syms);
	w->block = malloc((size_t)BARFILE_BLOCK_RECORDS * BARFILE_RECORD_BYTES);
	if (!w->path || !w->tmp || !w->syms || !w->block) {
		writer_free(w);
		market_err(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	memcpy(w->tmp, path, plen);
	memcpy(w->tmp + plen, ".tmp", 5);
	memcpy(w->syms, symbols, nsymbols * sizeof *w->syms);
	w->nsym = nsymbols;
	w->last_ts = INT64_MIN;
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		market_err(err, errlen, "%s: cannot create: %s", w->tmp, strerror(errno));
		free(w->tmp);
		w->tmp = NULL; /* nothing to remove */
		writer_free(w);
		return NULL;
	}
	return w;
}

static int flush_block(barfile_writer *w, char *err, size_t errlen)
{
	if (w->in_block == 0)
		return 0;
	if (w->ncrcs == w->crcs_cap) {
		size_t cap = w->crcs_cap ? 2 * w->crcs_cap : 64;
		uint32_t *n = realloc(w->crcs, cap * sizeof *n);
		if (!n)
			return market_err(err, errlen, "%s: out of memory", w->path);
		w->crcs = n;
		w->crcs_cap = cap;
	}
	size_t bytes = w->in_block * BARFILE_RECORD_BYTES;
	uint64_t first = w->count - w->in_block;
	if (write_all(w->fd, w->block, bytes, barfile_record_offset(w->nsym, first)) != 0)
		return market_err(err, errlen, "%s: write failed: %s", w->tmp, strerror(errno));
	w->crcs[w->ncrcs++] = barfile_crc32(0, w->block, bytes);
	w->in_block = 0;
	return 0;
}

int barfile_append(barfile_writer *w, size_t sym, const th_bar *bar, char *err, size_t errlen)
{
	if (sym >= w->nsym)
		return market_err(err, errlen, "%s: bar %llu: symbol index %zu, the file has %zu symbols", w->path,
		                  (unsigned long long)w->count, sym, w->nsym);
	barfile_symbol *s = &w->syms[sym];
	if (s->interval_ns == 0 && bar->interval_ns > 0)
		s->interval_ns = bar->interval_ns; /* learned from the symbol's first bar */
	if (bar->price_scale != s->price_scale || bar->qty_scale != s->qty_scale || bar->interval_ns != s->interval_ns)
		return market_err(err, errlen,
		                  "%s: bar %llu of %s: scales %d/%d and interval %lld ns differ from the symbol's %d/%d and %lld ns",
		                  w->path, (unsigned long long)w->count, s->symbol, bar->price_scale, bar->qty_scale,
		                  (long long)bar->interval_ns, s->price_scale, s->qty_scale, (long long)s->interval_ns);
	char why[160];
	if (barfile_check_bar(bar, w->last_ts, why, sizeof why) != 0)
		return market_err(err, errlen, "%s: bar %llu of %s: %s", w->path, (unsigned long long)w->count, s->symbol,
		                  why);
	if (w->count >= BARFILE_MAX_BARS)
		return market_err(err, errlen, "%s: more than %llu bars", w->path, (unsigned long long)BARFILE_MAX_BARS);
	unsigned char *r = w->block + w->in_block * BARFILE_RECORD_BYTES;
	barfile_put_i64(r + BARFILE_REC_OFF_OPEN_TIME, bar->open_time_ns);
	barfile_put_i64(r + BARFILE_REC_OFF_OPEN, bar->open);
	barfile_put_i64(r + BARFILE_REC_OFF_HIGH, bar->high);
	barfile_put_i64(r + BARFILE_REC_OFF_LOW, bar->low);
	barfile_put_i64(r + BARFILE_REC_OFF_CLOSE, bar->close);
	barfile_put_i64(r + BARFILE_REC_OFF_VOLUME, bar->volume);
	barfile_put_u32(r + BARFILE_REC_OFF_TRADES, bar->trades);
	barfile_put_u16(r + BARFILE_REC_OFF_SYMBOL, (uint16_t)sym);
	barfile_put_u16(r + BARFILE_REC_OFF_RESERVED, 0);
	w->last_ts = bar->open_time_ns + bar->interval_ns;
	w->count++;
	if (++w->in_block == BARFILE_BLOCK_RECORDS)
		return flush_block(w, err, errlen);
	return 0;
}

uint64_t barfile_written(const barfile_writer *w)
{
	return w ? w->count : 0;
}

int barfile_finish(barfile_writer *w, char *err, size_t errlen)
{
	if (!w)
		return market_err(err, errlen, "bar file: no writer");
	if (flush_block(w, err, errlen) != 0 || barfile_check_symbols(w->path, w->syms, w->nsym, 0, err, errlen) != 0) {
		barfile_abort(w);
		return -1;
	}
	size_t hbytes = BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * w->nsym;
	unsigned char *hdr = malloc(hbytes);
	unsigned char *trailer = malloc(w->ncrcs ? w->ncrcs * 4 : 1);
	if (!hdr || !trailer) {
		free(hdr);
		free(trailer);
		barfile_abort(w);
		return market_err(err, errlen, "%s: out of memory", w->path);
	}
	for (size_t i = 0; i < w->ncrcs; i++)
		barfile_put_u32(trailer + 4 * i, w->crcs[i]);
	barfile_encode_header(hdr, w->syms, w->nsym, w->count);
	int bad = write_all(w->fd, trailer, w->ncrcs * 4, barfile_record_offset(w->nsym, w->count)) != 0 ||
	          write_all(w->fd, hdr, hbytes, 0) != 0 || fsync(w->fd) != 0;
	free(hdr);
	free(trailer);
	if (bad) {
		market_err(err, errlen, "%s: write failed: %s", w->tmp, strerror(errno));
		barfile_abort(w);
		return -1;
	}
	int rc = close(w->fd);
	w->fd = -1;
	if (rc != 0 || rename(w->tmp, w->path) != 0) {
		market_err(err, errlen, "%s: cannot put the file in place: %s", w->path, strerror(errno));
		barfile_abort(w);
		return -1;
	}
	free(w->tmp);
	w->tmp = NULL;
	writer_free(w);
	return 0;
}
