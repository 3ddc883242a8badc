/*
 * market — buffered line reader for large text data files.
 *
 * One fixed buffer per file, lines handed out in place (no per-line
 * allocation, no copy): the importer's hot loop is memchr + parse. A line
 * stays valid until the next call. "\r\n" endings and a UTF-8 byte-order
 * mark at the start of the file are stripped.
 */
#ifndef TH_MARKET_LINES_H
#define TH_MARKET_LINES_H

#include <stddef.h>
#include <stdint.h>

typedef struct market_lines {
	int fd;
	char *buf;
	size_t cap;        /* buffer size = longest accepted line */
	size_t start, end; /* unread bytes are buf[start, end) */
	uint64_t lineno;   /* 1-based number of the line last returned */
	int eof;
	const char *path;  /* borrowed, for messages */
} market_lines;

/* 0, or -1 with "path: cannot open: reason" in err. */
int market_lines_open(market_lines *lr, const char *path, size_t cap, char *err, size_t errlen);

/* 1 = line and len set, 0 = end of file, -1 = error (read failure, line too long). */
int market_lines_next(market_lines *lr, const char **line, size_t *len, char *err, size_t errlen);

void market_lines_close(market_lines *lr);

#endif
