/*
 * report — input checks with messages that name the series or trade at fault.
 */
#include "report/report_internal.h"

#include <stdio.h>
#include <string.h>

/* `owner` names the record, e.g. "agent 'bob'" or "trade 3". */
static int check_text(const char *what, const char *s, const char *owner, char *err, size_t errlen)
{
	if (!s || !*s)
		return report_err(err, errlen, "report: %s: %s is missing or empty", owner, what);
	if (!report_utf8_valid(s, strlen(s)))
		return report_err(err, errlen, "report: %s: %s is not valid UTF-8", owner, what);
	return 0;
}

int report_check_series(const report_series *s, char *err, size_t errlen)
{
	if (!s)
		return report_err(err, errlen, "report: NULL series");
	if (!s->name || !*s->name)
		return report_err(err, errlen, "report: a series has no name");
	if (!report_utf8_valid(s->name, strlen(s->name)))
		return report_err(err, errlen, "report: a series name is not valid UTF-8");
	const char *kind = report_kind_name(s->kind);
	if (s->kind != REPORT_KIND_HOST && s->kind != REPORT_KIND_FARM && s->kind != REPORT_KIND_AGENT)
		return report_err(err, errlen, "report: series '%s': kind %d is not host, farm or agent",
				  s->name, (int)s->kind);
	if (s->parent) {
		char owner[160];
		snprintf(owner, sizeof owner, "%s '%.120s'", kind, s->name);
		if (check_text("parent", s->parent, owner, err, errlen) != 0)
			return -1;
	}
	if (s->parent && s->kind != REPORT_KIND_AGENT)
		return report_err(err, errlen, "report: %s '%s': only agents have a parent farm",
				  kind, s->name);
	if (s->n > 0 && (!s->t_ns || !s->equity))
		return report_err(err, errlen, "report: %s '%s': %zu samples but no %s array", kind,
				  s->name, s->n, s->t_ns ? "equity" : "t_ns");
	if (s->exposure_ns < 0)
		return report_err(err, errlen, "report: %s '%s': exposure_ns %lld is negative", kind,
				  s->name, (long long)s->exposure_ns);
	for (size_t i = 1; i < s->n; i++)
		if (s->t_ns[i] <= s->t_ns[i - 1])
			return report_err(err, errlen,
					  "report: %s '%s': t_ns[%zu] = %lld is not after t_ns[%zu] = %lld "
					  "(sample times must be strictly increasing)",
					  kind, s->name, i, (long long)s->t_ns[i], i - 1,
					  (long long)s->t_ns[i - 1]);
	return 0;
}

int report_check_trade(const report_trade *t, size_t index, char *err, size_t errlen)
{
	char who[48];
	snprintf(who, sizeof who, "trade %zu", index);
	/* farm may be empty: an agent outside any farm still has trades */
	if (t->farm && !report_utf8_valid(t->farm, strlen(t->farm)))
		return report_err(err, errlen, "report: %s: farm is not valid UTF-8", who);
	if (check_text("agent", t->agent, who, err, errlen) != 0 ||
	    check_text("venue", t->venue, who, err, errlen) != 0 ||
	    check_text("symbol", t->symbol, who, err, errlen) != 0)
		return -1;
	if (t->side != TH_SIDE_BUY && t->side != TH_SIDE_SELL)
		return report_err(err, errlen,
				  "report: trade %zu (agent '%s'): side %u is neither buy (1) nor sell (2)",
				  index, t->agent, t->side);
	if (t->qty_scale < 0 || t->qty_scale > TH_SCALE_MAX || t->price_scale < 0 ||
	    t->price_scale > TH_SCALE_MAX)
		return report_err(err, errlen,
				  "report: trade %zu (agent '%s'): scale out of range 0..%d "
				  "(qty_scale %d, price_scale %d)",
				  index, t->agent, TH_SCALE_MAX, (int)t->qty_scale, (int)t->price_scale);
	if (t->qty <= 0)
		return report_err(err, errlen, "report: trade %zu (agent '%s'): qty %lld is not positive",
				  index, t->agent, (long long)t->qty);
	if (t->exit_ns < t->entry_ns)
		return report_err(err, errlen,
				  "report: trade %zu (agent '%s'): exit_ns %lld is before entry_ns %lld",
				  index, t->agent, (long long)t->exit_ns, (long long)t->entry_ns);
	return 0;
}
