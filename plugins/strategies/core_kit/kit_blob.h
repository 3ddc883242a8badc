/*
 * core_kit — hot-reload hand-over blobs: a small header (magic, version,
 * payload size) in front of the strategy's plain-data state. import refuses
 * a blob of another strategy, another state version or another size, naming
 * which, and changes nothing then (the reload fails rather than trading on a
 * misread state).
 */
#ifndef KIT_BLOB_H
#define KIT_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

typedef struct kit_blob_hdr {
	char magic[8];      /* e.g. "MOMENTUM", not NUL-terminated when 8 long */
	uint32_t version;   /* the strategy's state layout version */
	uint32_t reserved;
	uint64_t size;      /* payload bytes that follow */
} kit_blob_hdr;

/* One piece of a payload made of several plain-data structs, in order. */
typedef struct kit_blob_part {
	const void *data;
	size_t len;
} kit_blob_part;

/* Allocate (api->alloc) header + the parts one after the other into *out. */
int kit_blob_export_parts(const th_host_api *api, th_ctx *ctx, const char *magic, uint32_t version,
	const kit_blob_part *parts, size_t nparts, void **out, size_t *outlen);

/* Allocate (api->alloc) header + payload copy into *out. */
int kit_blob_export(const th_host_api *api, th_ctx *ctx, const char *magic, uint32_t version, const void *payload,
	size_t len, void **out, size_t *outlen);

/* Check the header and return the payload (borrowed from blob) or NULL with
 * the reason in why. */
const void *kit_blob_payload(const void *blob, size_t len, const char *magic, uint32_t version, size_t want,
	char *why, size_t cap);

#endif
