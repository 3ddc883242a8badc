#include "rb_options.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rb_stats.h"

#ifndef TH_BENCH_PLUGIN_DIR
#define TH_BENCH_PLUGIN_DIR "lib/tradehost/plugins"
#endif

void rb_options_usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--plugins DIR] [--intents N] [--warmup N] [--reps R] [--spacing-us U] [--seed S]\n"
		"          [--cpu N] [--indexed-lookups] [--host fake|real|both]\n"
		"  --plugins DIR    where limits.so, var.so, drawdown.so are (default %s)\n"
		"  --intents N      timed intents per repetition (default 100000, at least 100000 for the record)\n"
		"  --warmup N       untimed intents first (default 20000)\n"
		"  --reps R         repetitions; the median is reported (default 5, at most %d)\n"
		"  --spacing-us U   host time between intents, 100-1000000 (default 1000 = 1,000 intents/s)\n"
		"  --seed S         random seed of the book and the intents (default 1)\n"
		"  --cpu N          the CPU to pin to (default 0)\n"
		"  --indexed-lookups  instrument() / last_price() in O(1) instead of the fake portfolio's\n"
		"                   linear scan: the plugins' own cost (fake host only)\n"
		"  --host H         what the plugins read: the fake portfolio's table (fake), the host's own\n"
		"                   portfolio view over a real capital hierarchy (real), or both, measured\n"
		"                   alternately in the same run (default both)\n",
		argv0, TH_BENCH_PLUGIN_DIR, RB_MAX_REPS);
}

static int parse_size(const char *s, size_t lo, size_t hi, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = (size_t)v;
	return 0;
}

int rb_options_parse(int argc, char **argv, rb_options *o)
{
	o->dir = TH_BENCH_PLUGIN_DIR;
	o->intents = 100000;
	o->warmup = 20000;
	o->reps = 5;
	o->spacing_ns = 1000000;
	o->seed = 1;
	o->indexed = 0;
	o->host = RB_HOST_FAKE | RB_HOST_REAL;
	o->cpu = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		size_t x;
		if (strcmp(a, "--indexed-lookups") == 0) {
			o->indexed = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_risk: %s needs a value\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--plugins") == 0) {
			o->dir = v;
		} else if (strcmp(a, "--host") == 0 && (!strcmp(v, "fake") || !strcmp(v, "real") || !strcmp(v, "both"))) {
			o->host = !strcmp(v, "fake") ? RB_HOST_FAKE : !strcmp(v, "real") ? RB_HOST_REAL : RB_HOST_FAKE | RB_HOST_REAL;
		} else if (strcmp(a, "--intents") == 0 && parse_size(v, 1000, 100000000, &x) == 0) {
			o->intents = x;
		} else if (strcmp(a, "--warmup") == 0 && parse_size(v, 0, 100000000, &x) == 0) {
			o->warmup = x;
		} else if (strcmp(a, "--reps") == 0 && parse_size(v, 1, RB_MAX_REPS, &x) == 0) {
			o->reps = x;
		} else if (strcmp(a, "--spacing-us") == 0 && parse_size(v, 100, 1000000, &x) == 0) {
			o->spacing_ns = (int64_t)x * 1000;
		} else if (strcmp(a, "--cpu") == 0 && parse_size(v, 0, CPU_SETSIZE - 1, &x) == 0) {
			o->cpu = (int)x;
		} else if (strcmp(a, "--seed") == 0 && parse_size(v, 1, (size_t)-1, &x) == 0) {
			o->seed = x;
		} else {
			fprintf(stderr, "bench_risk: bad option or value: %s %s\n", a, v);
			return -1;
		}
	}
	return 0;
}
