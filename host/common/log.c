#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static int g_level = TH_LOG_INFO;
static int g_fd = 2;

void log_set_level(int level) { g_level = level; }
int log_get_level(void) { return g_level; }
void log_set_stream(int fd) { g_fd = fd; }

int log_level_parse(const char *name)
{
	static const struct { const char *n; int l; } map[] = {
		{ "debug", TH_LOG_DEBUG }, { "info", TH_LOG_INFO }, { "warn", TH_LOG_WARN }, { "error", TH_LOG_ERROR },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcasecmp(name, map[i].n) == 0)
			return map[i].l;
	return -1;
}

static const char *level_name(int level)
{
	if (level >= TH_LOG_ERROR) return "ERROR";
	if (level >= TH_LOG_WARN) return "WARN ";
	if (level >= TH_LOG_INFO) return "INFO ";
	return "DEBUG";
}

/* Values containing spaces or quotes are quoted so lines stay machine-splittable. */
static size_t append_value(char *buf, size_t pos, size_t cap, const char *v)
{
	int quote = v[0] == '\0' || strpbrk(v, " \t\"=") != NULL;
	if (pos < cap && quote) buf[pos++] = '"';
	for (; *v && pos + 2 < cap; v++) {
		char c = *v;
		if (c == '\n') c = ' ';
		if (quote && (c == '"' || c == '\\')) buf[pos++] = '\\';
		buf[pos++] = c;
	}
	if (pos < cap && quote) buf[pos++] = '"';
	return pos;
}

static void emit(int level, const char *who, const char *msg, const th_log_field *fields, size_t n)
{
	char line[2048];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	int len = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s%s%s%s",
		tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.tv_nsec / 1000000, level_name(level), who ? "[" : "", who ? who : "", who ? "] " : "", msg);
	size_t pos = len < 0 ? 0 : ((size_t)len >= sizeof line ? sizeof line - 1 : (size_t)len);
	for (size_t i = 0; i < n && pos + 4 < sizeof line; i++) {
		line[pos++] = ' ';
		pos += (size_t)snprintf(line + pos, sizeof line - pos, "%s=", fields[i].key ? fields[i].key : "?");
		if (pos >= sizeof line) pos = sizeof line - 1;
		pos = append_value(line, pos, sizeof line - 1, fields[i].value ? fields[i].value : "");
	}
	line[pos++] = '\n';
	ssize_t w = write(g_fd, line, pos);
	(void)w;
}

void log_fields(int level, const char *who, const char *msg, const th_log_field *fields, size_t n)
{
	if (level < g_level)
		return;
	emit(level, who, msg, fields, n);
}

void log_msg(int level, const char *who, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;
	if (level < g_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	emit(level, who, msg, NULL, 0);
}
