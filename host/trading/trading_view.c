/* The portfolio queries of risk plugins in O(1) per call (trading_view.h). */
#include "trading/trading_view.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tradehost/th_status.h>

#include "common/strmap.h"
#include "trading/name_key.h"

typedef struct view_price {
	th_price price;
	int32_t scale;
	/* the capital hierarchy's index of the instrument, so a bar marks it
	 * without a second lookup by name; -1 while capital does not know it,
	 * asked again once its instrument count has moved past `instr_seen` */
	int32_t instr;
	size_t instr_seen;
	/* its names, so an event's header is checked against them word by
	 * word (name_key.h); unset when a name is too long for a header */
	name_key venue, symbol;
} view_price;

/* Market events find their slot in a small table indexed by a hash of their
 * name fields' first words, checked against the slot's names (so a
 * collision or a stale entry only costs the lookup by name). Bytes after a
 * name's NUL are part of the hash: events that carry varying ones there
 * just miss the table. */
#define EVENT_TABLE 64 /* a power of two */

/* The header's venue and symbol fields are adjacent: one 40-byte run. */
#define HOT_NAME_WORDS ((TH_VENUE_MAX + TH_SYMBOL_MAX) / 8)
_Static_assert(offsetof(th_event_header, symbol) == offsetof(th_event_header, venue) + TH_VENUE_MAX,
	"the bar fast path reads venue and symbol as one run of words");

/* One venue's instrument index, valid for (owner, list, n). */
typedef struct view_venue {
	char name[TH_VENUE_MAX];
	const void *owner[2];
	const th_instrument *list;
	size_t n;
	strmap *by_symbol; /* symbol -> index in list */
} view_venue;

struct trading_view {
	capital_t *capital;
	trading_view_list_fn list_fn;
	void *list_arg;
	strmap *price_index;  /* "venue\x1fsymbol" -> index in prices */
	view_price *prices;
	size_t nprices, cap_prices;
	/* The slot of the last instrument looked up: market events and the
	 * queries that follow them repeat an instrument, so most lookups end
	 * there (checked against the slot's names). Slots are never removed. */
	int64_t last_index;   /* -1: none */
	int32_t event_table[EVENT_TABLE]; /* slot index + 1; 0: empty */
	/* The bar fast path (trading_view_mark_event): the exact header bytes
	 * (venue then symbol) of the last event marked through a slot capital
	 * knows, that slot and its capital index. An event whose name fields
	 * hold exactly these bytes names the same instrument (bytes after a
	 * NUL included: a field holds one name), so one exact compare of five
	 * words replaces the masked name compare; any other bytes take the
	 * regular path, which refills it. What invalidates it: moving `prices`
	 * (price_slot's growth clears p); a slot's instr never changes once
	 * known. p NULL: empty. */
	struct {
		uint64_t names[HOT_NAME_WORDS];
		view_price *p;
		int32_t instr;
	} hot;
	view_venue *venues;   /* a handful: scanned */
	size_t nvenues, cap_venues;
	/* The instrument found last (orders repeat one): venue entry, symbol
	 * and index in that venue's list. Valid while that venue's index is the
	 * one it was found in: index_venue() forgets it. */
	view_venue *last_ins_venue;
	name_key last_ins_symbol;
	size_t last_ins;
	strmap *peak_index;   /* wallet -> index in peaks */
	th_money *peaks;
	size_t npeaks, cap_peaks;
	capital_position *scratch;
	size_t scratch_cap;
};

trading_view *trading_view_create(capital_t *capital, trading_view_list_fn list, void *arg)
{
	trading_view *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->capital = capital;
	v->list_fn = list;
	v->list_arg = arg;
	v->last_index = -1;
	v->price_index = strmap_create();
	v->peak_index = strmap_create();
	if (!v->price_index || !v->peak_index) {
		trading_view_destroy(v);
		return NULL;
	}
	return v;
}

void trading_view_destroy(trading_view *v)
{
	if (!v)
		return;
	strmap_destroy(v->price_index);
	strmap_destroy(v->peak_index);
	for (size_t i = 0; i < v->nvenues; i++)
		strmap_destroy(v->venues[i].by_symbol);
	free(v->venues);
	free(v->prices);
	free(v->peaks);
	free(v->scratch);
	free(v);
}

/* "venue\x1fsymbol": the unit separator cannot occur in either name. 0, or
 * -1 when the names do not fit. */
static int price_key(char *key, size_t cap, const char *venue, const char *symbol)
{
	size_t lv = strlen(venue), ls = strlen(symbol);
	if (lv + ls + 2 > cap)
		return -1;
	memcpy(key, venue, lv);
	key[lv] = '\x1f';
	memcpy(key + lv + 1, symbol, ls + 1);
	return 0;
}

static int last_is(const trading_view *v, const char *venue, const char *symbol)
{
	return v->last_index >= 0 && name_key_is_str(&v->prices[v->last_index].venue, venue) &&
		name_key_is_str(&v->prices[v->last_index].symbol, symbol);
}

/* The existing slot of (venue, symbol), or -1. */
static int64_t find_price(trading_view *v, const char *venue, const char *symbol)
{
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	int64_t i;
	if (last_is(v, venue, symbol))
		return v->last_index;
	if (price_key(key, sizeof key, venue, symbol) != 0 || !strmap_get(v->price_index, key, &i))
		return -1;
	v->last_index = i;
	return i;
}

/* The price slot of (venue, symbol), created on first sight; -1 when the
 * names do not fit or memory ran out. */
static int64_t price_slot(trading_view *v, const char *venue, const char *symbol)
{
	char key[TH_VENUE_MAX + TH_SYMBOL_MAX + 2];
	int64_t i;
	if (last_is(v, venue, symbol))
		return v->last_index;
	if (price_key(key, sizeof key, venue, symbol) != 0)
		return -1;
	if (!strmap_get(v->price_index, key, &i)) {
		if (v->nprices == v->cap_prices) {
			size_t cap = v->cap_prices ? v->cap_prices * 2 : 16;
			view_price *grown = realloc(v->prices, cap * sizeof *grown);
			if (!grown)
				return -1;
			v->prices = grown;
			v->hot.p = NULL; /* pointed into the old array */
			v->cap_prices = cap;
		}
		i = (int64_t)v->nprices;
		if (strmap_put(v->price_index, key, i) < 0)
			return -1;
		v->nprices++;
		view_price *p = &v->prices[i];
		p->price = 0;
		p->scale = 0;
		p->instr = -1;
		p->instr_seen = 0;
		name_key_set(&p->venue, venue, TH_VENUE_MAX);
		name_key_set(&p->symbol, symbol, TH_SYMBOL_MAX);
	}
	v->last_index = i;
	return i;
}

/* Whether slot i is ev's instrument. Always inlined: it is most of the
 * per-bar path, which then needs no stack frame. */
static inline __attribute__((always_inline)) int slot_is(const trading_view *v, int64_t i, const th_event *ev)
{
	const view_price *p = &v->prices[i];
	return (name_key_diff(&p->venue, ev->h.venue, TH_VENUE_MAX) |
		       name_key_diff(&p->symbol, ev->h.symbol, TH_SYMBOL_MAX)) == 0;
}

static size_t event_hash(const th_event *ev)
{
	uint64_t v0, s0, s1;
	memcpy(&v0, ev->h.venue, sizeof v0);
	memcpy(&s0, ev->h.symbol, sizeof s0);
	memcpy(&s1, ev->h.symbol + 8, sizeof s1);
	uint64_t x = v0 * 0x9E3779B97F4A7C15u ^ s0 * 0xC2B2AE3D27D4EB4Fu ^ s1 * 0x165667B19E3779F9u;
	return (size_t)(x >> 58) & (EVENT_TABLE - 1);
}

/* The slot of a market event's instrument: the last one, else the table,
 * else the lookup by name (which fills the table). */
static int64_t event_slot(trading_view *v, const th_event *ev)
{
	size_t h = event_hash(ev);
	int64_t i = (int64_t)v->event_table[h] - 1;
	if (i >= 0 && slot_is(v, i, ev)) {
		v->last_index = i;
		return i;
	}
	i = price_slot(v, ev->h.venue, ev->h.symbol);
	if (i >= 0 && i < INT32_MAX)
		v->event_table[h] = (int32_t)i + 1;
	return i;
}

void trading_view_set_price(trading_view *v, const char *venue, const char *symbol, th_price px, int32_t scale)
{
	int64_t i = price_slot(v, venue, symbol);
	if (i < 0)
		return;
	v->prices[i].price = px;
	v->prices[i].scale = scale;
}

void trading_view_set_event_price(trading_view *v, const th_event *ev, th_price px, int32_t scale)
{
	int64_t i = v->last_index >= 0 && slot_is(v, v->last_index, ev) ? v->last_index : event_slot(v, ev);
	if (i < 0)
		return;
	v->prices[i].price = px;
	v->prices[i].scale = scale;
}

/* Records the price in slot i and marks capital by the remembered index. */
static int mark_slot(trading_view *v, int64_t i, const char *venue, const char *symbol, th_price px, int32_t scale,
	int64_t now_ns)
{
	if (i < 0) /* no slot to remember the index in: the lookup by name */
		return capital_mark(v->capital, venue, symbol, px, scale, now_ns);
	view_price *p = &v->prices[i];
	p->price = px;
	p->scale = scale;
	if (p->instr < 0) {
		size_t n = capital_instrument_count(v->capital);
		if (n == p->instr_seen)
			return TH_OK; /* still unknown to capital: nothing to mark */
		p->instr = capital_instrument_index(v->capital, venue, symbol);
		p->instr_seen = n;
		if (p->instr < 0)
			return TH_OK;
	}
	return capital_mark_index(v->capital, p->instr, px, scale, now_ns);
}

int trading_view_mark(trading_view *v, const char *venue, const char *symbol, th_price px, int32_t scale,
	int64_t now_ns)
{
	return mark_slot(v, price_slot(v, venue, symbol), venue, symbol, px, scale, now_ns);
}

/* The rest of trading_view_mark_event(), kept out of line so that its fast
 * path needs no stack frame and ends in a tail call. Refills the hot entry
 * once the instrument's slot knows its capital index. */
static __attribute__((noinline)) int mark_event_slow(trading_view *v, const th_event *ev, th_price px, int32_t scale,
	int64_t now_ns)
{
	int64_t i = event_slot(v, ev);
	int rc = mark_slot(v, i, ev->h.venue, ev->h.symbol, px, scale, now_ns);
	if (i >= 0 && v->prices[i].instr >= 0) {
		memcpy(v->hot.names, ev->h.venue, sizeof v->hot.names);
		v->hot.p = &v->prices[i];
		v->hot.instr = v->prices[i].instr;
	}
	return rc;
}

/* Whether ev's name fields hold exactly the hot entry's bytes. */
static inline __attribute__((always_inline)) int hot_is(const trading_view *v, const th_event *ev)
{
	uint64_t diff = 0;
	for (size_t k = 0; k < HOT_NAME_WORDS; k++) {
		uint64_t w;
		memcpy(&w, ev->h.venue + 8 * k, sizeof w);
		diff |= w ^ v->hot.names[k];
	}
	return diff == 0;
}

int trading_view_mark_event(trading_view *v, const th_event *ev, th_price px, int32_t scale, int64_t now_ns)
{
	/* a backtest's bar: mostly the instrument of the last bar again */
	view_price *p = v->hot.p;
	if (p && hot_is(v, ev)) {
		p->price = px;
		p->scale = scale;
		return capital_mark_index(v->capital, v->hot.instr, px, scale, now_ns);
	}
	return mark_event_slow(v, ev, px, scale, now_ns);
}

th_price trading_view_last_price(trading_view *v, const char *venue, const char *symbol, int32_t *scale)
{
	int64_t i = find_price(v, venue, symbol);
	if (i < 0)
		return 0;
	*scale = v->prices[i].scale;
	return v->prices[i].price;
}

/* (Re)indexes a venue's list; -1 when out of memory (the venue then has no
 * index and is searched again next time). */
static int index_venue(trading_view *v, view_venue *e, const void *const owner[2], const th_instrument *list, size_t n)
{
	v->last_ins_venue = NULL;
	strmap *m = strmap_create();
	if (!m)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* the first of duplicate symbols wins, as a front-to-back scan found it */
		if (!strmap_get(m, list[i].symbol, NULL) && strmap_put(m, list[i].symbol, (int64_t)i) < 0) {
			strmap_destroy(m);
			return -1;
		}
	}
	strmap_destroy(e->by_symbol);
	e->by_symbol = m;
	e->owner[0] = owner[0];
	e->owner[1] = owner[1];
	e->list = list;
	e->n = n;
	return 0;
}

static view_venue *venue_entry(trading_view *v, const char *venue)
{
	for (size_t i = 0; i < v->nvenues; i++)
		if (strcmp(v->venues[i].name, venue) == 0)
			return &v->venues[i];
	if (strlen(venue) >= TH_VENUE_MAX)
		return NULL;
	if (v->nvenues == v->cap_venues) {
		size_t cap = v->cap_venues ? v->cap_venues * 2 : 4;
		view_venue *grown = realloc(v->venues, cap * sizeof *grown);
		if (!grown)
			return NULL;
		v->venues = grown;
		v->last_ins_venue = NULL; /* pointed into the old array */
		v->cap_venues = cap;
	}
	view_venue *e = &v->venues[v->nvenues++];
	memset(e, 0, sizeof *e);
	memcpy(e->name, venue, strlen(venue) + 1);
	return e;
}

const th_instrument *trading_view_instrument(trading_view *v, const char *venue, const char *symbol)
{
	static const void *const none[2] = { NULL, NULL };
	const void *owner[2] = { NULL, NULL };
	const th_instrument *list = NULL;
	size_t n = 0;
	view_venue *e = venue_entry(v, venue);
	if (!v->list_fn || v->list_fn(v->list_arg, venue, e ? e->owner : none, owner, &list, &n) != 0 || !list)
		return NULL;
	int stale = !e || e->owner[0] != owner[0] || e->owner[1] != owner[1] || e->list != list || e->n != n ||
		!e->by_symbol;
	if (stale && (!e || index_venue(v, e, owner, list, n) != 0)) {
		if (e) /* forget the validation: the next call starts over */
			e->owner[0] = e->owner[1] = NULL;
		for (size_t i = 0; i < n; i++) /* out of memory: the plain scan */
			if (strcmp(list[i].symbol, symbol) == 0)
				return &list[i];
		return NULL;
	}
	if (e == v->last_ins_venue && name_key_is_str(&v->last_ins_symbol, symbol))
		return &list[v->last_ins];
	int64_t i;
	if (!strmap_get(e->by_symbol, symbol, &i))
		return NULL;
	v->last_ins_venue = e;
	name_key_set(&v->last_ins_symbol, symbol, TH_SYMBOL_MAX);
	v->last_ins = (size_t)i;
	return &list[i];
}

th_money trading_view_peak(trading_view *v, const char *wallet, th_money equity)
{
	int64_t i;
	if (strmap_get(v->peak_index, wallet, &i)) {
		if (equity > v->peaks[i])
			v->peaks[i] = equity;
		return v->peaks[i];
	}
	if (v->npeaks == v->cap_peaks) {
		size_t cap = v->cap_peaks ? v->cap_peaks * 2 : 16;
		th_money *grown = realloc(v->peaks, cap * sizeof *grown);
		if (!grown)
			return equity;
		v->peaks = grown;
		v->cap_peaks = cap;
	}
	if (strmap_put(v->peak_index, wallet, (int64_t)v->npeaks) < 0)
		return equity;
	v->peaks[v->npeaks++] = equity;
	return equity;
}

int trading_view_wallet_stats(trading_view *v, const char *wallet, th_wallet_stats *out)
{
	capital_stats st;
	if (capital_stats_get(v->capital, wallet, &st) != TH_OK)
		return TH_ERR_NOT_FOUND;
	memset(out, 0, sizeof *out);
	out->equity = st.equity;
	out->cash = st.cash;
	out->reserved = st.reserved;
	out->realized_pnl = st.realized_pnl;
	out->unrealized_pnl = st.unrealized_pnl;
	out->fees = st.fees;
	out->gross_exposure = st.gross_exposure;
	out->net_exposure = st.net_exposure;
	out->positions = (uint32_t)st.held;
	out->open_orders = (uint32_t)st.open_orders;
	out->peak_equity = trading_view_peak(v, wallet, st.equity);
	return TH_OK;
}

size_t trading_view_positions(trading_view *v, const char *wallet, th_position *out, size_t cap)
{
	size_t k = capital_positions(v->capital, wallet, 0, v->scratch, v->scratch_cap);
	if (k > v->scratch_cap) {
		capital_position *grown = realloc(v->scratch, k * sizeof *grown);
		if (grown) {
			v->scratch = grown;
			v->scratch_cap = k;
		}
		capital_positions(v->capital, wallet, 0, v->scratch, v->scratch_cap);
	}
	for (size_t i = 0; i < k && i < cap && i < v->scratch_cap; i++)
		out[i] = v->scratch[i].p;
	return k;
}
