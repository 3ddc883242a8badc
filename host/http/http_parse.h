/*
 * http_parse — the HTTP/1.x request parser: bytes in, a request (or an
 * error status) out. Pure: it reads no socket and keeps no global state, so
 * the fuzz target drives exactly the code the server runs.
 *
 * Bytes may arrive in any split: http_parser_feed consumes what it can and
 * says whether it needs more. The head (request line + headers) is copied
 * into one buffer and split in place; the body is decoded (Content-Length or
 * chunked) into a second buffer, NUL-terminated.
 *
 * Strictness is deliberate: everything that lets two parsers disagree about
 * where a request ends (request smuggling) is an error, not a guess:
 * Content-Length together with Transfer-Encoding, differing Content-Length
 * values, obs-fold, bare CR or LF, whitespace before a header colon,
 * Transfer-Encoding in HTTP/1.0.
 */
#ifndef HOST_HTTP_HTTP_PARSE_H
#define HOST_HTTP_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A chunk-size line (with extensions) longer than this is an error (400). */
#define HTTP_CHUNK_LINE_MAX 1024

typedef struct http_header {
	const char *name;  /* as received; compare case-insensitively */
	const char *value; /* optional whitespace trimmed */
} http_header;

typedef struct http_message {
	char *head; /* owned; the head split in place into NUL-terminated strings */
	size_t head_len, head_cap;
	const char *method;
	const char *target;
	int version_minor;  /* 0 = HTTP/1.0, 1 = HTTP/1.1 */
	http_header *headers; /* owned array */
	size_t nheaders;
	char *body; /* owned, NUL-terminated; NULL when there is no body */
	size_t body_len, body_cap;
	uint64_t content_length;
	int has_length;      /* a Content-Length header was present */
	int chunked;         /* Transfer-Encoding: chunked */
	int keep_alive;      /* after the Connection header and the version */
	int expect_continue; /* Expect: 100-continue (HTTP/1.1 only) */
} http_message;

typedef struct http_parser_limits {
	size_t max_header_bytes; /* request line + headers (also the chunked trailer) -> 431 */
	size_t max_headers;      /* -> 431 */
	size_t max_body_bytes;   /* -> 413 */
} http_parser_limits;

typedef enum http_parse_result {
	HTTP_PARSE_MORE,  /* every byte consumed; feed more */
	HTTP_PARSE_HEAD,  /* head complete, a body follows: the caller may answer 100-continue, then feed on */
	HTTP_PARSE_DONE,  /* a whole request; bytes after it are not consumed */
	HTTP_PARSE_ERROR, /* status and error say why; the connection cannot continue */
} http_parse_result;

typedef struct http_parser {
	http_parser_limits lim;
	int state;
	http_message msg;
	int status;        /* on error: 400, 413, 431, 501, 505, 417 */
	const char *error; /* on error: a static sentence naming what is wrong */
	unsigned term;     /* progress through the CR LF CR LF that ends the head */
	uint64_t chunk_left;
	size_t line_len;      /* bytes of the current chunk-size or trailer line */
	size_t trailer_bytes; /* bytes of the whole trailer section */
	unsigned line_flags;
	size_t seen; /* bytes consumed for the current message (also leading CRLFs) */
} http_parser;

void http_parser_init(http_parser *p, const http_parser_limits *lim);
/* Consumes bytes of `data` (*consumed says how many). Once DONE or ERROR is
 * returned, call http_parser_take or http_parser_reset before feeding again. */
http_parse_result http_parser_feed(http_parser *p, const char *data, size_t len, size_t *consumed);
/* Has any byte of the next request arrived? */
int http_parser_started(const http_parser *p);
/* Moves the parsed message out (the caller frees it) and readies the parser. */
void http_parser_take(http_parser *p, http_message *out);
/* Drops any partial message and readies the parser for a new one. */
void http_parser_reset(http_parser *p);
void http_message_free(http_message *m);

/* The value of the first header with this name (case-insensitive), or NULL. */
const char *http_message_header(const http_message *m, const char *name);

/* Parser states (internal to the parser files). */
enum http_parse_state {
	HTTP_PS_HEAD,
	HTTP_PS_BODY_LENGTH,
	HTTP_PS_CHUNK_SIZE,
	HTTP_PS_CHUNK_DATA,
	HTTP_PS_CHUNK_CR,
	HTTP_PS_CHUNK_LF,
	HTTP_PS_TRAILER,
	HTTP_PS_DONE,
	HTTP_PS_ERROR,
};

/* Internal to the parser files: the body stage (http_parse_body.c). */
http_parse_result http_parse_body(http_parser *p, const char *data, size_t len, size_t *consumed);
http_parse_result http_parse_fail(http_parser *p, int status, const char *error);
/* Prepares the body stage after a head with Content-Length / chunked. */
http_parse_result http_parse_body_start(http_parser *p);

#endif
