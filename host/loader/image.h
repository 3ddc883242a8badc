/*
 * loader/image.h — the verified in-memory copy of a plugin that is handed to dlopen().
 *
 * dlopen() runs constructors, so every check must be done before it, and on
 * the very bytes it will map. image_open() reads the .so once through a single
 * descriptor, checks that descriptor's owner and mode, hashes the bytes,
 * optionally verifies their Ed25519 signature, and copies them into a sealed
 * memfd. dlopen(img.dl_path) then loads exactly what was verified, even if the
 * file on disk is replaced a microsecond later (no TOCTOU window).
 *
 * Every image is a new memfd and so a new inode: glibc never hands back a
 * stale handle for a plugin file that was overwritten in place, which hot
 * reload relies on.
 *
 * IMPORTANT — keep the image open while the library is loaded; call
 * image_close() after dlclose() (or after a failed dlopen()). glibc finds
 * already-loaded libraries by path string before it compares inodes. If the
 * memfd were closed right after dlopen(), the next image could get the same
 * fd number, hence the same "/proc/self/fd/N" path, and dlopen() would
 * silently return the OLD library. Holding the fd keeps every loaded
 * library's dl_path unique. It costs one descriptor per loaded plugin.
 */
#ifndef TH_LOADER_IMAGE_H
#define TH_LOADER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "loader/signature.h"

#define IMAGE_HASH_BYTES 32
/* Largest plugin image_open() accepts; a bound so a bogus file cannot eat memory. */
#define IMAGE_MAX_BYTES ((size_t)256 << 20)

typedef struct image {
	int memfd;                        /* sealed copy of the bytes; -1 when closed */
	char dl_path[32];                 /* "/proc/self/fd/<memfd>", pass to dlopen() */
	size_t size;                      /* bytes in the plugin file */
	uint8_t hash[IMAGE_HASH_BYTES];   /* BLAKE2b-256 (crypto_generichash) of those bytes */
	int signature_verified;           /* 1 when a trusted signature was checked */
} image_t;

/*
 * Open path, check it (trust_check_file), read and hash it, verify
 * path + ".sig" against the trusted keys when require_signed is non-zero, and
 * publish the bytes as out->dl_path. Returns 0, or -1 with a message in err
 * (out is then closed: image_close() is harmless but not needed).
 */
int image_open(const char *path, int require_signed, const uint8_t (*trusted)[SIG_PUBLIC_KEY_BYTES], size_t ntrusted,
               image_t *out, char *err, size_t errlen);

/* Close the memfd; idempotent. Call after dlclose() — see the note above. */
void image_close(image_t *img);

/*
 * Hash the current contents of path the same way image_open() does, streaming,
 * without copying: compare with image_t.hash to tell whether a file changed.
 */
int image_hash_file(const char *path, uint8_t out[IMAGE_HASH_BYTES], char *err, size_t errlen);

#endif
