/* Text building for /metrics: a growable buffer, label escaping and exact
 * fixed-point to decimal conversion (money never passes through a double). */
#include "frontdoor/fd_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fd_text_put(fd_text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t ncap = t->cap ? t->cap : 4096;
		while (ncap < t->len + n + 1)
			ncap *= 2;
		char *np = realloc(t->p, ncap);
		if (!np) {
			t->failed = 1;
			return;
		}
		t->p = np;
		t->cap = ncap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void fd_text_puts(fd_text *t, const char *s)
{
	fd_text_put(t, s, strlen(s));
}

void fd_text_printf(fd_text *t, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		fd_text_put(t, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		t->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	fd_text_put(t, big, (size_t)n);
	free(big);
}

void fd_text_free(fd_text *t)
{
	free(t->p);
	memset(t, 0, sizeof *t);
}

void fd_text_label(fd_text *t, const char *v)
{
	for (const char *p = v ? v : ""; *p; p++) {
		if (*p == '\\')
			fd_text_put(t, "\\\\", 2);
		else if (*p == '"')
			fd_text_put(t, "\\\"", 2);
		else if (*p == '\n')
			fd_text_put(t, "\\n", 2);
		else
			fd_text_put(t, p, 1);
	}
}

static void fixed_mag(fd_text *t, int neg, uint64_t mag, int scale)
{
	uint64_t div = 1;
	for (int i = 0; i < scale; i++)
		div *= 10;
	uint64_t ip = mag / div, fp = mag % div;
	char buf[80]; /* sign + 20 digits + "." + 23 digits, with room gcc can prove */
	int n = snprintf(buf, sizeof buf, "%s%llu", neg ? "-" : "", (unsigned long long)ip);
	if (scale > 0 && fp) {
		char frac[24];
		size_t fl = (size_t)scale;
		frac[fl] = '\0';
		for (size_t i = fl; i-- > 0; fp /= 10) /* zero-padded to `scale` digits */
			frac[i] = (char)('0' + fp % 10);
		while (fl > 0 && frac[fl - 1] == '0')
			frac[--fl] = '\0';
		n += snprintf(buf + n, sizeof buf - (size_t)n, ".%s", frac);
	}
	fd_text_put(t, buf, (size_t)n);
}

void fd_text_fixed(fd_text *t, int64_t v, int scale)
{
	/* INT64_MIN has no positive int64: take the magnitude in unsigned. */
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	fixed_mag(t, v < 0, mag, scale < 0 ? 0 : scale > 18 ? 18 : scale);
}

void fd_text_fixed_u(fd_text *t, uint64_t v, int scale)
{
	fixed_mag(t, 0, v, scale < 0 ? 0 : scale > 18 ? 18 : scale);
}
