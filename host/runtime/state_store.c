#include "runtime/state_store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tradehost/th_status.h>

#include "common/fsutil.h"

int state_store_valid_key(const char *key)
{
	size_t n = 0;
	if (!key)
		return 0;
	for (; key[n]; n++) {
		char c = key[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			    c == '-' || c == '.'))
			return 0;
	}
	return n >= 1 && n <= 64 && key[0] != '.';
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int state_store_put(const char *root, const char *instance, const char *key, const void *data, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
	if (!state_store_valid_key(key) || len > STATE_VALUE_MAX)
		return TH_ERR_INVALID;
	if (snprintf(dir, sizeof dir, "%s/%s", root, instance) >= (int)sizeof dir ||
		snprintf(path, sizeof path, "%s/%s", dir, key) >= (int)sizeof path ||
		snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, key) >= (int)sizeof tmp)
		return TH_ERR_INVALID;
	if (fs_mkdir_p(dir, 0700) != 0)
		return TH_ERR_IO;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return TH_ERR_IO;
	if (write_all(fd, data, len) != 0 || fdatasync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return TH_ERR_IO;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return TH_ERR_IO;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		int rc = fsync(dfd);
		close(dfd);
		if (rc != 0)
			return TH_ERR_IO;
	}
	return TH_OK;
}

int state_store_get(const char *root, const char *instance, const char *key, void *buf, size_t cap, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	if (!state_store_valid_key(key))
		return TH_ERR_INVALID;
	if (snprintf(path, sizeof path, "%s/%s/%s", root, instance, key) >= (int)sizeof path)
		return TH_ERR_INVALID;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? TH_ERR_NOT_FOUND : TH_ERR_IO;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return TH_ERR_IO;
	}
	size_t size = (size_t)st.st_size, done = 0, want = size < cap ? size : cap;
	while (done < want) {
		ssize_t r = read(fd, (char *)buf + done, want - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return TH_ERR_IO;
		}
		done += (size_t)r;
	}
	close(fd);
	if (len)
		*len = size;
	return size > cap ? TH_ERR_LIMIT : TH_OK;
}

int state_store_delete(const char *root, const char *instance, const char *key)
{
	char path[PATH_MAX];
	if (!state_store_valid_key(key))
		return TH_ERR_INVALID;
	if (snprintf(path, sizeof path, "%s/%s/%s", root, instance, key) >= (int)sizeof path)
		return TH_ERR_INVALID;
	if (unlink(path) != 0)
		return errno == ENOENT ? TH_ERR_NOT_FOUND : TH_ERR_IO;
	return TH_OK;
}
