/*
 * bench_risk --indexed-lookups: instrument() and last_price() of the fake
 * host answered in O(1) from the symbol's number, instead of the fake
 * portfolio's linear scan with strcmp. Run both ways, the difference is the
 * share of the fake set's pipeline that is lookups rather than the plugins'
 * own work. (The real host hashes both: see rb_host.h and --host real.)
 */
#ifndef BENCH_RISK_RB_LOOKUP_H
#define BENCH_RISK_RB_LOOKUP_H

#include "rb_plugins.h"
#include "rb_world.h"

/* Replaces p's instrument / last_price slots; `w` must outlive p. */
void rb_indexed_lookups(rb_plugin *p, rb_world *w);

#endif
