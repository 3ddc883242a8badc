/* The token store: create, revoke and check bearer tokens. Only hashes are
 * kept (see auth.h); the plaintext exists once, in auth_create's output. */
#include "auth/auth_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sodium_ready(void)
{
	/* sodium_init is idempotent and thread-safe; < 0 means no usable RNG. */
	return sodium_init() >= 0;
}

int auth_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n >= AUTH_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
			    c == '-'))
			return 0;
	}
	return 1;
}

static void hash_token(const char *token, size_t len, unsigned char out[AUTH_HASH_BYTES])
{
	crypto_generichash(out, AUTH_HASH_BYTES, (const unsigned char *)token, len, NULL, 0);
}

auth_store *auth_open(const char *path, char *err, size_t errlen)
{
	if (!sodium_ready()) {
		snprintf(err, errlen, "libsodium failed to initialise (no random source?)");
		return NULL;
	}
	auth_store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (auth_file_read(s, err, errlen) != 0) {
		auth_close(s);
		return NULL;
	}
	return s;
}

void auth_close(auth_store *s)
{
	if (!s)
		return;
	sodium_memzero(s->entries, s->cap * sizeof *s->entries);
	free(s->entries);
	free(s->path);
	free(s);
}

size_t auth_count(const auth_store *s)
{
	return s ? s->n : 0;
}

int auth_at(const auth_store *s, size_t i, auth_token_info *out)
{
	if (!s || i >= s->n)
		return -1;
	*out = s->entries[i].info;
	return 0;
}

static ssize_t find(const auth_store *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->entries[i].info.name, name) == 0)
			return (ssize_t)i;
	return -1;
}

int auth_create(auth_store *s, const char *name, auth_role role, int64_t now_s, char *token, size_t cap, char *err,
	size_t errlen)
{
	if (!auth_name_valid(name)) {
		snprintf(err, errlen, "token name \"%s\" is invalid: use 1 to %d of A-Z a-z 0-9 _ . -", name ? name : "",
			AUTH_NAME_MAX - 1);
		return -1;
	}
	if (role < AUTH_VIEWER || role > AUTH_ADMIN) {
		snprintf(err, errlen, "token role must be viewer, trader or admin");
		return -1;
	}
	if (cap < AUTH_TOKEN_CHARS + 1) {
		snprintf(err, errlen, "token buffer too small");
		return -1;
	}
	if (find(s, name) >= 0) {
		snprintf(err, errlen, "a token named \"%s\" already exists in %s (revoke it first)", name, s->path);
		return -1;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		auth_entry *ne = realloc(s->entries, ncap * sizeof *ne);
		if (!ne) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s->entries = ne;
		s->cap = ncap;
	}
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	memcpy(token, "th_", 3);
	/* URL-safe base64 without padding: 32 bytes -> 43 characters. */
	sodium_bin2base64(token + 3, cap - 3, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	auth_entry *e = &s->entries[s->n];
	memset(e, 0, sizeof *e);
	snprintf(e->info.name, sizeof e->info.name, "%s", name);
	e->info.role = role;
	e->info.created_s = now_s;
	hash_token(token, AUTH_TOKEN_CHARS, e->hash);
	s->n++;
	if (auth_file_write(s, err, errlen) != 0) {
		s->n--;
		sodium_memzero(token, cap);
		return -1;
	}
	return 0;
}

int auth_revoke(auth_store *s, const char *name, char *err, size_t errlen)
{
	ssize_t i = find(s, name ? name : "");
	if (i < 0) {
		snprintf(err, errlen, "no token named \"%s\" in %s", name ? name : "", s->path);
		return -1;
	}
	auth_entry saved = s->entries[i];
	memmove(&s->entries[i], &s->entries[i + 1], (s->n - (size_t)i - 1) * sizeof *s->entries);
	s->n--;
	if (auth_file_write(s, err, errlen) != 0) {
		/* Put it back where it was so memory and file agree. */
		memmove(&s->entries[i + 1], &s->entries[i], (s->n - (size_t)i) * sizeof *s->entries);
		s->entries[i] = saved;
		s->n++;
		return -1;
	}
	return 0;
}

int auth_check(const auth_store *s, const char *token, auth_token_info *out)
{
	if (!s || !token)
		return -1;
	/* Hash whatever was presented (bounded) so malformed and wrong tokens
	 * cost the same as good ones. */
	size_t len = strnlen(token, AUTH_TOKEN_CHARS + 1);
	unsigned char h[AUTH_HASH_BYTES];
	hash_token(token, len, h);
	int shaped = len == AUTH_TOKEN_CHARS && memcmp(token, "th_", 3) == 0;
	ssize_t match = -1;
	/* Compare with every stored hash, without stopping at a match. */
	for (size_t i = 0; i < s->n; i++) {
		int eq = sodium_memcmp(h, s->entries[i].hash, AUTH_HASH_BYTES) == 0;
		match = eq ? (ssize_t)i : match;
	}
	if (!shaped || match < 0)
		return -1;
	if (out)
		*out = s->entries[match].info;
	return 0;
}
