/* Market and portfolio reads: instruments, positions, balances, and the
 * rings of fills, bars, alerts and agent decisions (api_stream.c fills them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost/th_exchange.h>

#include "api/api_internal.h"

/* Newest-first listing of a ring with optional equality filters on string
 * fields, a limit and a seq cursor (continue below it). */
static json_t *ring_page(const api_ring *r, const char *const *keys, const char *const *values, size_t nkeys,
	size_t limit, uint64_t cursor, char *next, size_t next_cap)
{
	json_t *list = json_array();
	uint64_t last = 0;
	size_t i = 0;
	next[0] = '\0';
	for (; i < api_ring_count(r); i++) {
		uint64_t seq;
		const json_t *item = api_ring_at(r, i, &seq);
		if (cursor && seq >= cursor)
			continue;
		int ok = 1;
		for (size_t k = 0; k < nkeys && ok; k++) {
			const char *have = json_string_value(json_object_get(item, keys[k]));
			ok = !values[k] || (have && !strcmp(values[k], have));
		}
		if (!ok)
			continue;
		if (json_array_size(list) == limit) {
			snprintf(next, next_cap, "%llu", (unsigned long long)last);
			break;
		}
		json_array_append(list, (json_t *)item);
		last = seq;
	}
	return list;
}

static int cursor_of(http_request *req, uint64_t *out)
{
	const char *c = http_request_query(req, "cursor");
	*out = 0;
	if (!c || !*c)
		return 0;
	char *end;
	unsigned long long v = strtoull(c, &end, 10);
	if (*end || v == 0) {
		api_error(req, 400, "bad_field", "query parameter cursor \"%.40s\" is not a cursor of this list", c);
		return -1;
	}
	*out = v;
	return 0;
}

void api_h_fills(api *a, http_request *req, const json_t *body)
{
	(void)body;
	static const char *const keys[] = { "agent", "symbol" };
	const char *values[] = { http_request_query(req, "agent"), http_request_query(req, "symbol") };
	int64_t limit;
	uint64_t cursor;
	char next[32];
	if (api_query_int(req, "limit", 1, 500, 100, &limit) != 0 || cursor_of(req, &cursor) != 0)
		return;
	json_t *list = ring_page(&a->fills, keys, values, 2, (size_t)limit, cursor, next, sizeof next);
	api_reply(req, 200, json_pack("{s:o, s:s}", "fills", list, "next_cursor", next));
}

static void limited_ring(http_request *req, const api_ring *r, const char *key, const char *filter_key)
{
	int64_t limit;
	char next[32];
	const char *value = filter_key ? http_request_query(req, filter_key) : NULL;
	if (api_query_int(req, "limit", 1, 500, 100, &limit) != 0)
		return;
	json_t *list = ring_page(r, &filter_key, &value, filter_key ? 1 : 0, (size_t)limit, 0, next, sizeof next);
	api_reply(req, 200, json_pack("{s:o}", key, list));
}

void api_h_alerts(api *a, http_request *req, const json_t *body)
{
	(void)body;
	limited_ring(req, &a->alerts, "alerts", NULL);
}

void api_h_decisions(api *a, http_request *req, const json_t *body)
{
	(void)body;
	limited_ring(req, &a->decisions, "decisions", "agent");
}

/* Every agent, in hierarchy order. Returns how many names were written. */
static size_t all_agents(api *a, char (*out)[TH_NAME_MAX], size_t max)
{
	char farms[64][TH_NAME_MAX];
	size_t nf = capital_children(a->capital, CAPITAL_MASTER_NAME, farms, 64), n = 0;
	for (size_t i = 0; i < nf && i < 64 && n < max; i++) {
		size_t k = capital_children(a->capital, farms[i], out + n, max - n);
		n += k < max - n ? k : max - n;
	}
	return n;
}

void api_h_positions(api *a, http_request *req, const json_t *body)
{
	(void)body;
	char agents[256][TH_NAME_MAX];
	size_t na = all_agents(a, agents, 256);
	json_t *list = json_array();
	for (size_t i = 0; i < na; i++) {
		capital_position pos[64];
		size_t n = capital_positions(a->capital, agents[i], 0, pos, 64);
		for (size_t k = 0; k < n && k < 64; k++)
			json_array_append_new(list, api_json_position(agents[i], &pos[k]));
	}
	api_reply(req, 200, json_pack("{s:o}", "positions", list));
}

static json_t *balance(const char *wallet, const char *asset, json_t *total, json_t *reserved, json_t *free_)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o}", "wallet", wallet, "asset", asset, "total", total, "reserved",
		reserved, "free", free_);
}

void api_h_balances(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	const char *quote = capital_quote(a->capital);
	capital_stats st;
	char farms[64][TH_NAME_MAX], agents[256][TH_NAME_MAX];
	if (capital_stats_get(a->capital, CAPITAL_MASTER_NAME, &st) == TH_OK)
		json_array_append_new(list, balance(st.name, quote, api_json_money(st.cash), api_json_money(0),
			api_json_money(st.cash)));
	size_t nf = capital_children(a->capital, CAPITAL_MASTER_NAME, farms, 64);
	for (size_t i = 0; i < nf && i < 64; i++)
		if (capital_stats_get(a->capital, farms[i], &st) == TH_OK)
			json_array_append_new(list, balance(st.name, quote, api_json_money(st.cash), api_json_money(0),
				api_json_money(st.cash)));
	size_t na = all_agents(a, agents, 256);
	for (size_t i = 0; i < na; i++) {
		if (capital_stats_get(a->capital, agents[i], &st) != TH_OK)
			continue;
		/* an agent's quote: free cash, held by open orders, held as short collateral */
		th_money held = st.reserved + st.collateral;
		json_array_append_new(list, balance(st.name, quote, api_json_money(st.cash + held), api_json_money(held),
			api_json_money(st.cash)));
		capital_position pos[64];
		size_t n = capital_positions(a->capital, agents[i], 0, pos, 64);
		for (size_t k = 0; k < n && k < 64; k++) {
			/* base-asset holdings of a position (negative for a short) */
			const char *dash = strchr(pos[k].p.symbol, '-');
			char base[TH_ASSET_MAX];
			snprintf(base, sizeof base, "%.*s", dash ? (int)(dash - pos[k].p.symbol) : (int)strlen(pos[k].p.symbol),
				pos[k].p.symbol);
			json_array_append_new(list, balance(st.name, base, api_json_fixed(pos[k].p.qty, pos[k].p.qty_scale),
				api_json_fixed(0, pos[k].p.qty_scale), api_json_fixed(pos[k].p.qty, pos[k].p.qty_scale)));
		}
	}
	api_reply(req, 200, json_pack("{s:o}", "balances", list));
}

void api_h_instruments(api *a, http_request *req, const json_t *body)
{
	(void)body;
	json_t *list = json_array();
	for (size_t i = 0; i < host_instance_count(a->host); i++) {
		host_instance_info info;
		if (host_instance_info_at(a->host, i, &info) != 0 || strcmp(info.kind, "exchange") != 0)
			continue;
		const void *kapi = NULL;
		void *inst = host_instance_handle(a->host, info.name, &kapi);
		const th_exchange_api *x = kapi;
		const th_instrument *ins;
		size_t n;
		if (!inst || !x || x->instruments(inst, &ins, &n) != TH_OK)
			continue;
		for (size_t k = 0; k < n; k++) {
			int32_t scale = ins[k].price_scale;
			th_price last = api_last_price(a, ins[k].venue[0] ? ins[k].venue : info.name, ins[k].symbol, &scale);
			json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "venue", info.name, "symbol",
				ins[k].symbol, "base", ins[k].base, "quote", ins[k].quote, "tick",
				api_json_fixed(ins[k].tick, ins[k].price_scale), "lot", api_json_fixed(ins[k].lot, ins[k].qty_scale),
				"min_notional", api_json_money(ins[k].min_notional), "last_price", api_json_fixed(last, scale));
			json_array_append_new(list, j);
		}
	}
	api_reply(req, 200, json_pack("{s:o}", "instruments", list));
}

void api_h_bars(api *a, http_request *req, const json_t *body)
{
	(void)body;
	const char *symbol = http_request_param(req, "symbol"), *venue = http_request_query(req, "venue");
	int64_t limit;
	if (api_query_int(req, "limit", 1, API_BARS_KEEP, 500, &limit) != 0)
		return;
	const api_bar_ring *r = NULL;
	if (venue) {
		r = api_bars_of(a, venue, symbol);
	} else {
		for (size_t i = 0; i < a->nbars && !r; i++)
			if (!strcmp(a->bars[i].symbol, symbol))
				r = &a->bars[i]; /* the first venue that published bars of it: the market venue */
	}
	if (!r && !(venue ? api_instrument(a, venue, symbol) : NULL)) {
		int listed = 0;
		for (size_t i = 0; i < host_instance_count(a->host) && !listed && !venue; i++) {
			host_instance_info info;
			if (host_instance_info_at(a->host, i, &info) == 0 && !strcmp(info.kind, "exchange"))
				listed = api_instrument(a, info.name, symbol) != NULL;
		}
		if (!listed) {
			api_error(req, 404, "not_found", "no instrument %.24s%s%.16s", symbol, venue ? " on venue " : "",
				venue ? venue : "");
			return;
		}
	}
	json_t *bars = json_array();
	size_t n = r ? r->n : 0, from = n > (size_t)limit ? n - (size_t)limit : 0;
	for (size_t i = from; i < n; i++) {
		const th_bar *b = &r->bars[(r->head + i) % API_BARS_KEEP];
		json_t *j = api_json_bar(r->venue, r->symbol, b);
		json_object_del(j, "venue");
		json_object_del(j, "symbol");
		json_array_append_new(bars, j);
	}
	api_reply(req, 200, json_pack("{s:s, s:s, s:o}", "symbol", symbol, "venue", r ? r->venue : venue ? venue : "",
		"bars", bars));
}
