/*
 * report.html and chart downsampling: self-contained page (no external
 * resources, no script), accessibility hooks, escaping of hostile names,
 * exact path point counts after min/max downsampling, determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report_test_fixture.h"

static char *write_html(const char *dir, const char *name, const fixture *f,
			const report_series *series, size_t nseries, size_t *len)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (report_write_html(path, &f->meta, series, nseries, f->trades, 4, err, sizeof err) != 0)
		fail_msg("report_write_html: %s", err);
	char *text = slurp(path, len);
	assert_non_null(text);
	return text;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Points of the <path class="line"> inside the <svg id="chart_id">: one M
 * plus one per L. Also checks the path only holds M/L commands. */
static size_t line_points(const char *html, const char *chart_id)
{
	char key[64];
	snprintf(key, sizeof key, "<svg id=\"%s\"", chart_id);
	const char *svg = strstr(html, key);
	assert_non_null(svg);
	const char *end = strstr(svg, "</svg>");
	const char *d = strstr(svg, "<path class=\"line\" d=\"");
	assert_non_null(d);
	assert_true(d < end);
	d += strlen("<path class=\"line\" d=\"");
	assert_int_equal(*d, 'M');
	size_t points = 0;
	for (; *d != '"'; d++) {
		if (*d == 'M' || *d == 'L')
			points++;
		else if (!((*d >= '0' && *d <= '9') || *d == '.' || *d == ' ' || *d == '-'))
			fail_msg("unexpected '%c' in path", *d);
	}
	return points;
}

static void test_self_contained_and_accessible(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	size_t len = 0;
	char *html = write_html(dir, "a.html", &f, f.series, 6, &len);

	assert_true(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(html, "<title>Backtest report \xe2\x80\x94 config/back&lt;test&gt;.toml</title>"));
	assert_non_null(strstr(html, "<h1>Backtest report</h1>"));
	assert_int_equal(count_of(html, "<svg "), 2);
	assert_non_null(strstr(html, "<title id=\"equity-chart-title\">"));
	assert_non_null(strstr(html, "aria-labelledby=\"drawdown-chart-title drawdown-chart-desc\""));
	assert_non_null(strstr(html, "<th scope=\"col\">Sharpe</th>"));
	assert_true(count_of(html, "<table") == 4); /* total, farms, agents, trades */
	assert_true(strstr(html, "</html>\n") == html + len - 8);
	/* nothing fetched, nothing executed */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	/* exact money in the title, rounded in the cell; ∞-free: total has losses */
	assert_non_null(strstr(html, "title=\"108.90000000\">108.90</td>"));
	assert_non_null(strstr(html, "title=\"60.12345678\">60.12</td>"));
	/* undefined ratios of the flat farm read n/a */
	assert_non_null(strstr(html, "n/a"));
	/* four equity samples: every one is drawn */
	assert_int_equal(line_points(html, "equity-chart"), 4);
	assert_int_equal(line_points(html, "drawdown-chart"), 4);
	free(html);
}

static void test_names_are_escaped(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	char *html = write_html(dir, "a.html", &f, f.series, 6, NULL);
	const char *escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co";
	/* agent table row and the trade's row */
	assert_int_equal(count_of(html, escaped), 2);
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "alert(\"x\")"));
	free(html);
}

static void test_long_curve_is_downsampled(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	enum { N = 10000 };
	int64_t *t = malloc(N * sizeof *t);
	th_money *e = malloc(N * sizeof *e);
	assert_non_null(t);
	assert_non_null(e);
	for (size_t i = 0; i < N; i++) {
		t[i] = T0 + (int64_t)i * MINUTE;
		e[i] = M(1000) + (th_money)i * 100; /* rising: never a drawdown */
	}
	report_series host = { .name = "total", .kind = REPORT_KIND_HOST, .t_ns = t, .equity = e,
			       .n = N, .initial_capital = M(1000) };
	size_t len = 0;
	char *html = write_html(dir, "a.html", &f, &host, 1, &len);
	/* rising: every bucket has distinct min and max, 2 x 999 + first + last */
	assert_int_equal(line_points(html, "equity-chart"), REPORT_CHART_MAX_POINTS);
	/* drawdown is 0 throughout: one point per bucket, 999 + 2 */
	assert_int_equal(line_points(html, "drawdown-chart"), 1001);
	assert_non_null(strstr(html, "2000 of 10000 samples drawn"));
	assert_non_null(strstr(html, "<p>No farms.</p>"));
	assert_non_null(strstr(html, "<p>No agents.</p>"));
	/* the page stays small however long the run */
	assert_true(len < 200000);

	/* deterministic: same input, same bytes */
	size_t len2 = 0;
	char *again = write_html(dir, "b.html", &f, &host, 1, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(html, again, len);
	free(again);
	free(html);
	free(t);
	free(e);
}

static void test_downsample_keeps_extremes(void **state)
{
	(void)state;
	enum { N = 5000 };
	double *y = malloc(N * sizeof *y);
	size_t *idx = malloc(REPORT_CHART_MAX_POINTS * sizeof *idx);
	assert_non_null(y);
	assert_non_null(idx);
	for (size_t i = 0; i < N; i++)
		y[i] = (double)(i % 7); /* saw-tooth */
	y[1234] = 1e6;                  /* one spike */
	y[4321] = -1e6;                 /* one crash */
	size_t k = report_downsample_minmax(y, N, 100, idx);
	assert_true(k <= 100);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[k - 1], N - 1);
	int spike = 0, crash = 0;
	for (size_t i = 0; i < k; i++) {
		if (i)
			assert_true(idx[i] > idx[i - 1]);
		spike |= idx[i] == 1234;
		crash |= idx[i] == 4321;
	}
	assert_true(spike && crash);
	/* 49 buckets of ~102 saw-tooth points: each has min 0 and max 6 */
	assert_int_equal(k, 100);

	/* short input passes through unchanged */
	assert_int_equal(report_downsample_minmax(y, 7, 100, idx), 7);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(idx[i], i);
	/* tiny budgets are raised to 4: first, last, one bucket's min and max */
	assert_int_equal(report_downsample_minmax(y, N, 1, idx), 4);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1234);
	assert_int_equal(idx[2], 4321);
	assert_int_equal(idx[3], N - 1);
	assert_int_equal(report_downsample_minmax(y, 0, 100, idx), 0);
	free(y);
	free(idx);
}

static void test_single_point_and_infinite_profit_factor(void **state)
{
	const char *dir = *state;
	fixture f;
	fixture_init(&f);
	int64_t t = T0;
	th_money e = M(5);
	report_series host = { .name = "total", .kind = REPORT_KIND_HOST, .t_ns = &t, .equity = &e,
			       .n = 1, .initial_capital = M(5) };
	f.trades[1].net_pnl = 7; /* no losing trade left but trade 3 */
	f.trades[3].net_pnl = 9;
	char *html = write_html(dir, "a.html", &f, &host, 1, NULL);
	assert_non_null(strstr(html, "<circle class=\"dot\""));
	assert_null(strstr(html, "<path class=\"line\""));
	assert_non_null(strstr(html, "&infin;"));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_self_contained_and_accessible, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_names_are_escaped, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_long_curve_is_downsampled, tmpdir_setup, tmpdir_teardown),
		cmocka_unit_test(test_downsample_keeps_extremes),
		cmocka_unit_test_setup_teardown(test_single_point_and_infinite_profit_factor, tmpdir_setup, tmpdir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
