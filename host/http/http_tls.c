/*
 * TLS: one SSL_CTX per server from PEM files (certificate chain + private
 * key), TLS 1.2 or newer; each connection is a bufferevent_openssl over the
 * accepted socket.
 */
#include "http/http_internal.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/util.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdio.h>

static void tls_error(char *err, size_t errlen, const char *what, const char *file)
{
	unsigned long e = ERR_get_error();
	char detail[256] = "unknown error";
	if (e)
		ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	snprintf(err, errlen, "%s %s: %s", what, file, detail);
}

void *http_tls_ctx_new(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		tls_error(err, errlen, "cannot create a TLS context for", cert_file);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* bufferevent_openssl may retry a write with a moved buffer */
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		tls_error(err, errlen, "cannot load the TLS certificate", cert_file);
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH)
			tls_error(err, errlen, "the TLS private key does not match the certificate: key", key_file);
		else
			tls_error(err, errlen, "cannot load the TLS private key", key_file);
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		tls_error(err, errlen, "the TLS private key does not match the certificate", cert_file);
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void http_tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

struct bufferevent *http_tls_bufferevent(struct event_base *base, void *ctx, int fd)
{
	SSL *ssl = SSL_new(ctx);
	if (!ssl)
		return NULL;
	struct bufferevent *bev =
		bufferevent_openssl_socket_new(base, fd, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		return NULL; /* libevent versions differ in whether ssl was freed: leak rather than risk a double free */
	/* clients often close without close_notify; that is an EOF, not an error */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}
