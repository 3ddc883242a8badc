/* Small file-system helpers shared by host subsystems. */
#ifndef HOST_COMMON_FSUTIL_H
#define HOST_COMMON_FSUTIL_H

#include <sys/types.h>

/* mkdir -p with `mode` for every directory it creates; 0 or -1 (errno set). */
int fs_mkdir_p(const char *path, mode_t mode);

#endif
