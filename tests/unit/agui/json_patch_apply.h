/*
 * A small, strict RFC 6902 applier (add / remove / replace) used only by the
 * tests of the JSON Patch writer (unit property test and fuzz_json_patch):
 * an independent reading of the RFC to check agui_patch_diff against.
 */
#ifndef TESTS_AGUI_JSON_PATCH_APPLY_H
#define TESTS_AGUI_JSON_PATCH_APPLY_H

#include <stddef.h>

#include <jansson.h>

/* Applies `ops` to *doc in place (*doc may be replaced by a root "replace"
 * or "add"; the old root is then released). Returns 0, or -1 with a reason
 * in err naming the operation index and path. On failure *doc may hold a
 * partly patched document. */
int jp_apply(json_t **doc, const json_t *ops, char *err, size_t errlen);

#endif
