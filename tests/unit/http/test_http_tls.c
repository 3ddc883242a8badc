/* TLS: a throwaway self-signed certificate made with the OpenSSL API, a client that
 * verifies it, keep-alive over TLS, a streamed response, plain HTTP refused, and the
 * errors for missing or mismatched PEM files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "http/http.h"
#include "http_test_client.h"

typedef struct fixture {
	struct event_base *base;
	http_server *srv;
	char dir[64], cert[128], key[128], key2[128];
} fixture;

static EVP_PKEY *write_key(const char *path)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	assert_non_null(k);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	return k;
}

/* A self-signed certificate for CN=127.0.0.1, valid for a day. */
static void make_cert(fixture *fx)
{
	EVP_PKEY *k = write_key(fx->key);
	EVP_PKEY_free(write_key(fx->key2));
	X509 *x = X509_new();
	X509_set_version(x, 2); /* v3, for the subjectAltName */
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "IP:127.0.0.1");
	assert_non_null(san);
	X509_add_ext(x, san, -1);
	X509_EXTENSION_free(san);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	FILE *f = fopen(fx->cert, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void h_hello(http_request *r, void *arg)
{
	(void)arg;
	http_respond(r, 200, "text/plain", "hello tls", 9);
}

static void h_stream(http_request *r, void *arg)
{
	(void)arg;
	assert_int_equal(http_stream_begin(r, 200, "text/event-stream"), 0);
	assert_int_equal(http_stream_write(r, "data: a\n\n", 9), 0);
	http_stream_end(r);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	strcpy(f->dir, "/tmp/th_http_tls_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cert, sizeof(f->cert), "%s/cert.pem", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/key.pem", f->dir);
	snprintf(f->key2, sizeof(f->key2), "%s/other.pem", f->dir);
	make_cert(f);
	f->base = event_base_new();
	char err[512];
	http_server_options o = { .tls_cert_file = f->cert, .tls_key_file = f->key };
	f->srv = http_server_create(f->base, &o, err, sizeof(err));
	if (!f->srv)
		fail_msg("http_server_create: %s", err);
	http_server_route(f->srv, "GET", "/hello", 0, h_hello, NULL);
	http_server_route(f->srv, "GET", "/stream", 0, h_stream, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	http_server_free(f->srv);
	event_base_free(f->base);
	unlink(f->cert);
	unlink(f->key);
	unlink(f->key2);
	rmdir(f->dir);
	free(f);
	return 0;
}

enum { OP_CONNECT, OP_READ, OP_WRITE };

/* Retries an SSL call while the server's loop makes progress. */
static int ssl_op(struct event_base *base, SSL *ssl, int op, void *buf, int n)
{
	int rc = -1;
	for (int i = 0; i < 2500; i++) {
		rc = op == OP_CONNECT ? SSL_connect(ssl) : op == OP_READ ? SSL_read(ssl, buf, n) : SSL_write(ssl, buf, n);
		if (rc > 0)
			break;
		int e = SSL_get_error(ssl, rc);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
			break;
		ht_pump(base, 2);
	}
	return rc;
}

/* Reads until `until` appears in the decrypted stream; returns what was read. */
static char *tls_read_until(struct event_base *base, SSL *ssl, const char *until)
{
	size_t cap = 65536, len = 0;
	char *buf = calloc(1, cap);
	while (!strstr(buf, until)) {
		int n = ssl_op(base, ssl, OP_READ, buf + len, (int)(cap - len - 1));
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

static void test_tls_requests(void **state)
{
	fixture *f = *state;
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	assert_int_equal(SSL_CTX_load_verify_locations(cctx, f->cert, NULL), 1);
	SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, http_server_port(f->srv), 0), 0);
	SSL *ssl = SSL_new(cctx);
	SSL_set_fd(ssl, c.fd);
	X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
	if (ssl_op(f->base, ssl, OP_CONNECT, NULL, 0) != 1)
		fail_msg("TLS handshake failed: %s (verify: %s)", ERR_error_string(ERR_get_error(), NULL),
			X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
	assert_int_equal(SSL_get_verify_result(ssl), X509_V_OK);
	for (int i = 0; i < 2; i++) { /* keep-alive over TLS */
		const char *req = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
		assert_int_equal(ssl_op(f->base, ssl, OP_WRITE, (void *)req, (int)strlen(req)), (int)strlen(req));
		char *resp = tls_read_until(f->base, ssl, "hello tls");
		assert_non_null(strstr(resp, "HTTP/1.1 200 OK\r\n"));
		assert_non_null(strstr(resp, "Server: tradehost\r\n"));
		assert_non_null(strstr(resp, "\r\n\r\nhello tls"));
		free(resp);
	}
	const char *req = "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	assert_int_equal(ssl_op(f->base, ssl, OP_WRITE, (void *)req, (int)strlen(req)), (int)strlen(req));
	char *resp = tls_read_until(f->base, ssl, "\r\n0\r\n\r\n");
	assert_non_null(strstr(resp, "Transfer-Encoding: chunked\r\n"));
	assert_non_null(strstr(resp, "\r\n\r\n9\r\ndata: a\n\n\r\n0\r\n\r\n"));
	free(resp);
	SSL_free(ssl);
	ht_close(&c);
	SSL_CTX_free(cctx);
	ht_pump(f->base, 10);
}

static void test_plain_http_refused(void **state)
{
	fixture *f = *state;
	ht_client c;
	assert_int_equal(ht_connect(&c, f->base, http_server_port(f->srv), 0), 0);
	ht_sends(&c, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(ht_wait_closed(&c, 5000), 0);
	assert_null(strstr(c.buf ? c.buf : "", "hello tls"));
	ht_close(&c);
}

static void test_pem_errors(void **state)
{
	fixture *f = *state;
	char err[512];
	http_server_options o = { .tls_cert_file = "/nonexistent/cert.pem", .tls_key_file = f->key };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot load the TLS certificate /nonexistent/cert.pem"));
	o = (http_server_options){ .tls_cert_file = f->cert, .tls_key_file = "/nonexistent/key.pem" };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot load the TLS private key /nonexistent/key.pem"));
	o = (http_server_options){ .tls_cert_file = f->cert, .tls_key_file = f->key2 };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	if (!strstr(err, "does not match"))
		fail_msg("%s", err);
	o = (http_server_options){ .tls_key_file = f->key };
	assert_null(http_server_create(f->base, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "tls_cert_file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tls_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plain_http_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pem_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
