/*
 * core_kit — the last bars a strategy has seen, kept as fixed-point plain data.
 *
 * th_ta indicator states own heap buffers and their fields are private, so a
 * strategy cannot copy them into export_state. Instead it keeps the bars it
 * fed them here and, on import_state, replays them into fresh indicators.
 * While fewer than KIT_HIST_CAP bars have been seen the replay is exact (the
 * same updates in the same order: bit-identical indicator values). Later it
 * starts KIT_HIST_CAP bars back: windowed indicators are still exact (if the
 * window fits), exponential ones (EMA, Wilder RSI/ATR) differ by the weight
 * of the forgotten bars, (1 - 2/(n+1))^2048 — below 1e-8 for n <= 200.
 */
#ifndef KIT_HIST_H
#define KIT_HIST_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#define KIT_HIST_CAP 2048u

typedef struct kit_hbar {
	int64_t open_time_ns;
	th_price open, high, low, close;
	th_qty volume;
} kit_hbar;

typedef struct kit_hist {
	uint64_t total;           /* bars ever pushed */
	uint32_t head, count;     /* bars[head] is the next slot; count <= KIT_HIST_CAP */
	int32_t price_scale, qty_scale;
	kit_hbar bars[KIT_HIST_CAP];
} kit_hist;

void kit_hist_init(kit_hist *h);
void kit_hist_push(kit_hist *h, const th_bar *b);
/* i = 0 is the oldest kept bar, count - 1 the newest. */
const kit_hbar *kit_hist_at(const kit_hist *h, uint32_t i);
/* ago = 0 is the newest bar; NULL if not kept. */
const kit_hbar *kit_hist_back(const kit_hist *h, uint32_t ago);
/* The bar as a th_bar at the kept scales (for replays). */
void kit_hist_bar(const kit_hist *h, const kit_hbar *hb, th_bar *out);

#endif
