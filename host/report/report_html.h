/*
 * report — private pieces of report.html (page in report_html.c, tables in
 * report_html_cells.c).
 */
#ifndef TH_REPORT_HTML_H
#define TH_REPORT_HTML_H

#include "report/report_internal.h"

void report_html_total_table(report_buf *b, const report_entry *e);
void report_html_entries_table(report_buf *b, const char *caption, const report_entry *e, size_t n,
			       int with_farm);
void report_html_trades_table(report_buf *b, const report_trade *t, size_t n);

#endif
