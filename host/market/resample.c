/*
 * market — streaming resampling (see resample.h).
 */
#include "market/resample.h"
#include "market/market_err.h"
#include "market/market_time.h"

#include <string.h>

int64_t resample_align(int64_t t, int64_t interval_ns)
{
	int64_t q = t / interval_ns;
	if (t % interval_ns < 0)
		q--; /* floor, not truncation, for times before 1970 */
	return q * interval_ns;
}

int resample_init(resampler *rs, int64_t source_interval_ns, int64_t target_interval_ns, char *err, size_t errlen)
{
	char a[32], b[32];
	memset(rs, 0, sizeof *rs);
	if (target_interval_ns <= 0)
		return market_err(err, errlen, "resample: target interval %lld ns must be > 0", (long long)target_interval_ns);
	if (source_interval_ns < 0)
		return market_err(err, errlen, "resample: source interval %lld ns must be >= 0 (0 = trades)",
		                  (long long)source_interval_ns);
	if (source_interval_ns > 0 && target_interval_ns % source_interval_ns != 0) {
		market_format_duration(target_interval_ns, a, sizeof a);
		market_format_duration(source_interval_ns, b, sizeof b);
		return market_err(err, errlen, "resample: target interval %s is not a multiple of the source interval %s", a,
		                  b);
	}
	rs->source_ns = source_interval_ns;
	rs->target_ns = target_interval_ns;
	return 0;
}

static int check_scales(resampler *rs, int32_t ps, int32_t qs, char *err, size_t errlen)
{
	if (!rs->have_scales) {
		rs->price_scale = ps;
		rs->qty_scale = qs;
		rs->have_scales = 1;
		return 0;
	}
	if (ps != rs->price_scale || qs != rs->qty_scale)
		return market_err(err, errlen, "resample: scales changed from %d/%d to %d/%d (price/qty)",
		                  (int)rs->price_scale, (int)rs->qty_scale, (int)ps, (int)qs);
	return 0;
}

/* Fold one piece of data (a bar, or a trade as a one-price bar) into the open bar. */
static int merge(resampler *rs, int64_t bucket, th_price o, th_price h, th_price l, th_price c, th_qty v,
                 uint32_t trades, char *err, size_t errlen)
{
	th_bar *b = &rs->cur;
	if (!rs->have_cur) {
		memset(b, 0, sizeof *b);
		b->open_time_ns = bucket;
		b->interval_ns = rs->target_ns;
		b->open = o;
		b->high = h;
		b->low = l;
		b->close = c;
		b->volume = v;
		b->trades = trades;
		b->price_scale = rs->price_scale;
		b->qty_scale = rs->qty_scale;
		rs->have_cur = 1;
		return 0;
	}
	if (__builtin_add_overflow(b->volume, v, &b->volume))
		return market_err(err, errlen, "resample: volume overflows int64 in the bar at %lld",
		                  (long long)b->open_time_ns);
	if (h > b->high)
		b->high = h;
	if (l < b->low)
		b->low = l;
	b->close = c;
	b->trades = (b->trades > UINT32_MAX - trades) ? UINT32_MAX : b->trades + trades;
	return 0;
}

int resample_bar(resampler *rs, const th_bar *in, th_bar out[RESAMPLE_MAX_OUT], char *err, size_t errlen)
{
	char a[48], b[48];
	int n = 0;
	if (rs->source_ns == 0)
		return market_err(err, errlen, "resample: this resampler takes trades, not bars");
	if (in->interval_ns != rs->source_ns) {
		market_format_duration(in->interval_ns, a, sizeof a);
		market_format_duration(rs->source_ns, b, sizeof b);
		return market_err(err, errlen, "resample: a %s bar was fed to a resampler of %s bars", a, b);
	}
	if (rs->have_last && in->open_time_ns <= rs->last_time) {
		market_format_time(in->open_time_ns, a, sizeof a);
		market_format_time(rs->last_time, b, sizeof b);
		return market_err(err, errlen, "resample: bar at %s is not after the previous bar at %s", a, b);
	}
	if (check_scales(rs, in->price_scale, in->qty_scale, err, errlen) != 0)
		return -1;
	int64_t bucket = resample_align(in->open_time_ns, rs->target_ns), bucket_end, in_end;
	if (__builtin_add_overflow(bucket, rs->target_ns, &bucket_end) ||
	    __builtin_add_overflow(in->open_time_ns, rs->source_ns, &in_end))
		return market_err(err, errlen, "resample: bar open time %lld is too close to the end of int64 time",
		                  (long long)in->open_time_ns);
	if (in_end > bucket_end) {
		market_format_time(in->open_time_ns, a, sizeof a);
		market_format_duration(rs->source_ns, b, sizeof b);
		return market_err(err, errlen,
		                  "resample: the %s bar at %s straddles a target boundary (source bars must be aligned to "
		                  "their interval)",
		                  b, a);
	}
	rs->last_time = in->open_time_ns;
	rs->have_last = 1;

	if (rs->have_cur && rs->cur.open_time_ns != bucket) {
		out[n++] = rs->cur; /* the previous period ended with a gap */
		rs->have_cur = 0;
	}
	if (merge(rs, bucket, in->open, in->high, in->low, in->close, in->volume, in->trades, err, errlen) != 0)
		return -1;
	if (in_end == bucket_end) {
		out[n++] = rs->cur; /* the last source bar of the period: complete now */
		rs->have_cur = 0;
	}
	return n;
}

int resample_trade(resampler *rs, int64_t ts_ns, const th_trade *t, th_bar out[RESAMPLE_MAX_OUT], char *err,
                   size_t errlen)
{
	char a[48], b[48];
	int n = 0;
	if (rs->source_ns != 0)
		return market_err(err, errlen, "resample: this resampler takes bars, not trades");
	if (rs->have_last && ts_ns < rs->last_time) {
		market_format_time(ts_ns, a, sizeof a);
		market_format_time(rs->last_time, b, sizeof b);
		return market_err(err, errlen, "resample: trade at %s is before the previous trade at %s", a, b);
	}
	if (t->qty < 0)
		return market_err(err, errlen, "resample: trade %llu has a negative quantity",
		                  (unsigned long long)t->trade_id);
	if (check_scales(rs, t->price_scale, t->qty_scale, err, errlen) != 0)
		return -1;
	int64_t bucket = resample_align(ts_ns, rs->target_ns), bucket_end;
	if (__builtin_add_overflow(bucket, rs->target_ns, &bucket_end))
		return market_err(err, errlen, "resample: trade time %lld is too close to the end of int64 time",
		                  (long long)ts_ns);
	rs->last_time = ts_ns;
	rs->have_last = 1;
	if (rs->have_cur && rs->cur.open_time_ns != bucket) {
		out[n++] = rs->cur;
		rs->have_cur = 0;
	}
	if (merge(rs, bucket, t->price, t->price, t->price, t->price, t->qty, 1, err, errlen) != 0)
		return -1;
	return n;
}

int resample_advance(resampler *rs, int64_t now_ns, th_bar *out)
{
	/* the open bar's end was checked to fit int64 when it was started */
	if (!rs->have_cur || now_ns < rs->cur.open_time_ns + rs->target_ns)
		return 0;
	*out = rs->cur;
	rs->have_cur = 0;
	return 1;
}

int resample_flush(resampler *rs, th_bar *out)
{
	if (!rs->have_cur)
		return 0;
	*out = rs->cur;
	rs->have_cur = 0;
	return 1;
}
