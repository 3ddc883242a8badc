/*
 * loader/image.c — read, check, hash, verify and re-publish a plugin through a sealed memfd.
 */
#include "loader/image.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/trust.h"

/*
 * Linux 6.3 added MFD_EXEC/MFD_NOEXEC_SEAL and the vm.memfd_noexec sysctl,
 * which can make plain memfds non-executable (dlopen would then fail to map
 * them). Ask for an executable memfd explicitly; older kernels reject the
 * unknown flag with EINVAL and we retry without it.
 */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define IMAGE_READ_CHUNK 65536

_Static_assert(IMAGE_HASH_BYTES >= crypto_generichash_BYTES_MIN && IMAGE_HASH_BYTES <= crypto_generichash_BYTES_MAX,
               "hash size must be valid for crypto_generichash");

__attribute__((format(printf, 3, 4)))
static void image_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Read fd to EOF (not just st_size: the file may be growing) into a malloc'ed buffer. */
static int image_read_fd(int fd, const char *path, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
	uint8_t *buf = NULL, *grown;
	size_t cap, used = 0;
	struct stat st;
	ssize_t n;

	/* Size the buffer from fstat so the usual case is one allocation and one extra read for EOF. */
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < IMAGE_MAX_BYTES)
		cap = (size_t)st.st_size + 1;
	else
		cap = IMAGE_READ_CHUNK;
	buf = malloc(cap);
	if (buf == NULL) {
		image_set_err(err, errlen, "out of memory reading plugin file %s", path);
		return -1;
	}
	for (;;) {
		if (used == cap) {
			if (cap > IMAGE_MAX_BYTES) {
				image_set_err(err, errlen, "plugin file %s is larger than %zu MiB; refusing to load it", path,
				              IMAGE_MAX_BYTES >> 20);
				goto fail;
			}
			cap *= 2;
			grown = realloc(buf, cap);
			if (grown == NULL) {
				image_set_err(err, errlen, "out of memory reading plugin file %s", path);
				goto fail;
			}
			buf = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			image_set_err(err, errlen, "cannot read plugin file %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	if (used > IMAGE_MAX_BYTES) {
		image_set_err(err, errlen, "plugin file %s is larger than %zu MiB; refusing to load it", path,
		              IMAGE_MAX_BYTES >> 20);
		goto fail;
	}
	if (used == 0) {
		image_set_err(err, errlen, "plugin file %s is empty", path);
		goto fail;
	}
	*out = buf;
	*outlen = used;
	return 0;
fail:
	free(buf);
	return -1;
}

static int image_make_memfd(const char *path, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/');
	char name[200];
	int fd;

	/* The name only shows up in /proc/<pid>/maps and fd listings: useful when debugging. */
	snprintf(name, sizeof name, "th-plugin:%s", base != NULL ? base + 1 : path);
	fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		image_set_err(err, errlen, "cannot create an in-memory copy (memfd) of plugin file %s: %s", path,
		              strerror(errno));
	return fd;
}

static int image_fill_memfd(int fd, const uint8_t *data, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	/*
	 * Seal it: from now on nobody, not even code inside this process, can change
	 * the verified bytes. MAP_PRIVATE mappings (all dlopen uses) are unaffected.
	 */
	return fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
}

int image_open(const char *path, int require_signed, const uint8_t (*trusted)[SIG_PUBLIC_KEY_BYTES], size_t ntrusted,
               image_t *out, char *err, size_t errlen)
{
	char sig_path[PATH_MAX];
	uint8_t *data = NULL;
	size_t len = 0;
	int fd, memfd = -1;

	memset(out, 0, sizeof *out);
	out->memfd = -1;
	if (sig_init(err, errlen) != 0)
		return -1;
	if (path == NULL || path[0] == '\0') {
		image_set_err(err, errlen, "plugin file path is empty");
		return -1;
	}
	if (require_signed &&
	    snprintf(sig_path, sizeof sig_path, "%s%s", path, SIG_FILE_SUFFIX) >= (int)sizeof sig_path) {
		image_set_err(err, errlen, "plugin file path is too long: %s", path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		image_set_err(err, errlen, "cannot open plugin file %s: %s", path, strerror(errno));
		return -1;
	}
	/* Check and read through the same descriptor: what is checked is what is read. */
	if (trust_check_file(fd, path, err, errlen) != 0 || image_read_fd(fd, path, &data, &len, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	close(fd);

	crypto_generichash(out->hash, sizeof out->hash, data, len, NULL, 0);
	if (require_signed) {
		if (sig_verify(data, len, sig_path, trusted, ntrusted, err, errlen) != 0)
			goto fail;
		out->signature_verified = 1;
	}

	memfd = image_make_memfd(path, err, errlen);
	if (memfd < 0)
		goto fail;
	if (image_fill_memfd(memfd, data, len) != 0) {
		image_set_err(err, errlen, "cannot copy plugin file %s into its memfd: %s", path, strerror(errno));
		goto fail;
	}
	free(data);
	out->memfd = memfd;
	out->size = len;
	snprintf(out->dl_path, sizeof out->dl_path, "/proc/self/fd/%d", memfd);
	return 0;
fail:
	free(data);
	if (memfd >= 0)
		close(memfd);
	memset(out, 0, sizeof *out);
	out->memfd = -1;
	return -1;
}

void image_close(image_t *img)
{
	if (img == NULL)
		return;
	if (img->memfd >= 0)
		close(img->memfd);
	img->memfd = -1;
	img->dl_path[0] = '\0';
}

int image_hash_file(const char *path, uint8_t out[IMAGE_HASH_BYTES], char *err, size_t errlen)
{
	crypto_generichash_state st;
	uint8_t chunk[IMAGE_READ_CHUNK];
	ssize_t n;
	int fd;

	if (sig_init(err, errlen) != 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		image_set_err(err, errlen, "cannot open plugin file %s: %s", path, strerror(errno));
		return -1;
	}
	crypto_generichash_init(&st, NULL, 0, IMAGE_HASH_BYTES);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			image_set_err(err, errlen, "cannot read plugin file %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		crypto_generichash_update(&st, chunk, (unsigned long long)n);
	}
	close(fd);
	crypto_generichash_final(&st, out, IMAGE_HASH_BYTES);
	return 0;
}
