/* tradehost token create|list|revoke: manage the front door's bearer tokens
 * in the token file of the configuration ([http] tokens_file). A running
 * host notices the change on its next request (no restart). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/cmd_token.h"
#include "common/fsutil.h"
#include "frontdoor/frontdoor.h"
#include "runtime/host_config.h"

extern char **environ;

enum { OPT_SET = 1000, OPT_ROLE };

static const char token_usage[] =
	"Usage: tradehost token create NAME --role viewer|trader|admin [-c FILE] [--set KEY=VALUE]...\n"
	"       tradehost token list [-c FILE] [--set KEY=VALUE]...\n"
	"       tradehost token revoke NAME [-c FILE] [--set KEY=VALUE]...\n"
	"\nBearer tokens for the REST API, WebSocket, AG-UI and the dashboard. Only a hash of each\n"
	"token is stored, in the token file ([http] tokens_file, default <state_dir>/tokens, mode 0600).\n"
	"create prints the new token once on stdout: keep it, it cannot be shown again.\n"
	"Roles: viewer (read), trader (orders, pause/resume, goals, allocations), admin (everything).\n"
	"A running host picks up created and revoked tokens on its next request.\n"
	"  -c, --config FILE      configuration file (default " CLI_DEFAULT_CONFIG ")\n"
	"      --set KEY=VALUE    override a setting, e.g. --set http.tokens_file=/etc/tradehost/tokens\n"
	"      --role ROLE        create: viewer, trader or admin\n"
	"  -h, --help             show this help\n";

typedef struct token_opts {
	const char *config;
	char **sets;
	size_t nsets;
	const char *role;
	const char *name;
} token_opts;

/* Returns -1 bad usage (printed), 1 help printed, 0 ok. */
static int parse(int argc, char **argv, int want_name, int allow_role, token_opts *o)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, OPT_SET },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	memset(o, 0, sizeof *o);
	o->config = CLI_DEFAULT_CONFIG;
	optind = 0;
	int c;
	/* Options may come before or after NAME. */
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_SET: {
			if (!strchr(optarg, '=')) {
				fprintf(stderr, "token: --set expects section.key=value, got \"%s\"\n", optarg);
				return -1;
			}
			char **ns = realloc(o->sets, (o->nsets + 1) * sizeof *ns);
			if (!ns)
				return -1;
			o->sets = ns;
			o->sets[o->nsets++] = optarg;
			break;
		}
		case OPT_ROLE:
			if (!allow_role) {
				fprintf(stderr, "token %s: --role is only for create\n", argv[0]);
				return -1;
			}
			o->role = optarg;
			break;
		case 'h':
			fputs(token_usage, stdout);
			return 1;
		default:
			fprintf(stderr, "Run `tradehost token --help` for usage.\n");
			return -1;
		}
	}
	int left = argc - optind;
	if (left != want_name) {
		if (want_name && left == 0)
			fprintf(stderr, "token %s: the token NAME is missing\n", argv[0]);
		else
			fprintf(stderr, "token %s: unexpected argument \"%s\"\n", argv[0], argv[optind + want_name]);
		fprintf(stderr, "Run `tradehost token --help` for usage.\n");
		return -1;
	}
	if (want_name)
		o->name = argv[optind];
	return 0;
}

/* The token file from the layered configuration. */
static int tokens_path(const token_opts *o, char *path, size_t cap)
{
	host_config hc;
	frontdoor_config fc;
	char err[2048];
	if (host_config_load(o->config, environ, o->sets, o->nsets, &hc, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return -1;
	}
	int rc = frontdoor_config_load(hc.tree, hc.base_dir, hc.state_dir, &fc, err, sizeof err);
	host_config_free(&hc);
	if (rc != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return -1;
	}
	snprintf(path, cap, "%s", fc.tokens_file);
	return 0;
}

static auth_store *open_store(const token_opts *o, int create_dir, int *exit_code)
{
	char path[4096], err[1024];
	if (tokens_path(o, path, sizeof path) != 0) {
		*exit_code = CLI_USAGE;
		return NULL;
	}
	if (create_dir) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (fs_mkdir_p(dir, 0700) != 0) {
				fprintf(stderr, "tradehost token: cannot create directory %s\n", dir);
				*exit_code = CLI_RUNTIME;
				return NULL;
			}
		}
	}
	auth_store *s = auth_open(path, err, sizeof err);
	if (!s) {
		fprintf(stderr, "tradehost token: %s\n", err);
		*exit_code = CLI_RUNTIME;
	}
	return s;
}

static int token_create(int argc, char **argv)
{
	token_opts o;
	int rc = parse(argc, argv, 1, 1, &o);
	if (rc != 0) {
		free(o.sets);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	auth_role role;
	if (!o.role || auth_role_parse(o.role, &role) != 0) {
		fprintf(stderr, "token create: --role must be viewer, trader or admin%s%s%s\n", o.role ? ", got \"" : "",
			o.role ? o.role : "", o.role ? "\"" : " (it is required)");
		free(o.sets);
		return CLI_USAGE;
	}
	int code = CLI_OK;
	auth_store *s = open_store(&o, 1, &code);
	free(o.sets);
	if (!s)
		return code;
	char token[AUTH_TOKEN_CHARS + 1], err[1024];
	if (auth_create(s, o.name, role, (int64_t)time(NULL), token, sizeof token, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost token create: %s\n", err);
		auth_close(s);
		return strstr(err, "invalid") ? CLI_USAGE : CLI_RUNTIME;
	}
	printf("%s\n", token);
	fprintf(stderr, "token \"%s\" (%s) created; it is shown only this once\n", o.name, auth_role_name(role));
	memset(token, 0, sizeof token);
	auth_close(s);
	return CLI_OK;
}

static int token_list(int argc, char **argv)
{
	token_opts o;
	int rc = parse(argc, argv, 0, 0, &o);
	if (rc != 0) {
		free(o.sets);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	int code = CLI_OK;
	auth_store *s = open_store(&o, 0, &code);
	free(o.sets);
	if (!s)
		return code;
	printf("%-31s %-7s %s\n", "NAME", "ROLE", "CREATED (UTC)");
	for (size_t i = 0; i < auth_count(s); i++) {
		auth_token_info in;
		auth_at(s, i, &in);
		time_t t = (time_t)in.created_s;
		struct tm tm;
		char when[32];
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("%-31s %-7s %s\n", in.name, auth_role_name(in.role), when);
	}
	auth_close(s);
	return CLI_OK;
}

static int token_revoke(int argc, char **argv)
{
	token_opts o;
	int rc = parse(argc, argv, 1, 0, &o);
	if (rc != 0) {
		free(o.sets);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	int code = CLI_OK;
	auth_store *s = open_store(&o, 0, &code);
	free(o.sets);
	if (!s)
		return code;
	char err[1024];
	if (auth_revoke(s, o.name, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost token revoke: %s\n", err);
		auth_close(s);
		return CLI_RUNTIME;
	}
	printf("token \"%s\" revoked\n", o.name);
	auth_close(s);
	return CLI_OK;
}

int cli_cmd_token(int argc, char **argv)
{
	if (argc < 2) {
		fputs(token_usage, stderr);
		return CLI_USAGE;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		fputs(token_usage, stdout);
		return CLI_OK;
	}
	if (!strcmp(sub, "create"))
		return token_create(argc - 1, argv + 1);
	if (!strcmp(sub, "list"))
		return token_list(argc - 1, argv + 1);
	if (!strcmp(sub, "revoke"))
		return token_revoke(argc - 1, argv + 1);
	fprintf(stderr, "token: unknown subcommand \"%s\" (create, list or revoke)\n", sub);
	return CLI_USAGE;
}
