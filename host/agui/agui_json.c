/* JSON helpers for the AG-UI stream: fixed-point figures as decimal strings
 * (never doubles), UTF-8-safe strings, and the names of trading enums. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tradehost/th_fixed.h>
#include <tradehost/th_types.h>

#include "agui/agui_internal.h"
#include "common/money_text.h"

void agui_fixed_text(int64_t v, int32_t scale, char *buf, size_t cap)
{
	fixed_text(v, scale, buf, cap);
}

void agui_money_text(th_money v, char *buf, size_t cap)
{
	money_text(v, buf, cap);
}

json_t *agui_money(th_money v)
{
	char buf[48];
	agui_money_text(v, buf, sizeof buf);
	return json_string(buf);
}

json_t *agui_fixed(int64_t v, int32_t scale)
{
	char buf[48];
	agui_fixed_text(v, scale, buf, sizeof buf);
	return json_string(buf);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min_cp[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n;
}

json_t *agui_text(const char *s)
{
	json_t *v = json_string(s);
	if (v)
		return v;
	/* Agents and users may hand us any bytes; jansson refuses invalid
	 * UTF-8, so replace the bad bytes rather than drop the text. */
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len((const unsigned char *)s + i);
		if (len == 0) {
			copy[k++] = '?';
			i++;
		} else {
			memcpy(copy + k, s + i, len);
			k += len;
			i += len;
		}
	}
	copy[k] = '\0';
	v = json_string(copy);
	free(copy);
	return v;
}

int agui_set(json_t *obj, const char *key, json_t *v)
{
	/* json_object_set_new releases v even when it fails */
	return v && json_object_set_new(obj, key, v) == 0 ? 0 : -1;
}





