/*
 * The JSON Patch writer (host/agui/agui_patch.c): fixed examples with the
 * exact operations expected (pointer escaping, array tails, type changes,
 * the root), and a property test: for many random document pairs, applying
 * the produced patch with an independent applier (json_patch_apply.c)
 * reproduces the target exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agui/agui_patch.h"
#include "json_patch_apply.h"

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
	if (!v)
		fail_msg("bad test JSON %s: %s", text, e.text);
	return v;
}

/* diff(from, to) must equal `expected` (a JSON array text) exactly, and
 * applying it must give `to`. */
static void check_diff(const char *from, const char *to, const char *expected)
{
	json_t *a = parse(from), *b = parse(to), *want = parse(expected), *ops = json_array();
	assert_int_equal(agui_patch_diff(a, b, ops), 0);
	if (!json_equal(ops, want)) {
		char *got = json_dumps(ops, JSON_COMPACT);
		fail_msg("diff %s -> %s\n got  %s\n want %s", from, to, got, expected);
	}
	char err[256];
	assert_int_equal(jp_apply(&a, ops, err, sizeof err), 0);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	json_decref(want);
	json_decref(ops);
}

static void test_escape(void **state)
{
	(void)state;
	char buf[32];
	assert_int_equal(agui_pointer_escape("plain", buf, sizeof buf), 5);
	assert_string_equal(buf, "plain");
	assert_int_equal(agui_pointer_escape("a/b~c", buf, sizeof buf), 7);
	assert_string_equal(buf, "a~1b~0c");
	/* "~1" must not be read back as "/": the '~' itself is escaped first */
	assert_int_equal(agui_pointer_escape("~1", buf, sizeof buf), 3);
	assert_string_equal(buf, "~01");
	assert_int_equal(agui_pointer_escape("", buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(agui_pointer_escape("abc", buf, 3), -1);  /* no room for the NUL */
	assert_int_equal(agui_pointer_escape("a/", buf, 3), -1);   /* escape does not fit */
}

static void test_examples(void **state)
{
	(void)state;
	check_diff("{}", "{}", "[]");
	check_diff("{\"a\":1}", "{\"a\":2}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]");
	check_diff("{\"a\":1}", "{}", "[{\"op\":\"remove\",\"path\":\"/a\"}]");
	check_diff("{}", "{\"n\":{\"x\":[1]}}", "[{\"op\":\"add\",\"path\":\"/n\",\"value\":{\"x\":[1]}}]");
	check_diff("{\"a/b\":1,\"m~n\":1}", "{\"a/b\":2,\"m~n\":3}",
		"[{\"op\":\"replace\",\"path\":\"/a~1b\",\"value\":2},{\"op\":\"replace\",\"path\":\"/m~0n\",\"value\":3}]");
	check_diff("{\"\":1}", "{\"\":true}", "[{\"op\":\"replace\",\"path\":\"/\",\"value\":true}]");
	/* arrays: changed element replaced, tail added in order, tail removed from the end */
	check_diff("[1,2,3]", "[1,5,3,4,6]",
		"[{\"op\":\"replace\",\"path\":\"/1\",\"value\":5},{\"op\":\"add\",\"path\":\"/3\",\"value\":4},"
		"{\"op\":\"add\",\"path\":\"/4\",\"value\":6}]");
	check_diff("[1,2,3,4]", "[1]", "[{\"op\":\"remove\",\"path\":\"/3\"},{\"op\":\"remove\",\"path\":\"/2\"},"
		"{\"op\":\"remove\",\"path\":\"/1\"}]");
	check_diff("{\"p\":[{\"q\":\"1.5\"}]}", "{\"p\":[{\"q\":\"2.5\"}]}",
		"[{\"op\":\"replace\",\"path\":\"/p/0/q\",\"value\":\"2.5\"}]");
	/* type changes: replaced whole, also an integer becoming a real */
	check_diff("{\"a\":[1]}", "{\"a\":{\"0\":1}}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":{\"0\":1}}]");
	check_diff("{\"a\":1}", "{\"a\":1.0}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1.0}]");
	check_diff("{\"a\":null}", "{\"a\":false}", "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":false}]");
	/* the root */
	check_diff("[1]", "{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"a\":1}}]");
	check_diff("3", "\"x\"", "[{\"op\":\"replace\",\"path\":\"\",\"value\":\"x\"}]");
	check_diff("null", "null", "[]");
}

static void test_bad_args(void **state)
{
	(void)state;
	json_t *a = json_object(), *notarray = json_object();
	assert_int_equal(agui_patch_diff(a, a, notarray), -1);
	assert_int_equal(agui_patch_diff(NULL, a, notarray), -1);
	json_decref(a);
	json_decref(notarray);
}

/* The values in the operations are copies: freeing the target afterwards
 * leaves the patch intact. */
static void test_values_are_copies(void **state)
{
	(void)state;
	json_t *a = parse("{}"), *b = parse("{\"k\":{\"deep\":[1,2]}}"), *ops = json_array();
	assert_int_equal(agui_patch_diff(a, b, ops), 0);
	json_object_set_new(json_object_get(b, "k"), "deep", json_string("changed"));
	json_decref(b);
	json_t *want = parse("[{\"op\":\"add\",\"path\":\"/k\",\"value\":{\"deep\":[1,2]}}]");
	assert_true(json_equal(ops, want));
	json_decref(a);
	json_decref(ops);
	json_decref(want);
}

/* --- property test --- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/* Keys chosen to exercise escaping and collisions. */
static const char *const keys[] = { "a", "b", "c", "~", "/", "a/b", "~0", "~1", "", "x~y/z", "0", "-", "equity" };
#define NKEYS (sizeof keys / sizeof keys[0])

static json_t *random_value(int depth)
{
	uint32_t kind = rnd(depth > 0 ? 9 : 6);
	switch (kind) {
	case 0: return json_integer((json_int_t)rnd(5) - 2);
	case 1: return json_real((double)rnd(8) / 4.0);
	case 2: {
		static const char *const strs[] = { "", "1.50", "x", "~1", "a/b", "USDT" };
		return json_string(strs[rnd(6)]);
	}
	case 3: return json_true();
	case 4: return json_false();
	case 5: return json_null();
	case 6:
	case 7: {
		json_t *o = json_object();
		uint32_t n = rnd(5);
		for (uint32_t i = 0; i < n; i++)
			json_object_set_new(o, keys[rnd(NKEYS)], random_value(depth - 1));
		return o;
	}
	default: {
		json_t *arr = json_array();
		uint32_t n = rnd(6);
		for (uint32_t i = 0; i < n; i++)
			json_array_append_new(arr, random_value(depth - 1));
		return arr;
	}
	}
}

/* Changes a few places of v in place (returns the possibly new root):
 * replace, delete or add a member, grow or shrink an array. */
static json_t *mutate(json_t *v, int depth)
{
	if (rnd(4) == 0 || depth == 0) {
		json_decref(v);
		return random_value(2);
	}
	if (json_is_object(v)) {
		const char *k = keys[rnd(NKEYS)];
		json_t *child = json_object_get(v, k);
		switch (rnd(3)) {
		case 0: json_object_del(v, k); break;
		case 1: json_object_set_new(v, k, random_value(2)); break;
		default:
			if (child)
				json_object_set_new(v, k, mutate(json_incref(child), depth - 1));
		}
	} else if (json_is_array(v)) {
		size_t n = json_array_size(v);
		switch (rnd(3)) {
		case 0:
			if (n)
				json_array_remove(v, rnd((uint32_t)n));
			break;
		case 1: json_array_append_new(v, random_value(2)); break;
		default:
			if (n) {
				size_t i = rnd((uint32_t)n);
				json_array_set_new(v, i, mutate(json_incref(json_array_get(v, i)), depth - 1));
			}
		}
	} else {
		json_decref(v);
		return random_value(1);
	}
	return v;
}

static void check_pair(json_t *a, json_t *b, size_t round)
{
	json_t *ops = json_array();
	assert_int_equal(agui_patch_diff(a, b, ops), 0);
	for (size_t i = 0; i < json_array_size(ops); i++) {
		const char *op = json_string_value(json_object_get(json_array_get(ops, i), "op"));
		assert_non_null(op);
		assert_true(strcmp(op, "add") == 0 || strcmp(op, "remove") == 0 || strcmp(op, "replace") == 0);
	}
	json_t *doc = json_deep_copy(a);
	char err[256];
	if (jp_apply(&doc, ops, err, sizeof err) != 0 || !json_equal(doc, b)) {
		char *sa = json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY), *sb = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY),
		     *sp = json_dumps(ops, JSON_COMPACT);
		fail_msg("round %zu: patch does not reproduce the target\n from %s\n to   %s\n ops  %s\n %s", round, sa, sb,
			sp, err);
	}
	/* equal documents give an empty patch */
	json_t *none = json_array();
	assert_int_equal(agui_patch_diff(b, doc, none), 0);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);
	json_decref(doc);
	json_decref(ops);
}

static void test_property_random_pairs(void **state)
{
	(void)state;
	for (size_t round = 0; round < 3000; round++) {
		json_t *a = random_value(4), *b = random_value(4);
		check_pair(a, b, round);
		json_decref(a);
		json_decref(b);
	}
}

static void test_property_mutations(void **state)
{
	(void)state;
	for (size_t round = 0; round < 5000; round++) {
		json_t *a = random_value(5);
		json_t *b = json_deep_copy(a);
		uint32_t edits = 1 + rnd(4);
		for (uint32_t k = 0; k < edits; k++)
			b = mutate(b, 4);
		check_pair(a, b, round);
		json_decref(a);
		json_decref(b);
	}
}

/* The applier itself must refuse what the RFC refuses, or the property test
 * could pass on a patch a real client would reject. */
static void test_applier_is_strict(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"[{\"op\":\"replace\",\"path\":\"/missing\",\"value\":1}]",
		"[{\"op\":\"remove\",\"path\":\"/arr/2\"}]",
		"[{\"op\":\"add\",\"path\":\"/arr/3\",\"value\":1}]",
		"[{\"op\":\"replace\",\"path\":\"/arr/01\",\"value\":1}]",
		"[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]",
		"[{\"op\":\"add\",\"path\":\"nope\",\"value\":1}]",
		"[{\"op\":\"remove\",\"path\":\"\"}]",
		"[{\"op\":\"add\",\"path\":\"/x/y\",\"value\":1}]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *doc = parse("{\"arr\":[1,2],\"a\":1}"), *ops = parse(bad[i]);
		char err[256];
		if (jp_apply(&doc, ops, err, sizeof err) == 0)
			fail_msg("applier accepted %s", bad[i]);
		json_decref(doc);
		json_decref(ops);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_values_are_copies),
		cmocka_unit_test(test_applier_is_strict),
		cmocka_unit_test(test_property_random_pairs),
		cmocka_unit_test(test_property_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
