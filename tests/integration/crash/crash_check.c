/*
 * crash_check — audits a paper-trading host's state directory after it was
 * killed (SIGKILL) or stopped: no order lost or sent twice, and the ledger
 * matches the venue. See crash_check.h for the three views compared.
 *
 *   crash_check [--interim] -c CONFIG STATE_DIR
 *
 * Checks (letters as in the crash-test brief):
 *   a  every order the venue has was journaled (ORDER_NEW) before it left;
 *   b  no client order id was submitted twice: the venue counted no
 *      duplicate submit (sim.duplicates) and no id was journaled twice;
 *   c  every journaled order is known to the venue in the same state, or
 *      closed REJECTED as never received / refused before sending; none is
 *      left unresolved (SUBMITTED / UNKNOWN);
 *   d  the journal's fills are exactly the venue's fills (ids, sides,
 *      quantities) and sum to the venue's position per symbol;
 *   e  the ledger rebuilt by the OMS's own recovery has the venue's
 *      positions and passes capital_check.
 * --interim is for a state just after a SIGKILL, before the next start has
 * reconciled it: orders may still be unresolved and the venue may be ahead
 * of the journal (fills it made that the host had not made durable yet), so
 * c tolerates unresolved orders and d/e require only that what IS durable
 * agrees (journal fills are a subset of the venue's, the ledger equals the
 * journal). Everything else is checked as strictly as at the end.
 *
 * Exit status: 0 all checks passed, 1 a check failed, 2 usage or I/O error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "crash_check.h"

#define CRASH_PRINT_PER_CHECK 12

static size_t problems;
static size_t printed[26];
static size_t suppressed;

void crash_problem(const char *check, const char *fmt, ...)
{
	size_t slot = (size_t)(check[0] >= 'a' && check[0] <= 'z' ? check[0] - 'a' : 25);
	problems++;
	if (printed[slot] >= CRASH_PRINT_PER_CHECK) {
		suppressed++;
		return;
	}
	printed[slot]++;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printf("FAIL (%s): %s\n", check, msg);
}

size_t crash_problem_count(void)
{
	return problems;
}

const char *crash_state_name(uint32_t s)
{
	static const char *const names[] = { "NONE", "SUBMITTED", "ACCEPTED", "PARTIALLY_FILLED", "FILLED", "CANCELED",
		"REJECTED", "EXPIRED", "UNKNOWN", "ABSENT" };
	return s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static int is_terminal(uint32_t s)
{
	return s == TH_ORDER_FILLED || s == TH_ORDER_CANCELED || s == TH_ORDER_REJECTED || s == TH_ORDER_EXPIRED;
}

static int is_unresolved(uint32_t s)
{
	return s == TH_ORDER_SUBMITTED || s == TH_ORDER_UNKNOWN;
}

/* Closed by the OMS without the venue ever having it: lost in flight before
 * a restart ("never received"), or refused by the venue call itself. */
static int closed_unsent(const jorder *j)
{
	return j->state == TH_ORDER_REJECTED && (strstr(j->reason, "never received") ||
		strstr(j->reason, "venue refused the request") || strstr(j->reason, "not sent"));
}

static int sym_index(const crash_config *cfg, const char *symbol)
{
	for (size_t i = 0; i < cfg->nins; i++)
		if (strcmp(cfg->ins[i].symbol, symbol) == 0)
			return (int)i;
	return -1;
}

typedef struct tally {
	size_t unresolved, open, never_received, venue_fills_ahead;
	th_qty journal_pos[CRASH_MAX_SYMBOLS];
} tally;

/* a, c, d for one order the venue knows. */
static void check_venue_order(const crash_config *cfg, crash_journal *cj, const crash_venue *v, const vorder *vo,
	int interim, tally *t)
{
	const th_order_update *u = &vo->u;
	jorder *j = crash_journal_order(cj, u->client_order_id);
	if (!j) {
		crash_problem("a", "the venue has order %s (%s %s, filled %lld) that was never journaled: it left the host "
			"before it was durable", u->client_order_id, vo->symbol, crash_state_name(u->state),
			(long long)u->filled_qty);
		return;
	}
	j->at_venue = 1;
	if (strcmp(j->symbol, vo->symbol) != 0 || strcmp(j->venue, cfg->venue) != 0 || j->side != u->side)
		crash_problem("c", "order %s: journaled as %s/%s side %u, the venue has %s/%s side %u", j->clid, j->venue,
			j->symbol, j->side, cfg->venue, vo->symbol, u->side);
	if (j->state == TH_ORDER_REJECTED && strstr(j->reason, "never received")) {
		crash_problem("c", "order %s was closed as never received, but the venue has it (%s, filled %lld)", j->clid,
			crash_state_name(u->state), (long long)u->filled_qty);
	} else if (is_terminal(j->state)) {
		if (u->state != j->state)
			crash_problem("c", "order %s: the journal says %s, the venue says %s", j->clid,
				crash_state_name(j->state), crash_state_name(u->state));
	} else if (is_unresolved(j->state)) {
		if (!interim)
			crash_problem("c", "order %s is still unresolved (%s) after the final run; the venue says %s", j->clid,
				crash_state_name(j->state), crash_state_name(u->state));
	} else if (u->state != j->state && !interim) {
		crash_problem("c", "order %s: the journal says %s, the venue says %s", j->clid, crash_state_name(j->state),
			crash_state_name(u->state));
	}

	/* d: its fills, one by one, then the total. */
	th_qty venue_filled = 0;
	for (size_t k = 0; k < vo->nfills; k++) {
		const vfill *f = &v->fills[vo->first_fill + k];
		char key[TH_VENUE_MAX + TH_VENUE_ID_MAX + 2];
		int64_t idx;
		venue_filled += f->qty;
		snprintf(key, sizeof key, "%s|%s", cfg->venue, f->trade_id);
		if (!strmap_get(cj->fill_ids, key, &idx)) {
			if (interim)
				t->venue_fills_ahead++;
			else
				crash_problem("d", "venue fill %s of order %s (qty %lld) is not in the journal", f->trade_id,
					j->clid, (long long)f->qty);
			continue;
		}
		jfill *jf = &cj->fills[idx];
		jf->matched = 1;
		if (strcmp(jf->clid, j->clid) != 0 || jf->qty != f->qty || jf->side != f->side || jf->price != f->price)
			crash_problem("d", "fill %s: journaled for %s qty %lld at %lld, the venue has %s qty %lld at %lld",
				f->trade_id, jf->clid, (long long)jf->qty, (long long)jf->price, j->clid, (long long)f->qty,
				(long long)f->price);
	}
	if (venue_filled != u->filled_qty)
		crash_problem("d", "order %s: the venue's fills add up to %lld but it reports filled %lld", j->clid,
			(long long)venue_filled, (long long)u->filled_qty);
	if (interim ? j->fill_qty > u->filled_qty : j->fill_qty != u->filled_qty)
		crash_problem("d", "order %s: journaled fills total %lld, the venue filled %lld", j->clid,
			(long long)j->fill_qty, (long long)u->filled_qty);
}

/* c and d for what only the journal has. */
static void check_journal_only(const crash_config *cfg, const crash_journal *cj, int interim, tally *t)
{
	for (size_t i = 0; i < cj->norders; i++) {
		const jorder *j = &cj->orders[i];
		if (is_unresolved(j->state))
			t->unresolved++;
		else if (!is_terminal(j->state))
			t->open++;
		if (j->at_venue)
			continue;
		if (closed_unsent(j)) {
			t->never_received++;
			if (j->nfills)
				crash_problem("d", "order %s was closed as never sent/received but has %zu journaled fill(s)",
					j->clid, j->nfills);
		} else if (is_unresolved(j->state)) {
			if (!interim)
				crash_problem("c", "order %s is still unresolved (%s) after the final run and the venue never had it",
					j->clid, crash_state_name(j->state));
		} else {
			crash_problem("c", "order %s: the journal says %s (%s) but the venue has no such order", j->clid,
				crash_state_name(j->state), j->reason);
		}
	}
	for (size_t i = 0; i < cj->nfills; i++) {
		const jfill *f = &cj->fills[i];
		const jorder *j = crash_journal_order(cj, f->clid);
		if (!f->matched)
			crash_problem("d", "journaled fill %s of order %s (qty %lld) is unknown to the venue", f->trade_id,
				f->clid, (long long)f->qty);
		int s = j ? sym_index(cfg, j->symbol) : -1;
		if (s < 0) {
			crash_problem("d", "journaled fill %s belongs to no configured symbol", f->trade_id);
			continue;
		}
		t->journal_pos[s] += f->side == TH_SIDE_BUY ? f->qty : -f->qty;
	}
}

static void fmt_qty(th_qty q, int32_t scale, char *buf, size_t cap)
{
	if (th_fixed_format(q, scale, buf, cap) < 0)
		snprintf(buf, cap, "%lld", (long long)q);
}

/* d (totals) and e (ledger) per symbol. */
static void check_positions(const crash_config *cfg, const crash_venue *v, const crash_ledger_result *lr,
	int interim, const tally *t)
{
	for (size_t i = 0; i < cfg->nins; i++) {
		char jq[48], vq[48], lq[48];
		int32_t qs = cfg->ins[i].qty_scale;
		fmt_qty(t->journal_pos[i], qs, jq, sizeof jq);
		fmt_qty(v->position[i], qs, vq, sizeof vq);
		fmt_qty(lr->position[i], qs, lq, sizeof lq);
		if (!interim && t->journal_pos[i] != v->position[i])
			crash_problem("d", "%s: journaled fills sum to %s, the venue holds %s", cfg->ins[i].symbol, jq, vq);
		if (lr->recovered && lr->position[i] != t->journal_pos[i])
			crash_problem("e", "%s: the ledger holds %s, the journal's fills sum to %s", cfg->ins[i].symbol, lq, jq);
		if (lr->recovered && !interim && lr->position[i] != v->position[i])
			crash_problem("e", "%s: the ledger holds %s, the venue holds %s", cfg->ins[i].symbol, lq, vq);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: crash_check [--interim] -c CONFIG STATE_DIR\n"
			"  Audits the journal, the sim venue state and the rebuilt ledger of a tradehost state directory.\n"
			"  --interim  the host was just killed: tolerate unresolved orders and a venue ahead of the journal\n");
}

int main(int argc, char **argv)
{
	const char *config = NULL, *state_dir = NULL;
	int interim = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--interim") == 0)
			interim = 1;
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			config = argv[++i];
		else if (argv[i][0] != '-' && !state_dir)
			state_dir = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (!config || !state_dir) {
		usage();
		return 2;
	}
	log_set_level(TH_LOG_WARN);
	char err[1024];
	static crash_config cfg;
	if (crash_config_load(config, &cfg, err, sizeof err) != 0) {
		fprintf(stderr, "crash_check: %s\n", err);
		return 2;
	}
	crash_journal cj;
	if (crash_journal_load(state_dir, &cj, err, sizeof err) != 0) {
		fprintf(stderr, "crash_check: journal: %s\n", err);
		crash_journal_close(&cj);
		return 2;
	}
	crash_venue v;
	if (crash_venue_load(state_dir, &cfg, &v, err, sizeof err) != 0) {
		fprintf(stderr, "crash_check: venue: %s\n", err);
		crash_journal_close(&cj);
		return 2;
	}

	if (v.has_duplicates && v.duplicates != 0)
		crash_problem("b", "the venue received %llu duplicate submit(s) of a client order id it already had",
			(unsigned long long)v.duplicates);
	tally t;
	memset(&t, 0, sizeof t);
	for (size_t i = 0; i < v.norders; i++)
		check_venue_order(&cfg, &cj, &v, &v.orders[i], interim, &t);
	check_journal_only(&cfg, &cj, interim, &t);
	crash_ledger_result lr;
	crash_ledger_rebuild(&cfg, &cj, &lr);
	check_positions(&cfg, &v, &lr, interim, &t);

	printf("crash_check %s: %zu orders journaled (%zu open, %zu unresolved, %zu closed unsent), %zu fills, "
	       "%llu deposit(s), %llu allocation(s); venue: %zu orders, %zu fills%s, %llu duplicate submits; "
	       "%zu positions compared:",
		interim ? "interim" : "final", cj.norders, t.open, t.unresolved, t.never_received, cj.nfills,
		(unsigned long long)cj.deposits, (unsigned long long)cj.allocations, v.norders, v.nfills,
		v.has_state ? "" : " (no sim.state)", (unsigned long long)v.duplicates, lr.npositions);
	for (size_t i = 0; i < cfg.nins; i++) {
		char q[48];
		fmt_qty(v.position[i], cfg.ins[i].qty_scale, q, sizeof q);
		printf(" %s=%s", cfg.ins[i].symbol, q);
	}
	if (interim)
		printf("; %zu venue fill(s) not journaled yet", t.venue_fills_ahead);
	if (suppressed)
		printf("\n(%zu more problem lines not shown)", suppressed);
	printf("\n%s\n", problems ? "crash_check: FAILED" : "crash_check: OK");
	crash_venue_free(&v);
	crash_journal_close(&cj);
	return problems ? 1 : 0;
}
