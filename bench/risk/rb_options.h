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
} rb_options;

/* Defaults, then argv; -1 (after a message on stderr) on a bad option or value. */
int rb_options_parse(int argc, char **argv, rb_options *o);
void rb_options_usage(const char *argv0);

#endif
