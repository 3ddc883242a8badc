/*
 * Fuzz the bar file reader (host/market/barfile_read.c) and the replay source
 * over it: a .thb file comes from disk and may be anything.
 *
 * Input: one mode byte, then the file's bytes. Mode bits:
 *   0x01  recompute the header CRC and every block CRC before writing the file,
 *         so mutations get past the checksums and reach the header fields,
 *         the symbol table and the per-record checks (random bytes almost
 *         never carry a valid CRC-32)
 *   0x02  replay through market_source_barfile with a time window
 *   0x04  ... and resampling to twice the first symbol's interval
 * The file goes into a memfd, opened by path like any file. Any outcome but
 * a crash, a sanitizer report or a hang is fine: the reader must refuse bad
 * input with a message.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif
#include "fuzz_barfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "market/barfile.h"
#include "market/barfile_codec.h"
#include "market/source.h"

/* Bytes in, bytes out: fix the CRCs where the layout allows. */
static void fix_crcs(uint8_t *p, size_t len)
{
	if (len < BARFILE_HEADER_BYTES)
		return;
	uint32_t nsym = barfile_get_u32(p + BARFILE_OFF_NSYMBOLS);
	if (nsym == 0 || nsym > BARFILE_MAX_SYMBOLS)
		return;
	size_t hbytes = BARFILE_HEADER_BYTES + (size_t)BARFILE_SYMBOL_BYTES * nsym;
	if (hbytes > len)
		return;
	barfile_put_u32(p + BARFILE_OFF_HEADER_CRC, 0);
	barfile_put_u32(p + BARFILE_OFF_HEADER_CRC, barfile_crc32(0, p, hbytes));
	uint64_t count = barfile_get_u64(p + BARFILE_OFF_BAR_COUNT);
	uint32_t per = barfile_get_u32(p + BARFILE_OFF_BLOCK_RECORDS);
	if (per == 0 || per > BARFILE_MAX_BLOCK_RECORDS || count > len / BARFILE_RECORD_BYTES)
		return;
	uint64_t nblocks = (count + per - 1) / per;
	uint64_t end = barfile_record_offset(nsym, count);
	if (end + 4 * nblocks != len)
		return;
	for (uint64_t b = 0; b < nblocks; b++) {
		uint64_t first = b * per, n = count - first < per ? count - first : per;
		uint32_t crc = barfile_crc32(0, p + barfile_record_offset(nsym, first), (size_t)n * BARFILE_RECORD_BYTES);
		barfile_put_u32(p + end + 4 * b, crc);
	}
}

static void read_file(const char *path)
{
	char err[512];
	barfile *f = barfile_open(path, err, sizeof err);
	if (!f)
		return;
	th_bar bar;
	size_t sym, nsym;
	barfile_symbols(f, &nsym);
	for (int pass = 0; pass < 2; pass++) {
		int rc;
		while ((rc = barfile_next(f, &sym, &bar, err, sizeof err)) == 1)
			if (sym >= nsym)
				abort(); /* the reader promised an index into the table */
		barfile_rewind(f);
	}
	barfile_close(f);
}

static void replay(const char *path, int resample)
{
	char err[512];
	barfile *f = barfile_open(path, err, sizeof err);
	if (!f)
		return;
	size_t n;
	const barfile_symbol *syms = barfile_symbols(f, &n);
	th_instrument *ins = calloc(n, sizeof *ins);
	if (!ins) {
		barfile_close(f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		th_strlcpy(ins[i].venue, "sim", sizeof ins[i].venue);
		th_strlcpy(ins[i].symbol, syms[i].symbol, sizeof ins[i].symbol);
		ins[i].price_scale = syms[i].price_scale;
		ins[i].qty_scale = syms[i].qty_scale;
	}
	market_source_options o = { 0 };
	th_bar first;
	size_t sym;
	if (barfile_next(f, &sym, &first, err, sizeof err) == 1) {
		int64_t iv = syms[0].interval_ns; /* > 0: the table was checked at open */
		o.from_ns = first.open_time_ns > 0 ? first.open_time_ns : 0;
		if (iv < INT64_MAX / 400 && o.from_ns < INT64_MAX / 2)
			o.to_ns = o.from_ns + 100 * iv; /* a window of about 100 bars */
		if (resample && iv < INT64_MAX / 2)
			o.resample_ns = 2 * iv;
	}
	barfile_close(f);
	market_source *src = market_source_barfile(path, ins, n, &o, err, sizeof err);
	free(ins);
	if (!src)
		return;
	static th_event ev;
	while (market_source_next(src, &ev, err, sizeof err) == 1)
		if (ev.h.type != TH_EV_BAR || ev.h.size != th_event_size(&ev))
			abort();
	market_source_destroy(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (size < 1)
		return 0;
	if (fd < 0) {
		fd = memfd_create("fuzz_barfile", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	uint8_t mode = data[0];
	size_t len = size - 1;
	uint8_t *p = malloc(len ? len : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, len);
	if (mode & 1)
		fix_crcs(p, len);
	if (ftruncate(fd, 0) != 0 || (len && pwrite(fd, p, len, 0) != (ssize_t)len))
		abort();
	free(p);
	read_file(path);
	if (mode & 2)
		replay(path, mode & 4);
	return 0;
}
