/*
 * Plugin loader: verified image -> dlopen -> descriptor checks.
 *
 * A module is one loaded .so (one generation of it). The host copies every
 * string out of the descriptor at load, so nothing the host keeps points into
 * the library except the descriptor's function pointers, which live exactly
 * as long as the module (it is dlclose'd only after every instance made from
 * it has been destroyed).
 */
#ifndef HOST_LOADER_LOADER_H
#define HOST_LOADER_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/th_plugin.h>

#include "loader/image.h"

typedef struct loader_policy {
	int require_signed;                /* verify <file>.sig before dlopen */
	const uint8_t (*trusted_keys)[32]; /* Ed25519 public keys */
	size_t ntrusted;
} loader_policy;

typedef struct loader_module {
	char *path;          /* the .so as found on disk */
	char *name;          /* copies of descriptor strings */
	char *version;
	char *description;
	uint32_t kind;
	uint32_t abi_major, abi_minor;
	uint8_t hash[32];    /* content hash of the loaded bytes */
	void *dl;            /* dlopen handle */
	image_t image;       /* the verified memfd copy; closed after dlclose */
	const th_plugin_desc *desc; /* points into the library; valid while loaded */
	int instances;       /* live instances created from this module */
} loader_module;

/* Load and validate one plugin file. On failure *out is NULL, nothing stays
 * loaded, and err names the file and what is wrong. */
int loader_load(const char *path, const loader_policy *policy, loader_module **out, char *err, size_t errlen);
void loader_unload(loader_module *m);

/* Descriptor checks, in the order the host applies them: abi_major,
 * abi_minor, struct_size, kind, name, build_signature, mandatory callbacks,
 * the kind's table, the config schema. Pure: testable without a library. */
int loader_check_desc(const th_plugin_desc *d, char *err, size_t errlen);

/* The module's config schema; a plugin without one has no keys. */
const th_config_field *loader_module_schema(const loader_module *m);

const char *loader_kind_name(uint32_t kind);   /* "strategy", ... or "unknown" */
int loader_kind_parse(const char *name);       /* -1 if unknown */

/* List the *.so files of a directory (sorted, full paths). Checks the
 * directory's trust first. Returns the count, or -1 with err set. The caller
 * frees each string and the array. */
int loader_scan_dir(const char *dir, char ***paths, char *err, size_t errlen);

#endif
