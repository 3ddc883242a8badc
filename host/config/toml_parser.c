/*
 * TOML 1.0 document structure: expressions line by line, keys (bare, quoted, dotted),
 * [table] and [[array of tables]] headers, arrays, inline tables, and the rules about
 * which tables may be defined or extended where (the spec's "Table", "Inline Table" and
 * "Array of Tables" sections). Scalars are scanned in toml_string.c and toml_scalar.c.
 */
#include "config/toml_parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static toml_value *parse_value(toml_parser *p, int depth);

static bool is_bare_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

bool toml_is_bare_key(const char *key, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_bare_char((unsigned char)key[i]))
			return false;
	return true;
}

/* ---- keys ------------------------------------------------------------------------- */

/* A parsed key with the position of each part, for messages. */
typedef struct keyparts {
	toml_key_path path;
	int *lines, *cols;
	size_t cap;
} keyparts;

static void keyparts_free(keyparts *k)
{
	toml_key_path_free(&k->path);
	free(k->lines);
	free(k->cols);
	memset(k, 0, sizeof(*k));
}

static bool keyparts_push(toml_parser *p, keyparts *k, char *part, size_t len, int line, int col)
{
	if (k->path.count == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 4;
		char **np = realloc(k->path.parts, ncap * sizeof(*np));
		if (np)
			k->path.parts = np;
		size_t *nl = realloc(k->path.lens, ncap * sizeof(*nl));
		if (nl)
			k->path.lens = nl;
		int *nli = realloc(k->lines, ncap * sizeof(*nli));
		if (nli)
			k->lines = nli;
		int *nco = realloc(k->cols, ncap * sizeof(*nco));
		if (nco)
			k->cols = nco;
		if (!np || !nl || !nli || !nco) {
			free(part);
			return tp_fail_at(p, line, col, "out of memory");
		}
		k->cap = ncap;
	}
	k->path.parts[k->path.count] = part;
	k->path.lens[k->path.count] = len;
	k->lines[k->path.count] = line;
	k->cols[k->path.count] = col;
	k->path.count++;
	return true;
}

/* key = simple-key *( ws "." ws simple-key ); leaves the cursor after trailing spaces. */
static bool parse_key(toml_parser *p, keyparts *k)
{
	memset(k, 0, sizeof(*k));
	for (;;) {
		int line = p->line, col = p->col;
		int c = tp_peek(p, 0);
		char *part;
		size_t len;
		if (c == '"' || c == '\'') {
			if (!tp_parse_string(p, false, &part, &len))
				goto fail;
		} else if (is_bare_char(c)) {
			size_t n = 0;
			while (is_bare_char(tp_peek(p, n)))
				n++;
			part = malloc(n + 1);
			if (!part) {
				tp_fail_at(p, line, col, "out of memory");
				goto fail;
			}
			memcpy(part, p->s + p->pos, n);
			part[n] = '\0';
			len = n;
			tp_advance(p, n);
		} else {
			tp_expected(p, k->path.count ? "a key after '.'"
			                             : "a key (letters, digits, '_', '-' or a quoted string)");
			goto fail;
		}
		if (!keyparts_push(p, k, part, len, line, col))
			goto fail;
		tp_skip_ws(p);
		if (tp_peek(p, 0) != '.')
			return true;
		tp_advance(p, 1);
		tp_skip_ws(p);
	}
fail:
	keyparts_free(k);
	return false;
}

static void format_key(const keyparts *k, size_t count, char *buf, size_t n)
{
	toml_key_path_format(&k->path, count, buf, n);
}

/* ---- redefinition rules ------------------------------------------------------------ */

static const char *how_defined(const toml_value *v)
{
	if (v->type != TOML_TABLE)
		return v->type == TOML_ARRAY && (v->flags & TOML_AF_TABLES) ? "an array of tables" : NULL;
	if (v->flags & TOML_TF_INLINE)
		return "an inline table";
	if (v->flags & TOML_TF_DOTTED)
		return "a table by dotted keys";
	if (v->flags & TOML_TF_EXPLICIT)
		return "a table by a [header]";
	return "a table";
}

static bool fail_conflict(toml_parser *p, const keyparts *k, size_t upto, const toml_value *existing,
                          const char *why)
{
	char key[256];
	format_key(k, upto, key, sizeof(key));
	const char *how = how_defined(existing);
	char what[64];
	if (!how) {
		snprintf(what, sizeof(what), "a value of type %s", toml_type_name(existing->type));
		how = what;
	}
	return tp_fail_at(p, k->lines[upto - 1], k->cols[upto - 1], "%s: key '%s' is already defined as %s at %d:%d",
	                  why, key, how, existing->line, existing->column);
}

static void mark_inline(toml_value *t)
{
	if (t->type == TOML_TABLE) {
		t->flags |= TOML_TF_INLINE;
		for (size_t i = 0; i < t->u.tab.len; i++)
			mark_inline(t->u.tab.entries[i].value);
	}
}

/* Inserts key = value into table following the dotted-key rules; frees value on failure. */
static bool insert_keyval(toml_parser *p, toml_value *table, const keyparts *k, toml_value *value)
{
	toml_value *t = table;
	for (size_t i = 0; i + 1 < k->path.count; i++) {
		toml_value *child = toml_table_find(t, k->path.parts[i], k->path.lens[i]);
		if (!child) {
			child = tp_new_value(p, TOML_TABLE, k->lines[i], k->cols[i]);
			if (!child || !toml_table_add(t, k->path.parts[i], k->path.lens[i], child)) {
				toml_free(child);
				toml_free(value);
				return tp_fail_at(p, k->lines[i], k->cols[i], "out of memory");
			}
			child->flags = TOML_TF_DOTTED;
			child->section = p->section;
		} else if (child->type == TOML_TABLE && !(child->flags & TOML_TF_INLINE) &&
		           (((child->flags & TOML_TF_DOTTED) && child->section == p->section) ||
		            child->flags == TOML_TF_IMPLICIT)) {
			/* Extending our own dotted table, or claiming a table that a header only
			 * created as a parent: both are allowed. */
			if (child->flags == TOML_TF_IMPLICIT) {
				child->flags = TOML_TF_DOTTED;
				child->section = p->section;
			}
		} else {
			toml_free(value);
			return fail_conflict(p, k, i + 1, child, "dotted keys cannot extend it");
		}
		t = child;
	}
	size_t last = k->path.count - 1;
	toml_value *existing = toml_table_find(t, k->path.parts[last], k->path.lens[last]);
	if (existing) {
		toml_free(value);
		return fail_conflict(p, k, k->path.count, existing, "duplicate key");
	}
	if (!toml_table_add(t, k->path.parts[last], k->path.lens[last], value)) {
		toml_free(value);
		return tp_fail_at(p, k->lines[last], k->cols[last], "out of memory");
	}
	return true;
}

/* ---- values ------------------------------------------------------------------------ */

/* Skips spaces, tabs, newlines and comments (allowed between array elements). */
static void skip_ws_comments_newlines(toml_parser *p)
{
	for (;;) {
		tp_skip_ws(p);
		if (tp_peek(p, 0) == '#') {
			while (tp_peek(p, 0) >= 0 && !tp_at_newline(p))
				tp_advance(p, 1);
		}
		if (!tp_eat_newline(p))
			return;
	}
}

static toml_value *parse_array(toml_parser *p, int depth)
{
	toml_value *a = tp_new_value(p, TOML_ARRAY, p->line, p->col);
	if (!a)
		return NULL;
	tp_advance(p, 1);
	for (;;) {
		skip_ws_comments_newlines(p);
		if (tp_peek(p, 0) == ']')
			break;
		toml_value *v = parse_value(p, depth + 1);
		if (!v)
			goto fail;
		if (!toml_array_append(a, v)) {
			tp_fail_at(p, p->line, p->col, "out of memory");
			goto fail;
		}
		skip_ws_comments_newlines(p);
		if (tp_peek(p, 0) == ',') {
			tp_advance(p, 1);
			continue;
		}
		if (tp_peek(p, 0) == ']')
			break;
		tp_expected(p, "',' or ']' after an array element");
		goto fail;
	}
	tp_advance(p, 1);
	return a;
fail:
	toml_free(a);
	return NULL;
}

static toml_value *parse_inline_table(toml_parser *p, int depth)
{
	toml_value *t = tp_new_value(p, TOML_TABLE, p->line, p->col);
	if (!t)
		return NULL;
	t->flags = TOML_TF_INLINE;
	unsigned saved_section = p->section;
	p->section = p->next_section++; /* dotted keys inside may extend each other */
	tp_advance(p, 1);
	tp_skip_ws(p);
	if (tp_peek(p, 0) == '}') {
		tp_advance(p, 1);
		p->section = saved_section;
		return t;
	}
	for (;;) {
		tp_skip_ws(p);
		if (tp_peek(p, 0) == '}') {
			tp_fail_at(p, p->line, p->col, "expected a key after ',' in inline table, found '}' (trailing commas are not allowed in inline tables)");
			goto fail;
		}
		if (tp_at_newline(p)) {
			tp_fail_at(p, p->line, p->col, "expected a key in inline table, found end of line (inline tables must stay on one line)");
			goto fail;
		}
		keyparts k;
		if (!parse_key(p, &k))
			goto fail;
		if (depth + (int)k.path.count > TOML_MAX_DEPTH) {
			tp_fail_at(p, k.lines[0], k.cols[0], "nesting deeper than %d levels", TOML_MAX_DEPTH);
			keyparts_free(&k);
			goto fail;
		}
		if (tp_peek(p, 0) != '=') {
			tp_expected(p, "'=' after a key");
			keyparts_free(&k);
			goto fail;
		}
		tp_advance(p, 1);
		tp_skip_ws(p);
		toml_value *v = parse_value(p, depth + (int)k.path.count);
		bool ok = v && insert_keyval(p, t, &k, v);
		keyparts_free(&k);
		if (!ok)
			goto fail;
		tp_skip_ws(p);
		if (tp_peek(p, 0) == ',') {
			tp_advance(p, 1);
			continue;
		}
		if (tp_peek(p, 0) == '}')
			break;
		if (tp_at_newline(p))
			tp_fail_at(p, p->line, p->col, "expected ',' or '}' in inline table, found end of line (inline tables must stay on one line)");
		else
			tp_expected(p, "',' or '}' in inline table");
		goto fail;
	}
	tp_advance(p, 1);
	p->section = saved_section;
	mark_inline(t);
	return t;
fail:
	p->section = saved_section;
	toml_free(t);
	return NULL;
}

static toml_value *parse_value(toml_parser *p, int depth)
{
	if (depth > TOML_MAX_DEPTH) {
		tp_fail_at(p, p->line, p->col, "nesting deeper than %d levels", TOML_MAX_DEPTH);
		return NULL;
	}
	int line = p->line, col = p->col;
	int c = tp_peek(p, 0);
	switch (c) {
	case '"':
	case '\'': {
		char *s;
		size_t len;
		if (!tp_parse_string(p, true, &s, &len))
			return NULL;
		toml_value *v = tp_new_value(p, TOML_STRING, line, col);
		if (!v) {
			free(s);
			return NULL;
		}
		v->u.str.ptr = s;
		v->u.str.len = len;
		return v;
	}
	case 't':
	case 'f':
		return tp_parse_bool(p);
	case '[':
		return parse_array(p, depth);
	case '{':
		return parse_inline_table(p, depth);
	default:
		if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'i' || c == 'n')
			return tp_parse_number_or_datetime(p);
		tp_expected_value(p);
		return NULL;
	}
}

/* ---- document ---------------------------------------------------------------------- */

typedef struct docstate {
	toml_value *root;
	toml_value *current; /* table that key/value lines go into */
	int current_depth;
} docstate;

/* Walks/creates the parent tables of a [header] or [[header]]; returns the table that
 * will hold the last key, or NULL on error. *depth receives its nesting depth. */
static toml_value *header_parent(toml_parser *p, docstate *d, const keyparts *k, int *depth)
{
	toml_value *t = d->root;
	*depth = 0;
	for (size_t i = 0; i + 1 < k->path.count; i++) {
		toml_value *child = toml_table_find(t, k->path.parts[i], k->path.lens[i]);
		if (!child) {
			child = tp_new_value(p, TOML_TABLE, k->lines[i], k->cols[i]);
			if (!child || !toml_table_add(t, k->path.parts[i], k->path.lens[i], child)) {
				toml_free(child);
				tp_fail_at(p, k->lines[i], k->cols[i], "out of memory");
				return NULL;
			}
			child->flags = TOML_TF_IMPLICIT;
		} else if (child->type == TOML_ARRAY && (child->flags & TOML_AF_TABLES)) {
			/* [[a]] then [a.b]: b belongs to the most recent element of a. */
			child = child->u.arr.items[child->u.arr.len - 1];
			(*depth)++;
		} else if (child->type != TOML_TABLE || (child->flags & TOML_TF_INLINE)) {
			fail_conflict(p, k, i + 1, child, "a [header] cannot extend it");
			return NULL;
		}
		t = child;
		(*depth)++;
	}
	return t;
}

static bool parse_header(toml_parser *p, docstate *d)
{
	int line = p->line, col = p->col;
	bool array = tp_peek(p, 1) == '[';
	tp_advance(p, array ? 2 : 1);
	tp_skip_ws(p);
	keyparts k;
	if (!parse_key(p, &k))
		return false;
	bool ok = false;
	if (array ? !(tp_peek(p, 0) == ']' && tp_peek(p, 1) == ']') : tp_peek(p, 0) != ']') {
		tp_expected(p, array ? "']]' to close the [[array of tables]] header" : "']' to close the [table] header");
		goto out;
	}
	tp_advance(p, array ? 2 : 1);
	int depth;
	toml_value *parent = header_parent(p, d, &k, &depth);
	if (!parent)
		goto out;
	if (depth + 2 > TOML_MAX_DEPTH) {
		tp_fail_at(p, line, col, "nesting deeper than %d levels", TOML_MAX_DEPTH);
		goto out;
	}
	size_t last = k.path.count - 1;
	toml_value *existing = toml_table_find(parent, k.path.parts[last], k.path.lens[last]);
	toml_value *table;
	if (array) {
		if (existing && !(existing->type == TOML_ARRAY && (existing->flags & TOML_AF_TABLES))) {
			fail_conflict(p, &k, k.path.count, existing, "cannot define an array of tables");
			goto out;
		}
		if (!existing) {
			existing = tp_new_value(p, TOML_ARRAY, line, col);
			if (!existing || !toml_table_add(parent, k.path.parts[last], k.path.lens[last], existing)) {
				toml_free(existing);
				tp_fail_at(p, line, col, "out of memory");
				goto out;
			}
			existing->flags = TOML_AF_TABLES;
		}
		table = tp_new_value(p, TOML_TABLE, line, col);
		if (!table || !toml_array_append(existing, table)) {
			tp_fail_at(p, line, col, "out of memory");
			goto out;
		}
		table->flags = TOML_TF_EXPLICIT;
		depth += 2;
	} else {
		if (existing) {
			if (existing->type != TOML_TABLE || existing->flags != TOML_TF_IMPLICIT) {
				fail_conflict(p, &k, k.path.count, existing,
				              existing->type == TOML_TABLE ? "table defined more than once"
				                                           : "cannot define a table");
				goto out;
			}
			table = existing;
			table->line = line; /* point later messages at the defining header */
			table->column = col;
		} else {
			table = tp_new_value(p, TOML_TABLE, line, col);
			if (!table || !toml_table_add(parent, k.path.parts[last], k.path.lens[last], table)) {
				toml_free(table);
				tp_fail_at(p, line, col, "out of memory");
				goto out;
			}
		}
		table->flags = TOML_TF_EXPLICIT;
		depth += 1;
	}
	d->current = table;
	d->current_depth = depth;
	p->section = p->next_section++;
	ok = true;
out:
	keyparts_free(&k);
	return ok;
}

static bool parse_keyval_line(toml_parser *p, docstate *d)
{
	keyparts k;
	if (!parse_key(p, &k))
		return false;
	bool ok = false;
	if (tp_peek(p, 0) != '=') {
		char key[128];
		char what[200];
		format_key(&k, k.path.count, key, sizeof(key));
		snprintf(what, sizeof(what), "'=' after key '%s'", key);
		tp_expected(p, what);
		goto out;
	}
	tp_advance(p, 1);
	tp_skip_ws(p);
	int depth = d->current_depth + (int)k.path.count;
	if (depth > TOML_MAX_DEPTH) {
		tp_fail_at(p, k.lines[0], k.cols[0], "nesting deeper than %d levels", TOML_MAX_DEPTH);
		goto out;
	}
	if (tp_peek(p, 0) < 0 || tp_at_newline(p) || tp_peek(p, 0) == '#') {
		tp_expected(p, "a value after '='");
		goto out;
	}
	toml_value *v = parse_value(p, depth);
	ok = v && insert_keyval(p, d->current, &k, v);
out:
	keyparts_free(&k);
	return ok;
}

/* After an expression only spaces and a comment may follow on the line. */
static bool finish_line(toml_parser *p, const char *after)
{
	tp_skip_ws(p);
	if (tp_peek(p, 0) == '#') {
		while (tp_peek(p, 0) >= 0 && !tp_at_newline(p))
			tp_advance(p, 1);
	}
	if (tp_peek(p, 0) < 0 || tp_eat_newline(p))
		return true;
	char what[96];
	snprintf(what, sizeof(what), "end of line after %s", after);
	return tp_expected(p, what);
}

static bool parse_document(toml_parser *p, docstate *d)
{
	if (!tp_check_encoding(p))
		return false;
	if (p->len >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0) {
		p->pos = 3; /* a UTF-8 byte order mark is harmless; skip it without moving the column */
	}
	while (p->pos < p->len) {
		tp_skip_ws(p);
		int c = tp_peek(p, 0);
		bool ok;
		if (c < 0 || c == '#' || tp_at_newline(p))
			ok = finish_line(p, "whitespace");
		else if (c == '[')
			ok = parse_header(p, d) && finish_line(p, "a table header");
		else
			ok = parse_keyval_line(p, d) && finish_line(p, "a key/value pair");
		if (!ok)
			return false;
	}
	return true;
}

static void clear_error(toml_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

toml_value *toml_parse(const char *text, size_t len, const char *filename, toml_error *err)
{
	clear_error(err);
	toml_source *src = toml_source_new(filename);
	toml_parser p;
	tp_init(&p, text, len, src, err);
	if (!src) {
		tp_fail_at(&p, 0, 0, "out of memory");
		return NULL;
	}
	docstate d = { 0 };
	d.root = tp_new_value(&p, TOML_TABLE, 1, 1);
	d.current = d.root;
	bool ok = d.root && parse_document(&p, &d);
	toml_source_unref(src);
	if (!ok) {
		toml_free(d.root);
		return NULL;
	}
	return d.root;
}

toml_value *toml_parse_value_literal(const char *text, size_t len, const char *source, toml_error *err)
{
	clear_error(err);
	toml_source *src = toml_source_new(source);
	toml_parser p;
	tp_init(&p, text, len, src, err);
	if (!src) {
		tp_fail_at(&p, 0, 0, "out of memory");
		return NULL;
	}
	toml_value *v = NULL;
	if (tp_check_encoding(&p)) {
		tp_skip_ws(&p);
		v = parse_value(&p, 0);
		if (v) {
			tp_skip_ws(&p);
			if (p.pos != p.len) {
				tp_expected(&p, "end of the value");
				toml_free(v);
				v = NULL;
			}
		}
	}
	toml_source_unref(src);
	return v;
}

bool toml_parse_key_path(const char *text, size_t len, size_t *consumed, toml_key_path *out,
                         toml_error *err)
{
	clear_error(err);
	memset(out, 0, sizeof(*out));
	toml_source *src = toml_source_new("<key>");
	toml_parser p;
	tp_init(&p, text, len, src, err);
	bool ok = false;
	if (src && tp_check_encoding(&p)) {
		tp_skip_ws(&p);
		keyparts k;
		if (parse_key(&p, &k)) {
			*out = k.path;
			free(k.lines);
			free(k.cols);
			if (consumed)
				*consumed = p.pos;
			ok = true;
		}
	}
	toml_source_unref(src);
	return ok;
}

void toml_error_format(const toml_error *err, char *buf, size_t buflen)
{
	if (!buf || buflen == 0)
		return;
	if (!err) {
		snprintf(buf, buflen, "unknown error");
		return;
	}
	const char *file = err->file[0] ? err->file : "<input>";
	if (err->line > 0)
		snprintf(buf, buflen, "%s:%d:%d: %s", file, err->line, err->column, err->message);
	else
		snprintf(buf, buflen, "%s: %s", file, err->message);
}
