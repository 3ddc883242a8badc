/*
 * Host logging: one structured line per record on stderr,
 *   2026-11-21T19:40:00.123Z INFO  [instance] message key=value ...
 * The timestamp is wall time even in backtests (it is about the process, not
 * the market). Thread-safe for whole lines (one write per record).
 */
#ifndef HOST_COMMON_LOG_H
#define HOST_COMMON_LOG_H

#include <stddef.h>
#include <tradehost/th_host.h>

void log_set_level(int level);          /* TH_LOG_* */
int log_get_level(void);
int log_level_parse(const char *name);  /* "debug"|"info"|"warn"|"error" -> TH_LOG_*, -1 if unknown */
void log_set_stream(int fd);            /* default 2 (stderr); tests may redirect */

/* `who` may be NULL (the host itself). */
void log_fields(int level, const char *who, const char *msg, const th_log_field *fields, size_t n);
void log_msg(int level, const char *who, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define log_info(...) log_msg(TH_LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(TH_LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_msg(TH_LOG_ERROR, NULL, __VA_ARGS__)
#define log_debug(...) log_msg(TH_LOG_DEBUG, NULL, __VA_ARGS__)

#endif
