/*
 * Percent-decoding and the split of a request target into path segments and
 * query parameters. Every string lives in one allocation (store) and every
 * pointer array in another (ptrs), so a request costs two mallocs here.
 */
#include "http/http_query.h"

#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long http_pct_decode(const char *src, size_t n, char *dst, int plus_space)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = src[i];
		if (c == '%') {
			if (n - i < 3)
				return -1;
			int h = hexval(src[i + 1]), l = hexval(src[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0)) /* %00 would cut the C string */
				return -1;
			c = (char)(h << 4 | l);
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		} else if (c == '\0') {
			return -1;
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return (long)o;
}

static size_t count_char(const char *s, size_t n, char c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* Where the path starts in an absolute-form target ("http://host/p" -> "/p"). */
static const char *skip_authority(const char *t)
{
	if (t[0] == '/')
		return t;
	const char *s = strstr(t, "://");
	if (!s)
		return NULL;
	s += 3;
	return s + strcspn(s, "/?");
}

static int parse_path(const char *raw, size_t n, http_target *t, char **out, const char **error)
{
	char *w = *out;
	if (n == 1) {
		t->nsegs = 0;
	} else {
		const char *s = raw + 1, *end = raw + n;
		while (s <= end) {
			const char *slash = memchr(s, '/', (size_t)(end - s));
			size_t len = slash ? (size_t)(slash - s) : (size_t)(end - s);
			long dn = http_pct_decode(s, len, w, 0);
			if (dn < 0) {
				*error = "malformed percent-encoding in the path";
				return -1;
			}
			if (memchr(w, '/', (size_t)dn)) {
				*error = "encoded '/' in a path segment";
				return -1;
			}
			if (strcmp(w, ".") == 0 || strcmp(w, "..") == 0) {
				*error = "'.' or '..' segment in the path";
				return -1;
			}
			t->segs[t->nsegs++] = w;
			w += dn + 1;
			if (!slash)
				break;
			s = slash + 1;
		}
	}
	/* the decoded path is the segments joined again: no decoded '/' can
	 * hide inside one, so this is exactly the decoded raw path */
	char *path = w;
	*w++ = '/';
	for (size_t i = 0; i < t->nsegs; i++) {
		size_t l = strlen(t->segs[i]);
		memcpy(w, t->segs[i], l);
		w += l;
		*w++ = i + 1 < t->nsegs ? '/' : '\0';
	}
	if (t->nsegs == 0)
		*w++ = '\0';
	t->path = path;
	*out = w;
	return 0;
}

static int parse_query(const char *q, size_t n, http_target *t, char *w, const char **error)
{
	const char *s = q, *end = q + n;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *e = amp ? amp : end;
		if (e > s) {
			const char *eq = memchr(s, '=', (size_t)(e - s));
			const char *ne = eq ? eq : e;
			long dn = http_pct_decode(s, (size_t)(ne - s), w, 1);
			if (dn < 0)
				goto bad;
			t->qnames[t->nquery] = w;
			w += dn + 1;
			dn = eq ? http_pct_decode(eq + 1, (size_t)(e - eq - 1), w, 1) : 0;
			if (dn < 0)
				goto bad;
			if (!eq)
				*w = '\0';
			t->qvalues[t->nquery++] = w;
			w += dn + 1;
		}
		s = e + 1;
	}
	return 0;
bad:
	*error = "malformed percent-encoding in the query";
	return -1;
}

int http_target_parse(const char *target, http_target *out, const char **error)
{
	memset(out, 0, sizeof(*out));
	const char *p = skip_authority(target);
	if (!p) {
		*error = "request target is neither an absolute path nor an absolute URI";
		return -1;
	}
	size_t plen = strcspn(p, "?#");
	const char *q = p[plen] == '?' ? p + plen + 1 : NULL;
	size_t qlen = q ? strcspn(q, "#") : 0;
	const char *path = plen ? p : "/";
	if (!plen)
		plen = 1;
	size_t nseg = count_char(path, plen, '/') + 1, npair = q ? count_char(q, qlen, '&') + 1 : 0;
	out->ptrs = malloc((nseg + 2 * npair + 1) * sizeof(char *));
	/* decoded text never grows: path, segments and query each fit in their raw size + NULs */
	out->store = malloc(2 * plen + 2 * qlen + 2 * npair + nseg + 8);
	if (!out->ptrs || !out->store) {
		http_target_free(out);
		*error = "out of memory";
		return -1;
	}
	out->segs = out->ptrs;
	out->qnames = out->ptrs + nseg;
	out->qvalues = out->qnames + npair;
	char *w = out->store;
	if (parse_path(path, plen, out, &w, error) != 0 || (q && parse_query(q, qlen, out, w, error) != 0)) {
		http_target_free(out);
		return -1;
	}
	return 0;
}

void http_target_free(http_target *t)
{
	free(t->store);
	free(t->ptrs);
	memset(t, 0, sizeof(*t));
}
