/*
 * trust_test_util.h — temp directories and small file helpers for the loader_trust tests.
 * Every helper fails the current cmocka test on error, so tests read as a list of steps.
 */
#ifndef TRUST_TEST_UTIL_H
#define TRUST_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A fresh 0700 directory under /tmp; free with tt_rmtree() + free(). */
char *tt_mkdtemp(void);
/* rm -rf path (best effort: tests restore modes they change before calling it). */
void tt_rmtree(const char *path);
/* "<dir>/<name>" in a malloc'ed string. */
char *tt_join(const char *dir, const char *name);
/* Create or truncate path in place (same inode, like cp) and chmod it to mode. */
void tt_write_file(const char *path, const void *data, size_t len, mode_t mode);
void tt_write_text(const char *path, const char *text, mode_t mode);
/* Whole file into a malloc'ed, NUL-terminated buffer; *len (optional) gets its size. */
uint8_t *tt_read_file(const char *path, size_t *len);
/* Copy src over dst in place (O_TRUNC, keeps dst's inode if it exists). */
void tt_copy_file(const char *src, const char *dst, mode_t mode);
/* Flip one bit of the byte at offset in path, in place. */
void tt_flip_byte(const char *path, size_t offset);
/* Mode bits (07777) of path. */
unsigned tt_mode(const char *path);

#endif
