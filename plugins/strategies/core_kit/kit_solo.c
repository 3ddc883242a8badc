/* core_kit — single-symbol bar strategy body (see kit_solo.h). */
#include "kit_solo.h"

#include <stdio.h>
#include <string.h>

#include "kit_blob.h"
#include "kit_cfg.h"
#include "kit_msg.h"

int kit_solo_config(kit_solo *s, const th_host_api *api, th_ctx *ctx, const char *plugin)
{
	memset(s, 0, sizeof *s);
	th_strlcpy(s->plugin, plugin, sizeof s->plugin);
	if (kit_cfg_string(api, ctx, plugin, "symbol", s->symbol, sizeof s->symbol) != TH_OK ||
		kit_cfg_string(api, ctx, plugin, "venue", s->venue, sizeof s->venue) != TH_OK ||
		kit_cfg_decimal(api, ctx, plugin, "qty", &s->qty_cfg) != TH_OK ||
		kit_inst_config(&s->inst, api, ctx, plugin) != TH_OK)
		return TH_ERR_INVALID;
	if (s->qty_cfg <= 0) {
		api->set_error(ctx, "%s: key 'qty': must be greater than 0", plugin);
		return TH_ERR_INVALID;
	}
	if (s->qty_cfg % s->inst.lot_cfg != 0) {
		api->set_error(ctx, "%s: key 'qty': not a multiple of 'lot'", plugin);
		return TH_ERR_INVALID;
	}
	kit_hist_init(&s->hist);
	kit_book_init(&s->book);
	return TH_OK;
}

int kit_solo_subscribe(const kit_solo *s, const th_host_api *api, th_ctx *ctx, th_event_fn on_bar,
	th_event_fn on_own, void *arg)
{
	return kit_subscribe(api, ctx, s->venue, s->symbol, on_bar, arg, on_own, arg);
}

static void halt(kit_solo *s, const th_host_api *api, th_ctx *ctx, const char *why)
{
	s->halted = 1;
	th_strlcpy(s->halt_reason, why, sizeof s->halt_reason);
	api->logf(ctx, TH_LOG_ERROR, "%s: not trading %s: %s", s->plugin, s->symbol, why);
	kit_say(api, ctx, s->symbol, "explanation", "%s: not trading: %s", s->symbol, why);
}

static int learn(kit_solo *s, const th_host_api *api, th_ctx *ctx, int32_t price_scale, int32_t qty_scale,
	char *why, size_t cap)
{
	int was = s->inst.known;
	if (kit_inst_learn(&s->inst, api, ctx, s->venue, s->symbol, price_scale, qty_scale, why, cap) != 0)
		return -1;
	if (!was && kit_inst_qty(&s->inst, s->qty_cfg, &s->qty) != 0) {
		snprintf(why, cap, "qty does not fit the instrument (more digits than its %d-digit quantity scale, or "
			"below one lot / the minimum quantity)", qty_scale);
		s->inst.known = 0;
		return -1;
	}
	return 0;
}

int kit_solo_bar(kit_solo *s, const th_host_api *api, th_ctx *ctx, const th_event *ev)
{
	const th_bar *b = &ev->u.bar;
	char why[160];
	if (ev->h.type != TH_EV_BAR || strcmp(ev->h.symbol, s->symbol) != 0 || s->halted)
		return 0;
	if (learn(s, api, ctx, b->price_scale, b->qty_scale, why, sizeof why) != 0) {
		halt(s, api, ctx, why);
		return 0;
	}
	if (!s->seeded) {
		s->seeded = 1;
		kit_pos held;
		if (kit_pos_from_host(api, ctx, s->venue, s->symbol, b->price_scale, b->qty_scale, &held) && held.qty != 0 &&
			s->pos.qty == 0) {
			char q[40];
			s->pos = held;
			s->extreme = held.avg;
			kit_fmt_short(q, sizeof q, held.qty, b->qty_scale);
			kit_say(api, ctx, s->symbol, "explanation", "%s: position %s taken over from the host's ledger",
				s->symbol, q);
		}
	}
	kit_book_sweep(&s->book, api, ctx, s->symbol, b->interval_ns);
	kit_hist_push(&s->hist, b);
	if ((s->pos.qty > 0 && b->close > s->extreme) || (s->pos.qty < 0 && b->close < s->extreme))
		s->extreme = b->close;
	return 1;
}

int kit_solo_busy(const kit_solo *s)
{
	return kit_book_live(&s->book, s->symbol) > 0;
}

int kit_solo_market(kit_solo *s, const th_host_api *api, th_ctx *ctx, uint32_t side, th_qty qty, const char *text)
{
	char q[40];
	uint64_t id = 0;
	if (!s->inst.known || qty <= 0)
		return TH_ERR_STATE;
	int rc = kit_place_ioc(&s->book, api, ctx, s->venue, s->symbol, side, TH_ORDER_MARKET, 0, qty,
		s->inst.price_scale, s->inst.qty_scale, 0, &id);
	if (rc != TH_OK) {
		api->logf(ctx, TH_LOG_WARN, "%s: intent for %s not published (status %d)", s->plugin, s->symbol, rc);
		return rc;
	}
	kit_fmt_short(q, sizeof q, qty, s->inst.qty_scale);
	kit_say(api, ctx, s->symbol, "decision", "%s -> %s %s at market (intent %llu)", text,
		side == TH_SIDE_BUY ? "buy" : "sell", q, (unsigned long long)id);
	return TH_OK;
}

void kit_solo_on_own(kit_solo *s, const th_host_api *api, th_ctx *ctx, const th_event *ev)
{
	kit_update up;
	int k = kit_book_on_event(&s->book, api, ctx, ev, &up);
	if (strcmp(up.symbol, s->symbol) != 0)
		return;
	if (k == KIT_UP_FILL) {
		if (!s->inst.known || up.price_scale != s->inst.price_scale || up.qty_scale != s->inst.qty_scale) {
			api->logf(ctx, TH_LOG_WARN, "%s: fill of %s at scales %d/%d ignored", s->plugin, s->symbol,
				up.price_scale, up.qty_scale);
			return;
		}
		th_qty before = kit_pos_apply(&s->pos, up.side, up.price, up.qty);
		if (s->pos.qty == 0)
			s->extreme = 0;
		else if (before == 0 || (before > 0) != (s->pos.qty > 0))
			s->extreme = up.price; /* a new position: trailing starts at its entry */
	} else if (k == KIT_UP_CLOSED && up.state == TH_ORDER_REJECTED) {
		kit_say(api, ctx, s->symbol, "explanation", "%s: order rejected: %s", s->symbol, up.reason);
	}
}

int kit_solo_adopt(kit_solo *s, const kit_solo *old, const th_host_api *api, th_ctx *ctx)
{
	char why[160];
	if (strcmp(old->symbol, s->symbol) != 0) {
		api->set_error(ctx, "%s: import: the state is for %s, the configuration trades %s", s->plugin, old->symbol,
			s->symbol);
		return TH_ERR_INVALID;
	}
	kit_solo n = *s; /* this configuration */
	n.hist = old->hist;
	n.book = old->book;
	n.pos = old->pos;
	n.extreme = old->extreme;
	n.seeded = 1;
	if (old->inst.known && learn(&n, api, ctx, old->inst.price_scale, old->inst.qty_scale, why, sizeof why) != 0) {
		api->set_error(ctx, "%s: import: %s", s->plugin, why);
		return TH_ERR_INVALID;
	}
	*s = n;
	return TH_OK;
}

int kit_solo_status(const kit_solo *s, char *buf, size_t cap)
{
	char pos[40] = "0";
	if (s->inst.known)
		kit_fmt_short(pos, sizeof pos, s->pos.qty, s->inst.qty_scale);
	return snprintf(buf, cap, "position %s, %zu working order(s)", pos, kit_book_live(&s->book, s->symbol));
}

static kit_solo *solo_of(void *arg)
{
	const kit_solo_agent *a = arg;
	return (kit_solo *)((unsigned char *)arg + a->rule->solo_off);
}

int kit_solo_create(const kit_solo_rule *rule, const th_host_api *api, th_ctx *ctx, void **out)
{
	kit_solo_agent *a = api->alloc(ctx, rule->size);
	if (!a)
		return TH_ERR_NOMEM;
	memset(a, 0, rule->size);
	a->rule = rule;
	a->api = api;
	a->ctx = ctx;
	int rc = rule->configure(a, api, ctx);
	if (rc == TH_OK) {
		th_ta_error err;
		int ta = rule->init_ind(a, &err);
		if (ta != TH_TA_OK) {
			api->set_error(ctx, "%s: indicators: %s", ((kit_solo *)((unsigned char *)a + rule->solo_off))->plugin,
				ta == TH_TA_EPARAM ? err.msg : "out of memory");
			rc = ta == TH_TA_EPARAM ? TH_ERR_INVALID : TH_ERR_NOMEM;
		}
	}
	if (rc != TH_OK) {
		api->free(ctx, a);
		return rc;
	}
	*out = a;
	return TH_OK;
}

void kit_solo_destroy(void *arg)
{
	kit_solo_agent *a = arg;
	a->rule->fini(arg);
	a->api->free(a->ctx, arg);
}

static void agent_on_bar(void *arg, const th_event *ev)
{
	const kit_solo_agent *a = arg;
	kit_solo *s = solo_of(arg);
	if (!kit_solo_bar(s, a->api, a->ctx, ev))
		return;
	a->rule->feed(arg, &ev->u.bar);
	if (kit_solo_busy(s))
		return; /* one working order at a time: wait for its outcome */
	char text[TH_AGENT_TEXT_MAX - 64];
	uint32_t side = 0;
	int exit = 0;
	if (!a->rule->evaluate(arg, &side, &exit, text, sizeof text))
		return;
	th_qty qty = exit ? (s->pos.qty > 0 ? s->pos.qty : -s->pos.qty) : s->qty;
	kit_solo_market(s, a->api, a->ctx, side, qty, text);
}

static void agent_on_own(void *arg, const th_event *ev)
{
	const kit_solo_agent *a = arg;
	kit_solo_on_own(solo_of(arg), a->api, a->ctx, ev);
}

int kit_solo_start(void *arg)
{
	const kit_solo_agent *a = arg;
	return kit_solo_subscribe(solo_of(arg), a->api, a->ctx, agent_on_bar, agent_on_own, arg);
}

int kit_solo_export_state(void *arg, void **data, size_t *len)
{
	const kit_solo_agent *a = arg;
	return kit_blob_export(a->api, a->ctx, a->rule->magic, a->rule->version, solo_of(arg), sizeof(kit_solo), data,
		len);
}

int kit_solo_import_state(void *arg, const void *data, size_t len)
{
	const kit_solo_agent *a = arg;
	kit_solo *s = solo_of(arg);
	char why[160];
	const kit_solo *old = kit_blob_payload(data, len, a->rule->magic, a->rule->version, sizeof *old, why, sizeof why);
	if (!old) {
		a->api->set_error(a->ctx, "%s: import: %s", s->plugin, why);
		return TH_ERR_INVALID;
	}
	int rc = kit_solo_adopt(s, old, a->api, a->ctx);
	if (rc != TH_OK)
		return rc;
	if (a->rule->replay(arg) != 0) {
		a->api->set_error(a->ctx, "%s: import: cannot rebuild the indicators", s->plugin);
		return TH_ERR_NOMEM;
	}
	return TH_OK;
}

int kit_solo_explain(void *arg, char *buf, size_t cap)
{
	const kit_solo_agent *a = arg;
	const kit_solo *s = solo_of(arg);
	uint32_t side;
	int exit;
	if (s->halted) {
		snprintf(buf, cap, "%s: not trading: %s", s->symbol, s->halt_reason);
		return TH_OK;
	}
	a->rule->evaluate(arg, &side, &exit, buf, cap);
	size_t n = strnlen(buf, cap);
	if (n + 2 < cap) {
		memcpy(buf + n, "; ", 3);
		kit_solo_status(s, buf + n + 2, cap - n - 2);
	}
	return TH_OK;
}
