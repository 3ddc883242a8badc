/*
 * report — table cells and statistic tables of report.html. Money is shown
 * rounded to cents (fixed-point rounding, not doubles) with the exact value
 * in the cell's title; report.json carries every digit.
 */
#include "report/report_html.h"

#include <math.h>

static void cell_money(report_buf *b, th_money v)
{
	char exact[REPORT_MONEY_MAX], shown[REPORT_MONEY_MAX];
	report_money_text(v, exact, sizeof exact);
	report_money_rounded(v, 2, shown, sizeof shown);
	report_buf_printf(b, "<td class=\"num\" title=\"%s\">%s</td>", exact, shown);
}

/* Round-to-display without printing "-0.00" for a tiny negative. */
static double shown2(double v)
{
	return fabs(v) < 0.005 ? 0.0 : v;
}

static void cell_ratio(report_buf *b, const report_stats *st, unsigned bit, double v, int percent)
{
	if (st->undefined & bit)
		report_buf_puts(b, "<td class=\"num na\">n/a</td>");
	else if (percent)
		report_buf_printf(b, "<td class=\"num\">%.2f&#8239;%%</td>", shown2(v * 100.0));
	else
		report_buf_printf(b, "<td class=\"num\">%.2f</td>", shown2(v));
}

static void cell_profit_factor(report_buf *b, const report_stats *st)
{
	/* no losing trade: the ratio is infinite when there were profits */
	if ((st->undefined & REPORT_UNDEF_PROFIT_FACTOR) && st->gross_profit > 0)
		report_buf_puts(b, "<td class=\"num\" title=\"no losing trade\">&infin;</td>");
	else
		cell_ratio(b, st, REPORT_UNDEF_PROFIT_FACTOR, st->profit_factor, 0);
}

static void cell_text(report_buf *b, const char *s, int header)
{
	report_buf_puts(b, header ? "<th scope=\"row\">" : "<td>");
	report_buf_escape(b, s ? s : "");
	report_buf_puts(b, header ? "</th>" : "</td>");
}

void report_html_total_table(report_buf *b, const report_entry *e)
{
	const report_stats *st = &e->stats;
	report_buf_puts(b, "<table class=\"kv\">\n<caption>Whole host: ");
	report_buf_escape(b, e->series->name);
	report_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Statistic</th>"
			   "<th scope=\"col\">Value</th></tr></thead>\n<tbody>\n");
#define ROW(label, cell)                                                \
	do {                                                            \
		report_buf_puts(b, "<tr><th scope=\"row\">" label "</th>"); \
		cell;                                                   \
		report_buf_puts(b, "</tr>\n");                          \
	} while (0)
	ROW("Start equity", cell_money(b, st->start_equity));
	ROW("End equity", cell_money(b, st->end_equity));
	ROW("Net profit", cell_money(b, st->net_profit));
	ROW("Total return", cell_ratio(b, st, REPORT_UNDEF_TOTAL_RETURN, st->total_return, 1));
	ROW("CAGR", cell_ratio(b, st, REPORT_UNDEF_CAGR, st->cagr, 1));
	ROW("Sharpe ratio", cell_ratio(b, st, REPORT_UNDEF_SHARPE, st->sharpe, 0));
	ROW("Sortino ratio", cell_ratio(b, st, REPORT_UNDEF_SORTINO, st->sortino, 0));
	ROW("Calmar ratio", cell_ratio(b, st, REPORT_UNDEF_CALMAR, st->calmar, 0));
	ROW("Max drawdown", cell_ratio(b, st, 0, st->max_drawdown, 1));
	ROW("Max drawdown (money)", cell_money(b, st->max_drawdown_money));
	ROW("Trades", report_buf_printf(b, "<td class=\"num\">%zu</td>", st->trades));
	ROW("Wins / losses", report_buf_printf(b, "<td class=\"num\">%zu / %zu</td>", st->wins, st->losses));
	ROW("Win rate", cell_ratio(b, st, REPORT_UNDEF_WIN_RATE, st->win_rate, 1));
	ROW("Gross profit", cell_money(b, st->gross_profit));
	ROW("Gross loss", cell_money(b, st->gross_loss));
	ROW("Profit factor", cell_profit_factor(b, st));
	ROW("Fees", cell_money(b, st->fees));
	ROW("Exposure", cell_ratio(b, st, REPORT_UNDEF_EXPOSURE, st->exposure, 1));
	ROW("Equity samples", report_buf_printf(b, "<td class=\"num\">%zu</td>", st->samples));
	ROW("Periods per year", report_buf_printf(b, "<td class=\"num\">%.0f</td>", st->periods_per_year));
#undef ROW
	report_buf_puts(b, "</tbody>\n</table>\n");
}

void report_html_entries_table(report_buf *b, const char *caption, const report_entry *e, size_t n,
			       int with_farm)
{
	report_buf_puts(b, "<table>\n<caption>");
	report_buf_escape(b, caption);
	report_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Name</th>");
	if (with_farm)
		report_buf_puts(b, "<th scope=\"col\">Farm</th>");
	report_buf_puts(b, "<th scope=\"col\">End equity</th><th scope=\"col\">Net profit</th>"
			   "<th scope=\"col\">Return</th><th scope=\"col\">CAGR</th>"
			   "<th scope=\"col\">Sharpe</th><th scope=\"col\">Sortino</th>"
			   "<th scope=\"col\">Calmar</th><th scope=\"col\">Max DD</th>"
			   "<th scope=\"col\">Trades</th><th scope=\"col\">Win rate</th>"
			   "<th scope=\"col\">Profit factor</th><th scope=\"col\">Exposure</th>"
			   "<th scope=\"col\">Fees</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const report_stats *st = &e[i].stats;
		report_buf_puts(b, "<tr>");
		cell_text(b, e[i].series->name, 1);
		if (with_farm)
			cell_text(b, e[i].series->parent, 0);
		cell_money(b, st->end_equity);
		cell_money(b, st->net_profit);
		cell_ratio(b, st, REPORT_UNDEF_TOTAL_RETURN, st->total_return, 1);
		cell_ratio(b, st, REPORT_UNDEF_CAGR, st->cagr, 1);
		cell_ratio(b, st, REPORT_UNDEF_SHARPE, st->sharpe, 0);
		cell_ratio(b, st, REPORT_UNDEF_SORTINO, st->sortino, 0);
		cell_ratio(b, st, REPORT_UNDEF_CALMAR, st->calmar, 0);
		cell_ratio(b, st, 0, st->max_drawdown, 1);
		report_buf_printf(b, "<td class=\"num\">%zu</td>", st->trades);
		cell_ratio(b, st, REPORT_UNDEF_WIN_RATE, st->win_rate, 1);
		cell_profit_factor(b, st);
		cell_ratio(b, st, REPORT_UNDEF_EXPOSURE, st->exposure, 1);
		cell_money(b, st->fees);
		report_buf_puts(b, "</tr>\n");
	}
	report_buf_puts(b, "</tbody>\n</table>\n");
}

void report_html_trades_table(report_buf *b, const report_trade *t, size_t n)
{
	size_t shown = n < REPORT_HTML_MAX_TRADES ? n : REPORT_HTML_MAX_TRADES;
	report_buf_printf(b, "<table>\n<caption>%zu closed trades", n);
	if (shown < n)
		report_buf_printf(b, " (the first %zu shown; all of them are in report.json)", shown);
	report_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Agent</th><th scope=\"col\">Farm</th>"
			   "<th scope=\"col\">Venue</th><th scope=\"col\">Symbol</th>"
			   "<th scope=\"col\">Side</th><th scope=\"col\">Entry</th>"
			   "<th scope=\"col\">Exit</th><th scope=\"col\">Qty</th>"
			   "<th scope=\"col\">Entry price</th><th scope=\"col\">Exit price</th>"
			   "<th scope=\"col\">Net PnL</th><th scope=\"col\">Fees</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < shown; i++) {
		char a[REPORT_TIME_MAX], z[REPORT_TIME_MAX], q[48], pe[48], px[48];
		report_time_iso(t[i].entry_ns, a, sizeof a);
		report_time_iso(t[i].exit_ns, z, sizeof z);
		th_fixed_format(t[i].qty, t[i].qty_scale, q, sizeof q);
		th_fixed_format(t[i].entry_price, t[i].price_scale, pe, sizeof pe);
		th_fixed_format(t[i].exit_price, t[i].price_scale, px, sizeof px);
		report_buf_puts(b, "<tr>");
		cell_text(b, t[i].agent, 1);
		cell_text(b, t[i].farm, 0);
		cell_text(b, t[i].venue, 0);
		cell_text(b, t[i].symbol, 0);
		cell_text(b, report_side_name(t[i].side), 0);
		report_buf_printf(b, "<td>%s</td><td>%s</td><td class=\"num\">%s</td>"
				     "<td class=\"num\">%s</td><td class=\"num\">%s</td>",
				  a, z, q, pe, px);
		cell_money(b, t[i].net_pnl);
		cell_money(b, t[i].fees);
		report_buf_puts(b, "</tr>\n");
	}
	report_buf_puts(b, "</tbody>\n</table>\n");
}
