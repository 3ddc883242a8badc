/*
 * report — growable text buffer used to assemble report.html in memory (the
 * page is written in one go so it can be renamed into place atomically).
 */
#include "report/report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void report_buf_free(report_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static int buf_reserve(report_buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void report_buf_append(report_buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void report_buf_puts(report_buf *b, const char *s)
{
	report_buf_append(b, s, strlen(s));
}

void report_buf_printf(report_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		report_buf_append(b, small, (size_t)n);
		return;
	}
	if (buf_reserve(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void report_buf_escape(report_buf *b, const char *s)
{
	const char *run = s;
	for (; *s; s++) {
		const char *ent = NULL;
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: break;
		}
		if (ent) {
			report_buf_append(b, run, (size_t)(s - run));
			report_buf_puts(b, ent);
			run = s + 1;
		}
	}
	report_buf_append(b, run, (size_t)(s - run));
}
