/*
 * report — the validated, ordered view of a backtest that both writers print:
 * one host entry, farms sorted by name, agents sorted by (farm, name), each
 * with its statistics. Sorting here (not trusting the caller's order) is what
 * makes the output independent of how the driver happened to iterate.
 */
#include "report/report_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *parent_or_empty(const report_series *s)
{
	return s->parent ? s->parent : "";
}

static int cmp_farm(const void *a, const void *b)
{
	const report_entry *x = a, *y = b;
	return strcmp(x->series->name, y->series->name);
}

static int cmp_agent(const void *a, const void *b)
{
	const report_entry *x = a, *y = b;
	int c = strcmp(parent_or_empty(x->series), parent_or_empty(y->series));
	return c ? c : strcmp(x->series->name, y->series->name);
}

static int check_meta_text(const char *what, const char *s, char *err, size_t errlen)
{
	if (s && !report_utf8_valid(s, strlen(s)))
		return report_err(err, errlen, "report: meta %s is not valid UTF-8", what);
	return 0;
}

void report_model_free(report_model *m)
{
	free(m->farms);
	free(m->agents);
	memset(m, 0, sizeof *m);
}

int report_model_build(report_model *m, const report_meta *meta, const report_series *series,
		       size_t nseries, const report_trade *trades, size_t ntrades, char *err,
		       size_t errlen)
{
	memset(m, 0, sizeof *m);
	if (!meta)
		return report_err(err, errlen, "report: no meta given");
	if (check_meta_text("config", meta->config, err, errlen) != 0 ||
	    check_meta_text("generated_by", meta->generated_by, err, errlen) != 0)
		return -1;
	if (nseries > 0 && !series)
		return report_err(err, errlen, "report: %zu series but no series array", nseries);

	size_t nhost = 0, nfarm = 0, nagent = 0;
	for (size_t i = 0; i < nseries; i++) {
		if (report_check_series(&series[i], err, errlen) != 0)
			return -1;
		switch (series[i].kind) {
		case REPORT_KIND_HOST: nhost++; break;
		case REPORT_KIND_FARM: nfarm++; break;
		default: nagent++; break;
		}
	}
	if (nhost != 1)
		return report_err(err, errlen,
				  "report: need exactly one host (total) series, got %zu", nhost);

	m->farms = nfarm ? calloc(nfarm, sizeof *m->farms) : NULL;
	m->agents = nagent ? calloc(nagent, sizeof *m->agents) : NULL;
	if ((nfarm && !m->farms) || (nagent && !m->agents)) {
		report_model_free(m);
		return report_err(err, errlen, "report: out of memory");
	}
	for (size_t i = 0; i < nseries; i++) {
		report_entry *e = series[i].kind == REPORT_KIND_HOST   ? &m->total
				  : series[i].kind == REPORT_KIND_FARM ? &m->farms[m->nfarms++]
								       : &m->agents[m->nagents++];
		e->series = &series[i];
		if (report_compute(&series[i], trades, ntrades, meta->periods_per_year, &e->stats,
				   err, errlen) != 0) {
			report_model_free(m);
			return -1;
		}
	}
	if (m->nfarms > 1)
		qsort(m->farms, m->nfarms, sizeof *m->farms, cmp_farm);
	if (m->nagents > 1)
		qsort(m->agents, m->nagents, sizeof *m->agents, cmp_agent);
	for (size_t i = 1; i < m->nfarms; i++)
		if (cmp_farm(&m->farms[i - 1], &m->farms[i]) == 0) {
			const char *name = m->farms[i].series->name;
			report_model_free(m);
			return report_err(err, errlen, "report: farm '%s' appears twice", name);
		}
	for (size_t i = 1; i < m->nagents; i++)
		if (cmp_agent(&m->agents[i - 1], &m->agents[i]) == 0) {
			const report_series *s = m->agents[i].series;
			report_model_free(m);
			return report_err(err, errlen, "report: agent '%s' (farm '%s') appears twice",
					  s->name, parent_or_empty(s));
		}
	return 0;
}
