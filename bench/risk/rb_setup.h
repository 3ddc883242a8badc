/*
 * bench_risk — what the three plugins are configured with, and the probes
 * run before timing that show the configuration is live (a rule that is
 * silently off would make the benchmark look faster than the real thing).
 */
#ifndef BENCH_RISK_RB_SETUP_H
#define BENCH_RISK_RB_SETUP_H

#include "rb_plugins.h"
#include "rb_world.h"

/* ES window: 1,000 bars of returns = 1,000 scenarios. */
#define RB_VAR_WINDOW 1000

/* limits: every rule on (30 keys), none binding for the benchmark's intents. */
void rb_setup_limits(rb_plugin *p);
/* var: window 1,000, ES limits on agent, farm and host (3 post-trade ES per check). */
void rb_setup_var(rb_plugin *p);
/* drawdown: its defaults (no keys). */
void rb_setup_drawdown(rb_plugin *p);

/* Intents each plugin must deny, with the reason expected; prints one line
 * per probe. Returns the number of probes that did not get the expected
 * verdict. Does not move any clock and leaves no trace in rate windows
 * (denied intents are not recorded). */
int rb_probe(rb_world *w, rb_plugin *limits, rb_plugin *var, rb_plugin *drawdown);

#endif
