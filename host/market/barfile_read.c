/*
 * market — bar file reader: the header, symbol table and exact length are
 * checked at open; then block by block, each block's CRC is checked before
 * any of its records is handed out, and a validate-and-copy per record.
 *
 * The records are read through a read-only mapping of the file where mmap
 * works (pread into a buffer otherwise): copying every block out of the page
 * cache cost a backtest more than decoding its bars. A file cut short after
 * open would make the mapping fault, so each block first checks with fstat
 * that the file still holds it and reports a shrunk file like the read path.
 */
#include "market/barfile.h"
#include "market/barfile_check.h"
#include "market/barfile_codec.h"
#include "market/market_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tradehost/th_fixed.h"

struct barfile {
	char *path;
	int fd;
	size_t nsym;
	barfile_symbol *syms;
	uint64_t count;
	uint32_t block_records;
	uint64_t nblocks;
	uint32_t *crcs;
	unsigned char *buf;     /* the loaded block (read path) */
	unsigned char *map;     /* the file's first map_len bytes, or NULL (read path) */
	size_t map_len;
	const unsigned char *blk; /* the current block's records: in buf or map */
	uint64_t block_first;   /* index of its first record */
	size_t block_len;       /* records in it (0: none loaded) */
	uint64_t next;          /* index of the next record */
	int64_t last_ts;
	int failed;
};

static int read_all(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;
	while (len > 0) {
		ssize_t n = pread(fd, p, len, (off_t)off);
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

void barfile_close(barfile *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f->syms);
	free(f->crcs);
	free(f->buf);
	if (f->map)
		munmap(f->map, f->map_len);
	free(f);
}

static barfile *open_fail(barfile *f)
{
	barfile_close(f);
	return NULL;
}

/* Fixed header fields; sets count, nsym, block_records. */
static int read_fixed_header(barfile *f, const unsigned char *h, uint64_t size, char *err, size_t errlen)
{
	if (memcmp(h, BARFILE_MAGIC, 8) != 0)
		return market_err(err, errlen, "%s: not a tradehost bar file (no \"THBARS\" magic at offset 0)", f->path);
	uint32_t version = barfile_get_u32(h + BARFILE_OFF_VERSION);
	if (version != BARFILE_VERSION)
		return market_err(err, errlen, "%s: bar file version %u; this build reads version %u", f->path, version,
		                  BARFILE_VERSION);
	uint32_t rec = barfile_get_u32(h + BARFILE_OFF_RECORD_BYTES);
	if (rec != BARFILE_RECORD_BYTES)
		return market_err(err, errlen, "%s: header at offset %d: record size %u, expected %u", f->path,
		                  BARFILE_OFF_RECORD_BYTES, rec, BARFILE_RECORD_BYTES);
	f->block_records = barfile_get_u32(h + BARFILE_OFF_BLOCK_RECORDS);
	/* bounded: the reader allocates one block (65536 records = 3.5 MB at most) */
	if (f->block_records == 0 || f->block_records > BARFILE_MAX_BLOCK_RECORDS)
		return market_err(err, errlen, "%s: header at offset %d: %u records per block (1..%u)", f->path,
		                  BARFILE_OFF_BLOCK_RECORDS, f->block_records, BARFILE_MAX_BLOCK_RECORDS);
	uint32_t nsym = barfile_get_u32(h + BARFILE_OFF_NSYMBOLS);
	if (nsym == 0 || nsym > BARFILE_MAX_SYMBOLS)
		return market_err(err, errlen, "%s: header at offset %d: %u symbols (1..%u)", f->path, BARFILE_OFF_NSYMBOLS,
		                  nsym, BARFILE_MAX_SYMBOLS);
	f->nsym = nsym;
	uint32_t hbytes = barfile_get_u32(h + BARFILE_OFF_HEADER_BYTES);
	if (hbytes != BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * nsym)
		return market_err(err, errlen, "%s: header at offset %d: header size %u, expected %u for %u symbols", f->path,
		                  BARFILE_OFF_HEADER_BYTES, hbytes, BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * nsym, nsym);
	if (size < hbytes)
		return market_err(err, errlen, "%s: truncated: %llu bytes, the header and symbol table need %u", f->path,
		                  (unsigned long long)size, hbytes);
	f->count = barfile_get_u64(h + BARFILE_OFF_BAR_COUNT);
	if (f->count > BARFILE_MAX_BARS)
		return market_err(err, errlen, "%s: header at offset %d: %llu bars is beyond the %llu this reader accepts",
		                  f->path, BARFILE_OFF_BAR_COUNT, (unsigned long long)f->count,
		                  (unsigned long long)BARFILE_MAX_BARS);
	return 0;
}

static int read_symbols(barfile *f, unsigned char *hdr, char *err, size_t errlen)
{
	size_t hbytes = BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * f->nsym;
	uint32_t stored = barfile_get_u32(hdr + BARFILE_OFF_HEADER_CRC);
	barfile_put_u32(hdr + BARFILE_OFF_HEADER_CRC, 0);
	uint32_t crc = barfile_crc32(0, hdr, hbytes);
	if (crc != stored)
		return market_err(err, errlen, "%s: header CRC mismatch (stored %08x, computed %08x): bytes 0..%zu are corrupt",
		                  f->path, stored, crc, hbytes - 1);
	f->syms = calloc(f->nsym, sizeof *f->syms);
	if (!f->syms)
		return market_err(err, errlen, "%s: out of memory", f->path);
	for (size_t i = 0; i < f->nsym; i++) {
		const unsigned char *e = hdr + BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * i;
		barfile_symbol *s = &f->syms[i];
		if (!memchr(e, '\0', TH_SYMBOL_MAX))
			return market_err(err, errlen, "%s: symbol %zu at offset %zu: name is not NUL-terminated", f->path, i,
			                  (size_t)(e - hdr));
		memcpy(s->symbol, e, TH_SYMBOL_MAX);
		s->price_scale = (int32_t)barfile_get_u32(e + BARFILE_SYM_OFF_PRICE_SCALE);
		s->qty_scale = (int32_t)barfile_get_u32(e + BARFILE_SYM_OFF_QTY_SCALE);
		s->interval_ns = barfile_get_i64(e + BARFILE_SYM_OFF_INTERVAL);
	}
	return barfile_check_symbols(f->path, f->syms, f->nsym, 0, err, errlen);
}

barfile *barfile_open(const char *path, char *err, size_t errlen)
{
	if (!path || !path[0]) {
		market_err(err, errlen, "bar file: no path");
		return NULL;
	}
	barfile *f = calloc(1, sizeof *f);
	if (!f || !(f->path = strdup(path))) {
		free(f);
		market_err(err, errlen, "bar file: out of memory");
		return NULL;
	}
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		market_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return open_fail(f);
	}
	struct stat st;
	if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		market_err(err, errlen, "%s: not a regular file", path);
		return open_fail(f);
	}
	uint64_t size = (uint64_t)st.st_size;
	unsigned char fixed[BARFILE_HEADER_BYTES];
	if (size < BARFILE_HEADER_BYTES) {
		market_err(err, errlen, "%s: truncated: %llu bytes, a bar file header is %u", path, (unsigned long long)size,
		           BARFILE_HEADER_BYTES);
		return open_fail(f);
	}
	if (read_all(f->fd, fixed, sizeof fixed, 0) != 0) {
		market_err(err, errlen, "%s: cannot read the header: %s", path, strerror(errno));
		return open_fail(f);
	}
	if (read_fixed_header(f, fixed, size, err, errlen) != 0)
		return open_fail(f);
	size_t hbytes = BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES * f->nsym;
	unsigned char *hdr = malloc(hbytes);
	if (!hdr) {
		market_err(err, errlen, "%s: out of memory", path);
		return open_fail(f);
	}
	int rc = read_all(f->fd, hdr, hbytes, 0) != 0 ? market_err(err, errlen, "%s: cannot read the header", path)
	                                               : read_symbols(f, hdr, err, errlen);
	free(hdr);
	if (rc != 0)
		return open_fail(f);

	f->nblocks = (f->count + f->block_records - 1) / f->block_records;
	uint64_t records_end = barfile_record_offset(f->nsym, f->count);
	uint64_t expect = records_end + 4 * f->nblocks;
	if (size < expect) {
		uint64_t whole = size > hbytes ? (size - hbytes) / BARFILE_RECORD_BYTES : 0;
		if (whole > f->count)
			whole = f->count;
		market_err(err, errlen,
		           "%s: truncated: the header promises %llu bars (%llu bytes with the block CRCs), the file has %llu "
		           "bytes (%llu whole records; the first missing byte is at offset %llu)",
		           path, (unsigned long long)f->count, (unsigned long long)expect, (unsigned long long)size,
		           (unsigned long long)whole, (unsigned long long)size);
		return open_fail(f);
	}
	if (size > expect) {
		market_err(err, errlen, "%s: %llu bytes after the end of the bar file at offset %llu (appended to, or a "
		           "wrong bar count in the header)", path, (unsigned long long)(size - expect),
		           (unsigned long long)expect);
		return open_fail(f);
	}
	f->crcs = malloc(f->nblocks ? f->nblocks * 4 : 1);
	if (records_end > 0 && records_end <= SIZE_MAX) {
		void *m = mmap(NULL, (size_t)records_end, PROT_READ, MAP_PRIVATE, f->fd, 0);
		if (m != MAP_FAILED) {
			f->map = m;
			f->map_len = (size_t)records_end;
			madvise(m, f->map_len, MADV_SEQUENTIAL); /* a hint: read ahead, drop behind */
		}
	}
	if (!f->map)
		f->buf = malloc((size_t)f->block_records * BARFILE_RECORD_BYTES);
	if (!f->crcs || (!f->map && !f->buf)) {
		market_err(err, errlen, "%s: out of memory", path);
		return open_fail(f);
	}
	if (f->nblocks && read_all(f->fd, f->crcs, f->nblocks * 4, records_end) != 0) {
		market_err(err, errlen, "%s: cannot read the block CRCs at offset %llu", path, (unsigned long long)records_end);
		return open_fail(f);
	}
	for (uint64_t i = 0; i < f->nblocks; i++)
		f->crcs[i] = barfile_get_u32((const unsigned char *)&f->crcs[i]);
	barfile_rewind(f);
	return f;
}

const barfile_symbol *barfile_symbols(const barfile *f, size_t *count)
{
	if (count)
		*count = f->nsym;
	return f->syms;
}

uint64_t barfile_bar_count(const barfile *f)
{
	return f->count;
}

const char *barfile_path(const barfile *f)
{
	return f->path;
}

void barfile_rewind(barfile *f)
{
	f->next = 0;
	f->block_first = 0;
	f->block_len = 0;
	f->last_ts = INT64_MIN;
	f->failed = 0;
}

static int fail(barfile *f)
{
	f->failed = 1;
	return -1;
}

static int load_block(barfile *f, char *err, size_t errlen)
{
	uint64_t b = f->next / f->block_records;
	uint64_t first = b * f->block_records;
	size_t n = (size_t)(f->count - first < f->block_records ? f->count - first : f->block_records);
	uint64_t off = barfile_record_offset(f->nsym, first);
	size_t bytes = n * BARFILE_RECORD_BYTES;
	errno = 0; /* a short read (the file shrank since open) sets none */
	int rc;
	if (f->map) {
		struct stat st;
		rc = fstat(f->fd, &st) != 0 || (uint64_t)st.st_size < off + bytes ? -1 : 0;
		f->blk = f->map + off;
	} else {
		rc = read_all(f->fd, f->buf, bytes, off);
		f->blk = f->buf;
	}
	if (rc != 0)
		return market_err(err, errlen, "%s: cannot read records %llu..%llu at offset %llu: %s", f->path,
		                  (unsigned long long)first, (unsigned long long)(first + n - 1), (unsigned long long)off,
		                  errno ? strerror(errno) : "file shrank");
	uint32_t crc = barfile_crc32(0, f->blk, bytes);
	if (crc != f->crcs[b])
		return market_err(err, errlen,
		                  "%s: block %llu CRC mismatch (stored %08x, computed %08x): records %llu..%llu, bytes %llu..%llu, "
		                  "are corrupt",
		                  f->path, (unsigned long long)b, f->crcs[b], crc, (unsigned long long)first,
		                  (unsigned long long)(first + n - 1), (unsigned long long)off,
		                  (unsigned long long)(off + bytes - 1));
	f->block_first = first;
	f->block_len = n;
	return 0;
}

/* Cold: say what is wrong with record i. */
static int record_error(barfile *f, uint64_t i, const unsigned char *r, const th_bar *bar, char *err, size_t errlen)
{
	unsigned long long off = (unsigned long long)barfile_record_offset(f->nsym, i);
	size_t sym = barfile_get_u16(r + BARFILE_REC_OFF_SYMBOL);
	if (sym >= f->nsym)
		return market_err(err, errlen, "%s: record %llu at offset %llu: symbol index %zu, the file has %zu symbols",
		                  f->path, (unsigned long long)i, off, sym, f->nsym);
	if (barfile_get_u16(r + BARFILE_REC_OFF_RESERVED) != 0)
		return market_err(err, errlen, "%s: record %llu at offset %llu: reserved bytes %d..%d are not zero", f->path,
		                  (unsigned long long)i, off, BARFILE_REC_OFF_RESERVED, BARFILE_REC_OFF_RESERVED + 1);
	char why[200];
	barfile_check_bar(bar, f->last_ts, why, sizeof why);
	return market_err(err, errlen, "%s: record %llu at offset %llu (%s): %s", f->path, (unsigned long long)i, off,
	                  f->syms[sym].symbol, why);
}

int barfile_next(barfile *f, size_t *sym, th_bar *out, char *err, size_t errlen)
{
	if (f->failed)
		return market_err(err, errlen, "%s: reader already failed", f->path);
	if (f->next >= f->count)
		return 0;
	if (f->next - f->block_first >= f->block_len && load_block(f, err, errlen) != 0)
		return fail(f);
	const unsigned char *r = f->blk + (size_t)(f->next - f->block_first) * BARFILE_RECORD_BYTES;
	uint32_t s = barfile_get_u32(r + BARFILE_REC_OFF_SYMBOL); /* index and reserved half together */
	const barfile_symbol *bs = &f->syms[s < f->nsym ? s : 0];
	out->open_time_ns = barfile_get_i64(r + BARFILE_REC_OFF_OPEN_TIME);
	out->interval_ns = bs->interval_ns;
	out->open = barfile_get_i64(r + BARFILE_REC_OFF_OPEN);
	out->high = barfile_get_i64(r + BARFILE_REC_OFF_HIGH);
	out->low = barfile_get_i64(r + BARFILE_REC_OFF_LOW);
	out->close = barfile_get_i64(r + BARFILE_REC_OFF_CLOSE);
	out->volume = barfile_get_i64(r + BARFILE_REC_OFF_VOLUME);
	out->trades = barfile_get_u32(r + BARFILE_REC_OFF_TRADES);
	out->price_scale = bs->price_scale;
	out->qty_scale = bs->qty_scale;
	/* s >= nsym also catches non-zero reserved bytes (the upper half) */
	if (s >= f->nsym || !barfile_bar_ok(out, f->last_ts)) {
		record_error(f, f->next, r, out, err, errlen);
		return fail(f);
	}
	f->last_ts = out->open_time_ns + out->interval_ns;
	f->next++;
	*sym = s;
	return 1;
}
