/*
 * market — replay source internals: the per-kind operations behind
 * market_source (source.c dispatches; source_synth.c and source_csv.c
 * implement).
 */
#ifndef TH_MARKET_SOURCE_INTERNAL_H
#define TH_MARKET_SOURCE_INTERNAL_H

#include "market/source.h"

typedef struct market_source_ops {
	int (*next)(market_source *src, th_event *out, char *err, size_t errlen);
	const th_instrument *(*instruments)(const market_source *src, size_t *count);
	void (*destroy)(market_source *src);
} market_source_ops;

struct market_source {
	const market_source_ops *ops;
	market_source_options opt;
	int failed;
};

/* 0, or -1 with a message for an impossible range or resample interval. */
int market_source_check_options(const market_source_options *opt, char *err, size_t errlen);

/* Is a bar open time / an event time inside [from, to)? */
int market_source_in_range(const market_source_options *opt, int64_t t);

/* Fill a TH_EV_BAR event (header and payload only) for an instrument. */
void market_source_bar_event(th_event *out, const th_instrument *in, const th_bar *bar);

#endif
