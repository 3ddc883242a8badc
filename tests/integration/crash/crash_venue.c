/*
 * crash_check — the venue view: the sim venue's persisted state decoded by
 * the sim engine itself (engine.h), every order it remembers with its fills
 * (asked with sim_engine_query, as the host would), its positions, and its
 * count of duplicate submits (sim.duplicates).
 *
 * The engine is created with a finished-order window far larger than any
 * test produces, so decoding never drops an order the file holds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash_check.h"
#include "engine.h"

#define CRASH_RETAIN_ALL 1000000

static void *grow(void *arr, size_t *cap, size_t elem, size_t need)
{
	if (need <= *cap)
		return arr;
	size_t ncap = *cap ? *cap * 2 : 256;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(arr, ncap * elem);
	if (!p) {
		fprintf(stderr, "crash_check: out of memory\n");
		exit(2);
	}
	*cap = ncap;
	return p;
}

/* Whole file into a malloc'd buffer. 1 read, 0 absent, -1 error (err set). */
static int read_file(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	*data = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	for (;;) {
		*data = grow(*data, &cap, 1, *len + 65536);
		size_t n = fread(*data + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		snprintf(err, errlen, "cannot read %s", path);
		free(*data);
		*data = NULL;
		return -1;
	}
	return 1;
}

/* Collects what sim_engine_query reports: fills first, then the state. */
typedef struct collector {
	crash_venue *v;
	vorder *current;
} collector;

static void on_report(void *arg, const sim_report *r)
{
	collector *c = arg;
	if (!c->current)
		return;
	if (r->kind == SIM_REPORT_FILL) {
		crash_venue *v = c->v;
		v->fills = grow(v->fills, &v->cap_fills, sizeof *v->fills, v->nfills + 1);
		vfill *f = &v->fills[v->nfills++];
		memset(f, 0, sizeof *f);
		th_strlcpy(f->trade_id, r->u.fill.venue_trade_id, sizeof f->trade_id);
		f->side = r->u.fill.side;
		f->qty = r->u.fill.qty;
		f->price = r->u.fill.price;
		c->current->nfills++;
	}
}

static void on_order(void *arg, const char *symbol, const th_order_update *u)
{
	crash_venue *v = arg;
	v->orders = grow(v->orders, &v->cap_orders, sizeof *v->orders, v->norders + 1);
	vorder *o = &v->orders[v->norders++];
	memset(o, 0, sizeof *o);
	th_strlcpy(o->symbol, symbol, sizeof o->symbol);
	o->u = *u;
}

static int load_duplicates(const char *dir, crash_venue *v, char *err, size_t errlen)
{
	char path[4300];
	unsigned char *data;
	size_t len;
	snprintf(path, sizeof path, "%s/sim.duplicates", dir);
	int rc = read_file(path, &data, &len, err, errlen);
	if (rc <= 0)
		return rc;
	v->has_duplicates = 1;
	uint64_t n = 0;
	int ok = len > 0 && len < 21;
	for (size_t i = 0; ok && i < len; i++) {
		ok = data[i] >= '0' && data[i] <= '9';
		n = n * 10 + (uint64_t)(data[i] - '0');
	}
	free(data);
	if (!ok) {
		snprintf(err, errlen, "%s is not an ASCII decimal count", path);
		return -1;
	}
	v->duplicates = n;
	return 0;
}

int crash_venue_load(const char *state_dir, const crash_config *cfg, crash_venue *v, char *err, size_t errlen)
{
	char dir[4200], path[4300];
	memset(v, 0, sizeof *v);
	snprintf(dir, sizeof dir, "%s/%s", state_dir, cfg->venue);
	if (load_duplicates(dir, v, err, errlen) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/sim.state", dir);
	unsigned char *data;
	size_t len;
	int rc = read_file(path, &data, &len, err, errlen);
	if (rc < 0)
		return -1;
	v->has_state = rc > 0;

	sim_engine_config ec;
	memset(&ec, 0, sizeof ec);
	ec.participation_ppm = SIM_PPM;
	ec.retain_closed = CRASH_RETAIN_ALL;
	collector col = { v, NULL };
	sim_engine *e;
	if (sim_engine_create(&ec, cfg->ins, cfg->nins, NULL, on_report, &col, &e) != TH_OK) {
		snprintf(err, errlen, "cannot create a sim engine for the configured instruments");
		free(data);
		return -1;
	}
	if (v->has_state && sim_engine_decode(e, data, len, err, errlen) != TH_OK) {
		char why[256];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "%s: %s", path, why);
		free(data);
		sim_engine_destroy(e);
		return -1;
	}
	free(data);

	sim_engine_each_order(e, on_order, v);
	for (size_t i = 0; i < v->norders; i++) {
		col.current = &v->orders[i];
		col.current->first_fill = v->nfills;
		sim_engine_query(e, v->orders[i].u.client_order_id);
	}
	col.current = NULL;
	for (size_t i = 0; i < cfg->nins; i++)
		sim_engine_position(e, cfg->ins[i].symbol, &v->position[i], NULL);
	sim_engine_destroy(e);
	return 0;
}

void crash_venue_free(crash_venue *v)
{
	free(v->orders);
	free(v->fills);
	memset(v, 0, sizeof *v);
}
