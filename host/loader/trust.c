/*
 * loader/trust.c — ownership and permission checks on plugin directories and files.
 *
 * The rules follow what sshd does for authorized_keys and what other plugin
 * hosts do for their module directories: only root or the user the host runs
 * as may be able to change what gets loaded.
 */
#include "loader/trust.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

__attribute__((format(printf, 3, 4)))
static void trust_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static unsigned trust_perm_bits(mode_t mode)
{
	return (unsigned)(mode & 07777);
}

static int trust_owner_ok(uid_t owner)
{
	return owner == 0 || owner == geteuid();
}

/* Only the parents: the plugin directory itself has the stricter rules. */
static int trust_check_parents(const char *real, char *err, size_t errlen)
{
	char parent[PATH_MAX];
	struct stat st;
	char *slash;

	snprintf(parent, sizeof parent, "%s", real);
	for (;;) {
		slash = strrchr(parent, '/');
		if (slash == NULL)
			return 0;
		if (slash == parent) {
			if (parent[1] == '\0')
				return 0; /* "/" was the last one checked */
			parent[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (stat(parent, &st) != 0) {
			trust_set_err(err, errlen, "cannot stat %s (parent of plugin directory %s): %s",
			              parent, real, strerror(errno));
			return -1;
		}
		/*
		 * A world-writable parent lets anyone rename our directory away and
		 * put their own in its place; the sticky bit forbids exactly that.
		 */
		if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
			trust_set_err(err, errlen,
			              "%s (parent of plugin directory %s) is world-writable without the sticky bit "
			              "(mode %04o); refusing to load plugins from it",
			              parent, real, trust_perm_bits(st.st_mode));
			return -1;
		}
	}
}

int trust_check_dir(const char *dir, char *err, size_t errlen)
{
	char real[PATH_MAX];
	struct stat st;

	if (dir == NULL || dir[0] == '\0') {
		trust_set_err(err, errlen, "plugin directory path is empty");
		return -1;
	}
	if (realpath(dir, real) == NULL) {
		trust_set_err(err, errlen, "cannot resolve plugin directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(real, &st) != 0) {
		trust_set_err(err, errlen, "cannot stat plugin directory %s: %s", real, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		trust_set_err(err, errlen, "plugin directory %s is not a directory", real);
		return -1;
	}
	if (st.st_mode & S_IWOTH) {
		trust_set_err(err, errlen,
		              "plugin directory %s is world-writable (mode %04o); refusing to load plugins from it",
		              real, trust_perm_bits(st.st_mode));
		return -1;
	}
	if (st.st_mode & S_IWGRP) {
		trust_set_err(err, errlen,
		              "plugin directory %s is group-writable (mode %04o); refusing to load plugins from it",
		              real, trust_perm_bits(st.st_mode));
		return -1;
	}
	if (!trust_owner_ok(st.st_uid)) {
		trust_set_err(err, errlen,
		              "plugin directory %s is owned by uid %u, not by root or the host's uid %u; "
		              "refusing to load plugins from it",
		              real, (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	return trust_check_parents(real, err, errlen);
}

int trust_check_file(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (path == NULL)
		path = "(unnamed)";
	if (fstat(fd, &st) != 0) {
		trust_set_err(err, errlen, "cannot stat plugin file %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		trust_set_err(err, errlen, "plugin file %s is not a regular file", path);
		return -1;
	}
	if (st.st_mode & S_IWOTH) {
		trust_set_err(err, errlen, "plugin file %s is world-writable (mode %04o); refusing to load it",
		              path, trust_perm_bits(st.st_mode));
		return -1;
	}
	if (st.st_mode & S_IWGRP) {
		trust_set_err(err, errlen, "plugin file %s is group-writable (mode %04o); refusing to load it",
		              path, trust_perm_bits(st.st_mode));
		return -1;
	}
	if (!trust_owner_ok(st.st_uid)) {
		trust_set_err(err, errlen,
		              "plugin file %s is owned by uid %u, not by root or the host's uid %u; refusing to load it",
		              path, (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	return 0;
}
