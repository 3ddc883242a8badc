/* The [http] section: where the front door listens and how it guards itself.
 * Validated with the same schema machinery as every other section. */
#include "frontdoor/frontdoor.h"

#include <arpa/inet.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/schema.h"

const char *const frontdoor_sections[] = { "http", NULL };

static const th_config_field http_schema[] = {
	{ "enabled", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"serve the REST API, WebSocket, AG-UI, /metrics and the dashboard (a configuration without an [http] "
		"section serves nothing)" },
	{ "listen", TH_CONFIG_STRING, 0, "\"127.0.0.1:8080\"", NULL, NULL,
		"address:port to listen on (IPv6 as [::1]:8080; port 0 picks a free one)" },
	{ "tls_cert", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL, "PEM certificate chain: serve HTTPS only (needs tls_key)" },
	{ "tls_key", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL, "PEM private key of tls_cert" },
	{ "auth", TH_CONFIG_BOOL, 0, "true", NULL, NULL,
		"require bearer tokens; false (everyone is admin) is refused unless listen is a loopback address" },
	{ "public_health", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "/api/v1/health and /api/v1/ready need no token" },
	{ "public_metrics", TH_CONFIG_BOOL, 0, "true", NULL, NULL, "/metrics needs no token" },
	{ "max_body_bytes", TH_CONFIG_INT, 0, "1048576", "1024", "67108864", "largest request body (else 413)" },
	{ "dashboard_dir", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
		"the dashboard's built files; empty: <executable dir>/../share/tradehost/dashboard" },
	{ "tokens_file", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
		"token store (hashes only, mode 0600; `tradehost token`); empty: <state_dir>/tokens" },
	{ "audit_log", TH_CONFIG_STRING, 0, "\"\"", NULL, NULL,
		"JSON lines, one per state-changing request; empty: <state_dir>/audit.log" },
	{ "rate_per_second", TH_CONFIG_INT, 0, "50", "1", "1000000", "requests per second per token (sustained)" },
	{ "rate_burst", TH_CONFIG_INT, 0, "100", "1", "1000000", "requests per token in a burst (else 429)" },
	{ "ws_queue_bytes", TH_CONFIG_INT, 0, "1048576", "4096", "1073741824",
		"per WebSocket client: unsent bytes beyond this disconnect the slow client" },
	TH_CONFIG_END
};

void frontdoor_config_describe(FILE *out, int markdown)
{
	fprintf(out, markdown ? "\n### `[http]`\n\n" : "[http]\n");
	config_schema_describe(http_schema, out, markdown ? CONFIG_DESCRIBE_MARKDOWN : CONFIG_DESCRIBE_TEXT);
}

/* "host:port" or "[v6]:port" -> bind_addr, port. */
static int parse_listen(const char *s, frontdoor_config *c, char *err, size_t errlen)
{
	const char *colon, *host = s;
	size_t hlen;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':') {
			snprintf(err, errlen, "http.listen \"%s\": expected [ipv6]:port, e.g. [::1]:8080", s);
			return -1;
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || strchr(s, ':') != colon) {
			snprintf(err, errlen, "http.listen \"%s\": expected address:port, e.g. 127.0.0.1:8080", s);
			return -1;
		}
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof c->bind_addr) {
		snprintf(err, errlen, "http.listen \"%s\": the address is missing or too long", s);
		return -1;
	}
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end || port < 0 || port > 65535) {
		snprintf(err, errlen, "http.listen \"%s\": port must be a number 0..65535", s);
		return -1;
	}
	memcpy(c->bind_addr, host, hlen);
	c->bind_addr[hlen] = '\0';
	unsigned char buf[16];
	if (strcmp(c->bind_addr, "localhost") == 0)
		snprintf(c->bind_addr, sizeof c->bind_addr, "127.0.0.1");
	if (inet_pton(AF_INET, c->bind_addr, buf) != 1 && inet_pton(AF_INET6, c->bind_addr, buf) != 1) {
		snprintf(err, errlen, "http.listen \"%s\": \"%s\" is not an IPv4 or IPv6 address", s, c->bind_addr);
		return -1;
	}
	c->port = (uint16_t)port;
	return 0;
}

static int is_loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

/* Relative paths are relative to the configuration file's directory. */
static int set_path(char *dst, size_t cap, const char *base_dir, const char *p, const char *key, char *err,
	size_t errlen)
{
	int n = p[0] == '/' ? snprintf(dst, cap, "%s", p) : snprintf(dst, cap, "%s/%s", base_dir, p);
	if (n < 0 || (size_t)n >= cap) {
		snprintf(err, errlen, "http.%s: path too long", key);
		return -1;
	}
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <exe dir>/../share/tradehost/dashboard (installed, and where the build
 * puts it), else the source tree's dashboard/dist (a manual `npm run build`). */
static void default_dashboard_dir(char *dst, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	dst[0] = '\0';
	if (n > 0) {
		exe[n] = '\0';
		snprintf(dst, cap, "%s/../share/tradehost/dashboard", dirname(exe));
		char real[PATH_MAX];
		if (realpath(dst, real) && strlen(real) < cap)
			snprintf(dst, cap, "%s", real);
		if (is_dir(dst))
			return;
	}
#ifdef TH_SOURCE_DIR
	if (is_dir(TH_SOURCE_DIR "/dashboard/dist")) {
		snprintf(dst, cap, "%s", TH_SOURCE_DIR "/dashboard/dist");
		return;
	}
#endif
}

static int get_size(const toml_value *t, const char *key, size_t *out)
{
	int64_t v = 0;
	config_get_int(t, key, &v);
	*out = (size_t)v;
	return 0;
}

int frontdoor_config_load(const toml_value *root, const char *base_dir, const char *state_dir, frontdoor_config *out,
	char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	toml_value *t = NULL;
	char verr[768];
	if (config_validate(root ? toml_table_get(root, "http") : NULL, http_schema, "http", &t, verr, sizeof verr) !=
		TH_OK) {
		snprintf(err, errlen, "%s", verr);
		return -1;
	}
	int rc = -1;
	bool b;
	const char *s, *cert, *key;
	int64_t v;
	config_get_bool(t, "enabled", &b);
	/* No [http] section, no listener: configurations written before the
	 * front door existed (and test hosts started side by side) must not all
	 * grab port 8080. */
	out->enabled = b && root && toml_table_get(root, "http");
	config_get_bool(t, "auth", &b);
	out->auth = b;
	config_get_bool(t, "public_health", &b);
	out->public_health = b;
	config_get_bool(t, "public_metrics", &b);
	out->public_metrics = b;
	get_size(t, "max_body_bytes", &out->max_body_bytes);
	get_size(t, "ws_queue_bytes", &out->ws_queue_bytes);
	config_get_int(t, "rate_per_second", &v);
	out->rate_per_second = (uint32_t)v;
	config_get_int(t, "rate_burst", &v);
	out->rate_burst = (uint32_t)v;
	config_get_string(t, "listen", &s, NULL);
	if (parse_listen(s, out, err, errlen) != 0)
		goto done;
	if (!out->auth && !is_loopback(out->bind_addr)) {
		snprintf(err, errlen, "http.auth = false is refused with listen = \"%s\": without tokens anyone who can "
			"reach the port controls the host; bind to 127.0.0.1 or turn auth on", s);
		goto done;
	}
	config_get_string(t, "tls_cert", &cert, NULL);
	config_get_string(t, "tls_key", &key, NULL);
	if (!cert[0] != !key[0]) {
		snprintf(err, errlen, "http.%s is set but http.%s is not: TLS needs both the certificate and its key",
			cert[0] ? "tls_cert" : "tls_key", cert[0] ? "tls_key" : "tls_cert");
		goto done;
	}
	if (cert[0] && (set_path(out->tls_cert, sizeof out->tls_cert, base_dir, cert, "tls_cert", err, errlen) != 0 ||
			       set_path(out->tls_key, sizeof out->tls_key, base_dir, key, "tls_key", err, errlen) != 0))
		goto done;
	config_get_string(t, "dashboard_dir", &s, NULL);
	if (s[0]) {
		if (set_path(out->dashboard_dir, sizeof out->dashboard_dir, base_dir, s, "dashboard_dir", err, errlen) != 0)
			goto done;
	} else {
		default_dashboard_dir(out->dashboard_dir, sizeof out->dashboard_dir);
	}
	const char *sd = state_dir ? state_dir : ".";
	config_get_string(t, "tokens_file", &s, NULL);
	if (s[0] ? set_path(out->tokens_file, sizeof out->tokens_file, base_dir, s, "tokens_file", err, errlen) != 0
		 : set_path(out->tokens_file, sizeof out->tokens_file, sd, "tokens", "tokens_file", err, errlen) != 0)
		goto done;
	config_get_string(t, "audit_log", &s, NULL);
	if (s[0] ? set_path(out->audit_log, sizeof out->audit_log, base_dir, s, "audit_log", err, errlen) != 0
		 : set_path(out->audit_log, sizeof out->audit_log, sd, "audit.log", "audit_log", err, errlen) != 0)
		goto done;
	rc = 0;
done:
	toml_free(t);
	return rc;
}
