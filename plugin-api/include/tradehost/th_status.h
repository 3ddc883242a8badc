/*
 * tradehost SDK — status codes shared by every host function and plugin callback.
 *
 * Append-only: new codes are added at the end (more negative); no code is ever
 * renumbered or removed. Detail text goes through th_host_api.set_error().
 * Depends on the C standard headers only.
 */
#ifndef TRADEHOST_TH_STATUS_H
#define TRADEHOST_TH_STATUS_H

typedef enum th_status {
	TH_OK = 0,
	TH_AGAIN = 1,          /* not an error: nothing done now, call again later */
	TH_ERR = -1,           /* generic failure; see the error text */
	TH_ERR_INVALID = -2,   /* an argument or configuration value is invalid */
	TH_ERR_NOMEM = -3,     /* allocation failed */
	TH_ERR_NOT_FOUND = -4, /* key, instance, order or subscription unknown */
	TH_ERR_EXISTS = -5,    /* duplicate name or key */
	TH_ERR_UNSUPPORTED = -6, /* the callee does not implement this */
	TH_ERR_STATE = -7,     /* not allowed in the current state (e.g. trading halted) */
	TH_ERR_IO = -8,        /* I/O failed (disk, network); the host may stop trading */
	TH_ERR_LIMIT = -9,     /* a bound was reached (queue full, rate limit) */
	TH_ERR_RETRY = -10     /* transient failure; the host may retry later */
} th_status;

#endif
