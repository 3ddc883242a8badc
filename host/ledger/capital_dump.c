/* capital_dump: a canonical text of the whole state, for replay comparison
 * (equal state <=> equal text). Everything is listed in creation order
 * except open orders, which are sorted by key because their array order
 * depends on removal history. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/capital_internal.h"

typedef struct cap_sb {
	char *buf;
	size_t len, cap;
	int failed;
} cap_sb;

static void sb_printf(cap_sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(cap_sb *s, const char *fmt, ...)
{
	if (s->failed)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->failed = 1;
			return;
		}
		if ((size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t cap = s->cap * 2 + (size_t)n;
		char *g = realloc(s->buf, cap);
		if (!g) {
			s->failed = 1;
			return;
		}
		s->buf = g;
		s->cap = cap;
	}
}

static void cap_dump_curve(cap_sb *s, const cap_curve *cv)
{
	sb_printf(s, "  curve seq=%llu nav=%lld peak_nav=%lld max_dd_bps=%lld last_equity=%lld last_flow=%lld "
		     "peak_perf=%lld max_dd=%lld points=%zu\n",
		(unsigned long long)cv->seq, (long long)cv->nav, (long long)cv->peak_nav, (long long)cv->max_dd_bps,
		(long long)cv->last_equity, (long long)cv->last_flow, (long long)cv->peak_perf, (long long)cv->max_dd_money,
		cv->n);
	for (size_t k = 0; k < cv->n; k++) {
		const capital_point p = cap_curve_point(cv, k);
		sb_printf(s, "   pt %llu t=%lld equity=%lld flow=%lld nav=%lld\n", (unsigned long long)p.seq,
			(long long)p.t_ns, (long long)p.equity, (long long)p.flow, (long long)p.nav);
	}
}

static int cap_cmp_order(const void *a, const void *b)
{
	const cap_order *x = *(const cap_order *const *)a, *y = *(const cap_order *const *)b;
	return strcmp(x->key, y->key);
}

char *capital_dump(const capital_t *c, size_t *len)
{
	cap_sb s = { malloc(4096), 0, 4096, 0 };
	if (!s.buf)
		return NULL;
	s.buf[0] = '\0';
	const ledger_t *l = c->ledger;
	sb_printf(&s, "capital quote=%s curve_limit=%zu lookback=%d min_history=%d total_flow=%lld\n", c->quote,
		c->curve_limit, c->lookback, c->min_history, (long long)c->total_flow);
	sb_printf(&s, "ledger transactions=%llu accounts=%zu\n", (unsigned long long)ledger_tx_count(l), ledger_count(l));
	for (size_t i = 0; i < ledger_count(l); i++)
		sb_printf(&s, " account %zu %s %s flags=%u balance=%lld\n", i, ledger_name(l, (int32_t)i),
			ledger_asset(l, (int32_t)i), ledger_flags(l, (int32_t)i), (long long)ledger_balance(l, (int32_t)i));
	for (size_t i = 0; i < c->nins; i++) {
		const cap_instr *in = &c->ins[i];
		sb_printf(&s, "instrument %zu %s/%s base=%s scales=%d/%d mark=%lld mark_ns=%lld\n", i, in->venue, in->symbol,
			in->base, (int)in->price_scale, (int)in->qty_scale, (long long)in->mark, (long long)in->mark_ns);
	}
	for (size_t i = 0; i < c->nw; i++) {
		const cap_wallet *w = &c->w[i];
		/* %a prints the weight's exact bits. */
		sb_printf(&s, "wallet %zu %s kind=%d parent=%d allocated=%lld flow=%lld collected=%lld weight=%a "
			      "trades=%u wins=%u losses=%u last_rebalance=%lld\n",
			i, w->name, w->kind, (int)w->parent, (long long)w->allocated, (long long)w->flow,
			(long long)w->collected, w->weight, w->trades, w->wins, w->losses, (long long)w->last_rebalance_ns);
		for (size_t k = 0; k < w->npos; k++) {
			const cap_position *p = &w->pos[k];
			sb_printf(&s, "  position %zu instr=%d qty=%lld cost=%lld entry_fees=%lld realized=%lld fees=%lld "
				      "pend=%lld/%lld trades=%u wins=%u losses=%u\n",
				k, (int)p->instr, (long long)p->qty, (long long)p->cost, (long long)p->entry_fees,
				(long long)p->realized, (long long)p->fees, (long long)p->pend_reduce_buy,
				(long long)p->pend_reduce_sell, p->trades, p->wins, p->losses);
		}
		cap_dump_curve(&s, &w->curve);
	}
	sb_printf(&s, "total\n");
	cap_dump_curve(&s, &c->total_curve);
	const cap_order **idx = malloc((c->nord ? c->nord : 1) * sizeof *idx);
	if (!idx) {
		free(s.buf);
		return NULL;
	}
	for (size_t i = 0; i < c->nord; i++)
		idx[i] = &c->ord[i];
	qsort(idx, c->nord, sizeof *idx, cap_cmp_order);
	for (size_t j = 0; j < c->nord; j++) {
		const cap_order *o = idx[j];
		sb_printf(&s, "order %s agent=%s pos=%d side=%u price=%lld qty=%lld remaining=%lld reduce=%lld open=%lld "
			      "reserved=%lld fee_budget=%lld trade_pnl=%lld reduced=%lld\n",
			o->key, c->w[o->agent].name, (int)o->pos, o->side, (long long)o->price, (long long)o->qty,
			(long long)o->remaining, (long long)o->reduce_rem, (long long)o->open_rem, (long long)o->res_rem,
			(long long)o->fee_budget, (long long)o->trade_pnl, (long long)o->reduced);
	}
	free(idx);
	if (s.failed) {
		free(s.buf);
		return NULL;
	}
	if (len)
		*len = s.len;
	return s.buf;
}
