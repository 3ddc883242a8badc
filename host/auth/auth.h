/*
 * auth — bearer tokens for the front door.
 *
 * A token is "th_" followed by 43 characters of URL-safe base64 (32 random
 * bytes from libsodium). Only a hash of it is stored (crypto_generichash,
 * BLAKE2b-256, hex) in the token file, one token per line with its name,
 * role and creation time; the file is written atomically with mode 0600.
 * A presented token is hashed and compared with every stored hash in
 * constant time (sodium_memcmp), so timing does not reveal which matched.
 *
 * Roles are ordered: viewer < trader < admin; a route needs a minimum role.
 */
#ifndef HOST_AUTH_AUTH_H
#define HOST_AUTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

typedef enum auth_role { AUTH_PUBLIC = 0, AUTH_VIEWER = 1, AUTH_TRADER = 2, AUTH_ADMIN = 3 } auth_role;

#define AUTH_TOKEN_CHARS 46  /* "th_" + 43 */
#define AUTH_NAME_MAX 32     /* [A-Za-z0-9_.-]{1,31} */

const char *auth_role_name(auth_role r);          /* "viewer" ... */
int auth_role_parse(const char *s, auth_role *out); /* 0 or -1 */

typedef struct auth_store auth_store;

typedef struct auth_token_info {
	char name[AUTH_NAME_MAX];
	auth_role role;
	int64_t created_s;         /* unix seconds */
} auth_token_info;

/* Open (or create empty) the token file. A malformed line fails with
 * "<file>:<line>: ..." so nobody is locked out silently. */
auth_store *auth_open(const char *path, char *err, size_t errlen);
void auth_close(auth_store *s);
size_t auth_count(const auth_store *s);
int auth_at(const auth_store *s, size_t i, auth_token_info *out);

/* Create a token: writes the file, returns the plaintext token in
 * `token` (cap >= AUTH_TOKEN_CHARS + 1) — the only time it exists. A name
 * already in use is an error. */
int auth_create(auth_store *s, const char *name, auth_role role, int64_t now_s, char *token, size_t cap, char *err,
	size_t errlen);
int auth_revoke(auth_store *s, const char *name, char *err, size_t errlen);

/* Check a presented token (the part after "Bearer "). Returns 0 and fills
 * *out if it is valid; -1 otherwise (no detail: wrong, malformed, revoked). */
int auth_check(const auth_store *s, const char *token, auth_token_info *out);

/* Per-token rate limit: a token bucket of `burst` requests refilled at
 * `per_second`. Returns 1 if the request may proceed, 0 if over the limit
 * (then *retry_after_ms says when the next one will be admitted). */
typedef struct auth_limiter auth_limiter;
auth_limiter *auth_limiter_create(uint32_t per_second, uint32_t burst);
void auth_limiter_free(auth_limiter *l);
int auth_limiter_allow(auth_limiter *l, const char *name, int64_t now_ns, uint32_t *retry_after_ms);

/* Audit log: one JSON object per line, appended (O_APPEND) and flushed per
 * call: {"ts":..., "token":"name", "role":"admin", "method":"POST",
 * "path":"/api/v1/risk/kill", "status":200, "peer":"127.0.0.1:5000", "detail":"..."}. */
typedef struct auth_audit auth_audit;
auth_audit *auth_audit_open(const char *path, char *err, size_t errlen);
void auth_audit_close(auth_audit *a);
int auth_audit_write(auth_audit *a, int64_t now_ns, const char *token_name, auth_role role, const char *method,
	const char *path, int status, const char *peer, const char *detail);

#endif
