/*
 * Reading a TOML document from disk. Kept apart from the parser so the parser itself
 * never touches the file system (the fuzzer and the toml-test decoder feed it buffers).
 */
#include "config/toml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void file_error(toml_error *err, const char *path, const char *what, int errnum)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	snprintf(err->message, sizeof(err->message), "cannot %s file: %s", what, strerror(errnum));
}

toml_value *toml_parse_file(const char *path, toml_error *err)
{
	if (!path) {
		file_error(err, "<null>", "open", EINVAL);
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		file_error(err, path, "open", errno);
		return NULL;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int read_errno = 0;
	while (buf) {
		if (len == cap) {
			char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				read_errno = errno ? errno : EIO;
			break;
		}
	}
	fclose(f);
	if (!buf) {
		file_error(err, path, "read", ENOMEM);
		return NULL;
	}
	if (read_errno) {
		free(buf);
		file_error(err, path, "read", read_errno);
		return NULL;
	}
	toml_value *root = toml_parse(buf, len, path, err);
	free(buf);
	return root;
}
