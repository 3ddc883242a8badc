/*
 * bench_ws_fanout: shared state between the server loop (main thread) and
 * the client loop (a second thread with its own event_base).
 */
#ifndef BENCH_WS_BENCH_WS_H
#define BENCH_WS_BENCH_WS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { BW_MODE_WS, BW_MODE_RAW } bw_mode;

typedef struct bw_run {
	bw_mode mode;
	uint16_t port;
	size_t clients;
	size_t messages;
	/* written by the client thread */
	atomic_size_t connected;   /* WS: subscribed; raw: connected */
	atomic_size_t delivered;   /* messages received, all clients */
	atomic_size_t failed;      /* connections lost or refused */
	atomic_bool stop;          /* set by the main thread */
	uint32_t *lat_ns;          /* one sample per delivery (capacity clients * messages) */
	atomic_size_t nlat;
} bw_run;

uint64_t bw_now_ns(void);        /* CLOCK_MONOTONIC */
uint64_t bw_thread_cpu_ns(void); /* CLOCK_THREAD_CPUTIME_ID */

/* The client thread: opens run->clients connections to 127.0.0.1:run->port,
 * subscribes (WS) and records the latency of every message until run->stop. */
void *bw_client_thread(void *run);

#endif
