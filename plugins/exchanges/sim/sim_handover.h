/*
 * sim — the messages in the venue's latency queues, and the hot-reload
 * hand-over blob that carries them with the engine state.
 *
 * Persistence saves the engine state only (a crash loses what was "on the
 * network"; the host queries). A hot reload must lose nothing: the old
 * instance is destroyed right after the switch, so export_state also carries
 * the requests not yet matched and the reports not yet published, with their
 * due times on the host clock; the new instance delivers them on schedule.
 */
#ifndef SIM_HANDOVER_H
#define SIM_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

#include "engine.h"
#include "sim_fifo.h"

enum sim_request_kind { SIM_REQ_SUBMIT = 1, SIM_REQ_CANCEL = 2, SIM_REQ_QUERY = 3 };

/* host -> engine, in the inbox */
typedef struct sim_request {
	int64_t due_ns;
	uint32_t kind;  /* sim_request_kind */
	th_order order; /* SUBMIT: the order; CANCEL/QUERY: only client_order_id */
} sim_request;

/* A report as the event it is published as: the first th_event_size()
 * bytes of a th_event (header, then the ORDER or FILL payload), the only
 * bytes publish() reads. Built in place in the outbox (sim_plugin.c) so the
 * report is not copied again into a th_event on the stack for publishing;
 * the asserts keep the layout that of th_event. */
typedef struct sim_report_event {
	th_event_header h;
	union {
		th_order_update order;
		th_fill fill;
	} u;
} sim_report_event;
_Static_assert(offsetof(sim_report_event, u) == offsetof(th_event, u), "sim_report_event is a th_event prefix");
_Static_assert(offsetof(th_event, h) == 0 && _Alignof(sim_report_event) >= _Alignof(th_event),
               "sim_report_event is a th_event prefix");

/* engine -> host, in the outbox. ev.h carries the type, the venue (the
 * instance's name, set by the glue), the symbol (zero-padded) and the size;
 * the rest of the header is zero. */
typedef struct sim_outgoing {
	int64_t due_ns;
	uint32_t kind; /* sim_report_kind */
	sim_report_event ev;
} sim_outgoing;

/* The event to publish for outbox entry `m`. */
static inline const th_event *sim_outgoing_event(const sim_outgoing *m)
{
	return (const th_event *)(const void *)&m->ev;
}

/* Blob: "SIMX" u16 version=1 u16 0, u32 engine_len + the engine state
 * (engine_codec.c), u32 n + requests, u32 n + reports. snprintf-style: *len
 * is the full size; TH_ERR_LIMIT if cap was too small. */
int sim_handover_encode(const sim_engine *e, const sim_fifo *inbox, const sim_fifo *outbox, void *buf, size_t cap,
                        size_t *len);
/* Accepts a hand-over blob, or a bare engine state (then the queues are left
 * as they are). All or nothing: on failure nothing changes and `err` says why. */
int sim_handover_decode(sim_engine *e, sim_fifo *inbox, sim_fifo *outbox, const void *buf, size_t len, char *err,
                        size_t errcap);

#endif
