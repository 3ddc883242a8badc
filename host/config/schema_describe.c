/*
 * Documentation from a plugin's schema: a plain list for `tradehost plugins` and --help,
 * and a Markdown table for the README's configuration reference. Both come from the same
 * array the validator uses, so the docs cannot drift from the code.
 */
#include "config/schema.h"

#include <string.h>

/* Markdown table cells: '|' would end the cell and newlines the row. */
static int put_cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		int rc;
		if (*s == '|')
			rc = fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			rc = fputc(' ', out);
		else
			rc = fputc(*s, out);
		if (rc == EOF)
			return -1;
	}
	return 0;
}

static void range_text(const th_config_field *f, char *buf, size_t n)
{
	if (f->min_value && f->max_value)
		snprintf(buf, n, "%s to %s", f->min_value, f->max_value);
	else if (f->min_value)
		snprintf(buf, n, "at least %s", f->min_value);
	else if (f->max_value)
		snprintf(buf, n, "at most %s", f->max_value);
	else
		buf[0] = '\0';
}

static int describe_text(const th_config_field *schema, FILE *out)
{
	if (!schema[0].key)
		return fprintf(out, "  (no settings)\n") < 0 ? -1 : 0;
	for (size_t i = 0; schema[i].key; i++) {
		const th_config_field *f = &schema[i];
		char range[200];
		range_text(f, range, sizeof(range));
		if (fprintf(out, "  %s (%s", f->key, config_type_name(f->type)) < 0)
			return -1;
		if (f->required && fprintf(out, ", required") < 0)
			return -1;
		else if (!f->required && f->default_value && fprintf(out, ", default %s", f->default_value) < 0)
			return -1;
		if (range[0] && fprintf(out, ", %s", range) < 0)
			return -1;
		if (fprintf(out, ")\n      %s\n", f->description ? f->description : "") < 0)
			return -1;
	}
	return 0;
}

static int describe_markdown(const th_config_field *schema, FILE *out)
{
	if (fputs("| key | type | default | required | description |\n|---|---|---|---|---|\n", out) == EOF)
		return -1;
	for (size_t i = 0; schema[i].key; i++) {
		const th_config_field *f = &schema[i];
		if (fprintf(out, "| `%s` | %s | ", f->key, config_type_name(f->type)) < 0)
			return -1;
		if (!f->required && f->default_value) {
			/* Backticks inside a default would end the code span; use a double fence. */
			const char *fence = strchr(f->default_value, '`') ? "`` " : "`";
			const char *close = strchr(f->default_value, '`') ? " ``" : "`";
			if (fputs(fence, out) == EOF || put_cell(out, f->default_value) || fputs(close, out) == EOF)
				return -1;
		}
		if (fprintf(out, " | %s | ", f->required ? "yes" : "no") < 0)
			return -1;
		if (put_cell(out, f->description))
			return -1;
		char range[200];
		range_text(f, range, sizeof(range));
		if (range[0]) {
			if (fputs(f->description && f->description[0] ? " Range: " : "Range: ", out) == EOF ||
			    put_cell(out, range) || fputc('.', out) == EOF)
				return -1;
		}
		if (fputs(" |\n", out) == EOF)
			return -1;
	}
	return 0;
}

th_status config_schema_describe(const th_config_field *schema, FILE *out, config_describe_format format)
{
	if (!schema || !out)
		return TH_ERR_INVALID;
	int rc;
	switch (format) {
	case CONFIG_DESCRIBE_TEXT:
		rc = describe_text(schema, out);
		break;
	case CONFIG_DESCRIBE_MARKDOWN:
		rc = describe_markdown(schema, out);
		break;
	default:
		return TH_ERR_INVALID;
	}
	return rc == 0 && !ferror(out) ? TH_OK : TH_ERR_IO;
}
