/*
 * tradehost SDK — plugin descriptor, entry symbol and lifecycle.
 *
 * A plugin .so exports exactly one symbol, th_plugin_entry_v<MAJOR>, which
 * returns a pointer to a static th_plugin_desc. The host reads abi_major,
 * abi_minor, struct_size, kind and name first and refuses the plugin, naming
 * the field, if any is wrong — before it calls anything else in the plugin.
 *
 * Versioning rules:
 *   - abi_major must equal the host's. A change that removes or reorders
 *     anything is a new major, and the entry symbol's name changes with it,
 *     so an old plugin cannot even be found by a new host.
 *   - abi_minor must be <= the host's: minors only append fields at the end
 *     of structs and slots at the end of tables; struct_size tells the host
 *     how much of the descriptor the plugin knows.
 *
 * Lifecycle of an instance (one .so can back many instances, one per TOML
 * entry): create -> start -> (events, timers) -> stop -> destroy. stop must be
 * idempotent. For hot reload the host may call export_state on the old
 * instance and import_state on the new one before switching routing to it.
 *
 * Ownership: the descriptor and every string it points to are owned by the
 * plugin and must be static; the host copies the strings it keeps, so nothing
 * dangles after dlclose. The instance pointer set by create() is owned by the
 * plugin and released by destroy().
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_PLUGIN_H
#define TRADEHOST_TH_PLUGIN_H

#include <stddef.h>
#include <stdint.h>
#include "th_config.h"
#include "th_host.h"
#include "th_status.h"

#define TH_ABI_MAJOR 1
#define TH_ABI_MINOR 1

#define TH_ENTRY_NAME th_plugin_entry_v1
#define TH_ENTRY_SYMBOL "th_plugin_entry_v1"

#define TH_STRINGIFY_(x) #x
#define TH_STRINGIFY(x) TH_STRINGIFY_(x)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define TH_BUILD_ENDIAN_ "be"
#else
#define TH_BUILD_ENDIAN_ "le"
#endif
/* Binary-compatibility fingerprint (as nginx's module signature): pointer
 * size and byte order. Must equal the host's. */
#define TH_BUILD_SIGNATURE "ptr" TH_STRINGIFY(__SIZEOF_POINTER__) "-" TH_BUILD_ENDIAN_

#if defined(__GNUC__)
#define TH_EXPORT __attribute__((visibility("default")))
#else
#define TH_EXPORT
#endif

typedef enum th_plugin_kind {
	TH_KIND_STRATEGY = 1, /* kind_api: const th_strategy_api * (th_strategy.h) */
	TH_KIND_EXCHANGE = 2, /* kind_api: const th_exchange_api * (th_exchange.h) */
	TH_KIND_RISK = 3,     /* kind_api: const th_risk_api * (th_risk.h) */
	TH_KIND_LLM = 4       /* kind_api: const th_llm_api * (th_llm.h) */
} th_plugin_kind;

typedef struct th_plugin_desc {
	uint32_t abi_major;      /* TH_ABI_MAJOR the plugin was built with */
	uint32_t abi_minor;      /* TH_ABI_MINOR the plugin was built with */
	uint32_t struct_size;    /* sizeof(th_plugin_desc) as the plugin was compiled */
	uint32_t kind;           /* th_plugin_kind */
	const char *name;        /* unique plugin name, [a-z0-9_-]{1,31} */
	const char *version;     /* the plugin's own version, e.g. "1.2.0" */
	const char *description; /* one line */
	const char *build_signature; /* TH_BUILD_SIGNATURE */
	const th_config_field *config_schema; /* terminated by TH_CONFIG_END; may be NULL (no keys) */

	/* Mandatory. Read configuration through `api`, allocate the instance and
	 * store it in *instance. `api` and `ctx` stay valid until destroy; keep
	 * them. On failure call api->set_error() and return a th_status < 0; the
	 * host then never calls destroy for this instance (free what you made). */
	int (*create)(const th_host_api *api, th_ctx *ctx, void **instance);
	/* Mandatory. Subscribe, start timers. May publish. */
	int (*start)(void *instance);
	/* Mandatory, idempotent. The host also drops the instance's remaining
	 * subscriptions and timers after stop returns. */
	int (*stop)(void *instance);
	/* Mandatory. Free the instance and everything it owns. */
	void (*destroy)(void *instance);

	/* Optional (NULL): hot-reload state hand-over. export_state allocates *data
	 * with api->alloc; the host frees it with api->free after import_state of
	 * the new instance returned. import_state borrows `data` for the call and
	 * runs after create and before start of the new instance. */
	int (*export_state)(void *instance, void **data, size_t *len);
	int (*import_state)(void *instance, const void *data, size_t len);

	/* The kind's table (see th_plugin_kind); mandatory for exchange, risk and
	 * llm, optional for strategy. Static, owned by the plugin. */
	const void *kind_api;
} th_plugin_desc;

/* Smallest descriptor a plugin of ABI 1.0 may present. */
#define TH_DESC_MIN_SIZE_1_0 (offsetof(th_plugin_desc, kind_api) + sizeof(const void *))

/* Declares the entry symbol; define it with TH_PLUGIN_DEFINE(desc). */
TH_EXPORT const th_plugin_desc *TH_ENTRY_NAME(void);

#define TH_PLUGIN_DEFINE(desc_var) \
	TH_EXPORT const th_plugin_desc *TH_ENTRY_NAME(void) { return &(desc_var); }

/* Fills the header fields of a descriptor initialiser:
 *   static const th_plugin_desc desc = { TH_PLUGIN_HEADER(TH_KIND_RISK, "limits"), .version = ... }; */
#define TH_PLUGIN_HEADER(kind_, name_) \
	.abi_major = TH_ABI_MAJOR, .abi_minor = TH_ABI_MINOR, .struct_size = sizeof(th_plugin_desc), \
	.kind = (kind_), .name = (name_), .build_signature = TH_BUILD_SIGNATURE

#endif
