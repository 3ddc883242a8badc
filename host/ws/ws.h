/*
 * ws — WebSocket (RFC 6455), written here.
 *
 * Two layers:
 *  - the frame codec (ws_frame.h): pure functions over byte buffers that
 *    encode and decode frames for either role (server: unmasked out, masked
 *    in; client: the reverse), reassemble fragmented messages, validate
 *    UTF-8 of text messages, and enforce size limits; it reads no socket, so
 *    exchange connectors can reuse it as a client;
 *  - the server hub (this header): connections taken over from the HTTP
 *    server after the upgrade handshake, topic subscriptions, per-client
 *    bounded queues; a client whose queue overflows is disconnected (close
 *    1008), never allowed to stall the loop or grow memory.
 *
 * Client protocol (JSON text messages):
 *   -> {"op":"subscribe","topics":["orders","market:BTC-USDT"]}
 *   -> {"op":"unsubscribe","topics":[...]}
 *   -> {"op":"ping"}
 *   <- {"type":"subscribed","topics":[...]}
 *   <- {"type":"error","code":"...","message":"..."}
 *   <- {"topic":"orders","data":{...}}           (published messages)
 * A topic is a name ("orders") or a name with a key ("market:BTC-USDT");
 * subscribing to "market" receives every key of it.
 */
#ifndef HOST_WS_WS_H
#define HOST_WS_WS_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
typedef struct http_request http_request;

typedef struct ws_hub ws_hub;

typedef struct ws_hub_options {
	size_t max_clients;          /* default 4096 */
	size_t max_queue_bytes;      /* per client, default 1 MiB: over it -> disconnect */
	size_t max_message_bytes;    /* incoming message limit, default 64 KiB -> close 1009 */
	uint32_t ping_interval_ms;   /* server pings, default 20000; no pong for two intervals -> close */
	const char *const *topics;   /* accepted topic names (NULL-terminated); others get an error message */
} ws_hub_options;

ws_hub *ws_hub_create(struct event_base *base, const ws_hub_options *opt);
void ws_hub_free(ws_hub *h);     /* closes every client */

/* Upgrade an HTTP request (GET with Upgrade: websocket, Connection: Upgrade,
 * Sec-WebSocket-Version: 13 and a valid Sec-WebSocket-Key) and take the
 * connection; answers 400/426 itself when the handshake is wrong. `user` is
 * an opaque label for logs (the token name). Returns 0 if upgraded. */
int ws_hub_accept(ws_hub *h, http_request *req, const char *user);

/* Send `json` (a complete JSON object text, copied) as
 * {"topic":"<topic>[:<key>]","data":<json>} to every client subscribed to
 * topic or topic:key. key may be NULL. Returns the number of clients queued. */
size_t ws_hub_publish(ws_hub *h, const char *topic, const char *key, const char *json, size_t len);

typedef struct ws_hub_stats {
	size_t clients;
	uint64_t messages_sent, messages_received, dropped_slow, closed_protocol;
	size_t queued_bytes;
} ws_hub_stats;
void ws_hub_stats_get(const ws_hub *h, ws_hub_stats *out);

#endif
