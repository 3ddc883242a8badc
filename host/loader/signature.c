/*
 * loader/signature.c — Ed25519 key pairs, detached plugin signatures and their text files.
 *
 * Everything cryptographic is libsodium (crypto_sign_*); this file only adds
 * the file formats, strict parsing with precise error messages, and careful
 * handling of the secret key (guarded memory, wiped, never printed, refused
 * when other users can read its file).
 */
#include "loader/signature.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Key and signature files are a single short line; anything longer is not ours. */
#define SIG_TEXT_MAX 512
/* Largest file sig_sign_file() will read; plugins are far smaller. */
#define SIG_MAX_SIGNED_FILE ((size_t)1 << 30)
#define SIG_B64 sodium_base64_VARIANT_ORIGINAL

/* The secret key and every buffer that ever holds it in any form. */
typedef struct sig_secret {
	char text[SIG_TEXT_MAX];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	uint8_t seed[crypto_sign_SEEDBYTES];
	uint8_t check_sk[crypto_sign_SECRETKEYBYTES];
	uint8_t check_pk[crypto_sign_PUBLICKEYBYTES];
} sig_secret;

_Static_assert(SIG_PUBLIC_KEY_BYTES == crypto_sign_PUBLICKEYBYTES, "public key size");
_Static_assert(SIG_SECRET_KEY_BYTES == crypto_sign_SECRETKEYBYTES, "secret key size");
_Static_assert(SIG_SIGNATURE_BYTES == crypto_sign_BYTES, "signature size");

__attribute__((format(printf, 3, 4)))
static void sig_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int sig_init(char *err, size_t errlen)
{
	/* sodium_init() is idempotent and thread-safe; it returns 1 when already done. */
	if (sodium_init() < 0) {
		sig_set_err(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	return 0;
}

/* ---- small file I/O ---------------------------------------------------- */

/*
 * Read a whole short text file into buf (NUL-terminated). Returns its length,
 * -1 with errno set on I/O failure, or -2 when it is longer than cap - 1.
 * If st is not NULL it receives fstat() of the opened file.
 */
static ssize_t sig_read_text(const char *path, char *buf, size_t cap, struct stat *st)
{
	size_t used = 0;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (st != NULL && fstat(fd, st) != 0)
		goto fail;
	for (;;) {
		if (used == cap - 1) {
			char extra;

			n = read(fd, &extra, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				goto fail;
			close(fd);
			buf[used] = '\0';
			return n == 0 ? (ssize_t)used : -2;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return (ssize_t)used;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Read a whole (possibly large) file into a malloc'ed buffer. */
static int sig_read_all(const char *path, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
	uint8_t *buf = NULL, *grown;
	size_t cap = 0, used = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sig_set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (used == cap) {
			if (cap >= SIG_MAX_SIGNED_FILE) {
				sig_set_err(err, errlen, "%s is larger than %zu bytes; refusing to sign it", path,
				            SIG_MAX_SIGNED_FILE);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				sig_set_err(err, errlen, "out of memory reading %s", path);
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sig_set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	*out = buf;
	*outlen = used;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

static int sig_write_all(int fd, const char *text, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fill an already-open fd, force its mode past the umask, and make it durable. */
static int sig_fill_fd(int fd, const char *text, size_t len, mode_t mode)
{
	if (fchmod(fd, mode) != 0 || sig_write_all(fd, text, len) != 0 || fsync(fd) != 0)
		return -1;
	return 0;
}

/* Create path, which must not exist yet (O_EXCL also refuses a planted symlink). */
static int sig_write_new(const char *path, const char *text, size_t len, mode_t mode, char *err, size_t errlen)
{
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		sig_set_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (sig_fill_fd(fd, text, len, mode) != 0) {
		saved = errno;
		close(fd);
		unlink(path);
		sig_set_err(err, errlen, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	if (close(fd) != 0) {
		saved = errno;
		unlink(path);
		sig_set_err(err, errlen, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

/*
 * Replace path atomically: a reader (the host, or a second `sign`) sees either
 * the old file or the complete new one, never a half-written line.
 */
static int sig_write_replace(const char *path, const char *text, size_t len, mode_t mode, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	int fd, saved;

	if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= (int)sizeof tmp) {
		sig_set_err(err, errlen, "path too long: %s", path);
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC); /* created 0600, so a secret is never briefly readable */
	if (fd < 0) {
		sig_set_err(err, errlen, "cannot create a temporary file next to %s: %s", path, strerror(errno));
		return -1;
	}
	if (sig_fill_fd(fd, text, len, mode) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		sig_set_err(err, errlen, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		sig_set_err(err, errlen, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

/* ---- line format -------------------------------------------------------- */

static const char *sig_tag_kind(const char *text)
{
	static const struct {
		const char *tag;
		const char *kind;
	} known[] = {
		{ SIG_PUBLIC_KEY_TAG " ", "a public key file" },
		{ SIG_SECRET_KEY_TAG " ", "a secret key file" },
		{ SIG_SIGNATURE_TAG " ", "a signature file" },
	};
	size_t i;

	for (i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strncmp(text, known[i].tag, strlen(known[i].tag)) == 0)
			return known[i].kind;
	return NULL;
}

/*
 * Parse "<tag> <base64>\n" into exactly outlen bytes. On failure writes a
 * description (without the file name) into detail. Only trailing whitespace
 * may follow the base64.
 */
static int sig_parse_line(const char *text, size_t textlen, const char *tag, uint8_t *out, size_t outlen,
                          char *detail, size_t detaillen)
{
	uint8_t scratch[SIG_TEXT_MAX];
	const char *b64, *b64_end, *p, *end = text + textlen;
	size_t taglen = strlen(tag), b64len, binlen = 0;
	const char *kind;

	if (textlen == 0) {
		sig_set_err(detail, detaillen, "the file is empty");
		return -1;
	}
	if (strlen(text) != textlen) {
		sig_set_err(detail, detaillen, "the file contains a NUL byte");
		return -1;
	}
	if (textlen <= taglen || strncmp(text, tag, taglen) != 0 || text[taglen] != ' ') {
		kind = sig_tag_kind(text);
		if (kind != NULL)
			sig_set_err(detail, detaillen, "this is %s; expected a line starting with '%s '", kind, tag);
		else
			sig_set_err(detail, detaillen, "line 1, column 1: expected a line starting with '%s '", tag);
		return -1;
	}
	b64 = text + taglen + 1;
	for (p = b64; p < end && *p != '\n' && *p != '\r' && *p != ' ' && *p != '\t'; p++)
		;
	b64len = (size_t)(p - b64);
	if (b64len == 0) {
		sig_set_err(detail, detaillen, "line 1, column %zu: missing base64 data after '%s '",
		            (size_t)(b64 - text) + 1, tag);
		return -1;
	}
	if (sodium_base642bin(scratch, sizeof scratch, b64, b64len, NULL, &binlen, &b64_end, SIG_B64) != 0 ||
	    b64_end != p) {
		size_t col = (size_t)((b64_end != NULL ? b64_end : b64) - text) + 1;

		sig_set_err(detail, detaillen, "line 1, column %zu: invalid or truncated base64", col);
		return -1;
	}
	for (; p < end; p++) {
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t') {
			size_t line = 1, col = 1;
			const char *q;

			for (q = text; q < p; q++) {
				if (*q == '\n') {
					line++;
					col = 1;
				} else {
					col++;
				}
			}
			sig_set_err(detail, detaillen, "line %zu, column %zu: unexpected text after the base64 data",
			            line, col);
			return -1;
		}
	}
	if (binlen != outlen) {
		sig_set_err(detail, detaillen, "decodes to %zu bytes, expected %zu", binlen, outlen);
		sodium_memzero(scratch, sizeof scratch);
		return -1;
	}
	memcpy(out, scratch, outlen);
	sodium_memzero(scratch, sizeof scratch); /* it may have held a secret key */
	return 0;
}

/* "<tag> <base64 of bytes>\n" into text (capacity cap). */
static int sig_format_line(char *text, size_t cap, const char *tag, const uint8_t *bytes, size_t len)
{
	size_t taglen = strlen(tag);

	if (taglen + 2 + sodium_base64_ENCODED_LEN(len, SIG_B64) > cap)
		return -1;
	memcpy(text, tag, taglen);
	text[taglen] = ' ';
	sodium_bin2base64(text + taglen + 1, cap - taglen - 1, bytes, len, SIG_B64);
	strcat(text, "\n");
	return 0;
}

/* ---- keys ---------------------------------------------------------------- */

static sig_secret *sig_secret_new(char *err, size_t errlen)
{
	sig_secret *s = sodium_malloc(sizeof *s);

	if (s == NULL)
		sig_set_err(err, errlen, "cannot allocate guarded memory for the secret key");
	return s;
}

static void sig_secret_free(sig_secret *s)
{
	if (s != NULL) {
		sodium_memzero(s, sizeof *s);
		sodium_free(s);
	}
}

static int sig_load_secret(const char *path, sig_secret *s, char *err, size_t errlen)
{
	char detail[256];
	struct stat st;
	ssize_t n;

	n = sig_read_text(path, s->text, sizeof s->text, &st);
	if (n == -1) {
		sig_set_err(err, errlen, "cannot read secret key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (n == -2) {
		sig_set_err(err, errlen, "malformed secret key file %s: longer than %d bytes", path, SIG_TEXT_MAX - 1);
		return -1;
	}
	/* As ssh does: a key others can read is a key others may have copied. */
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		sig_set_err(err, errlen,
		            "secret key file %s is accessible by group or others (mode %04o); run 'chmod 600 %s'",
		            path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	if (sig_parse_line(s->text, (size_t)n, SIG_SECRET_KEY_TAG, s->sk, sizeof s->sk, detail, sizeof detail) != 0) {
		sig_set_err(err, errlen, "malformed secret key file %s: %s", path, detail);
		return -1;
	}
	/* The second half of a libsodium secret key is its public key; check it matches the seed. */
	crypto_sign_ed25519_sk_to_seed(s->seed, s->sk);
	if (crypto_sign_seed_keypair(s->check_pk, s->check_sk, s->seed) != 0 ||
	    sodium_memcmp(s->check_sk, s->sk, sizeof s->sk) != 0) {
		sig_set_err(err, errlen, "malformed secret key file %s: its public half does not match its seed", path);
		return -1;
	}
	return 0;
}

static int sig_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int sig_keygen(const char *secret_path, const char *public_path, int force, char *err, size_t errlen)
{
	char pub_text[SIG_TEXT_MAX];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	sig_secret *s;
	int rc = -1;

	if (sig_init(err, errlen) != 0)
		return -1;
	if (secret_path == NULL || public_path == NULL || secret_path[0] == '\0' || public_path[0] == '\0') {
		sig_set_err(err, errlen, "key file path is empty");
		return -1;
	}
	if (strcmp(secret_path, public_path) == 0) {
		sig_set_err(err, errlen, "secret and public key files must differ (both are %s)", secret_path);
		return -1;
	}
	/* Check both first so a refusal leaves nothing half-written behind. */
	if (!force) {
		if (sig_exists(secret_path)) {
			sig_set_err(err, errlen, "secret key file %s already exists; refusing to overwrite it without --force",
			            secret_path);
			return -1;
		}
		if (sig_exists(public_path)) {
			sig_set_err(err, errlen, "public key file %s already exists; refusing to overwrite it without --force",
			            public_path);
			return -1;
		}
	}
	s = sig_secret_new(err, errlen);
	if (s == NULL)
		return -1;
	crypto_sign_keypair(pk, s->sk);
	if (sig_format_line(s->text, sizeof s->text, SIG_SECRET_KEY_TAG, s->sk, sizeof s->sk) != 0 ||
	    sig_format_line(pub_text, sizeof pub_text, SIG_PUBLIC_KEY_TAG, pk, sizeof pk) != 0) {
		sig_set_err(err, errlen, "internal error: key line does not fit");
		goto out;
	}
	if (force) {
		if (sig_write_replace(secret_path, s->text, strlen(s->text), 0600, err, errlen) != 0)
			goto out;
		if (sig_write_replace(public_path, pub_text, strlen(pub_text), 0644, err, errlen) != 0)
			goto out;
	} else {
		if (sig_write_new(secret_path, s->text, strlen(s->text), 0600, err, errlen) != 0)
			goto out;
		if (sig_write_new(public_path, pub_text, strlen(pub_text), 0644, err, errlen) != 0) {
			unlink(secret_path); /* a secret without its public half is useless */
			goto out;
		}
	}
	rc = 0;
out:
	sig_secret_free(s);
	return rc;
}

int sig_load_public(const char *path, uint8_t pk[SIG_PUBLIC_KEY_BYTES], char *err, size_t errlen)
{
	char text[SIG_TEXT_MAX], detail[256];
	ssize_t n;

	if (sig_init(err, errlen) != 0)
		return -1;
	n = sig_read_text(path, text, sizeof text, NULL);
	if (n == -1) {
		sig_set_err(err, errlen, "cannot read public key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (n == -2) {
		sig_set_err(err, errlen, "malformed public key file %s: longer than %d bytes", path, SIG_TEXT_MAX - 1);
		return -1;
	}
	if (sig_parse_line(text, (size_t)n, SIG_PUBLIC_KEY_TAG, pk, SIG_PUBLIC_KEY_BYTES, detail, sizeof detail) != 0) {
		/* Someone who pasted a secret key into a public key file must throw it away. */
		sodium_memzero(text, sizeof text);
		sig_set_err(err, errlen, "malformed public key file %s: %s", path, detail);
		return -1;
	}
	return 0;
}

/* ---- signing and verifying ------------------------------------------------ */

int sig_sign_bytes(const char *secret_path, const uint8_t *data, size_t len, const char *name,
                   const char *sig_out_path, char *err, size_t errlen)
{
	uint8_t sig[crypto_sign_BYTES];
	char text[SIG_TEXT_MAX];
	sig_secret *s;
	int rc = -1;

	(void)name; /* the signature covers the bytes only; the name is for messages */
	if (sig_init(err, errlen) != 0)
		return -1;
	if (data == NULL && len > 0) {
		sig_set_err(err, errlen, "no data to sign for %s", name != NULL ? name : "data");
		return -1;
	}
	s = sig_secret_new(err, errlen);
	if (s == NULL)
		return -1;
	if (sig_load_secret(secret_path, s, err, errlen) != 0)
		goto out;
	crypto_sign_detached(sig, NULL, data != NULL ? data : (const uint8_t *)"", len, s->sk);
	if (sig_format_line(text, sizeof text, SIG_SIGNATURE_TAG, sig, sizeof sig) != 0) {
		sig_set_err(err, errlen, "internal error: signature line does not fit");
		goto out;
	}
	if (sig_write_replace(sig_out_path, text, strlen(text), 0644, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	sig_secret_free(s);
	return rc;
}

int sig_check_secret(const char *secret_path, char *err, size_t errlen)
{
	sig_secret *s;
	int rc;

	if (sig_init(err, errlen) != 0)
		return -1;
	s = sig_secret_new(err, errlen);
	if (s == NULL)
		return -1;
	rc = sig_load_secret(secret_path, s, err, errlen);
	sig_secret_free(s);
	return rc;
}

int sig_sign_file(const char *secret_path, const char *file, const char *sig_out_path, char *err, size_t errlen)
{
	char default_out[PATH_MAX];
	uint8_t *data = NULL;
	size_t len = 0;
	int rc;

	if (sig_out_path == NULL) {
		if (snprintf(default_out, sizeof default_out, "%s%s", file, SIG_FILE_SUFFIX) >=
		    (int)sizeof default_out) {
			sig_set_err(err, errlen, "path too long: %s", file);
			return -1;
		}
		sig_out_path = default_out;
	}
	if (sig_read_all(file, &data, &len, err, errlen) != 0)
		return -1;
	rc = sig_sign_bytes(secret_path, data, len, file, sig_out_path, err, errlen);
	free(data);
	return rc;
}

int sig_verify(const uint8_t *data, size_t len, const char *sig_path, const uint8_t (*trusted)[SIG_PUBLIC_KEY_BYTES],
               size_t ntrusted, char *err, size_t errlen)
{
	uint8_t sig[crypto_sign_BYTES];
	char text[SIG_TEXT_MAX], detail[256], name[PATH_MAX];
	size_t pathlen, sufflen = strlen(SIG_FILE_SUFFIX), i;
	ssize_t n;

	if (sig_init(err, errlen) != 0)
		return -1;
	/* Messages talk about the signed file, i.e. the .sig path without its suffix. */
	pathlen = strlen(sig_path);
	if (pathlen > sufflen && strcmp(sig_path + pathlen - sufflen, SIG_FILE_SUFFIX) == 0)
		snprintf(name, sizeof name, "%.*s", (int)(pathlen - sufflen), sig_path);
	else
		snprintf(name, sizeof name, "%s", sig_path);

	n = sig_read_text(sig_path, text, sizeof text, NULL);
	if (n == -1 && errno == ENOENT) {
		sig_set_err(err, errlen, "no signature file %s", sig_path);
		return -1;
	}
	if (n == -1) {
		sig_set_err(err, errlen, "cannot read signature file %s: %s", sig_path, strerror(errno));
		return -1;
	}
	if (n == -2) {
		sig_set_err(err, errlen, "malformed signature file %s: longer than %d bytes", sig_path, SIG_TEXT_MAX - 1);
		return -1;
	}
	if (sig_parse_line(text, (size_t)n, SIG_SIGNATURE_TAG, sig, sizeof sig, detail, sizeof detail) != 0) {
		sig_set_err(err, errlen, "malformed signature file %s: %s", sig_path, detail);
		return -1;
	}
	if (ntrusted == 0 || trusted == NULL) {
		sig_set_err(err, errlen, "no trusted keys are configured, so the signature of %s cannot be verified", name);
		return -1;
	}
	if (data == NULL && len > 0) {
		sig_set_err(err, errlen, "no data to verify for %s", name);
		return -1;
	}
	for (i = 0; i < ntrusted; i++)
		if (crypto_sign_verify_detached(sig, data != NULL ? data : (const uint8_t *)"", len, trusted[i]) == 0)
			return 0;
	sig_set_err(err, errlen, "signature of %s does not verify with any trusted key (%zu tried)", name, ntrusted);
	return -1;
}
