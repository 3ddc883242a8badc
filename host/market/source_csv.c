/*
 * market — replay source over CSV bar files, one per symbol, merged by event
 * time (ties in input order) with optional time range and resampling.
 *
 * Each file is a stream with a one-bar head; a binary min-heap over the heads
 * keyed by (event time, input index) picks the next event, so replaying N
 * files costs O(log N) per bar and the order never depends on anything but
 * the data and the input order.
 */
#include "market/source.h"
#include "market/source_internal.h"
#include "market/market_err.h"
#include "market/resample.h"

#include <stdlib.h>
#include <string.h>

typedef struct csv_stream {
	csv_bars *reader;
	char *path;
	resampler rs;
	int rs_ready;
	th_bar queue[RESAMPLE_MAX_OUT + 1]; /* bars ready to become the head */
	size_t qpos, qlen;
	int done;
	th_bar head;
	int64_t head_ts;
} csv_stream;

typedef struct csv_source {
	market_source base;
	size_t n;
	csv_stream *streams;
	th_instrument *instruments;
	size_t *heap;      /* stream indices with a head */
	size_t heap_len;
	int started;
} csv_source;

static void queue_push(csv_stream *st, const th_bar *b)
{
	if (st->qpos == st->qlen)
		st->qpos = st->qlen = 0;
	st->queue[st->qlen++] = *b;
}

/* Data for this stream ended (EOF or past to_ns): close what the options allow. */
static void stream_finish(csv_stream *st, const market_source_options *o)
{
	th_bar bar;
	st->done = 1;
	if (!o->resample_ns || !st->rs_ready)
		return;
	if (o->to_ns && resample_advance(&st->rs, o->to_ns, &bar))
		queue_push(st, &bar);
	else if (o->flush_partial && resample_flush(&st->rs, &bar))
		queue_push(st, &bar);
}

/* Next output bar of one stream: 1, 0 at its end, -1 on error. */
static int stream_pull(csv_stream *st, const market_source_options *o, th_bar *out, char *err, size_t errlen)
{
	for (;;) {
		if (st->qpos < st->qlen) {
			*out = st->queue[st->qpos++];
			return 1;
		}
		if (st->done)
			return 0;
		th_bar b;
		int rc = csv_bars_next(st->reader, &b, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0 || (o->to_ns && b.open_time_ns >= o->to_ns)) {
			stream_finish(st, o); /* files are in time order: nothing in range follows */
			continue;
		}
		if (b.open_time_ns < o->from_ns)
			continue;
		if (!o->resample_ns) {
			*out = b;
			return 1;
		}
		if (!st->rs_ready) {
			char why[256];
			if (resample_init(&st->rs, b.interval_ns, o->resample_ns, why, sizeof why) != 0)
				return market_err(err, errlen, "%s: %s", st->path, why);
			st->rs_ready = 1;
		}
		th_bar done[RESAMPLE_MAX_OUT];
		char why[256];
		int k = resample_bar(&st->rs, &b, done, why, sizeof why);
		if (k < 0)
			return market_err(err, errlen, "%s: %s", st->path, why);
		for (int j = 0; j < k; j++)
			queue_push(st, &done[j]);
	}
}

static int heap_less(const csv_source *s, size_t a, size_t b)
{
	int64_t ta = s->streams[a].head_ts, tb = s->streams[b].head_ts;
	return ta < tb || (ta == tb && a < b);
}

static void heap_sift_down(csv_source *s, size_t i)
{
	size_t *h = s->heap;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->heap_len && heap_less(s, h[l], h[m]))
			m = l;
		if (r < s->heap_len && heap_less(s, h[r], h[m]))
			m = r;
		if (m == i)
			return;
		size_t t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void heap_sift_up(csv_source *s, size_t i)
{
	size_t *h = s->heap;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!heap_less(s, h[i], h[p]))
			return;
		size_t t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* Load the next head of stream i into the heap (or leave it out at its end). */
static int refill_head(csv_source *s, size_t i, int replace_top, char *err, size_t errlen)
{
	csv_stream *st = &s->streams[i];
	int rc = stream_pull(st, &s->base.opt, &st->head, err, errlen);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		st->head_ts = st->head.open_time_ns + st->head.interval_ns;
		if (replace_top) {
			heap_sift_down(s, 0);
		} else {
			s->heap[s->heap_len++] = i;
			heap_sift_up(s, s->heap_len - 1);
		}
	} else if (replace_top) {
		s->heap[0] = s->heap[--s->heap_len];
		if (s->heap_len)
			heap_sift_down(s, 0);
	}
	return 0;
}

static int csv_source_next(market_source *src, th_event *out, char *err, size_t errlen)
{
	csv_source *s = (csv_source *)src;
	if (!s->started) {
		s->started = 1;
		for (size_t i = 0; i < s->n; i++)
			if (refill_head(s, i, 0, err, errlen) != 0)
				return -1;
	}
	if (s->heap_len == 0)
		return 0;
	size_t i = s->heap[0];
	market_source_bar_event(out, &s->instruments[i], &s->streams[i].head);
	if (refill_head(s, i, 1, err, errlen) != 0)
		return -1;
	return 1;
}

static const th_instrument *csv_source_instruments(const market_source *src, size_t *count)
{
	const csv_source *s = (const csv_source *)src;
	if (count)
		*count = s->n;
	return s->instruments;
}

static void csv_source_destroy(market_source *src)
{
	csv_source *s = (csv_source *)src;
	for (size_t i = 0; s->streams && i < s->n; i++) {
		csv_bars_close(s->streams[i].reader);
		free(s->streams[i].path);
	}
	free(s->streams);
	free(s->instruments);
	free(s->heap);
	free(s);
}

static const market_source_ops csv_source_ops = { csv_source_next, csv_source_instruments, csv_source_destroy };

static int check_input(const market_csv_input *in, size_t i, const market_csv_input *all, char *err, size_t errlen)
{
	const th_instrument *ins = &in->instrument;
	if (!in->path || !in->path[0])
		return market_err(err, errlen, "inputs[%zu].path: must be set", i);
	if (!memchr(ins->venue, '\0', sizeof ins->venue) || !ins->venue[0])
		return market_err(err, errlen, "%s: instrument.venue must be a non-empty name of at most %d characters",
		                  in->path, TH_VENUE_MAX - 1);
	if (!memchr(ins->symbol, '\0', sizeof ins->symbol) || !ins->symbol[0])
		return market_err(err, errlen, "%s: instrument.symbol must be a non-empty name of at most %d characters",
		                  in->path, TH_SYMBOL_MAX - 1);
	for (size_t j = 0; j < i; j++)
		if (strcmp(all[j].instrument.symbol, ins->symbol) == 0 && strcmp(all[j].instrument.venue, ins->venue) == 0)
			return market_err(err, errlen, "%s: symbol %s on venue \"%s\" is already fed by %s", in->path,
			                  ins->symbol, ins->venue, all[j].path);
	return 0;
}

market_source *market_source_csv(const market_csv_input *inputs, size_t n, const market_source_options *opt,
                                 char *err, size_t errlen)
{
	market_source_options none = { 0 };
	if (!opt)
		opt = &none;
	if (market_source_check_options(opt, err, errlen) != 0)
		return NULL;
	if (n == 0) {
		market_err(err, errlen, "market source: no CSV inputs");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (check_input(&inputs[i], i, inputs, err, errlen) != 0)
			return NULL;

	csv_source *s = calloc(1, sizeof *s);
	if (!s) {
		market_err(err, errlen, "market source: out of memory");
		return NULL;
	}
	s->base.ops = &csv_source_ops;
	s->base.opt = *opt;
	s->n = n;
	s->streams = calloc(n, sizeof *s->streams);
	s->instruments = calloc(n, sizeof *s->instruments);
	s->heap = calloc(n, sizeof *s->heap);
	if (!s->streams || !s->instruments || !s->heap) {
		csv_source_destroy(&s->base);
		market_err(err, errlen, "market source: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const market_csv_input *in = &inputs[i];
		th_instrument *ins = &s->instruments[i];
		/* copy field by field so unused bytes are zero: events copy these arrays whole */
		th_strlcpy(ins->venue, in->instrument.venue, sizeof ins->venue);
		th_strlcpy(ins->symbol, in->instrument.symbol, sizeof ins->symbol);
		if (memchr(in->instrument.base, '\0', sizeof ins->base))
			th_strlcpy(ins->base, in->instrument.base, sizeof ins->base);
		if (memchr(in->instrument.quote, '\0', sizeof ins->quote))
			th_strlcpy(ins->quote, in->instrument.quote, sizeof ins->quote);
		ins->price_scale = in->instrument.price_scale;
		ins->qty_scale = in->instrument.qty_scale;
		ins->tick = in->instrument.tick;
		ins->lot = in->instrument.lot;
		ins->min_qty = in->instrument.min_qty;
		ins->min_notional = in->instrument.min_notional;

		csv_bars_options co = { in->format, ins->price_scale, ins->qty_scale, in->interval_ns, in->rounding };
		s->streams[i].path = strdup(in->path);
		s->streams[i].reader = csv_bars_open(in->path, &co, err, errlen);
		if (!s->streams[i].path || !s->streams[i].reader) {
			if (!s->streams[i].path)
				market_err(err, errlen, "market source: out of memory");
			csv_source_destroy(&s->base);
			return NULL;
		}
	}
	return &s->base;
}
