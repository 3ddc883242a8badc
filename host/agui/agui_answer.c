/*
 * Answers a user's question about the portfolio, before a run's live part.
 * No language model: simple keyword intents on the lower-cased question
 * (substring match; several intents may match and are answered in this
 * order):
 *
 *   intent     keywords
 *   positions  position, holding, exposure, long, short
 *   pnl        pnl, p&l, profit, loss, equity, return, performance,
 *              balance, wallet, cash, money, earn
 *   risk       risk, halt, kill, drawdown, breaker, limit, state, safe
 *   orders     order, fill, pending
 *   agents     agent, farm, who, strateg, bot
 *
 * A question that matches none gets the list of topics plus the total
 * equity. Figures come from the same state document the run sends, so the
 * answer agrees with the STATE_SNAPSHOT next to it; orders come from the
 * order manager (at most 20 listed).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agui/agui_internal.h"
#include "oms/oms.h"
#include "trading/trading.h"

#define ORDERS_LISTED_MAX 20

typedef struct sbuf {
	char *s;
	size_t len, cap;
	int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = 1;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static const char *str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

static long long num(const json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

static int matches(const char *q, const char *const *words)
{
	for (; *words; words++)
		if (strstr(q, *words))
			return 1;
	return 0;
}

static void answer_positions(sbuf *b, const json_t *state)
{
	const json_t *agents = json_object_get(state, "agents");
	const char *name, *quote = str(state, "quote");
	const json_t *a;
	size_t n = 0;
	json_object_foreach((json_t *)agents, name, a) {
		const json_t *ps = json_object_get(a, "positions"), *p;
		size_t i;
		json_array_foreach(ps, i, p) {
			const char *qty = str(p, "qty");
			if (n++ == 0)
				put(b, "Open positions:\n");
			put(b, "- %s: %s %s %s on %s, avg price %s, mark %s, value %s %s, unrealized PnL %s %s\n", name,
				qty[0] == '-' ? "short" : "long", qty[0] == '-' ? qty + 1 : qty, str(p, "symbol"), str(p, "venue"),
				str(p, "avg_price"), str(p, "mark"), str(p, "value"), quote, str(p, "unrealized_pnl"), quote);
		}
	}
	if (n == 0)
		put(b, "There are no open positions.\n");
}

static void wallet_line(sbuf *b, const char *label, const json_t *w, const char *quote)
{
	put(b, "- %s: equity %s %s, realized %s, unrealized %s, fees %s, net PnL %s, max drawdown %lld bps, %lld trades (%lld won)\n",
		label, str(w, "equity"), quote, str(w, "realized_pnl"), str(w, "unrealized_pnl"), str(w, "fees"),
		str(w, "net_pnl"), num(w, "drawdown_bps"), num(w, "trades"), num(w, "wins"));
}

static void answer_pnl(sbuf *b, const json_t *state)
{
	const char *quote = str(state, "quote"), *name;
	put(b, "Profit and loss (%s):\n", quote);
	wallet_line(b, "whole host", json_object_get(state, "total"), quote);
	put(b, "- master wallet: cash %s %s\n", str(json_object_get(state, "master"), "cash"), quote);
	const json_t *f;
	json_object_foreach(json_object_get(state, "farms"), name, f) {
		char label[64];
		snprintf(label, sizeof label, "farm %s", name);
		wallet_line(b, label, json_object_get(f, "wallet"), quote);
	}
	json_object_foreach(json_object_get(state, "agents"), name, f) {
		char label[64];
		snprintf(label, sizeof label, "agent %s", name);
		wallet_line(b, label, json_object_get(f, "wallet"), quote);
	}
}

static void answer_risk(sbuf *b, const json_t *state)
{
	const json_t *risk = json_object_get(state, "risk"), *total = json_object_get(state, "total");
	put(b, "Risk: host trading state %s", str(risk, "host"));
	if (str(risk, "halt")[0])
		put(b, "; the order manager is halted (%s)", str(risk, "halt"));
	put(b, "; %lld open orders; max drawdown of the whole host %lld bps.\n", num(risk, "open_orders"),
		num(total, "drawdown_bps"));
	const json_t *scopes = json_object_get(risk, "scopes"), *s;
	size_t i;
	if (json_array_size(scopes) == 0)
		put(b, "Every farm, agent and instrument is active.\n");
	json_array_foreach(scopes, i, s)
		put(b, "- %s %s is %s\n", str(s, "scope"), str(s, "name"), str(s, "state"));
	const char *name;
	const json_t *a;
	json_object_foreach(json_object_get(state, "agents"), name, a) {
		if (json_is_true(json_object_get(a, "paused")))
			put(b, "- agent %s is paused\n", name);
	}
}

static void answer_orders(sbuf *b, struct agui *a)
{
	oms_t *o = trading_oms(a->fd->trading);
	size_t n = oms_open_orders(o);
	if (n == 0) {
		put(b, "There are no open orders.\n");
		return;
	}
	put(b, "Open orders (%zu):\n", n);
	for (size_t k = 0; k < n && k < ORDERS_LISTED_MAX; k++) {
		oms_order_view v;
		if (oms_open_order_at(o, k, &v) != 0)
			continue;
		char qty[48], px[48], filled[48];
		agui_fixed_text(v.order->qty, v.order->qty_scale, qty, sizeof qty);
		agui_fixed_text(v.filled_qty, v.order->qty_scale, filled, sizeof filled);
		agui_fixed_text(v.order->price, v.order->price_scale, px, sizeof px);
		put(b, "- %s (%s): %s %s %s %s", v.client_order_id, v.agent, trade_side_name(v.order->side), qty,
			v.order->symbol, trade_order_type_name(v.order->type));
		if (v.order->type == TH_ORDER_LIMIT || v.order->type == TH_ORDER_STOP_LIMIT)
			put(b, " @ %s", px);
		put(b, " on %s, %s, filled %s\n", v.venue, trade_order_state_name(v.state), filled);
	}
	if (n > ORDERS_LISTED_MAX)
		put(b, "(and %zu more)\n", n - ORDERS_LISTED_MAX);
}

static void answer_agents(sbuf *b, const json_t *state)
{
	const json_t *agents = json_object_get(state, "agents"), *a;
	const char *name, *quote = str(state, "quote");
	put(b, "Agents (%zu in %zu farms):\n", json_object_size(agents), json_object_size(json_object_get(state, "farms")));
	json_object_foreach((json_t *)agents, name, a) {
		const json_t *w = json_object_get(a, "wallet");
		put(b, "- %s (farm %s): %s%s, equity %s %s, net PnL %s, %lld positions, %lld open orders\n", name,
			str(a, "farm"), str(a, "state"), json_is_true(json_object_get(a, "paused")) ? ", paused" : "",
			str(w, "equity"), quote, str(w, "net_pnl"), num(w, "position_count"), num(w, "open_orders"));
	}
}

char *agui_answer(struct agui *a, const json_t *state, const char *question)
{
	static const char *const w_positions[] = { "position", "holding", "exposure", "long", "short", NULL };
	static const char *const w_pnl[] = { "pnl", "p&l", "profit", "loss", "equity", "return", "performance",
		"balance", "wallet", "cash", "money", "earn", NULL };
	static const char *const w_risk[] = { "risk", "halt", "kill", "drawdown", "breaker", "limit", "state", "safe",
		NULL };
	static const char *const w_orders[] = { "order", "fill", "pending", NULL };
	static const char *const w_agents[] = { "agent", "farm", "who", "strateg", "bot", NULL };
	sbuf b = { 0 };
	char *q = strdup(question);
	if (!q)
		return NULL;
	for (char *c = q; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (!json_is_true(json_object_get(state, "trading"))) {
		put(&b, "Trading is not running on this host (no [market] section), so there are no positions, orders or "
			"PnL to report.");
		free(q);
		return b.oom ? (free(b.s), NULL) : b.s;
	}
	int any = 0;
	if (matches(q, w_positions))
		answer_positions(&b, state), any = 1;
	if (matches(q, w_pnl))
		answer_pnl(&b, state), any = 1;
	if (matches(q, w_risk))
		answer_risk(&b, state), any = 1;
	if (matches(q, w_orders))
		answer_orders(&b, a), any = 1;
	if (matches(q, w_agents))
		answer_agents(&b, state), any = 1;
	if (!any)
		put(&b, "I can report positions, PnL, risk, orders and agents: ask e.g. \"what are my positions?\". "
			"Total equity is %s %s.\n", str(json_object_get(state, "total"), "equity"), str(state, "quote"));
	free(q);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	/* no trailing newline: the message ends with its last line */
	while (b.len > 0 && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	return b.s;
}
