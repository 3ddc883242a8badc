/*
 * Tests for binary bar files (.thb): round trip across block boundaries,
 * intervals learned from the first bar, the writer refusing bars the reader
 * would refuse, and every way a file can be broken — block CRC, header CRC,
 * truncation, trailing bytes, wrong version, bad magic, a bad record under
 * a valid CRC — each reported with the file and the offset. Then the replay
 * source: the synthetic market written to a file replays byte for byte as
 * the generator's own bars, with windows, resampling and instrument checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "market/barfile.h"
#include "market/barfile_codec.h"
#include "market/source.h"

#define SEC 1000000000LL
#define MIN (60 * SEC)
#define T0 (1704067200LL * SEC) /* 2024-01-01T00:00:00Z */
#define NBARS (2 * BARFILE_BLOCK_RECORDS + 1234) /* two full blocks and a partial one */

static char dir[64];

static const char *tmp_path(const char *name)
{
	static char buf[4][128];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/th-barfile.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A deterministic bar i of symbol sym (2 symbols, one bar each per minute). */
static th_bar make_bar(uint64_t i, size_t sym)
{
	th_bar b;
	memset(&b, 0, sizeof b);
	uint64_t m = i / 2;
	b.open_time_ns = T0 + (int64_t)m * MIN;
	b.interval_ns = MIN;
	int64_t base = sym ? 350000 : 6500000, wiggle = (int64_t)((m * 2654435761u) % 1000);
	b.open = base + wiggle;
	b.close = base + (int64_t)((m * 40503u) % 1000);
	b.high = (b.open > b.close ? b.open : b.close) + 7;
	b.low = (b.open < b.close ? b.open : b.close) - 5;
	b.volume = (int64_t)(m % 5000);
	b.trades = (uint32_t)(m % 300);
	b.price_scale = 2;
	b.qty_scale = sym ? 3 : 4;
	return b;
}

static const barfile_symbol two[2] = {
	{ "BTC-USDT", 2, 4, MIN },
	{ "ETH-USDT", 2, 3, MIN },
};

static void write_file(const char *path, uint64_t n)
{
	char err[512];
	barfile_writer *w = barfile_create(path, two, 2, err, sizeof err);
	assert_non_null(w);
	for (uint64_t i = 0; i < n; i++) {
		th_bar b = make_bar(i, i % 2);
		if (barfile_append(w, i % 2, &b, err, sizeof err) != 0)
			fail_msg("append %llu: %s", (unsigned long long)i, err);
	}
	assert_int_equal(barfile_written(w), n);
	if (barfile_finish(w, err, sizeof err) != 0)
		fail_msg("finish: %s", err);
}

static uint64_t file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fclose(fp);
	return (uint64_t)n;
}

static void patch(const char *path, uint64_t off, const void *bytes, size_t n)
{
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)off, SEEK_SET), 0);
	assert_int_equal(fwrite(bytes, 1, n, fp), n);
	fclose(fp);
}

static void read_at(const char *path, uint64_t off, void *bytes, size_t n)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)off, SEEK_SET), 0);
	assert_int_equal(fread(bytes, 1, n, fp), n);
	fclose(fp);
}

static void copy_file(const char *from, const char *to)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

/* Reads until the end or an error; returns the bars read, err holds the error. */
static uint64_t read_all_bars(barfile *f, int *rc_out, char *err, size_t errlen)
{
	th_bar b;
	size_t sym;
	uint64_t n = 0;
	int rc;
	while ((rc = barfile_next(f, &sym, &b, err, errlen)) == 1)
		n++;
	*rc_out = rc;
	return n;
}

static void test_round_trip(void **state)
{
	(void)state;
	const char *path = tmp_path("rt.thb");
	write_file(path, NBARS);
	uint64_t nblocks = (NBARS + BARFILE_BLOCK_RECORDS - 1) / BARFILE_BLOCK_RECORDS;
	assert_int_equal(file_size(path), barfile_record_offset(2, NBARS) + 4 * nblocks);
	assert_int_equal(access(tmp_path("rt.thb.tmp"), F_OK), -1); /* renamed into place */

	char err[512];
	barfile *f = barfile_open(path, err, sizeof err);
	if (!f)
		fail_msg("%s", err);
	size_t ns;
	const barfile_symbol *syms = barfile_symbols(f, &ns);
	assert_int_equal(ns, 2);
	assert_string_equal(syms[1].symbol, "ETH-USDT");
	assert_int_equal(syms[1].qty_scale, 3);
	assert_int_equal(syms[0].interval_ns, MIN);
	assert_int_equal(barfile_bar_count(f), NBARS);
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t i = 0; i < NBARS; i++) {
			th_bar b;
			memset(&b, 0, sizeof b); /* the struct's tail padding is never written */
			size_t sym = 99;
			assert_int_equal(barfile_next(f, &sym, &b, err, sizeof err), 1);
			th_bar want = make_bar(i, i % 2);
			assert_int_equal(sym, i % 2);
			assert_memory_equal(&b, &want, sizeof b);
		}
		th_bar b;
		size_t sym;
		assert_int_equal(barfile_next(f, &sym, &b, err, sizeof err), 0);
		assert_int_equal(barfile_next(f, &sym, &b, err, sizeof err), 0);
		barfile_rewind(f);
	}
	barfile_close(f);
}

static void test_empty_and_learned_interval(void **state)
{
	(void)state;
	char err[512];
	barfile_symbol s = { "SOL-USDT", 3, 2, 0 }; /* interval from the first bar */
	const char *path = tmp_path("learn.thb");
	barfile_writer *w = barfile_create(path, &s, 1, err, sizeof err);
	assert_non_null(w);
	th_bar b = { .open_time_ns = T0, .interval_ns = 5 * MIN, .open = 100, .high = 110, .low = 90, .close = 95,
		     .volume = 1, .trades = 2, .price_scale = 3, .qty_scale = 2 };
	assert_int_equal(barfile_append(w, 0, &b, err, sizeof err), 0);
	b.open_time_ns += 5 * MIN;
	b.interval_ns = MIN; /* now known: 5 min */
	assert_int_equal(barfile_append(w, 0, &b, err, sizeof err), -1);
	assert_non_null(strstr(err, "interval 60000000000 ns differ"));
	assert_int_equal(barfile_finish(w, err, sizeof err), 0);
	barfile *f = barfile_open(path, err, sizeof err);
	assert_non_null(f);
	assert_int_equal(barfile_symbols(f, NULL)[0].interval_ns, 5 * MIN);
	barfile_close(f);

	/* a symbol that never got a bar has no interval: refused at finish, no file left behind */
	s.interval_ns = 0;
	path = tmp_path("nobars.thb");
	w = barfile_create(path, &s, 1, err, sizeof err);
	assert_non_null(w);
	assert_int_equal(barfile_finish(w, err, sizeof err), -1);
	assert_non_null(strstr(err, "no bar of it was written"));
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(tmp_path("nobars.thb.tmp"), F_OK), -1);

	/* zero bars with a known interval is a valid, empty file */
	s.interval_ns = MIN;
	path = tmp_path("empty.thb");
	w = barfile_create(path, &s, 1, err, sizeof err);
	assert_int_equal(barfile_finish(w, err, sizeof err), 0);
	f = barfile_open(path, err, sizeof err);
	assert_non_null(f);
	size_t sym;
	assert_int_equal(barfile_next(f, &sym, &b, err, sizeof err), 0);
	barfile_close(f);
}

static void test_writer_refuses(void **state)
{
	(void)state;
	char err[512];
	barfile_symbol dup[2] = { { "BTC-USDT", 2, 4, MIN }, { "BTC-USDT", 2, 4, MIN } };
	assert_null(barfile_create(tmp_path("dup.thb"), dup, 2, err, sizeof err));
	assert_non_null(strstr(err, "symbol BTC-USDT appears twice"));
	barfile_symbol scale = { "X", 19, 4, MIN };
	assert_null(barfile_create(tmp_path("scale.thb"), &scale, 1, err, sizeof err));
	assert_non_null(strstr(err, "scales 19/4"));
	assert_null(barfile_create(tmp_path("none.thb"), two, 0, err, sizeof err));

	barfile_writer *w = barfile_create(tmp_path("refuse.thb"), two, 2, err, sizeof err);
	assert_non_null(w);
	th_bar b = make_bar(10, 0);
	assert_int_equal(barfile_append(w, 0, &b, err, sizeof err), 0);
	th_bar early = make_bar(2, 0);
	assert_int_equal(barfile_append(w, 0, &early, err, sizeof err), -1);
	assert_non_null(strstr(err, "before the previous bar"));
	th_bar bad = make_bar(12, 0);
	bad.high = bad.low - 1;
	assert_int_equal(barfile_append(w, 0, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "below low"));
	bad = make_bar(12, 0);
	bad.volume = -1;
	assert_int_equal(barfile_append(w, 0, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "volume -1 is negative"));
	bad = make_bar(12, 0);
	assert_int_equal(barfile_append(w, 1, &bad, err, sizeof err), -1); /* BTC's scales under ETH */
	assert_non_null(strstr(err, "scales 2/4"));
	assert_int_equal(barfile_append(w, 2, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "symbol index 2"));
	barfile_abort(w);
	assert_int_equal(access(tmp_path("refuse.thb.tmp"), F_OK), -1);
	assert_int_equal(access(tmp_path("refuse.thb"), F_OK), -1);
}

static void test_corrupt_block_crc(void **state)
{
	(void)state;
	const char *good = tmp_path("crc-good.thb"), *path = tmp_path("crc.thb");
	write_file(good, NBARS);
	copy_file(good, path);
	/* flip one price byte of a record in block 1 */
	const uint64_t B = BARFILE_BLOCK_RECORDS;
	uint64_t off = barfile_record_offset(2, B + 7) + 9;
	unsigned char byte;
	read_at(path, off, &byte, 1);
	byte ^= 0x10;
	patch(path, off, &byte, 1);

	char err[512];
	barfile *f = barfile_open(path, err, sizeof err);
	assert_non_null(f); /* the header is fine: blocks are checked as they are read */
	int rc;
	uint64_t n = read_all_bars(f, &rc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_int_equal(n, BARFILE_BLOCK_RECORDS); /* block 0 was delivered, nothing of block 1 */
	char want[256];
	snprintf(want, sizeof want, "%s: block 1 CRC mismatch", path);
	assert_non_null(strstr(err, want));
	snprintf(want, sizeof want, "records %llu..%llu, bytes %llu..%llu", (unsigned long long)B,
		 (unsigned long long)(2 * B - 1), (unsigned long long)barfile_record_offset(2, B),
		 (unsigned long long)barfile_record_offset(2, 2 * B) - 1);
	if (!strstr(err, want))
		fail_msg("expected \"%s\" in \"%s\"", want, err);
	th_bar b;
	size_t sym;
	assert_int_equal(barfile_next(f, &sym, &b, err, sizeof err), -1); /* stays failed */
	barfile_close(f);
}

static void test_corrupt_header(void **state)
{
	(void)state;
	const char *good = tmp_path("hdr-good.thb"), *path = tmp_path("hdr.thb");
	write_file(good, 100);
	copy_file(good, path);
	patch(path, BARFILE_HEADER_BYTES + BARFILE_SYMBOL_BYTES + 1, "X", 1); /* "EXH-USDT" */
	char err[512];
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "header CRC mismatch"));
	assert_non_null(strstr(err, path));

	copy_file(good, path);
	patch(path, 0, "THBARZ", 6);
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "not a tradehost bar file"));

	assert_null(barfile_open(tmp_path("missing.thb"), err, sizeof err));
	assert_non_null(strstr(err, "missing.thb: cannot open"));
}

static void test_wrong_version(void **state)
{
	(void)state;
	const char *good = tmp_path("ver-good.thb"), *path = tmp_path("ver.thb");
	write_file(good, 100);
	copy_file(good, path);
	/* version 2 with a header CRC that matches: the version itself is refused */
	size_t hbytes = BARFILE_HEADER_BYTES + 2 * BARFILE_SYMBOL_BYTES;
	unsigned char hdr[BARFILE_HEADER_BYTES + 2 * BARFILE_SYMBOL_BYTES];
	read_at(path, 0, hdr, hbytes);
	barfile_put_u32(hdr + BARFILE_OFF_VERSION, 2);
	barfile_put_u32(hdr + BARFILE_OFF_HEADER_CRC, 0);
	barfile_put_u32(hdr + BARFILE_OFF_HEADER_CRC, barfile_crc32(0, hdr, hbytes));
	patch(path, 0, hdr, hbytes);
	char err[512];
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "bar file version 2; this build reads version 1"));
}

static void test_truncated(void **state)
{
	(void)state;
	const char *good = tmp_path("tr-good.thb"), *path = tmp_path("tr.thb");
	write_file(good, NBARS);
	uint64_t size = file_size(good);
	char err[512];

	copy_file(good, path);
	assert_int_equal(truncate(path, (off_t)(size - 10)), 0);
	assert_null(barfile_open(path, err, sizeof err));
	char want[256];
	snprintf(want, sizeof want, "%s: truncated: the header promises %u bars", path, NBARS);
	if (!strstr(err, want))
		fail_msg("expected \"%s\" in \"%s\"", want, err);

	/* cut in the middle of the records: how many whole ones are left is said */
	copy_file(good, path);
	assert_int_equal(truncate(path, (off_t)(barfile_record_offset(2, 1000) + 20)), 0);
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "(1000 whole records"));

	copy_file(good, path);
	assert_int_equal(truncate(path, 30), 0);
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "truncated: 30 bytes"));

	copy_file(good, path);
	FILE *fp = fopen(path, "ab");
	fputs("junk", fp);
	fclose(fp);
	assert_null(barfile_open(path, err, sizeof err));
	assert_non_null(strstr(err, "4 bytes after the end of the bar file"));
}

/* A record that breaks a rule under a CRC that matches (a buggy writer, not bit rot). */
static void test_bad_record(void **state)
{
	(void)state;
	const char *path = tmp_path("rec.thb");
	write_file(path, 1000);
	uint64_t rec = barfile_record_offset(2, 500);
	unsigned char r[BARFILE_RECORD_BYTES];
	read_at(path, rec, r, sizeof r);
	int64_t low = barfile_get_i64(r + BARFILE_REC_OFF_LOW);
	barfile_put_i64(r + BARFILE_REC_OFF_HIGH, low - 1);
	patch(path, rec, r, sizeof r);
	/* recompute the (only) block CRC so the record rules are what fails */
	unsigned char *all = malloc(1000 * BARFILE_RECORD_BYTES);
	read_at(path, barfile_record_offset(2, 0), all, 1000 * BARFILE_RECORD_BYTES);
	unsigned char crc[4];
	barfile_put_u32(crc, barfile_crc32(0, all, 1000 * BARFILE_RECORD_BYTES));
	free(all);
	patch(path, barfile_record_offset(2, 1000), crc, 4);

	char err[512];
	barfile *f = barfile_open(path, err, sizeof err);
	assert_non_null(f);
	int rc;
	assert_int_equal(read_all_bars(f, &rc, err, sizeof err), 500);
	assert_int_equal(rc, -1);
	char want[200];
	snprintf(want, sizeof want, "%s: record 500 at offset %llu (BTC-USDT): high", path, (unsigned long long)rec);
	if (!strstr(err, want))
		fail_msg("expected \"%s\" in \"%s\"", want, err);
	barfile_close(f);

	/* a symbol index beyond the table */
	write_file(path, 1000);
	read_at(path, rec, r, sizeof r);
	barfile_put_u16(r + BARFILE_REC_OFF_SYMBOL, 7);
	patch(path, rec, r, sizeof r);
	all = malloc(1000 * BARFILE_RECORD_BYTES);
	read_at(path, barfile_record_offset(2, 0), all, 1000 * BARFILE_RECORD_BYTES);
	barfile_put_u32(crc, barfile_crc32(0, all, 1000 * BARFILE_RECORD_BYTES));
	free(all);
	patch(path, barfile_record_offset(2, 1000), crc, 4);
	f = barfile_open(path, err, sizeof err);
	assert_non_null(f);
	assert_int_equal(read_all_bars(f, &rc, err, sizeof err), 500);
	assert_non_null(strstr(err, "record 500 at offset"));
	assert_non_null(strstr(err, "symbol index 7, the file has 2 symbols"));
	barfile_close(f);
}

/* ---- the replay source ---- */

static synth_config two_symbol_market(uint64_t bars)
{
	synth_config c;
	synth_config_defaults(&c);
	th_strlcpy(c.venue, "sim", sizeof c.venue);
	c.seed = 11;
	c.start_time_ns = T0;
	c.bar_interval_ns = MIN;
	c.trades_per_bar = 2;
	c.bars_only = 1;
	c.max_bars = bars;
	synth_config_add_symbol(&c, "BTC-USDT", 2, 4, 6500000, 1, 1);
	synth_config_add_symbol(&c, "ETH-USDT", 2, 4, 350000, 1, 1);
	return c;
}

/* Synthetic bars into a bar file; its instruments are returned for the source. */
static void synth_to_file(const synth_config *c, const char *path, th_instrument ins[2])
{
	char err[512];
	market_source *src = market_source_synth(c, NULL, err, sizeof err);
	assert_non_null(src);
	size_t n;
	const th_instrument *si = market_source_instruments(src, &n);
	assert_int_equal(n, 2);
	barfile_symbol syms[2];
	memset(syms, 0, sizeof syms);
	for (size_t i = 0; i < 2; i++) {
		ins[i] = si[i];
		th_strlcpy(syms[i].symbol, si[i].symbol, sizeof syms[i].symbol);
		syms[i].price_scale = si[i].price_scale;
		syms[i].qty_scale = si[i].qty_scale;
		syms[i].interval_ns = c->bar_interval_ns;
	}
	barfile_writer *w = barfile_create(path, syms, 2, err, sizeof err);
	assert_non_null(w);
	th_event ev;
	while (market_source_next(src, &ev, err, sizeof err) == 1) {
		assert_int_equal(ev.h.type, TH_EV_BAR);
		size_t k = strcmp(ev.h.symbol, "BTC-USDT") == 0 ? 0 : 1;
		assert_int_equal(barfile_append(w, k, &ev.u.bar, err, sizeof err), 0);
	}
	assert_int_equal(barfile_finish(w, err, sizeof err), 0);
	market_source_destroy(src);
}

/* Both sources give the same events: every byte th_event_size() counts. */
static size_t assert_same_events(market_source *a, market_source *b)
{
	char err[512];
	static th_event ea, eb;
	size_t n = 0;
	for (;;) {
		memset(&ea, 0xAA, sizeof ea);
		memset(&eb, 0x55, sizeof eb);
		int ra = market_source_next(a, &ea, err, sizeof err);
		int rb = market_source_next(b, &eb, err, sizeof err);
		assert_int_equal(ra, rb);
		if (ra != 1)
			return n;
		assert_int_equal(ea.h.size, eb.h.size);
		assert_int_equal(eb.h.size, th_event_size(&eb));
		assert_memory_equal(&ea, &eb, ea.h.size);
		n++;
	}
}

static void test_source_matches_synthetic(void **state)
{
	(void)state;
	synth_config c = two_symbol_market(3000);
	th_instrument ins[2];
	const char *path = tmp_path("synth.thb");
	synth_to_file(&c, path, ins);
	char err[512];

	market_source *a = market_source_synth(&c, NULL, err, sizeof err);
	market_source *b = market_source_barfile(path, ins, 2, NULL, err, sizeof err);
	if (!b)
		fail_msg("%s", err);
	size_t n;
	const th_instrument *bi = market_source_instruments(b, &n);
	assert_int_equal(n, 2);
	assert_string_equal(bi[1].symbol, "ETH-USDT");
	assert_string_equal(bi[1].venue, "sim");
	assert_int_equal(assert_same_events(a, b), 6000);
	market_source_destroy(a);
	market_source_destroy(b);

	/* a window and resampling behave as they do on the generator */
	market_source_options o = { .from_ns = T0 + 100 * MIN, .to_ns = T0 + 700 * MIN, .resample_ns = 15 * MIN };
	a = market_source_synth(&c, &o, err, sizeof err);
	b = market_source_barfile(path, ins, 2, &o, err, sizeof err);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(assert_same_events(a, b) >= 2 * 40);
	market_source_destroy(a);
	market_source_destroy(b);
	o = (market_source_options){ .to_ns = T0 + 10 * MIN };
	a = market_source_synth(&c, &o, err, sizeof err);
	b = market_source_barfile(path, ins, 2, &o, err, sizeof err);
	assert_int_equal(assert_same_events(a, b), 20);
	market_source_destroy(a);
	market_source_destroy(b);
}

static void test_source_errors(void **state)
{
	(void)state;
	synth_config c = two_symbol_market(10);
	th_instrument ins[2];
	const char *path = tmp_path("src.thb");
	synth_to_file(&c, path, ins);
	char err[512];
	assert_null(market_source_barfile(path, ins, 1, NULL, err, sizeof err));
	assert_non_null(strstr(err, "the file has 2 symbols, 1 instruments were given"));
	th_instrument wrong[2] = { ins[0], ins[1] };
	wrong[1].qty_scale = 8;
	assert_null(market_source_barfile(path, wrong, 2, NULL, err, sizeof err));
	assert_non_null(strstr(err, "symbol 1 is ETH-USDT with scales 2/4; the instrument given is ETH-USDT with 2/8"));
	wrong[1] = ins[1];
	wrong[0].venue[0] = '\0';
	assert_null(market_source_barfile(path, wrong, 2, NULL, err, sizeof err));
	assert_non_null(strstr(err, "venue must be a non-empty name"));
	market_source_options bad = { .resample_ns = 90 * SEC };
	assert_null(market_source_barfile(path, ins, 2, &bad, err, sizeof err));
	assert_non_null(strstr(err, "not a multiple"));

	/* a corrupt block fails the source, which stays failed */
	unsigned char byte = 0xFF;
	patch(path, barfile_record_offset(2, 3), &byte, 1);
	market_source *s = market_source_barfile(path, ins, 2, NULL, err, sizeof err);
	assert_non_null(s);
	th_event ev;
	assert_int_equal(market_source_next(s, &ev, err, sizeof err), -1);
	assert_non_null(strstr(err, "block 0 CRC mismatch"));
	assert_int_equal(market_source_next(s, &ev, err, sizeof err), -1);
	market_source_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_and_learned_interval),
		cmocka_unit_test(test_writer_refuses),
		cmocka_unit_test(test_corrupt_block_crc),
		cmocka_unit_test(test_corrupt_header),
		cmocka_unit_test(test_wrong_version),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_record),
		cmocka_unit_test(test_source_matches_synthetic),
		cmocka_unit_test(test_source_errors),
	};
	return cmocka_run_group_tests_name("market_barfile", tests, setup, teardown);
}
