#include "dd_exposure.h"

#include <string.h>

__extension__ typedef __int128 dd_i128;

/* Quantities of different scales compared exactly at scale 18 (int64 x 10^18 fits 128 bits). */
static int at18(th_qty q, int32_t scale, dd_i128 *out)
{
	if (scale < 0 || scale > TH_SCALE_MAX)
		return -1;
	*out = (dd_i128)q * th_pow10(TH_SCALE_MAX - scale);
	return 0;
}

int dd_intent_grows(dd_model *m, const th_event *ev)
{
	const th_host_api *api = m->api;
	const th_order *o = &ev->u.intent.order;
	const char *agent = ev->h.agent;
	int sign = o->side == TH_SIDE_BUY ? 1 : o->side == TH_SIDE_SELL ? -1 : 0;
	dd_i128 pos = 0, want, pending = 0;
	if (sign == 0 || o->qty <= 0 || at18(o->qty, o->qty_scale, &want) != 0)
		return 1;

	size_t n = api->positions(m->ctx, agent, m->pos_buf, m->cfg.scan_max);
	if (n > m->cfg.scan_max)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const th_position *p = &m->pos_buf[i];
		if (strcmp(p->symbol, o->symbol) == 0 && strcmp(p->venue, ev->h.venue) == 0) {
			if (at18(p->qty, p->qty_scale, &pos) != 0)
				return 1;
			break;
		}
	}
	/* Reducing means the opposite side of a non-flat position. */
	if (pos == 0 || (pos > 0) == (sign > 0))
		return 1;

	n = api->open_orders(m->ctx, agent, m->ord_buf, NULL, NULL, m->cfg.scan_max);
	if (n > m->cfg.scan_max)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const th_order *q = &m->ord_buf[i];
		dd_i128 v;
		/* Open orders carry no venue: same symbol counts (the conservative side). */
		if (q->side != o->side || strcmp(q->symbol, o->symbol) != 0)
			continue;
		if (at18(q->qty, q->qty_scale, &v) != 0)
			return 1;
		pending += v;
	}
	dd_i128 held = pos < 0 ? -pos : pos;
	return want + pending > held;
}
