/* Intents in: validation against the instrument, capital reservation,
 * journaling, and sending once durable. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "oms/oms_internal.h"

static void reject_intent(oms_t *o, const th_event *intent, const char *reason)
{
	th_event ev;
	th_event_init(&ev, TH_EV_ORDER);
	ev.h.flags = TH_EVENT_FLAG_OMS;
	th_strlcpy(ev.h.venue, intent->h.venue, sizeof ev.h.venue);
	th_strlcpy(ev.h.symbol, intent->u.intent.order.symbol, sizeof ev.h.symbol);
	th_strlcpy(ev.h.agent, intent->h.agent, sizeof ev.h.agent);
	memset(&ev.u.order, 0, sizeof ev.u.order);
	th_strlcpy(ev.u.order.client_order_id, intent->u.intent.order.client_order_id, sizeof ev.u.order.client_order_id);
	ev.u.order.state = TH_ORDER_REJECTED;
	ev.u.order.side = intent->u.intent.order.side;
	ev.u.order.qty = intent->u.intent.order.qty;
	ev.u.order.intent_id = intent->u.intent.intent_id;
	th_strlcpy(ev.u.order.reason, reason, sizeof ev.u.order.reason);
	o->env.publish(o->env.ctx, &ev);
}

static int fail(oms_t *o, const th_event *intent, int rc, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int fail(oms_t *o, const th_event *intent, int rc, char *err, size_t errlen, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s", msg);
	reject_intent(o, intent, msg);
	return rc;
}

/* Send an order whose ORDER_NEW record is durable. */
void oms_send_order(oms_t *o, oms_order *ord)
{
	int rc = o->env.submit(o->env.ctx, ord->venue, &ord->order);
	ord->sent = 1;
	o->sent++;
	if (rc == TH_OK) {
		if (ord->cancel_wanted)
			o->env.cancel(o->env.ctx, ord->venue, ord->order.client_order_id);
		return;
	}
	oms_rec_order_update u = { 0 };
	th_strlcpy(u.client_order_id, ord->order.client_order_id, sizeof u.client_order_id);
	if (rc == TH_ERR_IO || rc == TH_ERR_RETRY || rc == TH_AGAIN) {
		/* The request may or may not have reached the venue: ask, never resend. */
		u.state = TH_ORDER_UNKNOWN;
		snprintf(u.reason, sizeof u.reason, "submit outcome unknown (status %d); querying", rc);
	} else {
		u.state = TH_ORDER_REJECTED;
		snprintf(u.reason, sizeof u.reason, "venue refused the request (status %d)", rc);
	}
	oms_apply_update(o, ord, &u);
	if (oms_journaling(o))
		oms_journal(o, OMS_REC_ORDER_UPDATE, oms_enc_order_update(o->buf, sizeof o->buf, &u), NULL, NULL);
	if (u.state == TH_ORDER_UNKNOWN) {
		ord->querying = 1;
		ord->query_ns = o->env.now_ns(o->env.ctx);
		o->unresolved++;
		o->env.query(o->env.ctx, ord->venue, ord->order.client_order_id);
	}
}

/* ORDER_NEW completions arrive in LSN order, which is the order the orders
 * were journaled: the front of the pending FIFO is the order made durable. */
void oms_on_order_durable(void *arg, uint64_t lsn, int status)
{
	(void)lsn;
	oms_t *o = arg;
	if (o->pending_head == o->pending_len)
		return; /* cannot happen: one completion per queued order */
	oms_order *ord = oms_order_ref(o, o->pending[o->pending_head++]);
	if (o->pending_head == o->pending_len)
		o->pending_head = o->pending_len = 0;
	ord->durable = status == 0;
	if (status != 0) {
		oms_halt_journal(o);
		/* Never sent: a restart finds the record (or not) and asks the venue. */
		ord->state = TH_ORDER_REJECTED;
		oms_copy_padded(ord->reason, "not sent: journal failure", sizeof ord->reason);
		oms_finish(o, ord);
		oms_publish_order(o, ord);
		return;
	}
	oms_send_order(o, ord);
}

static int check_multiple(int64_t v, int64_t step)
{
	return step > 0 && v % step == 0;
}

/* Validation against the venue's instrument: reasons name the rule. On
 * success *reserve_px is the price to reserve at and *reserve_notional the
 * order's notional at that price (>= 0: price and qty are positive), or -1
 * when the check used another price (a stop-limit's buffered stop above its
 * limit). */
static int validate(oms_t *o, const th_instrument *ins, th_order *ord, th_price *reserve_px, th_money *reserve_notional,
	char *why, size_t cap)
{
	if (ord->side != TH_SIDE_BUY && ord->side != TH_SIDE_SELL)
		return snprintf(why, cap, "side %u is neither buy nor sell", ord->side), -1;
	if (ord->type < TH_ORDER_MARKET || ord->type > TH_ORDER_STOP_LIMIT)
		return snprintf(why, cap, "order type %u unknown", ord->type), -1;
	if (ord->tif == 0)
		ord->tif = TH_TIF_GTC;
	if (ord->tif > TH_TIF_FOK)
		return snprintf(why, cap, "time in force %u unknown", ord->tif), -1;
	if (ord->price_scale != ins->price_scale || ord->qty_scale != ins->qty_scale)
		return snprintf(why, cap, "scales %d/%d differ from the instrument's %d/%d", ord->price_scale,
			       ord->qty_scale, ins->price_scale, ins->qty_scale), -1;
	if (ord->qty <= 0 || !check_multiple(ord->qty, ins->lot))
		return snprintf(why, cap, "quantity is not a positive multiple of the lot size"), -1;
	if (ord->qty < ins->min_qty)
		return snprintf(why, cap, "quantity below the minimum"), -1;
	int limit = ord->type == TH_ORDER_LIMIT || ord->type == TH_ORDER_STOP_LIMIT;
	int stop = ord->type == TH_ORDER_STOP || ord->type == TH_ORDER_STOP_LIMIT;
	if (limit && (ord->price <= 0 || !check_multiple(ord->price, ins->tick)))
		return snprintf(why, cap, "limit price is not a positive multiple of the tick size"), -1;
	if (stop && (ord->stop_price <= 0 || !check_multiple(ord->stop_price, ins->tick)))
		return snprintf(why, cap, "stop price is not a positive multiple of the tick size"), -1;
	th_price px = limit ? ord->price : 0;
	if (!limit || stop) {
		int32_t scale = 0;
		th_price last = o->env.last_price(o->env.ctx, ins->venue, ins->symbol, &scale);
		if (last <= 0 || scale != ins->price_scale)
			return snprintf(why, cap, "no market price yet to reserve funds for a market or stop order"), -1;
		th_price buffered;
		if (th_fixed_muldiv(last, 10000 + o->opt.market_reserve_bps, 10000, &buffered) != 0)
			return snprintf(why, cap, "price overflow"), -1;
		if (stop && ord->stop_price > buffered)
			buffered = ord->stop_price;
		if (buffered > px)
			px = buffered;
	}
	th_money notional;
	const th_price checked_px = limit ? ord->price : px;
	if (th_notional(checked_px, ins->price_scale, ord->qty, ins->qty_scale, &notional) != 0)
		return snprintf(why, cap, "notional overflows"), -1;
	if (notional < ins->min_notional)
		return snprintf(why, cap, "notional below the venue's minimum"), -1;
	*reserve_px = px;
	*reserve_notional = checked_px == px ? notional : -1;
	return 0;
}


/* snprintf(buf, cap, "%s%012" PRIu64, prefix, counter) without snprintf:
 * every order of a backtest makes one, and the formatting cost more than
 * the rest of building the record. Same text, same truncation. */
static void format_clid(char *buf, size_t cap, const char *prefix, size_t prefix_len, uint64_t counter)
{
	/* The usual case (12 digits, room for all): two digits per step straight
	 * into place, the prefix in one copy. */
	if (counter < 1000000000000ULL && prefix_len + 12 < cap) {
		static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
					    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
					    "8081828384858687888990919293949596979899";
		memcpy(buf, prefix, prefix_len);
		char *d = buf + prefix_len + 12;
		*d = '\0';
		for (int i = 0; i < 6; i++) {
			unsigned v = (unsigned)(counter % 100);
			counter /= 100;
			d -= 2;
			memcpy(d, &pairs[2 * v], 2);
		}
		return;
	}
	char digits[24];
	size_t nd = 0;
	do {
		digits[nd++] = (char)('0' + counter % 10);
		counter /= 10;
	} while (counter);
	while (nd < 12)
		digits[nd++] = '0';
	size_t n = 0;
	for (; *prefix && n + 1 < cap; prefix++)
		buf[n++] = *prefix;
	while (nd && n + 1 < cap)
		buf[n++] = digits[--nd];
	if (cap)
		buf[n] = '\0';
}

static int place(oms_t *o, const th_event *intent, th_qty max_qty, char *err, size_t errlen)
{
	const char *venue = intent->h.venue, *agent = intent->h.agent;
	th_order order = intent->u.intent.order;
	char why[160];
	if (!venue[0])
		return fail(o, intent, TH_ERR_INVALID, err, errlen, "intent names no venue");
	const th_instrument *ins = o->env.instrument(o->env.ctx, venue, order.symbol); /* also the reservation's */
	if (!ins)
		return fail(o, intent, TH_ERR_NOT_FOUND, err, errlen, "unknown instrument %s on venue %s", order.symbol,
			venue);
	if (max_qty > 0 && order.qty > max_qty)
		order.qty = max_qty - max_qty % (ins->lot > 0 ? ins->lot : 1);
	th_price reserve_px;
	th_money reserve_notional;
	if (validate(o, ins, &order, &reserve_px, &reserve_notional, why, sizeof why) != 0)
		return fail(o, intent, TH_ERR_INVALID, err, errlen, "%s", why);

	oms_rec_order_new r = { 0 };
	r.counter = o->next_counter;
	r.intent_id = intent->u.intent.intent_id;
	th_strlcpy(r.agent, agent, sizeof r.agent);
	th_strlcpy(r.farm, intent->u.intent.farm, sizeof r.farm);
	th_strlcpy(r.venue, venue, sizeof r.venue);
	r.order = order;
	format_clid(r.order.client_order_id, sizeof r.order.client_order_id, o->opt.clid_prefix, o->prefix_len,
		r.counter);
	r.reserve_price = reserve_px;
	/* The notional at the reservation price is what validate() computed for
	 * every order but a stop-limit whose stop is above its limit: its 128-bit
	 * division is not done twice (the same pure function of the same values). */
	th_money notional = reserve_notional;
	if (notional < 0) {
		notional = 0;
		th_notional(reserve_px, ins->price_scale, order.qty, ins->qty_scale, &notional);
	}
	th_fixed_muldiv(notional, o->opt.fee_reserve_bps, 10000, &r.fee_budget);
	char cerr[256];
	oms_order *ord;
	if (oms_apply_order_new_own(o, &r, ins, &ord, cerr, sizeof cerr) != 0)
		return fail(o, intent, TH_ERR_LIMIT, err, errlen, "%s", cerr);
	size_t idx = o->norders - 1;
	oms_publish_order(o, ord);
	if (!o->journal) {
		ord->durable = 1;
		oms_send_order(o, ord);
		return TH_OK;
	}
	size_t len = oms_enc_order_new(o->buf, sizeof o->buf, &r);
	if (oms_pending_push(o, idx) != 0 ||
		oms_journal(o, OMS_REC_ORDER_NEW, len, oms_on_order_durable, o) != 0) {
		if (o->pending_len && o->pending[o->pending_len - 1] == idx)
			o->pending_len--;
		ord->state = TH_ORDER_REJECTED;
		oms_copy_padded(ord->reason, "not sent: journal failure", sizeof ord->reason);
		oms_finish(o, ord);
		oms_publish_order(o, ord);
		snprintf(err, errlen, "%s", oms_halt_text(o));
		return TH_ERR_IO;
	}
	return TH_OK;
}

static int cancel_one(oms_t *o, oms_order *ord)
{
	if (oms_is_terminal(ord->state))
		return TH_ERR_STATE;
	if (!ord->sent) {
		ord->cancel_wanted = 1; /* sent as soon as the order itself is */
		return TH_OK;
	}
	return o->env.cancel(o->env.ctx, ord->venue, ord->order.client_order_id);
}

size_t oms_cancel_all(oms_t *o, const char *agent)
{
	size_t n = 0, open = oms_open_orders(o);
	for (size_t k = 0; k < open; k++) {
		oms_order *ord = oms_order_ref(o, o->open[k]);
		if ((!agent || strcmp(ord->agent, agent) == 0) && cancel_one(o, ord) == TH_OK)
			n++;
	}
	return n;
}

int oms_submit(oms_t *o, const th_event *intent, th_qty max_qty, char *err, size_t errlen)
{
	if (!intent || intent->h.type != TH_EV_INTENT)
		return TH_ERR_INVALID;
	const th_intent *in = &intent->u.intent;
	/* Cancels are never blocked, not even while halted. */
	if (in->action == TH_INTENT_CANCEL) {
		oms_order *ord = oms_find(o, in->order.client_order_id);
		if (!ord || strcmp(ord->agent, intent->h.agent) != 0)
			return fail(o, intent, TH_ERR_NOT_FOUND, err, errlen, "no order %s of agent %s",
				in->order.client_order_id, intent->h.agent);
		int rc = cancel_one(o, ord);
		if (rc != TH_OK)
			snprintf(err, errlen, "order %s is already %s", ord->order.client_order_id,
				oms_is_terminal(ord->state) ? "closed" : "being canceled");
		return rc;
	}
	if (in->action == TH_INTENT_CANCEL_ALL) {
		size_t open = oms_open_orders(o);
		for (size_t k = 0; k < open; k++) {
			oms_order *ord = oms_order_ref(o, o->open[k]);
			if (strcmp(ord->agent, intent->h.agent) == 0 &&
				(!in->order.symbol[0] || strcmp(ord->order.symbol, in->order.symbol) == 0))
				cancel_one(o, ord);
		}
		return TH_OK;
	}
	if (in->action != TH_INTENT_PLACE)
		return fail(o, intent, TH_ERR_INVALID, err, errlen, "unknown intent action %u", in->action);
	if (oms_halted(o) != OMS_RUNNING)
		return fail(o, intent, TH_ERR_STATE, err, errlen, "%s", oms_halt_text(o));
	return place(o, intent, max_qty, err, errlen);
}
