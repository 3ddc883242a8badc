/*
 * Private to th_ws: the hub and its clients. One event loop thread, no locks.
 *
 * Lifetime of a client: OPEN after the upgrade; CLOSING once either side
 * sent a close frame (ours is queued, nothing else is queued after it, input
 * is discarded); when our close frame is flushed the write side is shut
 * down (FIN) and the client is destroyed at the peer's EOF, on a socket
 * error, or when the close timer fires (if the peer's EOF came first, as
 * soon as our close frame is flushed). Only those event callbacks and
 * ws_hub_free destroy a client, so code that runs while reading a message
 * or publishing can always touch the client safely.
 */
#ifndef HOST_WS_WS_HUB_INTERNAL_H
#define HOST_WS_WS_HUB_INTERNAL_H

#include "ws/ws.h"
#include "ws/ws_frame.h"

#include <stdbool.h>

struct bufferevent;
struct event;

#define WS_CLOSE_TIMEOUT_MS 3000   /* how long a closing connection may linger */
#define WS_MAX_SUBSCRIPTIONS 256   /* per client */
#define WS_MAX_TOPIC_LEN 128

typedef enum ws_client_state { WS_CLIENT_OPEN, WS_CLIENT_CLOSING } ws_client_state;

typedef struct ws_client {
	struct ws_hub *hub;
	struct ws_client *prev, *next;
	struct bufferevent *bev;
	char *user;
	char peer[64];
	ws_reader reader;
	ws_client_state state;
	bool write_shut;          /* FIN sent after our close frame was flushed */
	bool peer_eof;            /* the peer's FIN arrived while our close frame was still queued */
	unsigned missed_pongs;
	struct event *close_timer;
	char **subs;              /* "topic" or "topic:key" */
	size_t nsubs, subs_cap;
} ws_client;

struct ws_hub {
	struct event_base *base;
	ws_hub_options opt;
	char **topics;            /* copy of opt.topics; NULL = any topic */
	size_t ntopics;
	ws_client *head;
	size_t nclients;
	struct event *ping_timer;
	uint64_t messages_sent, messages_received, dropped_slow, closed_protocol;
};

/* Take an upgraded connection (the 101 response already queued on bev);
 * `peer` is for logs. Processes bytes already in bev's input. */
ws_client *ws_hub_adopt(ws_hub *h, struct bufferevent *bev, const char *user, const char *peer);

/* Queue one frame to the client, bounded by max_queue_bytes: over the bound
 * the client is closed with 1008 (counted as dropped_slow). Returns 0 if
 * queued, -1 if the client is closing or was just dropped. Data frames
 * count in messages_sent. */
int ws_client_send(ws_client *c, ws_opcode op, const void *payload, size_t len);
/* Whether len more bytes fit in the client's queue; if not, the client is
 * closed with 1008 and counted as dropped_slow. False when closing. */
bool ws_client_has_room(ws_client *c, size_t len);
/* Queue an already encoded frame (the same bytes for many clients); the
 * caller counts it. */
int ws_client_send_raw(ws_client *c, const void *frame, size_t len);
/* Send a text message built by the control protocol. */
int ws_client_send_text(ws_client *c, const char *text);
/* Start the close handshake: queue a close frame with code (0 = no code)
 * and stop sending anything else. No-op when already closing. */
void ws_client_close(ws_client *c, uint16_t code, const char *reason);
/* Unlink and free at once (event callbacks and ws_hub_free only). */
void ws_client_destroy(ws_client *c);

/* The JSON control protocol (ws_control.c): one text message from a client. */
void ws_control_handle(ws_client *c, const uint8_t *text, size_t len);

/* Subscriptions (ws_subs.c). */
bool ws_subs_match(const ws_client *c, const char *topic, size_t topic_len, const char *key);
/* Returns 0, 1 if already present, -1 when the client has too many or on allocation failure. */
int ws_subs_add(ws_client *c, const char *sub);
bool ws_subs_remove(ws_client *c, const char *sub);
void ws_subs_clear(ws_client *c);
/* NULL if `sub` names an accepted topic with a well-formed key; else why not. */
const char *ws_subs_validate(const ws_hub *h, const char *sub);

#endif
