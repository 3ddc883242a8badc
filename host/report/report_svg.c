/*
 * report — inline SVG line charts for report.html. Coordinates are printed
 * with one decimal (sub-pixel at this size), which keeps the page small and
 * the output byte-identical across runs.
 */
#include "report/report_internal.h"

#include <stdlib.h>

#define SVG_W 960.0
#define SVG_H 280.0
#define SVG_LEFT 110.0
#define SVG_RIGHT 16.0
#define SVG_TOP 14.0
#define SVG_BOTTOM 30.0

typedef struct frame {
	int64_t t0, t1;
	double lo, hi;
} frame;

static double px_x(const frame *f, int64_t t)
{
	double pw = SVG_W - SVG_LEFT - SVG_RIGHT;
	if (f->t1 <= f->t0)
		return SVG_LEFT + pw / 2;
	return SVG_LEFT + (double)(t - f->t0) / (double)(f->t1 - f->t0) * pw;
}

static double px_y(const frame *f, double v)
{
	double ph = SVG_H - SVG_TOP - SVG_BOTTOM;
	if (!(f->hi > f->lo))
		return SVG_TOP + ph / 2;
	return SVG_TOP + (f->hi - v) / (f->hi - f->lo) * ph;
}

static void axes(report_buf *b, const report_chart *c)
{
	double bottom = SVG_H - SVG_BOTTOM, right = SVG_W - SVG_RIGHT;
	report_buf_printf(b, "<path class=\"axis\" d=\"M%.1f %.1fV%.1fH%.1f\"/>\n", SVG_LEFT, SVG_TOP,
			  bottom, right);
	report_buf_printf(b, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			  SVG_LEFT - 6, SVG_TOP + 4);
	report_buf_escape(b, c->y_hi_label ? c->y_hi_label : "");
	report_buf_printf(b, "</text>\n<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			  SVG_LEFT - 6, bottom);
	report_buf_escape(b, c->y_lo_label ? c->y_lo_label : "");
	report_buf_puts(b, "</text>\n");
	if (c->n == 0)
		return;
	char t0[REPORT_TIME_MAX], t1[REPORT_TIME_MAX];
	report_time_iso(c->t[0], t0, sizeof t0);
	report_time_iso(c->t[c->n - 1], t1, sizeof t1);
	report_buf_printf(b, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", SVG_LEFT,
			  SVG_H - 8, t0);
	report_buf_printf(b, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			  right, SVG_H - 8, t1);
}

int report_svg_chart(report_buf *b, const report_chart *c)
{
	size_t *idx = NULL, k = 0;
	if (c->n > 0) {
		idx = malloc(REPORT_CHART_MAX_POINTS * sizeof *idx);
		if (!idx)
			return -1;
		k = report_downsample_minmax(c->y, c->n, REPORT_CHART_MAX_POINTS, idx);
	}
	frame f = { c->n ? c->t[0] : 0, c->n ? c->t[c->n - 1] : 0, c->y_lo, c->y_hi };

	report_buf_printf(b,
			  "<svg id=\"%s\" class=\"chart\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
			  "viewBox=\"0 0 %.0f %.0f\">\n",
			  c->id, c->id, c->id, SVG_W, SVG_H);
	report_buf_printf(b, "<title id=\"%s-title\">", c->id);
	report_buf_escape(b, c->title);
	report_buf_printf(b, "</title>\n<desc id=\"%s-desc\">", c->id);
	if (c->n == 0) {
		report_buf_puts(b, "No samples.");
	} else {
		report_buf_printf(b, "%zu of %zu samples drawn (min/max downsampled); range ", k, c->n);
		report_buf_escape(b, c->y_lo_label ? c->y_lo_label : "");
		report_buf_puts(b, " to ");
		report_buf_escape(b, c->y_hi_label ? c->y_hi_label : "");
		report_buf_puts(b, ".");
	}
	report_buf_puts(b, "</desc>\n");
	axes(b, c);

	if (k == 1) {
		report_buf_printf(b, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>\n",
				  px_x(&f, c->t[0]), px_y(&f, c->y[0]));
	} else if (k > 1) {
		if (c->shade_to_top) {
			report_buf_printf(b, "<path class=\"area\" d=\"M%.1f %.1f", px_x(&f, c->t[idx[0]]),
					  SVG_TOP);
			for (size_t i = 0; i < k; i++)
				report_buf_printf(b, "L%.1f %.1f", px_x(&f, c->t[idx[i]]),
						  px_y(&f, c->y[idx[i]]));
			report_buf_printf(b, "L%.1f %.1fZ\"/>\n", px_x(&f, c->t[idx[k - 1]]), SVG_TOP);
		}
		report_buf_puts(b, "<path class=\"line\" d=\"");
		for (size_t i = 0; i < k; i++)
			report_buf_printf(b, "%c%.1f %.1f", i ? 'L' : 'M', px_x(&f, c->t[idx[i]]),
					  px_y(&f, c->y[idx[i]]));
		report_buf_puts(b, "\"/>\n");
	}
	if (c->n == 0)
		report_buf_printf(b, "<text class=\"lbl\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">no data</text>\n",
				  SVG_W / 2, SVG_H / 2);
	report_buf_puts(b, "</svg>\n");
	free(idx);
	return b->failed ? -1 : 0;
}
