/* core_kit — versioned hot-reload blobs. */
#include "kit_blob.h"

#include <stdio.h>
#include <string.h>

int kit_blob_export_parts(const th_host_api *api, th_ctx *ctx, const char *magic, uint32_t version,
	const kit_blob_part *parts, size_t nparts, void **out, size_t *outlen)
{
	kit_blob_hdr h;
	size_t len = 0;
	for (size_t i = 0; i < nparts; i++)
		len += parts[i].len;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, magic, strnlen(magic, sizeof h.magic));
	h.version = version;
	h.size = len;
	unsigned char *p = api->alloc(ctx, sizeof h + len);
	if (!p)
		return TH_ERR_NOMEM;
	memcpy(p, &h, sizeof h);
	size_t at = sizeof h;
	for (size_t i = 0; i < nparts; i++) {
		memcpy(p + at, parts[i].data, parts[i].len);
		at += parts[i].len;
	}
	*out = p;
	*outlen = sizeof h + len;
	return TH_OK;
}

int kit_blob_export(const th_host_api *api, th_ctx *ctx, const char *magic, uint32_t version, const void *payload,
	size_t len, void **out, size_t *outlen)
{
	const kit_blob_part part = { payload, len };
	return kit_blob_export_parts(api, ctx, magic, version, &part, 1, out, outlen);
}

const void *kit_blob_payload(const void *blob, size_t len, const char *magic, uint32_t version, size_t want,
	char *why, size_t cap)
{
	kit_blob_hdr h;
	char m[sizeof h.magic];
	if (!blob || len < sizeof h) {
		snprintf(why, cap, "state blob too short (%zu bytes)", len);
		return NULL;
	}
	memcpy(&h, blob, sizeof h);
	memset(m, 0, sizeof m);
	memcpy(m, magic, strnlen(magic, sizeof m));
	if (memcmp(h.magic, m, sizeof m) != 0) {
		snprintf(why, cap, "state blob is not a %.8s state", magic);
		return NULL;
	}
	if (h.version != version) {
		snprintf(why, cap, "state version %u, this build reads version %u", h.version, version);
		return NULL;
	}
	if (h.size != want || len - sizeof h != want) {
		snprintf(why, cap, "state size %llu, expected %zu", (unsigned long long)h.size, want);
		return NULL;
	}
	return (const unsigned char *)blob + sizeof h;
}
