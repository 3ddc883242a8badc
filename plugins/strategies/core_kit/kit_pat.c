/* core_kit — chart-pattern agent body (see kit_pat.h). */
#include "kit_pat.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit_bar.h"
#include "kit_blob.h"
#include "kit_cfg.h"
#include "kit_msg.h"

int kit_pat_config(kit_pat *a, const kit_pat_plugin *plug, const th_host_api *api, th_ctx *ctx)
{
	const char *plugin = plug->name;
	memset(a, 0, sizeof *a);
	a->plug = plug;
	a->api = api;
	a->ctx = ctx;
	a->plugin = plugin;
	a->book.price_scale = a->book.qty_scale = -1;
	kit_book_init(&a->book.orders);
	if (kit_cfg_string(api, ctx, plugin, "symbol", a->symbol, sizeof a->symbol) != TH_OK ||
		kit_cfg_string(api, ctx, plugin, "venue", a->venue, sizeof a->venue) != TH_OK ||
		kit_cfg_decimal(api, ctx, plugin, "qty", &a->qty_cfg) != TH_OK ||
		kit_inst_config_steps(&a->book.inst, api, ctx, plugin) != TH_OK ||
		kit_cfg_int(api, ctx, plugin, "max_slippage_bps", 0, 1000, &a->slippage_bps) != TH_OK)
		return TH_ERR_INVALID;
	if (a->qty_cfg <= 0) {
		api->set_error(ctx, "%s: key 'qty': must be greater than 0", plugin);
		return TH_ERR_INVALID;
	}
	if (a->book.inst.lot_cfg > 0 && a->qty_cfg < a->book.inst.lot_cfg) {
		api->set_error(ctx, "%s: key 'qty' is smaller than one lot: every order would round to zero", plugin);
		return TH_ERR_INVALID;
	}
	return TH_OK;
}

int kit_pat_subscribe(kit_pat *a, th_event_fn on_bar, void *arg)
{
	return kit_subscribe(a->api, a->ctx, a->venue, a->symbol, on_bar, arg, kit_pat_on_own, a);
}

int kit_pat_busy(const kit_pat *a)
{
	return kit_book_live(&a->book.orders, a->symbol) > 0;
}

th_qty kit_pat_position(const kit_pat *a)
{
	return a->book.pos.qty;
}

static int say_on_venue(kit_pat *a, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int say_on_venue(kit_pat *a, const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = kit_sayv(a->api, a->ctx, a->venue, a->symbol, kind, fmt, ap);
	va_end(ap);
	return rc;
}

void kit_pat_say(kit_pat *a, const char *kind, const char *fmt, ...)
{
	char text[TH_AGENT_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (say_on_venue(a, kind, "%s: %s", a->symbol, text) != TH_OK)
		a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: decision message not published: %s", a->plugin, a->symbol, text);
}

/* Publish an IOC order intent; on success it is the working order. */
static int send_order(kit_pat *a, int side, int type, th_price price, th_qty qty, uint64_t *id)
{
	return kit_place_ioc(&a->book.orders, a->api, a->ctx, a->venue, a->symbol, (uint32_t)side, (uint32_t)type, price,
		qty, a->book.price_scale, a->book.qty_scale, 0, id);
}

/* close * (1 +- bps/10^4), rounded away from the market to the tick. */
static int entry_limit(const kit_pat *a, th_price close, int side, th_price *out)
{
	__extension__ typedef __int128 i128;
	int64_t f = side == TH_SIDE_BUY ? 10000 + a->slippage_bps : 10000 - a->slippage_bps;
	i128 p = (i128)close * f;
	i128 q = p / 10000;
	if (side == TH_SIDE_BUY && p % 10000 != 0)
		q++; /* a buyer's cap rounds up, a seller's floor down: never tighter than asked */
	if (q <= 0 || q > INT64_MAX / 2)
		return -1;
	*out = kit_price_round(&a->book.inst, (th_price)q, side == TH_SIDE_BUY ? 1 : -1);
	return 0;
}

int kit_pat_enter(kit_pat *a, const th_bar *b, int side, const char *why)
{
	th_qty qty;
	th_price limit;
	uint64_t id = 0;
	char qbuf[32], pbuf[32];
	if (kit_pat_busy(a) || a->book.pos.qty != 0 || !a->book.inst.known)
		return TH_ERR_STATE;
	if (kit_inst_qty_down(&a->book.inst, a->qty_cfg, &qty) != 0) {
		kit_pat_say(a, "decision", "%s -> no order: qty rounds below one lot / the minimum at quantity scale %d", why,
			a->book.qty_scale);
		return TH_ERR_INVALID;
	}
	if (entry_limit(a, b->close, side, &limit) != 0) {
		kit_pat_say(a, "decision", "%s -> no order: limit price out of range", why);
		return TH_ERR_INVALID;
	}
	int rc = send_order(a, side, TH_ORDER_LIMIT, limit, qty, &id);
	if (rc != TH_OK) {
		kit_pat_say(a, "decision", "%s -> %s not sent (bus refused: %d)", why, side == TH_SIDE_BUY ? "buy" : "sell",
			rc);
		return rc;
	}
	kit_pat_say(a, "decision", "%s -> %s %s limit %s IOC (intent %llu)", why,
		side == TH_SIDE_BUY ? "buy" : "sell short", kit_fmt(qbuf, sizeof qbuf, qty, a->book.qty_scale),
		kit_fmt(pbuf, sizeof pbuf, limit, a->book.price_scale), (unsigned long long)id);
	return TH_OK;
}

int kit_pat_exit(kit_pat *a, const char *why)
{
	char qbuf[32];
	uint64_t id = 0;
	th_qty pos = a->book.pos.qty;
	if (kit_pat_busy(a) || pos == 0)
		return TH_ERR_STATE;
	int side = pos > 0 ? TH_SIDE_SELL : TH_SIDE_BUY;
	th_qty qty = pos > 0 ? pos : -pos;
	a->book.exiting = 1; /* until flat, even if this order is refused or fills only in part */
	int rc = send_order(a, side, TH_ORDER_MARKET, 0, qty, &id);
	if (rc != TH_OK) {
		kit_pat_say(a, "decision", "%s -> exit not sent (bus refused: %d)", why, rc);
		return rc;
	}
	kit_pat_say(a, "decision", "%s -> %s %s at market IOC (intent %llu)", why,
		side == TH_SIDE_SELL ? "sell to flat" : "buy to cover", kit_fmt(qbuf, sizeof qbuf, qty, a->book.qty_scale),
		(unsigned long long)id);
	return TH_OK;
}

int kit_pat_bar(kit_pat *a, const th_bar *b)
{
	const char *why = kit_bar_problem(b, a->book.price_scale, a->book.qty_scale);
	if (why) {
		/* Log the first few only: a broken feed must not flood the log. */
		if (a->book.bad_bars++ < 5)
			a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: bar at %lld ignored: %s", a->plugin, a->symbol,
				(long long)b->open_time_ns, why);
		return 0;
	}
	if (!a->book.inst.known)
		kit_inst_learn_steps(&a->book.inst, a->api, a->ctx, a->venue, a->symbol, b->price_scale, b->qty_scale);
	a->book.price_scale = b->price_scale;
	a->book.qty_scale = b->qty_scale;
	a->book.bars++;
	kit_book_sweep(&a->book.orders, a->api, a->ctx, a->symbol, b->interval_ns);
	/* An exit that left part of the position is sent again for the rest; the
	 * order makes kit_pat_busy() true, which keeps the rules from acting. */
	if (a->book.exiting) {
		if (a->book.pos.qty == 0)
			a->book.exiting = 0;
		else if (!kit_pat_busy(a))
			kit_pat_exit(a, "finishing the exit decided earlier (position not flat yet)");
	}
	return 1;
}

void kit_pat_on_own(void *arg, const th_event *ev)
{
	kit_pat *a = arg;
	kit_update up;
	int k = kit_book_on_event(&a->book.orders, a->api, a->ctx, ev, &up);
	/* A venue that leaves h.symbol empty still moves our position. */
	if (up.symbol[0] && strcmp(up.symbol, a->symbol) != 0)
		return;
	if (k == KIT_UP_FILL) {
		th_qty q = up.qty;
		if (a->book.qty_scale < 0)
			a->book.qty_scale = up.qty_scale;
		else if (up.qty_scale != a->book.qty_scale &&
			th_fixed_rescale(up.qty, up.qty_scale, a->book.qty_scale, &q) != 0)
			return;
		kit_pos_apply(&a->book.pos, up.side, up.price, q);
		if (a->book.pos.qty == 0)
			a->book.exiting = 0;
	} else if (k == KIT_UP_CLOSED && up.known && ev->h.type == TH_EV_RISK) {
		a->api->logf(a->ctx, TH_LOG_INFO, "%s %s: intent %llu %s", a->plugin, a->symbol,
			(unsigned long long)up.order.intent_id, up.reason);
	} else if (k == KIT_UP_CLOSED && up.known && up.state == TH_ORDER_REJECTED) {
		a->api->logf(a->ctx, TH_LOG_WARN, "%s %s: order rejected: %s", a->plugin, a->symbol, up.reason);
	}
}

int kit_pat_create(const kit_pat_plugin *plug, const th_host_api *api, th_ctx *ctx, void **out)
{
	kit_pat *a = calloc(1, plug->size);
	if (!a)
		return TH_ERR_NOMEM;
	int rc = kit_pat_config(a, plug, api, ctx);
	if (rc == TH_OK)
		rc = plug->configure(a, api, ctx);
	if (rc != TH_OK) {
		free(a);
		return rc;
	}
	*out = a;
	return TH_OK;
}

void kit_pat_destroy(void *arg)
{
	const kit_pat *a = arg;
	if (a->plug->fini)
		a->plug->fini(arg);
	free(arg);
}

int kit_pat_start(void *arg)
{
	kit_pat *a = arg;
	return kit_pat_subscribe(a, a->plug->on_bar, arg);
}

int kit_pat_export_state(void *arg, void **data, size_t *len)
{
	const kit_pat *a = arg;
	const unsigned char *agent = arg;
	const kit_blob_part parts[3] = { { &a->book, sizeof a->book },
		{ agent + a->plug->params_off, a->plug->params_len }, { agent + a->plug->state_off, a->plug->state_len } };
	return kit_blob_export_parts(a->api, a->ctx, a->plug->magic, a->plug->version, parts, 3, data, len);
}

int kit_pat_import_state(void *arg, const void *data, size_t len)
{
	kit_pat *a = arg;
	unsigned char *agent = arg;
	const kit_pat_plugin *pl = a->plug;
	char why[160];
	const unsigned char *p = kit_blob_payload(data, len, pl->magic, pl->version,
		sizeof a->book + pl->params_len + pl->state_len, why, sizeof why);
	if (!p) {
		a->api->set_error(a->ctx, "%s: hot-reload state has another format: %s", a->plugin, why);
		return TH_ERR_INVALID;
	}
	kit_pat_book old;
	memcpy(&old, p, sizeof old);
	/* tick and lot are this configuration's: learnt again at the saved scales */
	kit_inst steps = a->book.inst;
	if (old.inst.known)
		kit_inst_learn_steps(&steps, a->api, a->ctx, a->venue, a->symbol, old.inst.price_scale, old.inst.qty_scale);
	old.inst = steps;
	a->book = old;
	const unsigned char *saved = p + sizeof old + pl->params_len;
	int same = memcmp(p + sizeof old, agent + pl->params_off, pl->params_len) == 0;
	if (same)
		memcpy(agent + pl->state_off, saved, pl->state_len);
	if (pl->reloaded)
		pl->reloaded(arg, same, saved);
	return TH_OK;
}
