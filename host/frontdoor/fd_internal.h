/* Private to host/frontdoor: the front door's own state behind the public
 * struct, and helpers shared by its files. */
#ifndef HOST_FRONTDOOR_INTERNAL_H
#define HOST_FRONTDOOR_INTERNAL_H

#include <stdarg.h>
#include <sys/stat.h>

#include "frontdoor/frontdoor.h"

typedef struct fd_impl {
	frontdoor pub;               /* first: a frontdoor * is an fd_impl * */
	/* The token file is watched (stat on each authenticated request) so that
	 * `tradehost token create/revoke` takes effect without a restart. */
	struct stat tokens_st;
	int have_tokens_st;
	int tokens_reload_failed;    /* log a bad file once per change */
	/* Identities handed to handlers through http_request_set_user: stable
	 * pointers, one per token name seen, freed with the front door. */
	auth_token_info **users;
	size_t nusers, capusers;
	auth_token_info nobody;      /* [http] auth = false: every caller is this admin */
} fd_impl;

/* fd_guard.c: install the guard and the observer on pub.http; remember the
 * token file's identity after the front door itself wrote it. */
void fd_guard_install(fd_impl *d);
void fd_note_tokens_file(fd_impl *d);

/* fd_metrics.c: count one finished request (the observer calls it). */
void fd_metrics_observe(struct fd_metrics *m, const http_request *req, int status);

/* fd_static.c: the dashboard's files as the fallback route. */
int fd_static_register(frontdoor *fd, char *err, size_t errlen);

/* The registered pattern that serves (method, path), or NULL (fallback / 404). */
const char *fd_route_of(const http_server *s, const char *method, const char *path);

/* fd_text.c: a growable text buffer; on allocation failure it keeps
 * failed = 1 and ignores further appends. */
typedef struct fd_text {
	char *p;
	size_t len, cap;
	int failed;
} fd_text;
void fd_text_put(fd_text *t, const char *s, size_t n);
void fd_text_puts(fd_text *t, const char *s);
void fd_text_printf(fd_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fd_text_free(fd_text *t);
/* A Prometheus label value with \\, \" and \n escaped (no quotes added). */
void fd_text_label(fd_text *t, const char *v);
/* A fixed-point value (mantissa at `scale` fractional digits) as a decimal
 * string, trailing zeros trimmed: 12345678900 at 8 -> "123.456789". No double. */
void fd_text_fixed(fd_text *t, int64_t v, int scale);
void fd_text_fixed_u(fd_text *t, uint64_t v, int scale);

#endif
