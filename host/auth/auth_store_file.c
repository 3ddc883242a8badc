/* The token file: one token per line,
 *   <name> <role> <created unix seconds> <BLAKE2b-256 of the token, hex>
 * '#' starts a comment line. Written atomically (temp + fsync + rename) with
 * mode 0600, so a crash leaves the old or the new file, never half of one. */
#include "auth/auth_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int push(auth_store *s, const auth_entry *e)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		auth_entry *ne = realloc(s->entries, ncap * sizeof *ne);
		if (!ne)
			return -1;
		s->entries = ne;
		s->cap = ncap;
	}
	s->entries[s->n++] = *e;
	return 0;
}

/* Parse one non-comment line (NUL-terminated, no newline). */
static int parse_line(auth_store *s, char *line, unsigned lineno, char *err, size_t errlen)
{
	char *fields[5];
	int nf = 0;
	for (char *save = NULL, *tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (nf == 4) {
			nf = 5;
			break;
		}
		fields[nf++] = tok;
	}
	if (nf != 4) {
		snprintf(err, errlen, "%s:%u: expected 4 fields \"name role created_s hash\", found %s", s->path, lineno,
			nf > 4 ? "more" : "fewer");
		return -1;
	}
	auth_entry e;
	memset(&e, 0, sizeof e);
	if (!auth_name_valid(fields[0])) {
		snprintf(err, errlen, "%s:%u: token name \"%.40s\" is invalid (1 to %d of A-Z a-z 0-9 _ . -)", s->path,
			lineno, fields[0], AUTH_NAME_MAX - 1);
		return -1;
	}
	snprintf(e.info.name, sizeof e.info.name, "%s", fields[0]);
	if (auth_role_parse(fields[1], &e.info.role) != 0) {
		snprintf(err, errlen, "%s:%u: role \"%.20s\" is not viewer, trader or admin", s->path, lineno, fields[1]);
		return -1;
	}
	char *end;
	errno = 0;
	long long created = strtoll(fields[2], &end, 10);
	if (errno || *end || end == fields[2] || created < 0) {
		snprintf(err, errlen, "%s:%u: created time \"%.24s\" is not a non-negative integer", s->path, lineno,
			fields[2]);
		return -1;
	}
	e.info.created_s = created;
	size_t bin_len = 0;
	if (strlen(fields[3]) != 2 * AUTH_HASH_BYTES ||
		sodium_hex2bin(e.hash, sizeof e.hash, fields[3], strlen(fields[3]), NULL, &bin_len, NULL) != 0 ||
		bin_len != AUTH_HASH_BYTES) {
		snprintf(err, errlen, "%s:%u: hash must be %d hex digits", s->path, lineno, 2 * AUTH_HASH_BYTES);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->entries[i].info.name, e.info.name) == 0) {
			snprintf(err, errlen, "%s:%u: token name \"%s\" appears twice", s->path, lineno, e.info.name);
			return -1;
		}
	}
	if (push(s, &e) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int auth_file_read(auth_store *s, char *err, size_t errlen)
{
	FILE *f = fopen(s->path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open token file %s: %s", s->path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		rc = parse_line(s, p, lineno, err, errlen);
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "cannot read token file %s: %s", s->path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int auth_file_write(const auth_store *s, char *err, size_t errlen)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", s->path) >= (int)sizeof tmp) {
		snprintf(err, errlen, "token file path too long: %s", s->path);
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write token file %s: %s", s->path, strerror(errno));
		return -1;
	}
	int rc = fchmod(fd, 0600);
	char line[256];
	int n = snprintf(line, sizeof line,
		"# tradehost tokens (`tradehost token create|list|revoke`): name role created_s blake2b-256(token)\n");
	rc = rc == 0 ? write_all(fd, line, (size_t)n) : rc;
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		const auth_entry *e = &s->entries[i];
		char hex[2 * AUTH_HASH_BYTES + 1];
		sodium_bin2hex(hex, sizeof hex, e->hash, sizeof e->hash);
		n = snprintf(line, sizeof line, "%s %s %" PRId64 " %s\n", e->info.name, auth_role_name(e->info.role),
			e->info.created_s, hex);
		rc = write_all(fd, line, (size_t)n);
	}
	if (rc == 0)
		rc = fsync(fd);
	int saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0 && rename(tmp, s->path) != 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		unlink(tmp);
		snprintf(err, errlen, "cannot write token file %s: %s", s->path, strerror(saved));
		return -1;
	}
	/* Make the rename itself durable. */
	snprintf(dir, sizeof dir, "%s", s->path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}
