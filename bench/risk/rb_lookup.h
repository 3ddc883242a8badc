/*
 * bench_risk --indexed-lookups: instrument() and last_price() answered in
 * O(1) from the symbol's number, instead of the fake portfolio's linear scan
 * with strcmp (which is also what the real host does today: tv_instrument
 * and find_price scan arrays). Run both ways, the difference is the share of
 * the pipeline that is the host's lookups rather than the plugins' own work.
 */
#ifndef BENCH_RISK_RB_LOOKUP_H
#define BENCH_RISK_RB_LOOKUP_H

#include "rb_plugins.h"
#include "rb_world.h"

/* Replaces p's instrument / last_price slots; `w` must outlive p. */
void rb_indexed_lookups(rb_plugin *p, rb_world *w);

#endif
