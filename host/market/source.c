/*
 * market — replay source: shared option handling and dispatch.
 */
#include "market/source.h"
#include "market/source_internal.h"
#include "market/market_err.h"

#include <string.h>

int market_source_check_options(const market_source_options *opt, char *err, size_t errlen)
{
	if (opt->from_ns < 0)
		return market_err(err, errlen, "from_ns: %lld is before 1970", (long long)opt->from_ns);
	if (opt->to_ns < 0)
		return market_err(err, errlen, "to_ns: %lld is before 1970", (long long)opt->to_ns);
	if (opt->to_ns != 0 && opt->to_ns <= opt->from_ns)
		return market_err(err, errlen, "to_ns: %lld must be after from_ns %lld (the range is [from, to))",
		                  (long long)opt->to_ns, (long long)opt->from_ns);
	if (opt->resample_ns < 0)
		return market_err(err, errlen, "resample_ns: %lld must be >= 0 (0 = no resampling)",
		                  (long long)opt->resample_ns);
	return 0;
}

int market_source_in_range(const market_source_options *opt, int64_t t)
{
	return t >= opt->from_ns && (opt->to_ns == 0 || t < opt->to_ns);
}

void market_source_bar_event(th_event *out, const th_instrument *in, const th_bar *bar)
{
	/* header + payload only: zeroing the whole 1.7 KB event per bar would
	 * cost more than decoding the bar */
	th_event_init(out, TH_EV_BAR);
	memset(&out->u.bar, 0, sizeof out->u.bar);
	memcpy(out->h.venue, in->venue, sizeof out->h.venue);
	memcpy(out->h.symbol, in->symbol, sizeof out->h.symbol);
	out->h.ts_ns = bar->open_time_ns + bar->interval_ns;
	out->u.bar.open_time_ns = bar->open_time_ns;
	out->u.bar.interval_ns = bar->interval_ns;
	out->u.bar.open = bar->open;
	out->u.bar.high = bar->high;
	out->u.bar.low = bar->low;
	out->u.bar.close = bar->close;
	out->u.bar.volume = bar->volume;
	out->u.bar.trades = bar->trades;
	out->u.bar.price_scale = bar->price_scale;
	out->u.bar.qty_scale = bar->qty_scale;
	out->h.size = th_event_size(out);
}

int market_source_next(market_source *src, th_event *out, char *err, size_t errlen)
{
	if (src->failed)
		return market_err(err, errlen, "market source: already failed");
	int rc = src->ops->next(src, out, err, errlen);
	if (rc < 0)
		src->failed = 1;
	return rc;
}

const th_instrument *market_source_instruments(const market_source *src, size_t *count)
{
	return src->ops->instruments(src, count);
}

void market_source_destroy(market_source *src)
{
	if (src)
		src->ops->destroy(src);
}
