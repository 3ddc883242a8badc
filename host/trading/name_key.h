/*
 * name_key — a name remembered as zero-padded 64-bit words, so that "is this
 * event's venue / symbol / agent the one I saw last?" costs a few word
 * compares instead of a string walk or a strcmp call.
 *
 * Why: the backtest asks that question on every bar (the last price slot)
 * and on every fill (the trade book's position), and the event header's
 * name fields are fixed-size arrays (TH_VENUE_MAX, TH_SYMBOL_MAX,
 * TH_NAME_MAX, all multiples of 8) whose bytes after the NUL are
 * unspecified. name_key_is() therefore compares every word of the field
 * under a byte mask that keeps only the bytes up to and including the
 * remembered name's NUL. The masks are built from bytes, so the code does
 * not depend on the machine's byte order.
 *
 * name_key_is() reads the field as whole words: pass it only a fixed-size
 * array of at least the capacity the key was made for, never a plain C
 * string (name_key_is_str() is for those).
 */
#ifndef HOST_TRADING_NAME_KEY_H
#define HOST_TRADING_NAME_KEY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <tradehost/th_types.h>

#define NAME_KEY_MAX 32 /* bytes incl. NUL: the largest header name field */

_Static_assert(TH_VENUE_MAX % 8 == 0 && TH_SYMBOL_MAX % 8 == 0 && TH_NAME_MAX % 8 == 0,
	"name_key reads header name fields as whole 64-bit words");
_Static_assert(TH_VENUE_MAX <= NAME_KEY_MAX && TH_SYMBOL_MAX <= NAME_KEY_MAX && TH_NAME_MAX <= NAME_KEY_MAX,
	"name_key holds any header name field");

typedef struct name_key {
	union {
		uint64_t w[NAME_KEY_MAX / 8];
		char s[NAME_KEY_MAX]; /* the name, zero-padded: a C string */
	} u;
	/* per word, the bytes that belong to the name incl. its NUL (all, some,
	 * or none): the rest of a field is not compared */
	uint64_t mask[NAME_KEY_MAX / 8];
	uint64_t set;    /* 1 when it holds a name; 0 (e.g. zeroed, or the name did
	                  * not fit): matches nothing */
} name_key;

static inline void name_key_clear(name_key *k)
{
	memset(k, 0, sizeof *k);
}

/* Remembers `name` for fields of `cap` bytes (a multiple of 8, at most
 * NAME_KEY_MAX). A name that does not fit leaves the key matching nothing,
 * as such a name cannot be in a field of that size. */
static inline void name_key_set(name_key *k, const char *name, size_t cap)
{
	size_t len = strlen(name);
	name_key_clear(k);
	if (cap > NAME_KEY_MAX || cap % 8 != 0 || len >= cap)
		return;
	memcpy(k->u.s, name, len);
	/* the NUL counts: "BTC" must not match "BTC-USDT" */
	unsigned char m[NAME_KEY_MAX] = { 0 };
	memset(m, 0xFF, len + 1);
	memcpy(k->mask, m, sizeof m);
	k->set = 1;
}

/* 0 when the fixed-size name field `field` of `cap` bytes (the capacity
 * the key was set for; a constant, so the loop unrolls) holds the
 * remembered name, else non-zero. Branch-free: every word of the field is
 * read, the bytes after the name's NUL are masked out; the results for
 * several fields can be or-ed and tested once. */
static inline uint64_t name_key_diff(const name_key *k, const char *field, size_t cap)
{
	uint64_t diff = k->set ^ 1;
	for (size_t i = 0; i < cap / 8; i++) {
		uint64_t x;
		memcpy(&x, field + 8 * i, sizeof x);
		diff |= (x ^ k->u.w[i]) & k->mask[i];
	}
	return diff;
}

/* Whether the fixed-size name field `field` holds the remembered name. */
static inline int name_key_is(const name_key *k, const char *field, size_t cap)
{
	return name_key_diff(k, field, cap) == 0;
}

/* The same question for a plain C string (any length). */
static inline int name_key_is_str(const name_key *k, const char *s)
{
	return k->set && strcmp(k->u.s, s) == 0;
}

#endif
