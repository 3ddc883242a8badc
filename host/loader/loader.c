/* Loading a plugin file: trust and signature checks on the exact bytes (image.c),
 * dlopen(RTLD_NOW | RTLD_LOCAL) of that verified copy, then the descriptor checks
 * before any plugin code other than the library's constructors and the entry
 * function runs. */
#include "loader/loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/image.h"
#include "loader/trust.h"

typedef const th_plugin_desc *(*entry_fn)(void);

/* When the v1 entry is missing, look for another major's entry so the error
 * can say "built for ABI 2" instead of "symbol not found". */
static void explain_missing_entry(void *dl, const char *path, char *err, size_t errlen)
{
	for (int major = 0; major < 16; major++) {
		char sym[64];
		if (major == TH_ABI_MAJOR)
			continue;
		snprintf(sym, sizeof sym, "th_plugin_entry_v%d", major);
		if (dlsym(dl, sym)) {
			snprintf(err, errlen, "%s: abi_major: plugin exports %s (ABI major %d); this host supports ABI major %d",
				path, sym, major, TH_ABI_MAJOR);
			return;
		}
	}
	snprintf(err, errlen, "%s: not a tradehost plugin: no exported symbol %s", path, TH_ENTRY_SYMBOL);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

int loader_load(const char *path, const loader_policy *policy, loader_module **out, char *err, size_t errlen)
{
	image_t img;
	char ierr[512];
	*out = NULL;
	if (image_open(path, policy->require_signed, policy->trusted_keys, policy->ntrusted, &img, ierr, sizeof ierr) != 0) {
		snprintf(err, errlen, "%s", ierr);
		return -1;
	}
	/* The image stays open as long as the library is loaded (see image.h:
	 * a reused /proc/self/fd/N path would make dlopen return a stale handle). */
	void *dl = dlopen(img.dl_path, RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		const char *why = dlerror();
		snprintf(err, errlen, "%s: cannot load: %s", path, why ? why : "unknown dlopen error");
		image_close(&img);
		return -1;
	}
	entry_fn entry;
	void *sym = dlsym(dl, TH_ENTRY_SYMBOL);
	if (!sym) {
		explain_missing_entry(dl, path, err, errlen);
		dlclose(dl);
		image_close(&img);
		return -1;
	}
	memcpy(&entry, &sym, sizeof entry); /* object -> function pointer without a cast warning */
	const th_plugin_desc *d = entry();
	char derr[512];
	if (loader_check_desc(d, derr, sizeof derr) != 0) {
		snprintf(err, errlen, "%s: bad descriptor: %s", path, derr);
		dlclose(dl);
		image_close(&img);
		return -1;
	}
	loader_module *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "%s: out of memory", path);
		dlclose(dl);
		image_close(&img);
		return -1;
	}
	m->image = img;
	m->path = strdup(path);
	m->name = dup_or_empty(d->name);
	m->version = dup_or_empty(d->version);
	m->description = dup_or_empty(d->description);
	m->kind = d->kind;
	m->abi_major = d->abi_major;
	m->abi_minor = d->abi_minor;
	memcpy(m->hash, img.hash, sizeof m->hash);
	m->dl = dl;
	m->desc = d;
	if (!m->path || !m->name || !m->version || !m->description) {
		loader_unload(m);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	*out = m;
	return 0;
}

const th_config_field *loader_module_schema(const loader_module *m)
{
	static const th_config_field no_keys[] = { TH_CONFIG_END };
	return m->desc->config_schema ? m->desc->config_schema : no_keys;
}

void loader_unload(loader_module *m)
{
	if (!m)
		return;
	if (m->dl)
		dlclose(m->dl);
	image_close(&m->image);
	free(m->path);
	free(m->name);
	free(m->version);
	free(m->description);
	free(m);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int loader_scan_dir(const char *dir, char ***paths, char *err, size_t errlen)
{
	*paths = NULL;
	if (trust_check_dir(dir, err, errlen) != 0)
		return -1;
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "plugin directory %s: %s", dir, strerror(errno));
		return -1;
	}
	size_t n = 0, cap = 0;
	char **list = NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 || e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **grown = realloc(list, cap * sizeof *list);
			if (!grown)
				goto oom;
			list = grown;
		}
		if (asprintf(&list[n], "%s/%s", dir, e->d_name) < 0)
			goto oom;
		n++;
	}
	closedir(d);
	qsort(list, n, sizeof *list, cmp_str);
	*paths = list;
	return (int)n;
oom:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	snprintf(err, errlen, "out of memory scanning %s", dir);
	return -1;
}
