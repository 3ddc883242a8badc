/* Private to host/auth: the token store's in-memory form and its file codec. */
#ifndef HOST_AUTH_INTERNAL_H
#define HOST_AUTH_INTERNAL_H

#include <sodium.h>

#include "auth/auth.h"

#define AUTH_HASH_BYTES crypto_generichash_BYTES /* 32: BLAKE2b-256 */

typedef struct auth_entry {
	auth_token_info info;
	unsigned char hash[AUTH_HASH_BYTES];
} auth_entry;

struct auth_store {
	char *path;
	auth_entry *entries;
	size_t n, cap;
};

/* 1 if `name` is 1..31 characters of [A-Za-z0-9_.-]. */
int auth_name_valid(const char *name);

/* Parse the token file into s (entries appended). A missing file is an
 * empty store. Errors name "<file>:<line>". */
int auth_file_read(auth_store *s, char *err, size_t errlen);
/* Write every entry atomically: temp file in the same directory, mode 0600,
 * fsync, rename over the old file, fsync the directory. */
int auth_file_write(const auth_store *s, char *err, size_t errlen);

#endif
