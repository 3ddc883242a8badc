/*
 * agui_patch — the JSON Patch writer behind STATE_DELTA: the RFC 6902
 * operations that turn one jansson document into another.
 *
 * What it produces (and why it is enough): only "add", "remove" and
 * "replace". Objects are diffed key by key (a key only in `from` is removed,
 * one only in `to` is added, one in both is diffed recursively). Arrays are
 * diffed by index: the common prefix element by element, then the extra
 * tail of `to` is added in increasing index order, or the extra tail of
 * `from` is removed from the last index down, so every index a later
 * operation names is valid when the operation applies. Values of different
 * JSON types (and unequal scalars) are replaced whole; a root that changes
 * type is one "replace" at path "". No move/copy detection: state documents
 * are small and the portfolio changes in place, so the simple diff is close
 * to minimal there.
 *
 * Paths are RFC 6901 JSON Pointers: each reference token has '~' written as
 * "~0" and '/' as "~1". Object keys are taken as C strings (jansson without
 * JSON_ALLOW_NUL never yields a key with a NUL in it).
 *
 * Values in the operations are deep copies: the caller may free or change
 * `to` afterwards.
 */
#ifndef HOST_AGUI_AGUI_PATCH_H
#define HOST_AGUI_AGUI_PATCH_H

#include <stddef.h>

#include <jansson.h>

/* Appends to `ops` (a JSON array) the operations that turn `from` into `to`
 * (an empty array is appended to nothing when they are equal). Returns 0, or
 * -1 when out of memory or `ops` is not an array (ops may then hold a
 * prefix of the patch). */
int agui_patch_diff(const json_t *from, const json_t *to, json_t *ops);

/* Writes one RFC 6901 reference token for `key` into out (cap bytes,
 * NUL-terminated). Returns the length, or -1 when it does not fit. */
int agui_pointer_escape(const char *key, char *out, size_t cap);

#endif
