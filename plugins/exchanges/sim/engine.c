/*
 * sim engine — lifecycle, the order store, and the host's requests
 * (submit / cancel / query). Matching lives in engine_match.c, validation in
 * engine_validate.c, the state format in engine_codec.c.
 *
 * Order store: every order the venue knows is in a hash index by client order
 * id. Open orders also sit in their symbol's book (in arrival order); finished
 * ones move to a ring of the last `retain_closed`, like a real venue's order
 * history window, so a duplicate submit or a query still finds them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Control bytes of the index (see sim_engine.ctrl). A deleted slot keeps
 * probing going past it. */
enum { SIM_SLOT_EMPTY = 0, SIM_SLOT_DELETED = 1, SIM_SLOT_FULL = 0x80 };

/* The control byte of a full slot: SIM_SLOT_FULL and the hash's top 7 bits
 * (the slot number comes from the low bits, so the two are independent). */
static uint8_t sim_slot_tag(uint64_t hash)
{
	return (uint8_t)(SIM_SLOT_FULL | (hash >> 57));
}

/* ------------------------------------------------------------------ memory */

void *sim_mem_alloc(sim_engine *e, size_t size)
{
	if (e->al.alloc)
		return e->al.alloc(e->al.ud, size);
	return malloc(size);
}

void sim_mem_free(sim_engine *e, void *ptr)
{
	if (!ptr)
		return;
	if (e->al.free)
		e->al.free(e->al.ud, ptr);
	else
		free(ptr);
}

/* The host allocator has no realloc, so growing is alloc + copy + free.
 * `arr_ptr` points at the caller's array pointer (any element type); it is
 * read and written with memcpy so no type-punned access is needed. */
int sim_mem_reserve(sim_engine *e, void *arr_ptr, size_t *cap, size_t elem, size_t need)
{
	void *old;
	if (need <= *cap)
		return TH_OK;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return TH_ERR_NOMEM;
		ncap *= 2;
	}
	void *n = sim_mem_alloc(e, ncap * elem);
	if (!n)
		return TH_ERR_NOMEM;
	memcpy(&old, arr_ptr, sizeof old);
	if (old && *cap)
		memcpy(n, old, *cap * elem);
	sim_mem_free(e, old);
	memcpy(arr_ptr, &n, sizeof n);
	*cap = ncap;
	return TH_OK;
}

/* ------------------------------------------------------------------- index */

/* FNV-1a plus a final mix: deterministic across runs (no seeded hashing
 * needed: the keys come from the host's own OMS). The mix matters because
 * the table uses the low bits, which FNV-1a alone spreads poorly for ids that
 * differ only in trailing digits. */
uint64_t sim_clid_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 32;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return h;
}

sim_order *sim_find(const sim_engine *e, const char *clid)
{
	return sim_find_hashed(e, clid, sim_clid_hash(clid));
}

sim_order *sim_find_hashed(const sim_engine *e, const char *clid, uint64_t hash)
{
	if (!e->nslots)
		return NULL;
	size_t mask = e->nslots - 1;
	uint8_t tag = sim_slot_tag(hash);
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		uint8_t c = e->ctrl[i];
		if (c == SIM_SLOT_EMPTY)
			return NULL;
		if (c == tag) {
			sim_order *o = e->slots[i];
			if (o->hash == hash && strcmp(o->o.client_order_id, clid) == 0)
				return o;
		}
	}
}

/* Into the first empty or deleted slot of the probe sequence. */
static void sim_index_put(sim_order **slots, uint8_t *ctrl, size_t nslots, sim_order *o, uint64_t hash)
{
	size_t mask = nslots - 1;
	size_t i = (size_t)hash & mask;
	while (ctrl[i] & SIM_SLOT_FULL)
		i = (i + 1) & mask;
	ctrl[i] = sim_slot_tag(hash);
	slots[i] = o;
}

int sim_index_add(sim_engine *e, sim_order *o, uint64_t hash)
{
	o->hash = hash;
	/* Keep the table at most half full (deleted slots included) so probes
	 * stay short and always end at an empty slot. */
	if ((e->nfull + 1) * 2 > e->nslots) {
		size_t live = 0;
		for (size_t i = 0; i < e->nslots; i++)
			live += (e->ctrl[i] & SIM_SLOT_FULL) != 0;
		size_t n = 64;
		while (n < (live + 1) * 4)
			n *= 2;
		/* one block: the slots, then their control bytes */
		sim_order **slots = sim_mem_alloc(e, n * (sizeof *slots + 1));
		if (!slots)
			return TH_ERR_NOMEM;
		uint8_t *ctrl = (uint8_t *)(slots + n);
		memset(ctrl, SIM_SLOT_EMPTY, n);
		for (size_t i = 0; i < e->nslots; i++)
			if (e->ctrl[i] & SIM_SLOT_FULL)
				sim_index_put(slots, ctrl, n, e->slots[i], e->slots[i]->hash);
		sim_mem_free(e, e->slots);
		e->slots = slots;
		e->ctrl = ctrl;
		e->nslots = n;
		e->nfull = live;
	}
	sim_index_put(e->slots, e->ctrl, e->nslots, o, hash);
	e->nfull++;
	return TH_OK;
}

static void sim_index_remove(sim_engine *e, const sim_order *o)
{
	size_t mask = e->nslots - 1;
	uint8_t tag = sim_slot_tag(o->hash);
	for (size_t i = (size_t)o->hash & mask; e->ctrl[i] != SIM_SLOT_EMPTY; i = (i + 1) & mask) {
		if (e->ctrl[i] == tag && e->slots[i] == o) {
			e->ctrl[i] = SIM_SLOT_DELETED;
			return;
		}
	}
}

/* ------------------------------------------------------------------- books */

/* The symbol of a report about no order (ABSENT): a whole, zero field, as
 * engine.h promises for every report. */
static const char sim_no_symbol[TH_SYMBOL_MAX];

sim_book *sim_book_find(const sim_engine *e, const char *symbol)
{
	for (size_t i = 0; i < e->nbooks; i++)
		if (strcmp(e->books[i].inst.symbol, symbol) == 0)
			return &e->books[i];
	return NULL;
}

int sim_book_add(sim_engine *e, sim_book *b, sim_order *o)
{
	int rc = sim_mem_reserve(e, &b->open, &b->capopen, sizeof *b->open, b->nopen + 1);
	if (rc != TH_OK)
		return rc;
	b->open[b->nopen++] = o;
	return TH_OK;
}

sim_order *sim_order_new(sim_engine *e)
{
	if (e->nspare) {
		sim_order *o = e->spare[--e->nspare];
		sim_fill_rec *fills = o->fills; /* kept: its capacity is what reuse saves */
		size_t capfills = o->capfills;
		memset(o, 0, sizeof *o);
		o->fills = fills;
		o->capfills = capfills;
		return o;
	}
	sim_order *o = sim_mem_alloc(e, sizeof *o);
	if (o)
		memset(o, 0, sizeof *o);
	return o;
}

void sim_order_free(sim_engine *e, sim_order *o)
{
	if (!o)
		return;
	if (e->nspare < SIM_SPARE_MAX) {
		e->spare[e->nspare++] = o;
		return;
	}
	sim_mem_free(e, o->fills);
	sim_mem_free(e, o);
}

/* A finished order joins the ring of remembered ones; the oldest is
 * forgotten when the ring is full. */
void sim_retire(sim_engine *e, sim_order *o)
{
	size_t cap = e->cfg.retain_closed;
	if (cap == 0) {
		sim_index_remove(e, o);
		sim_order_free(e, o);
		return;
	}
	if (e->closed_count == cap) {
		sim_order *old = e->closed[e->closed_head];
		sim_index_remove(e, old);
		sim_order_free(e, old);
		e->closed[e->closed_head] = o;
		e->closed_head = e->closed_head + 1 == cap ? 0 : e->closed_head + 1;

		/* Warm up what the next two evictions will touch. In a long run
		 * every retire evicts the order finished retain_closed orders ago,
		 * and the next submit reuses its memory (sim_order_new zeroes it,
		 * the first fill writes its fills array): all cold by then, several
		 * cache misses per order. The eviction order is known, so the
		 * memory is requested one and two retires ahead (a retire happens
		 * about once per order: the lines have thousands of cycles to
		 * arrive). Only hints: nothing is cached, nothing can go stale.
		 * Written here, not in a helper: GCC takes a function that only
		 * prefetches for pure and drops the call. */
		const sim_order *next = e->closed[e->closed_head]; /* requested at the previous retire */
		if (e->nslots) { /* always, as every retired order was indexed; kept for safety */
			size_t slot = (size_t)next->hash & (e->nslots - 1);
			__builtin_prefetch(&e->ctrl[slot], 1);
			__builtin_prefetch(&e->slots[slot], 0);
		}
		if (next->fills)
			__builtin_prefetch(next->fills, 1);
		const char *after = (const char *)e->closed[e->closed_head + 1 == cap ? 0 : e->closed_head + 1];
		for (size_t off = 0; off < sizeof(sim_order); off += 64)
			__builtin_prefetch(after + off, 1);
		__builtin_prefetch(after + sizeof(sim_order) - 1, 1);
		return;
	}
	e->closed[(e->closed_head + e->closed_count) % cap] = o;
	e->closed_count++;
}

void sim_sweep(sim_engine *e, sim_book *b)
{
	size_t w = 0;
	for (size_t r = 0; r < b->nopen; r++) {
		sim_order *o = b->open[r];
		if (o->phase == SIM_PH_DONE)
			sim_retire(e, o);
		else
			b->open[w++] = o;
	}
	b->nopen = w;
}

size_t sim_engine_forget_closed(sim_engine *e, size_t n)
{
	size_t done = 0;
	while (done < n && e->closed_count > 0) {
		sim_order *old = e->closed[e->closed_head];
		sim_index_remove(e, old);
		sim_order_free(e, old);
		e->closed_head = (e->closed_head + 1) % e->cfg.retain_closed;
		e->closed_count--;
		done++;
	}
	if (done)
		e->changes++;
	return done;
}

/* ----------------------------------------------------------------- reports */

/* Zero the bytes after the end of the string in `s` (`cap` bytes, holding
 * a NUL). Orders keep their client order id and reason this way — set here
 * when an order is created from a request, by sim_set_reason, and by the
 * zeroed order a decode fills in — so every report copies those fields
 * whole instead of measuring them (they are copied three times per order),
 * and still carries the exact bytes a bounded string copy into a zeroed
 * report gave. */
void sim_zero_tail(char *s, size_t cap)
{
	const char *end = memchr(s, 0, cap);
	size_t n = end ? (size_t)(end - s) : cap;
	memset(s + n, 0, cap - n);
}

/* Keeps o->reason zero after its end (see sim_zero_tail), so reports copy
 * it whole. Clearing an empty reason, once per fill, costs nothing. */
void sim_set_reason(sim_order *o, const char *reason)
{
	if (!reason)
		reason = "";
	if (reason[0] == '\0' && o->reason[0] == '\0')
		return; /* already "" and all zero */
	memset(o->reason, 0, sizeof o->reason);
	th_strlcpy(o->reason, reason, sizeof o->reason);
}

void sim_ids_reset(sim_engine *e)
{
	char tmp[sizeof e->id_prefix];
	size_t n = 0;
	int64_t session = e->cfg.session;
	uint64_t s = session < 0 ? (uint64_t)0 - (uint64_t)session : (uint64_t)session;
	tmp[n++] = '-';
	do {
		tmp[n++] = (char)('0' + s % 10);
		s /= 10;
	} while (s);
	if (session < 0)
		tmp[n++] = '-';
	memset(e->id_prefix, 0, sizeof e->id_prefix); /* sim_format_id copies the whole array */
	for (size_t k = 0; k < n; k++) /* digits were produced backwards */
		e->id_prefix[k] = tmp[n - 1 - k];
	e->id_prefix[n] = '\0';
	e->id_prefix_len = n;
}

/* "00" "01" ... "99": two decimal digits per division in sim_format_id. */
static const char sim_digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                         "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                         "8081828384858687888990919293949596979899";

/* "<session>-<tag><no>", e.g. "1700000000000000000-T42". Hand-rolled because
 * it runs for every report and snprintf was a fifth of the engine's time in
 * a fill-heavy replay; the ids fit easily (20 + 2 + 20 digits < 48), and the
 * session part is the prefix formatted once by sim_ids_reset(). */

static void sim_format_id(const sim_engine *e, char tag, uint64_t no, char *buf, size_t cap)
{
	char tmp[sizeof e->id_prefix + 1 + 20 + 1];
	/* Straight into buf when it surely fits (always, at TH_VENUE_ID_MAX):
	 * the whole prefix array is copied, a fixed-size copy the compiler
	 * inlines, and the tag and digits then overwrite what follows the
	 * prefix's text. */
	char *out = cap >= sizeof tmp ? buf : tmp;
	/* The digits are written where they end up, last first, after counting
	 * them: staged in a byte buffer and copied over, they were read back
	 * with wide loads right after byte stores, which cannot be forwarded
	 * and wait for every older store — some of them cache misses — to reach
	 * the cache. */
	size_t ndigits = 1;
	for (uint64_t rest = no; rest >= 10; rest /= 10)
		ndigits++;
	memcpy(out, e->id_prefix, sizeof e->id_prefix);
	size_t n = e->id_prefix_len;
	out[n++] = tag;
	n += ndigits;
	out[n] = '\0';
	char *p = out + n; /* one past the last digit */
	while (no >= 100) {
		const char *pair = &sim_digit_pairs[2 * (no % 100)];
		no /= 100;
		*--p = pair[1];
		*--p = pair[0];
	}
	if (no >= 10) {
		*--p = sim_digit_pairs[2 * no + 1];
		*--p = sim_digit_pairs[2 * no];
	} else {
		*--p = (char)('0' + no);
	}
	if (out == tmp) { /* truncate like the bounded copy it replaces */
		if (n > cap - 1)
			n = cap - 1;
		memcpy(buf, tmp, n);
		buf[n] = '\0';
	}
}

static void sim_venue_order_id(const sim_engine *e, uint64_t no, char *buf, size_t cap)
{
	sim_format_id(e, 'O', no, buf, cap);
}

void sim_order_snapshot(const sim_engine *e, const sim_order *o, th_order_update *out)
{
	const sim_book *b = &e->books[o->book];
	memset(out, 0, sizeof *out);
	/* whole fields: the order's strings are zero after their end (sim_zero_tail) */
	memcpy(out->client_order_id, o->o.client_order_id, sizeof out->client_order_id);
	sim_venue_order_id(e, o->order_no, out->venue_order_id, sizeof out->venue_order_id);
	out->state = o->state;
	out->side = o->o.side;
	out->qty = o->o.qty;
	out->filled_qty = o->filled;
	out->price = o->o.price;
	out->price_scale = b->inst.price_scale;
	out->qty_scale = b->inst.qty_scale;
	memcpy(out->reason, o->reason, sizeof out->reason);
}

void sim_emit_order(sim_engine *e, const sim_order *o)
{
	sim_report r;
	/* no memset of r: the snapshot zeroes all of r.u.order, the largest member */
	r.kind = SIM_REPORT_ORDER;
	r.symbol = e->books[o->book].inst.symbol;
	sim_order_snapshot(e, o, &r.u.order);
	e->report(e->report_arg, &r);
}

void sim_emit_fill(sim_engine *e, const sim_order *o, const sim_fill_rec *f)
{
	const sim_book *b = &e->books[o->book];
	sim_report r;
	r.kind = SIM_REPORT_FILL;
	r.symbol = b->inst.symbol;
	th_fill *x = &r.u.fill;
	memset(x, 0, sizeof *x); /* string tails and padding too: published events are byte-identical run to run */
	/* whole fields: zero after their end (sim_zero_tail, sim_engine_create) */
	memcpy(x->client_order_id, o->o.client_order_id, sizeof x->client_order_id);
	sim_format_id(e, 'T', f->trade_no, x->venue_trade_id, sizeof x->venue_trade_id);
	x->side = o->o.side;
	x->liquidity = f->liquidity;
	x->price = f->price;
	x->qty = f->qty;
	x->fee = f->fee;
	memcpy(x->fee_asset, b->inst.quote, sizeof x->fee_asset);
	x->price_scale = b->inst.price_scale;
	x->qty_scale = b->inst.qty_scale;
	e->report(e->report_arg, &r);
}

void sim_finish(sim_engine *e, sim_order *o, uint32_t state, const char *reason)
{
	o->state = state;
	o->phase = SIM_PH_DONE;
	sim_set_reason(o, reason);
	e->changes++;
	sim_emit_order(e, o);
}

/* --------------------------------------------------------------- lifecycle */

static int sim_config_ok(const sim_engine_config *cfg)
{
	return cfg->slippage_bps >= 0 && cfg->participation_ppm >= 0 && cfg->participation_ppm <= SIM_PPM &&
	       cfg->maker_fee_bps > -100000000 && cfg->maker_fee_bps < 100000000 &&
	       cfg->taker_fee_bps > -100000000 && cfg->taker_fee_bps < 100000000 &&
	       cfg->retain_closed <= SIZE_MAX / sizeof(sim_order *);
}

static int sim_instrument_ok(const th_instrument *in)
{
	return memchr(in->symbol, 0, sizeof in->symbol) && in->symbol[0] && memchr(in->quote, 0, sizeof in->quote) &&
	       in->price_scale >= 0 && in->price_scale <= TH_SCALE_MAX && in->qty_scale >= 0 &&
	       in->qty_scale <= TH_SCALE_MAX && in->tick > 0 && in->lot > 0 && in->min_qty >= 0 &&
	       in->min_qty % in->lot == 0 && in->min_notional >= 0;
}

int sim_engine_create(const sim_engine_config *cfg, const th_instrument *instruments, size_t ninstruments,
                      const sim_alloc *alloc, sim_report_fn report, void *report_arg, sim_engine **out)
{
	*out = NULL;
	if (!cfg || !report || ninstruments == 0 || !sim_config_ok(cfg))
		return TH_ERR_INVALID;
	for (size_t i = 0; i < ninstruments; i++) {
		if (!sim_instrument_ok(&instruments[i]))
			return TH_ERR_INVALID;
		for (size_t j = 0; j < i; j++)
			if (strcmp(instruments[i].symbol, instruments[j].symbol) == 0)
				return TH_ERR_INVALID;
	}
	sim_engine tmp;
	memset(&tmp, 0, sizeof tmp);
	if (alloc)
		tmp.al = *alloc;
	sim_engine *e = sim_mem_alloc(&tmp, sizeof *e);
	if (!e)
		return TH_ERR_NOMEM;
	*e = tmp;
	e->cfg = *cfg;
	e->report = report;
	e->report_arg = report_arg;
	e->next_order_no = e->next_trade_no = e->next_seq = 1;
	sim_ids_reset(e);
	e->books = sim_mem_alloc(e, ninstruments * sizeof *e->books);
	e->instruments = sim_mem_alloc(e, ninstruments * sizeof *e->instruments);
	e->closed = cfg->retain_closed ? sim_mem_alloc(e, cfg->retain_closed * sizeof *e->closed) : NULL;
	if (!e->books || !e->instruments || (cfg->retain_closed && !e->closed)) {
		sim_engine_destroy(e);
		return TH_ERR_NOMEM;
	}
	memset(e->books, 0, ninstruments * sizeof *e->books);
	for (size_t i = 0; i < ninstruments; i++) {
		e->books[i].inst = instruments[i];
		sim_zero_tail(e->books[i].inst.quote, sizeof e->books[i].inst.quote); /* copied whole into fills */
		sim_zero_tail(e->books[i].inst.symbol, sizeof e->books[i].inst.symbol); /* a report's symbol (engine.h) */
		e->instruments[i] = instruments[i];
	}
	e->nbooks = ninstruments;
	*out = e;
	return TH_OK;
}

void sim_engine_destroy(sim_engine *e)
{
	if (!e)
		return;
	if (e->books) {
		for (size_t i = 0; i < e->nbooks; i++) {
			for (size_t k = 0; k < e->books[i].nopen; k++)
				sim_order_free(e, e->books[i].open[k]);
			sim_mem_free(e, e->books[i].open);
		}
	}
	for (size_t k = 0; k < e->closed_count; k++)
		sim_order_free(e, e->closed[(e->closed_head + k) % e->cfg.retain_closed]);
	sim_mem_free(e, e->closed);
	sim_mem_free(e, e->books);
	sim_mem_free(e, e->instruments);
	sim_mem_free(e, e->slots);
	sim_mem_free(e, e->scratch);
	for (size_t k = 0; k < e->nspare; k++) {
		sim_mem_free(e, e->spare[k]->fills);
		sim_mem_free(e, e->spare[k]);
	}
	sim_mem_free(e, e);
}

/* ---------------------------------------------------------------- requests */

/* A rejected order is still remembered (finished), so a query or a resend of
 * the same client order id answers REJECTED instead of creating an order. */
static int sim_reject(sim_engine *e, sim_book *b, const th_order *in, const char *reason)
{
	sim_report r;
	memset(&r, 0, sizeof r);
	r.kind = SIM_REPORT_ORDER;
	/* The request may carry unterminated strings, and bytes after its
	 * symbol's NUL: copy them bounded (a report's symbol is zero-padded,
	 * engine.h). */
	char symbol[TH_SYMBOL_MAX] = { 0 };
	if (!b && memchr(in->symbol, 0, sizeof in->symbol))
		th_strlcpy(symbol, in->symbol, sizeof symbol);
	r.symbol = b ? b->inst.symbol : symbol;
	th_order_update *u = &r.u.order;
	const char *z = memchr(in->client_order_id, 0, sizeof in->client_order_id - 1);
	size_t n = z ? (size_t)(z - in->client_order_id) : sizeof in->client_order_id - 1;
	memcpy(u->client_order_id, in->client_order_id, n);
	u->client_order_id[n] = '\0';
	u->state = TH_ORDER_REJECTED;
	u->side = in->side;
	u->qty = in->qty;
	u->price = in->price;
	u->price_scale = in->price_scale;
	u->qty_scale = in->qty_scale;
	th_strlcpy(u->reason, reason, sizeof u->reason);

	/* Remember it only when it can be keyed and attributed to a book. */
	if (b && in->client_order_id[0] && memchr(in->client_order_id, 0, sizeof in->client_order_id)) {
		sim_order *o = sim_order_new(e);
		if (o) {
			o->o = *in;
			sim_zero_tail(o->o.client_order_id, sizeof o->o.client_order_id);
			o->o.price_scale = b->inst.price_scale;
			o->o.qty_scale = b->inst.qty_scale;
			/* Keep the values only when they are at the book's scales already. */
			if (in->price_scale != b->inst.price_scale) {
				o->o.price = 0;
				o->o.stop_price = 0;
			}
			if (in->qty_scale != b->inst.qty_scale)
				o->o.qty = 0;
			o->book = (uint32_t)(b - e->books);
			o->state = TH_ORDER_REJECTED;
			o->phase = SIM_PH_DONE;
			o->order_no = e->next_order_no++;
			sim_set_reason(o, reason);
			if (sim_index_add(e, o, sim_clid_hash(o->o.client_order_id)) == TH_OK) {
				sim_venue_order_id(e, o->order_no, u->venue_order_id, sizeof u->venue_order_id);
				sim_retire(e, o); /* may free it at once (retain_closed 0) */
			} else {
				sim_order_free(e, o);
			}
		}
	}
	e->changes++;
	e->report(e->report_arg, &r);
	return TH_ERR_INVALID;
}

int sim_engine_submit(sim_engine *e, const th_order *in)
{
	char reason[SIM_REASON_MAX];
	if (!memchr(in->client_order_id, 0, sizeof in->client_order_id) || in->client_order_id[0] == '\0')
		return sim_reject(e, NULL, in, "client_order_id is empty or not terminated");

	/* Idempotency first: a resend must never create a second order, whatever it says. */
	uint64_t hash = sim_clid_hash(in->client_order_id);
	/* A new id's slot is written by sim_index_add below: a random line of
	 * a large table, cold in a long run. Requested now, the miss overlaps
	 * the lookup and the checks in between instead of holding up the
	 * stores that follow. */
	if (e->nslots)
		__builtin_prefetch(&e->slots[(size_t)hash & (e->nslots - 1)], 1);
	sim_order *dup = sim_find_hashed(e, in->client_order_id, hash);
	if (dup) {
		sim_report r;
		memset(&r, 0, sizeof r);
		r.kind = SIM_REPORT_ORDER;
		r.symbol = e->books[dup->book].inst.symbol;
		sim_order_snapshot(e, dup, &r.u.order);
		th_strlcpy(r.u.order.reason, "duplicate client order id: existing order unchanged",
		           sizeof r.u.order.reason);
		e->report(e->report_arg, &r);
		return TH_ERR_EXISTS;
	}

	if (!memchr(in->symbol, 0, sizeof in->symbol))
		return sim_reject(e, NULL, in, "symbol is not terminated");
	sim_book *b = sim_book_find(e, in->symbol);
	if (!b) {
		snprintf(reason, sizeof reason, "unknown symbol '%s'", in->symbol);
		return sim_reject(e, NULL, in, reason);
	}
	th_order norm;
	if (sim_validate(e, b, in, &norm, reason, sizeof reason) != 0)
		return sim_reject(e, b, in, reason);

	/* Checks against the standing market come before ACCEPTED is sent. */
	sim_liq standing_storage;
	const sim_liq *standing = sim_standing(b, e->cfg.respect_quote_size, &standing_storage);
	int is_stop = norm.type == TH_ORDER_STOP || norm.type == TH_ORDER_STOP_LIMIT;
	if (!is_stop && sim_precheck(e, b, &norm, norm.qty, standing, reason, sizeof reason) != 0)
		return sim_reject(e, b, &norm, reason);

	sim_order *o = sim_order_new(e);
	if (!o)
		return TH_ERR_NOMEM;
	o->o = norm;
	sim_zero_tail(o->o.client_order_id, sizeof o->o.client_order_id);
	o->book = (uint32_t)(b - e->books);
	o->state = TH_ORDER_ACCEPTED;
	o->phase = is_stop ? SIM_PH_TRIGGER : SIM_PH_ARRIVING;
	o->order_no = e->next_order_no++;
	o->seq = e->next_seq++;
	if (sim_index_add(e, o, hash) != TH_OK) {
		sim_order_free(e, o);
		return TH_ERR_NOMEM;
	}
	if (sim_book_add(e, b, o) != TH_OK) {
		sim_index_remove(e, o);
		sim_order_free(e, o);
		return TH_ERR_NOMEM;
	}
	e->changes++;
	sim_emit_order(e, o);

	if (is_stop) {
		/* A stop whose price the standing quote has already reached triggers now. */
		if (standing)
			sim_trigger(e, b, o, standing);
	} else {
		sim_activate(e, b, o, standing);
	}
	sim_sweep(e, b);
	return TH_OK;
}

int sim_engine_cancel(sim_engine *e, const char *clid)
{
	sim_order *o = sim_find(e, clid);
	if (!o) {
		sim_report r;
		memset(&r, 0, sizeof r);
		r.kind = SIM_REPORT_ORDER;
		r.symbol = sim_no_symbol;
		th_strlcpy(r.u.order.client_order_id, clid, sizeof r.u.order.client_order_id);
		r.u.order.state = TH_ORDER_ABSENT;
		th_strlcpy(r.u.order.reason, "cancel: no such order", sizeof r.u.order.reason);
		e->report(e->report_arg, &r);
		return TH_ERR_NOT_FOUND;
	}
	if (o->phase == SIM_PH_DONE) {
		sim_report r;
		memset(&r, 0, sizeof r);
		r.kind = SIM_REPORT_ORDER;
		r.symbol = e->books[o->book].inst.symbol;
		sim_order_snapshot(e, o, &r.u.order);
		th_strlcpy(r.u.order.reason, "cancel: order already finished", sizeof r.u.order.reason);
		e->report(e->report_arg, &r);
		return TH_ERR_STATE;
	}
	sim_finish(e, o, TH_ORDER_CANCELED, "canceled by request");
	sim_sweep(e, &e->books[o->book]);
	return TH_OK;
}

int sim_engine_query(sim_engine *e, const char *clid)
{
	sim_order *o = sim_find(e, clid);
	if (!o) {
		sim_report r;
		memset(&r, 0, sizeof r);
		r.kind = SIM_REPORT_ORDER;
		r.symbol = sim_no_symbol;
		th_strlcpy(r.u.order.client_order_id, clid, sizeof r.u.order.client_order_id);
		r.u.order.state = TH_ORDER_ABSENT;
		th_strlcpy(r.u.order.reason, "no such order", sizeof r.u.order.reason);
		e->report(e->report_arg, &r);
		return TH_ERR_NOT_FOUND;
	}
	/* Fills first, so the host can apply them before it sees the state they lead to. */
	for (size_t i = 0; i < o->nfills; i++)
		sim_emit_fill(e, o, &o->fills[i]);
	sim_emit_order(e, o);
	return TH_OK;
}

/* -------------------------------------------------------------- inspection */

const th_instrument *sim_engine_instruments(const sim_engine *e, size_t *count)
{
	*count = e->nbooks;
	return e->instruments;
}

int sim_engine_position(const sim_engine *e, const char *symbol, th_qty *qty, th_money *fees)
{
	const sim_book *b = sim_book_find(e, symbol);
	if (!b)
		return TH_ERR_NOT_FOUND;
	if (qty)
		*qty = b->position;
	if (fees)
		*fees = b->fees;
	return TH_OK;
}

int sim_engine_order(const sim_engine *e, const char *clid, th_order_update *out)
{
	const sim_order *o = sim_find(e, clid);
	if (!o)
		return TH_ERR_NOT_FOUND;
	sim_order_snapshot(e, o, out);
	return TH_OK;
}

size_t sim_engine_open_orders(const sim_engine *e)
{
	size_t n = 0;
	for (size_t i = 0; i < e->nbooks; i++)
		n += e->books[i].nopen;
	return n;
}

size_t sim_engine_each_order(const sim_engine *e, void (*fn)(void *arg, const char *symbol, const th_order_update *u),
                             void *arg)
{
	th_order_update u;
	size_t n = 0;
	for (size_t i = 0; i < e->nbooks; i++) {
		for (size_t k = 0; k < e->books[i].nopen; k++, n++) {
			sim_order_snapshot(e, e->books[i].open[k], &u);
			fn(arg, e->books[i].inst.symbol, &u);
		}
	}
	for (size_t k = 0; k < e->closed_count; k++, n++) {
		const sim_order *o = e->closed[(e->closed_head + k) % e->cfg.retain_closed];
		sim_order_snapshot(e, o, &u);
		fn(arg, e->books[o->book].inst.symbol, &u);
	}
	return n;
}

size_t sim_engine_closed_orders(const sim_engine *e)
{
	return e->closed_count;
}

uint64_t sim_engine_changes(const sim_engine *e)
{
	return e->changes;
}
