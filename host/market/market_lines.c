/*
 * market — buffered line reader (see market_lines.h).
 */
#include "market/market_lines.h"
#include "market/market_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int market_lines_open(market_lines *lr, const char *path, size_t cap, char *err, size_t errlen)
{
	memset(lr, 0, sizeof *lr);
	lr->fd = -1;
	lr->path = path;
	lr->cap = cap;
	lr->buf = malloc(cap);
	if (!lr->buf)
		return market_err(err, errlen, "%s: out of memory for a %zu-byte read buffer", path, cap);
	lr->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (lr->fd < 0) {
		int e = errno;
		free(lr->buf);
		lr->buf = NULL;
		return market_err(err, errlen, "%s: cannot open: %s", path, strerror(e));
	}
#ifdef POSIX_FADV_SEQUENTIAL
	(void)posix_fadvise(lr->fd, 0, 0, POSIX_FADV_SEQUENTIAL); /* a hint; failure is harmless */
#endif
	return 0;
}

/* Refill after the unread tail; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t refill(market_lines *lr)
{
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	for (;;) {
		ssize_t n = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			lr->end += (size_t)n;
		return n;
	}
}

int market_lines_next(market_lines *lr, const char **line, size_t *len, char *err, size_t errlen)
{
	for (;;) {
		char *base = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		char *nl = avail ? memchr(base, '\n', avail) : NULL;
		size_t n;
		if (nl) {
			n = (size_t)(nl - base);
			lr->start += n + 1;
		} else if (lr->eof) {
			if (avail == 0)
				return 0;
			n = avail; /* last line without a newline */
			lr->start = lr->end;
		} else {
			if (lr->start == 0 && lr->end == lr->cap)
				return market_err(err, errlen, "%s:%llu: line is longer than %zu bytes", lr->path,
				                  (unsigned long long)lr->lineno + 1, lr->cap);
			ssize_t r = refill(lr);
			if (r < 0)
				return market_err(err, errlen, "%s:%llu: read failed: %s", lr->path,
				                  (unsigned long long)lr->lineno + 1, strerror(errno));
			if (r == 0)
				lr->eof = 1;
			continue;
		}
		lr->lineno++;
		if (n > 0 && base[n - 1] == '\r')
			n--;
		if (lr->lineno == 1 && n >= 3 && memcmp(base, "\xEF\xBB\xBF", 3) == 0) {
			base += 3;
			n -= 3;
		}
		*line = base;
		*len = n;
		return 1;
	}
}

void market_lines_close(market_lines *lr)
{
	if (lr->fd >= 0)
		close(lr->fd);
	free(lr->buf);
	lr->fd = -1;
	lr->buf = NULL;
}
