/*
 * report — atomic file output: write a temporary sibling, then rename it over
 * the target, so a dashboard polling the file never reads half a report.
 */
#include "report/report_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_file_write(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
	if (!path || !*path)
		return report_err(err, errlen, "report: no output path given");
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 32);
	if (!tmp)
		return report_err(err, errlen, "report: out of memory writing %s", path);
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());

	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return report_err(err, errlen, "report: cannot create %s: %s", path, strerror(e));
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			close(fd);
			unlink(tmp);
			free(tmp);
			return report_err(err, errlen, "report: cannot write %s: %s", path, strerror(e));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return report_err(err, errlen, "report: cannot write %s: %s", path, strerror(e));
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		return report_err(err, errlen, "report: cannot rename %s into place: %s", path,
				  strerror(e));
	}
	free(tmp);
	return 0;
}
