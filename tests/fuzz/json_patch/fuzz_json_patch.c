/*
 * Fuzz target for the AG-UI JSON Patch writer (host/agui/agui_patch.c).
 * Input: two JSON documents separated by the first NUL byte (no NUL: the
 * input is cut in the middle). When both parse, the patch diff(a, b) must
 * consist of add/remove/replace operations only, survive a round trip
 * through its JSON text (as it travels in STATE_DELTA), apply to a with an
 * independent RFC 6902 applier and give exactly b; diff(b, b) must be empty.
 * Any violation aborts (a crash libFuzzer and the replay driver report).
 */
#include "fuzz_json_patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agui/agui_patch.h"
#include "json_patch_apply.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_json_patch: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0, size);
	size_t na = sep ? (size_t)(sep - data) : size / 2;
	size_t nb_off = sep ? na + 1 : na;
	json_t *a = json_loadb((const char *)data, na, JSON_DECODE_ANY, NULL);
	json_t *b = json_loadb((const char *)data + nb_off, size - nb_off, JSON_DECODE_ANY, NULL);
	if (!a || !b) {
		json_decref(a);
		json_decref(b);
		return 0;
	}
	json_t *ops = json_array();
	check(ops && agui_patch_diff(a, b, ops) == 0, "diff failed");
	for (size_t i = 0; i < json_array_size(ops); i++) {
		const char *op = json_string_value(json_object_get(json_array_get(ops, i), "op"));
		check(op && (!strcmp(op, "add") || !strcmp(op, "remove") || !strcmp(op, "replace")), "unexpected op");
	}
	/* through its text and back, as a client receives it */
	char *text = json_dumps(ops, JSON_COMPACT);
	check(text != NULL, "patch does not serialise");
	json_t *wire = json_loads(text, 0, NULL);
	free(text);
	check(wire && json_equal(wire, ops), "patch text does not parse back to the same patch");
	json_t *doc = json_deep_copy(a);
	char err[256];
	check(jp_apply(&doc, wire, err, sizeof err) == 0, err);
	check(json_equal(doc, b), "patched document differs from the target");
	json_t *none = json_array();
	check(none && agui_patch_diff(b, doc, none) == 0 && json_array_size(none) == 0, "equal documents give a patch");
	json_decref(none);
	json_decref(doc);
	json_decref(wire);
	json_decref(ops);
	json_decref(a);
	json_decref(b);
	return 0;
}
