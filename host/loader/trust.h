/*
 * loader/trust.h — refuse plugin locations that someone else could write to.
 *
 * dlopen() runs a library's constructors before the host can look at it, so a
 * plugin directory or file that another user can modify is a way to run code
 * inside the host. These checks run before any plugin byte is read.
 *
 * Both functions return 0 when the location is acceptable and -1 otherwise,
 * with a one-line message in err (which names the path and the offending
 * mode or owner). err may be NULL when errlen is 0.
 */
#ifndef TH_LOADER_TRUST_H
#define TH_LOADER_TRUST_H

#include <stddef.h>

/*
 * The plugin directory (after realpath) must be a directory owned by root or
 * the effective uid and must not be group- or world-writable. Every parent up
 * to "/" must not be world-writable unless it has the sticky bit (like /tmp,
 * where others cannot rename or delete what we own).
 */
int trust_check_dir(const char *dir, char *err, size_t errlen);

/*
 * The already-open plugin file fd must be a regular file owned by root or the
 * effective uid that is neither group- nor world-writable. path is only used
 * in the error message. Checking the fd (not the path) means the checked file
 * is the file that is read.
 */
int trust_check_file(int fd, const char *path, char *err, size_t errlen);

#endif
