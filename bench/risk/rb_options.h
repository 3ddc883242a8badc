/*
 * bench_risk — command-line options.
 */
#ifndef BENCH_RISK_RB_OPTIONS_H
#define BENCH_RISK_RB_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rb_options {
	const char *dir;
	size_t intents, warmup, reps;
	int64_t spacing_ns;
	uint64_t seed;
	int cpu;
	int indexed; /* --indexed-lookups */
	int host;    /* --host: RB_HOST_* bits, which portfolios the plugins read */
} rb_options;

#define RB_HOST_FAKE 1 /* the fake portfolio's table */
#define RB_HOST_REAL 2 /* the host's trading_view over a real capital hierarchy (rb_host.h) */

/* Defaults, then argv; -1 (after a message on stderr) on a bad option or value. */
int rb_options_parse(int argc, char **argv, rb_options *o);
void rb_options_usage(const char *argv0);

#endif
