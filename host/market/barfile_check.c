/*
 * market — bar file rules: the slow path that says which rule a bar or a
 * symbol table breaks.
 */
#include "market/barfile_check.h"
#include "market/market_err.h"

#include <string.h>

#include "tradehost/th_fixed.h"

int barfile_check_bar(const th_bar *b, int64_t last_ts, char *why, size_t whylen)
{
	if (b->interval_ns <= 0)
		return market_err(why, whylen, "interval %lld ns must be > 0", (long long)b->interval_ns);
	if (b->volume < 0)
		return market_err(why, whylen, "volume %lld is negative", (long long)b->volume);
	if (b->high < b->low)
		return market_err(why, whylen, "high %lld is below low %lld", (long long)b->high, (long long)b->low);
	if (b->high < b->open || b->high < b->close)
		return market_err(why, whylen, "high %lld is below open %lld or close %lld", (long long)b->high,
		                  (long long)b->open, (long long)b->close);
	if (b->low > b->open || b->low > b->close)
		return market_err(why, whylen, "low %lld is above open %lld or close %lld", (long long)b->low,
		                  (long long)b->open, (long long)b->close);
	if (b->open_time_ns > INT64_MAX - b->interval_ns)
		return market_err(why, whylen, "open time %lld + interval %lld overflows", (long long)b->open_time_ns,
		                  (long long)b->interval_ns);
	if (b->open_time_ns + b->interval_ns < last_ts)
		return market_err(why, whylen, "event time %lld ns is before the previous bar's %lld ns (bars must be in time order)",
		                  (long long)(b->open_time_ns + b->interval_ns), (long long)last_ts);
	return 0;
}

int barfile_check_symbols(const char *what, const barfile_symbol *syms, size_t n, int interval_unknown_ok, char *err,
                          size_t errlen)
{
	if (n == 0 || n > BARFILE_MAX_SYMBOLS)
		return market_err(err, errlen, "%s: %zu symbols; a bar file holds 1 to %u", what, n, BARFILE_MAX_SYMBOLS);
	for (size_t i = 0; i < n; i++) {
		const barfile_symbol *s = &syms[i];
		size_t len = strnlen(s->symbol, sizeof s->symbol);
		if (len == 0 || len == sizeof s->symbol)
			return market_err(err, errlen, "%s: symbol %zu: the name must be 1 to %d characters", what, i,
			                  TH_SYMBOL_MAX - 1);
		if (s->price_scale < 0 || s->price_scale > TH_SCALE_MAX || s->qty_scale < 0 || s->qty_scale > TH_SCALE_MAX)
			return market_err(err, errlen, "%s: symbol %s: scales %d/%d; each must be 0..%d", what, s->symbol,
			                  s->price_scale, s->qty_scale, TH_SCALE_MAX);
		if (s->interval_ns < 0 || (s->interval_ns == 0 && !interval_unknown_ok))
			return market_err(err, errlen, "%s: symbol %s: interval %lld ns must be > 0%s", what, s->symbol,
			                  (long long)s->interval_ns,
			                  s->interval_ns == 0 ? " (no bar of it was written, so it is unknown)" : "");
		for (size_t j = 0; j < i; j++)
			if (strcmp(syms[j].symbol, s->symbol) == 0)
				return market_err(err, errlen, "%s: symbol %s appears twice", what, s->symbol);
	}
	return 0;
}
