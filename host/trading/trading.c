#include "trading/trading_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "trading/trading_coord.h"

static int64_t env_now(void *ctx)
{
	return host_now_ns(((trading_t *)ctx)->host);
}

static int env_publish(void *ctx, const th_event *ev)
{
	return bus_publish(((trading_t *)ctx)->bus, ev);
}

/* Last prices live in the view (trading_view.c): a hash on venue + symbol
 * with the last hit tried first, O(1) for the risk plugins' lookups too. */
th_price trading_last_price(void *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	trading_t *t = ctx;
	return t->view ? trading_view_last_price(t->view, venue, symbol, scale) : 0;
}

/* Market data: the last price per instrument (for market-order reservations
 * and marks); a bar close also marks every wallet. Equity is recorded by the
 * driver (trading_backtest, on_oms_tick), not here. This runs for every
 * market event: the view finds the instrument by comparing the event's
 * names with the last one's, without string work. */
/* A bar close on the wall clock (paper/live): out of line, so that the
 * backtest's per-bar path through trading_on_market needs no stack frame. */
static __attribute__((noinline)) void mark_bar_wall_clock(trading_t *t, const th_event *ev)
{
	trading_view_mark_event(t->view, ev, ev->u.bar.close, ev->u.bar.price_scale, host_now_ns(t->host));
}

void trading_on_market(void *arg, const th_event *ev)
{
	trading_t *t = arg;
	/* bars first: a backtest's per-bar path then takes one compare */
	if (ev->h.type == TH_EV_BAR) {
		t->bars++;
		/* a backtest reads its simulated clock without a call */
		if (t->sim)
			trading_view_mark_event(t->view, ev, ev->u.bar.close, ev->u.bar.price_scale, t->sim->now_ns);
		else
			mark_bar_wall_clock(t, ev);
	} else if (ev->h.type == TH_EV_TRADE) {
		trading_view_set_event_price(t->view, ev, ev->u.trade.price, ev->u.trade.price_scale);
	}
}

static void on_venue_event(void *arg, const th_event *ev)
{
	oms_on_venue_event(((trading_t *)arg)->oms, ev);
}

/* An agent removed by a reload leaves no order working without an owner. */
static void on_lifecycle(void *arg, const th_event *ev)
{
	trading_t *t = arg;
	if (ev->u.lifecycle.state != TH_LC_STOPPED)
		return;
	size_t n = oms_cancel_all(t->oms, ev->u.lifecycle.instance);
	if (n)
		log_info("instance %s stopped: %zu open order(s) canceled", ev->u.lifecycle.instance, n);
}

static void on_journal_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	oms_poll(((trading_t *)arg)->oms);
}

/* Once a second in paper/live: re-query unanswered orders, record equity,
 * evaluate goals, and rebalance when it is due. */
static void on_oms_tick(void *arg, uint64_t id)
{
	(void)id;
	trading_t *t = arg;
	int64_t now = host_now_ns(t->host);
	oms_tick(t->oms);
	if (t->flatten_pending && oms_halted(t->oms) == OMS_RUNNING) {
		t->flatten_pending = 0;
		for (size_t f = 0; f < t->cfg.nfarms; f++)
			if (t->cfg.farms[f].coordination == COORD_EMERGENCY)
				trading_flatten_farm(t, t->cfg.farms[f].name);
	}
	capital_snapshot_equity(t->capital, now);
	trading_goals_evaluate(t, now);
	if (t->cfg.rebalance_ns > 0 && now - t->last_rebalance_ns >= t->cfg.rebalance_ns && oms_halted(t->oms) == OMS_RUNNING)
		trading_rebalance(t, now);
}

trading_t *trading_create(host_t *h, const trading_config *cfg, trading_mode mode, char *err, size_t errlen)
{
	trading_t *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->host = h;
	t->sim = host_sim_clock_of(h);
	t->bus = host_bus(h);
	t->cfg = *cfg;
	t->mode = mode;
	t->capital = capital_create(cfg->quote, err, errlen);
	t->ballots = calloc(cfg->nfarms ? cfg->nfarms : 1, sizeof *t->ballots);
	t->view = t->capital ? trading_view_create(t->capital, tv_list, t) : NULL;
	if (!t->capital || !t->ballots || !t->view) {
		if (t->capital && (!t->ballots || !t->view))
			snprintf(err, errlen, "out of memory");
		trading_destroy(t);
		return NULL;
	}
	/* Farms from [capital.farms], agents from the strategy instances' farm keys. */
	for (size_t i = 0; i < cfg->nfarms; i++)
		if (capital_add_farm(t->capital, cfg->farms[i].name, err, errlen) != 0)
			goto fail;
	const host_config *hc = host_get_config(h);
	for (size_t i = 0; i < hc->ninstances; i++) {
		const host_instance_cfg *ic = &hc->instances[i];
		if (!ic->farm[0])
			continue;
		size_t f;
		for (f = 0; f < cfg->nfarms && strcmp(cfg->farms[f].name, ic->farm) != 0; f++)
			;
		if (f == cfg->nfarms) {
			snprintf(err, errlen, "instances.%s.farm is \"%s\" but there is no [capital.farms.%s]", ic->name,
				ic->farm, ic->farm);
			goto fail;
		}
		if (capital_add_agent(t->capital, ic->name, ic->farm, err, errlen) != 0)
			goto fail;
	}
	if (mode == TRADING_PAPER) {
		char dir[4200];
		snprintf(dir, sizeof dir, "%s/journal", hc->state_dir);
		journal_options jo = { 0 };
		jo.mode = cfg->journal_each ? JOURNAL_SYNC_EACH : JOURNAL_SYNC_BATCH;
		jo.batch_max_records = cfg->batch_records;
		jo.batch_max_delay_us = cfg->batch_delay_us;
		if (journal_open(dir, &jo, &t->journal, err, errlen) != 0)
			goto fail;
	}
	oms_env env = { t, env_now, tv_instrument, tv_submit, tv_cancel, tv_query, env_publish, trading_last_price };
	oms_options oo = { cfg->clid_prefix, cfg->market_reserve_bps, cfg->fee_reserve_bps, 0 };
	t->oms = oms_create(&env, &oo, t->journal, t->capital, err, errlen);
	if (!t->oms)
		goto fail;
	return t;
fail:
	trading_destroy(t);
	return NULL;
}

/* First start on an empty journal: deposit, then split the master wallet
 * over the farms by weight and each farm equally over its agents. Every
 * transfer is journaled, so a restart replays the same split. */
static int initial_allocation(trading_t *t, char *err, size_t errlen)
{
	const trading_config *c = &t->cfg;
	if (c->deposit <= 0)
		return 0;
	if (oms_deposit(t->oms, c->deposit, err, errlen) != 0)
		return -1;
	double total_w = 0;
	for (size_t i = 0; i < c->nfarms; i++)
		total_w += c->master_rule == 0 ? c->farms[i].weight : 1.0;
	const host_config *hc = host_get_config(t->host);
	for (size_t i = 0; i < c->nfarms && total_w > 0; i++) {
		/* The weight is a ratio from the configuration; it becomes an
		 * integer share in parts per million before it touches money. */
		double w = (c->master_rule == 0 ? c->farms[i].weight : 1.0) / total_w;
		int64_t ppm = (int64_t)(w * 1000000.0 + 0.5);
		th_money farm_amount;
		if (th_fixed_muldiv(c->deposit, ppm, 1000000, &farm_amount) != 0 || farm_amount <= 0)
			continue;
		if (oms_allocate(t->oms, "master", c->farms[i].name, farm_amount, err, errlen) != 0)
			return -1;
		size_t nagents = 0;
		for (size_t k = 0; k < hc->ninstances; k++)
			nagents += strcmp(hc->instances[k].farm, c->farms[i].name) == 0;
		for (size_t k = 0; k < hc->ninstances && nagents; k++) {
			if (strcmp(hc->instances[k].farm, c->farms[i].name) != 0)
				continue;
			if (oms_allocate(t->oms, c->farms[i].name, hc->instances[k].name, farm_amount / (th_money)nagents, err,
				    errlen) != 0)
				return -1;
		}
	}
	return 0;
}

/* Paper feed: events are generated ahead and published when the wall clock
 * reaches their time. */
static void feed_due(void *arg, uint64_t id)
{
	(void)id;
	trading_t *t = arg;
	char err[256];
	int64_t now = host_now_ns(t->host);
	for (;;) {
		if (!t->have_pending) {
			int rc = feed_next(&t->feed, &t->pending, err, sizeof err);
			if (rc <= 0) {
				if (rc < 0)
					log_error("market feed stopped: %s", err);
				else
					log_info("market feed ended");
				host_cancel_timers(t->host, &t->feed_timer);
				return;
			}
			t->have_pending = 1;
		}
		if (t->pending.h.ts_ns > now)
			break;
		t->have_pending = 0;
		bus_publish(t->bus, &t->pending);
	}
}

static int open_source(trading_t *t, char *err, size_t errlen)
{
	market_source *src = trading_config_open_source(&t->cfg, err, errlen);
	if (!src)
		return -1;
	if (feed_init(&t->feed, src, (const char(*)[TH_VENUE_MAX])t->cfg.mirror_venues, t->cfg.nmirrors,
		    t->cfg.mirror_basis_bps, t->cfg.synth.seed, err, errlen) != 0) {
		market_source_destroy(src);
		return -1;
	}
	t->feed_open = 1;
	return 0;
}

/* Every market instrument must exist at its venue with the same scales. */
static int check_instruments(trading_t *t, char *err, size_t errlen)
{
	size_t n;
	const th_instrument *ins = market_source_instruments(t->feed.source, &n);
	for (size_t k = 0; k < n * (1 + t->cfg.nmirrors); k++) {
		size_t i = k % n;
		const char *venue = k < n ? ins[i].venue : t->cfg.mirror_venues[k / n - 1];
		const th_instrument *v = tv_instrument(t, venue, ins[i].symbol);
		if (!v) {
			snprintf(err, errlen, "market symbol %s is not listed by venue instance \"%s\" (check market.venue, "
				"market.mirror_venues and the venue's symbols)", ins[i].symbol, venue);
			return -1;
		}
		if (v->price_scale != ins[i].price_scale || v->qty_scale != ins[i].qty_scale) {
			snprintf(err, errlen, "market symbol %s: scales %d/%d differ from venue %s's %d/%d", ins[i].symbol,
				ins[i].price_scale, ins[i].qty_scale, venue, v->price_scale, v->qty_scale);
			return -1;
		}
	}
	return 0;
}

int trading_start(trading_t *t, char *err, size_t errlen)
{
	uint64_t id;
	if (open_source(t, err, errlen) != 0 || check_instruments(t, err, errlen) != 0)
		return -1;
	if (oms_recover(t->oms, err, errlen) != 0)
		return -1;
	if ((!t->journal || journal_next_lsn(t->journal) == journal_first_lsn(t->journal)) &&
		initial_allocation(t, err, errlen) != 0)
		return -1;
	th_subscription market = { .topics = TH_TOPIC(TH_EV_TRADE) | TH_TOPIC(TH_EV_BAR) };
	th_subscription venue = { .topics = TH_TOPIC(TH_EV_ORDER) | TH_TOPIC(TH_EV_FILL) };
	th_subscription intents = { .topics = TH_TOPIC(TH_EV_INTENT) };
	th_subscription flush = { .topics = TH_TOPIC(TH_EV_CUSTOM) };
	th_subscription lifecycle = { .topics = TH_TOPIC(TH_EV_LIFECYCLE) };
	if (bus_subscribe(t->bus, t, &market, trading_on_market, t, &id) != TH_OK ||
		bus_subscribe(t->bus, t, &venue, on_venue_event, t, &id) != TH_OK ||
		bus_subscribe(t->bus, t, &intents, trading_on_intent, t, &id) != TH_OK ||
		bus_subscribe(t->bus, t, &flush, trading_on_coord_flush, t, &id) != TH_OK ||
		bus_subscribe(t->bus, t, &lifecycle, on_lifecycle, t, &id) != TH_OK) {
		snprintf(err, errlen, "cannot subscribe to the bus");
		return -1;
	}
	if (t->journal) {
		t->journal_ev = event_new(host_event_base(t->host), journal_notify_fd(t->journal), EV_READ | EV_PERSIST,
			on_journal_ready, t);
		if (!t->journal_ev || event_add(t->journal_ev, NULL) != 0) {
			snprintf(err, errlen, "cannot watch the journal");
			return -1;
		}
	}
	for (size_t f = 0; f < t->cfg.nfarms; f++)
		capital_set_weight(t->capital, t->cfg.farms[f].name, t->cfg.farms[f].weight, err, errlen);
	t->last_rebalance_ns = host_now_ns(t->host);
	if (trading_goals_start(t, host_now_ns(t->host), err, errlen) != 0)
		return -1;
	trading_install_provider(t);
	oms_reconcile(t->oms);
	for (size_t f = 0; f < t->cfg.nfarms; f++)
		if (t->cfg.farms[f].coordination == COORD_EMERGENCY)
			t->flatten_pending = 1; /* once trading runs (after reconciliation) */
	if (t->mode == TRADING_PAPER) {
		host_add_timer(t->host, t, 1000000000LL, 1000000000LL, on_oms_tick, t, &id);
		host_add_timer(t->host, &t->feed_timer, 0, 50000000LL, feed_due, t, &t->feed_timer);
	}
	return 0;
}

void trading_stop(trading_t *t)
{
	if (!t)
		return;
	host_set_portfolio_provider(t->host, NULL);
	host_cancel_timers(t->host, &t->feed_timer);
	host_cancel_timers(t->host, t);
	/* Make every journaled record durable and run its completion now, while
	 * the OMS, the venues and the bus still work (an ORDER_NEW that became
	 * durable sends its order; the venue's answer is journaled in turn).
	 * Left for journal_close, an ORDER_NEW completion would run on the OMS
	 * trading_destroy already freed, and an append from inside journal_close
	 * would restart the journal's worker on a journal about to be freed. */
	for (int round = 0; t->journal && t->oms && round < 8; round++) {
		journal_sync(t->journal);
		if (journal_poll_completions(t->journal) == 0)
			break;
	}
	bus_unsubscribe_owner(t->bus, t);
	if (t->journal_ev) {
		event_free(t->journal_ev);
		t->journal_ev = NULL;
	}
}

void trading_destroy(trading_t *t)
{
	if (!t)
		return;
	trading_stop(t);
	oms_destroy(t->oms);
	goals_free(t->goals);
	free(t->ballots);
	trading_view_destroy(t->view);
	if (t->journal && journal_close(t->journal) != 0)
		log_error("journal closed with an error");
	if (t->feed_open)
		feed_destroy(&t->feed);
	capital_destroy(t->capital);
	free(t);
}

struct oms *trading_oms(trading_t *t)
{
	return t->oms;
}

struct capital *trading_capital(trading_t *t)
{
	return t->capital;
}

size_t trading_decision_counts(const trading_t *t, uint64_t *approved, uint64_t *denied, uint64_t *by_reason,
	size_t cap)
{
	size_t n = sizeof t->denials_by_reason / sizeof t->denials_by_reason[0];
	*approved = t->approved;
	*denied = t->denied;
	for (size_t i = 0; i < n && i < cap; i++)
		by_reason[i] = t->denials_by_reason[i];
	return n;
}
