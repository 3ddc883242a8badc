/* Descriptor validation: every check names the field that is wrong, as
 * PostgreSQL's magic-block check does, so a vendor knows what to rebuild. */
#include "loader/loader.h"

#include <tradehost/tradehost.h>

#include <stdio.h>
#include <string.h>

#include "config/schema.h"

const char *loader_kind_name(uint32_t kind)
{
	switch (kind) {
	case TH_KIND_STRATEGY: return "strategy";
	case TH_KIND_EXCHANGE: return "exchange";
	case TH_KIND_RISK: return "risk";
	case TH_KIND_LLM: return "llm";
	default: return "unknown";
	}
}

int loader_kind_parse(const char *name)
{
	for (uint32_t k = TH_KIND_STRATEGY; k <= TH_KIND_LLM; k++)
		if (strcmp(name, loader_kind_name(k)) == 0)
			return (int)k;
	return -1;
}

static int valid_plugin_name(const char *s)
{
	size_t n = 0;
	if (!s || !*s)
		return 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return n < TH_NAME_MAX;
}

/* Smallest size of each kind's table at ABI 1.0 and whether its slots are set. */
static int check_kind_api(const th_plugin_desc *d, char *err, size_t errlen)
{
	const void *api = d->kind_api;
	if (d->kind == TH_KIND_STRATEGY) {
		const th_strategy_api *s = api;
		if (s && s->struct_size < sizeof(uint32_t)) {
			snprintf(err, errlen, "kind_api: strategy table struct_size %u is too small", s->struct_size);
			return -1;
		}
		return 0;
	}
	if (!api) {
		snprintf(err, errlen, "kind_api: missing mandatory %s table", loader_kind_name(d->kind));
		return -1;
	}
#define NEED_SLOT(type, slot)                                                                              \
	do {                                                                                               \
		const type *t = api;                                                                        \
		if (t->struct_size < offsetof(type, slot) + sizeof(t->slot)) {                              \
			snprintf(err, errlen, "kind_api: " #type " struct_size %u too small for ABI 1.0 (need %zu)", \
				t->struct_size, offsetof(type, slot) + sizeof(t->slot));                    \
			return -1;                                                                          \
		}                                                                                           \
		if (!t->slot) {                                                                             \
			snprintf(err, errlen, "kind_api: missing mandatory callback " #type "." #slot);       \
			return -1;                                                                          \
		}                                                                                           \
	} while (0)
	switch (d->kind) {
	case TH_KIND_EXCHANGE:
		NEED_SLOT(th_exchange_api, instruments);
		NEED_SLOT(th_exchange_api, submit);
		NEED_SLOT(th_exchange_api, cancel);
		NEED_SLOT(th_exchange_api, query);
		break;
	case TH_KIND_RISK:
		NEED_SLOT(th_risk_api, check);
		break;
	case TH_KIND_LLM:
		NEED_SLOT(th_llm_api, complete);
		break;
	}
#undef NEED_SLOT
	return 0;
}

int loader_check_desc(const th_plugin_desc *d, char *err, size_t errlen)
{
	if (!d) {
		snprintf(err, errlen, "entry function returned no descriptor");
		return -1;
	}
	if (d->abi_major != TH_ABI_MAJOR) {
		snprintf(err, errlen, "abi_major is %u, this host supports ABI major %d", d->abi_major, TH_ABI_MAJOR);
		return -1;
	}
	if (d->abi_minor > TH_ABI_MINOR) {
		snprintf(err, errlen, "abi_minor is %u, newer than this host's ABI %d.%d; upgrade the host",
			d->abi_minor, TH_ABI_MAJOR, TH_ABI_MINOR);
		return -1;
	}
	if (d->struct_size < TH_DESC_MIN_SIZE_1_0) {
		snprintf(err, errlen, "struct_size is %u, smaller than the %zu bytes an ABI 1.0 descriptor has",
			d->struct_size, (size_t)TH_DESC_MIN_SIZE_1_0);
		return -1;
	}
	if (d->kind < TH_KIND_STRATEGY || d->kind > TH_KIND_LLM) {
		snprintf(err, errlen, "kind is %u, expected 1 (strategy), 2 (exchange), 3 (risk) or 4 (llm)", d->kind);
		return -1;
	}
	if (!valid_plugin_name(d->name)) {
		snprintf(err, errlen, "name \"%s\" is not a valid plugin name ([a-z0-9_-]{1,31})", d->name ? d->name : "(null)");
		return -1;
	}
	if (!d->build_signature || strcmp(d->build_signature, TH_BUILD_SIGNATURE) != 0) {
		snprintf(err, errlen, "build_signature is \"%s\", this host is \"%s\" (not binary compatible)",
			d->build_signature ? d->build_signature : "(null)", TH_BUILD_SIGNATURE);
		return -1;
	}
	static const char *const names[] = { "create", "start", "stop", "destroy" };
	const void *cbs[] = { (const void *)d->create, (const void *)d->start, (const void *)d->stop,
		(const void *)d->destroy };
	for (size_t i = 0; i < 4; i++) {
		if (!cbs[i]) {
			snprintf(err, errlen, "missing mandatory callback %s", names[i]);
			return -1;
		}
	}
	if ((d->export_state == NULL) != (d->import_state == NULL)) {
		snprintf(err, errlen, "export_state and import_state must both be set or both be NULL");
		return -1;
	}
	if (check_kind_api(d, err, errlen) != 0)
		return -1;
	if (d->config_schema) {
		char serr[512];
		if (config_schema_check(d->config_schema, serr, sizeof serr) != 0) {
			snprintf(err, errlen, "config_schema: %s", serr);
			return -1;
		}
	}
	return 0;
}
