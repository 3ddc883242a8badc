#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "journal/journal_internal.h"

static ssize_t real_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	return write(fd, buf, len);
}

static int real_fdatasync(void *ctx, int fd)
{
	(void)ctx;
	return fdatasync(fd);
}

static int real_fsync(void *ctx, int fd)
{
	(void)ctx;
	return fsync(fd);
}

void journal_io_resolve(journal_io_ops *out, const journal_io_ops *in)
{
	memset(out, 0, sizeof *out);
	if (in)
		*out = *in;
	if (!out->write)
		out->write = real_write;
	if (!out->fdatasync)
		out->fdatasync = real_fdatasync;
	if (!out->fsync)
		out->fsync = real_fsync;
}

int journal_io_write_all(const journal_t *j, int fd, const void *buf, size_t len, const char *what, char *why,
                         size_t whylen)
{
	const uint8_t *p = buf;
	size_t done = 0;
	while (done < len) {
		errno = 0;
		ssize_t n = j->io.write(j->io.ctx, fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue; /* nothing was written; safe to repeat */
		if (n <= 0) {
			int e = n < 0 ? errno : ENOSPC; /* write() returning 0 for a non-empty buffer: treat as full */
			if (e == 0)
				e = EIO;
			snprintf(why, whylen, "write(%s) failed after %zu of %zu bytes: %s", what, done, len, strerror(e));
			return -e;
		}
		done += (size_t)n;
	}
	return 0;
}

static int sync_common(int (*fn)(void *, int), void *ctx, int fd, const char *call, const char *what, char *why,
                       size_t whylen)
{
	/* Exactly one attempt: after a failed fsync the kernel may have marked
	 * the dirty pages clean, so a second call can "succeed" without data. */
	errno = 0;
	if (fn(ctx, fd) == 0)
		return 0;
	int e = errno ? errno : EIO;
	snprintf(why, whylen, "%s(%s) failed: %s (not retried: the data may be lost)", call, what, strerror(e));
	return -e;
}

int journal_io_datasync(const journal_t *j, int fd, const char *what, char *why, size_t whylen)
{
	return sync_common(j->io.fdatasync, j->io.ctx, fd, "fdatasync", what, why, whylen);
}

int journal_io_fsync(const journal_t *j, int fd, const char *what, char *why, size_t whylen)
{
	return sync_common(j->io.fsync, j->io.ctx, fd, "fsync", what, why, whylen);
}
