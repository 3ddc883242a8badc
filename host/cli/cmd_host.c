/* run, check, plugins, reload: the subcommands that read a configuration. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/log.h"
#include "frontdoor/frontdoor.h"
#include "config/schema.h"
#include "loader/loader.h"
#include "runtime/control.h"
#include "runtime/host.h"
#include "trading/trading.h"

extern char **environ;

enum { OPT_SET = 1000, OPT_LOG_LEVEL, OPT_SOCKET, OPT_MARKDOWN, OPT_PLUGIN_DIR };

/* Parses the options shared by configuration-reading commands. Returns -1 on
 * bad usage (message printed), 1 if --help was printed, 0 otherwise.
 * `extra` handles command-specific options (return 0 handled, -1 bad). */
static int parse_config_opts(int argc, char **argv, const char *usage_text, cli_config_opts *o,
	const struct option *more, int (*extra)(int opt, const char *arg, void *ctx), void *ctx)
{
	struct option opts[16] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, OPT_SET },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t n = 4;
	for (; more && more[n - 4].name && n < 15; n++)
		opts[n] = more[n - 4];
	memset(&opts[n], 0, sizeof opts[n]);
	memset(o, 0, sizeof *o);
	o->config = CLI_DEFAULT_CONFIG;
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_SET:
			if (!strchr(optarg, '=')) {
				fprintf(stderr, "%s: --set expects section.key=value, got \"%s\"\n", argv[0], optarg);
				return -1;
			}
			o->sets = realloc(o->sets, (o->nsets + 1) * sizeof *o->sets);
			o->sets[o->nsets++] = optarg;
			break;
		case OPT_LOG_LEVEL:
			if (log_level_parse(optarg) < 0) {
				fprintf(stderr, "%s: --log-level must be debug, info, warn or error, got \"%s\"\n", argv[0],
					optarg);
				return -1;
			}
			o->log_level = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		default:
			if (extra && c != '?' && extra(c, optarg, ctx) == 0)
				break;
			fprintf(stderr, "Run `tradehost %s --help` for usage.\n", argv[0]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\nRun `tradehost %s --help` for usage.\n", argv[0],
			argv[optind], argv[0]);
		return -1;
	}
	return 0;
}

static int load_config(const cli_config_opts *o, host_config *cfg)
{
	char err[1024];
	if (host_config_load(o->config, environ, o->sets, o->nsets, cfg, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return -1;
	}
	log_set_level(o->log_level ? log_level_parse(o->log_level) : cfg->log_level);
	return 0;
}

#define CONFIG_OPTS_HELP                                                                                  \
	"  -c, --config FILE      configuration file (default " CLI_DEFAULT_CONFIG ")\n"                   \
	"      --set KEY=VALUE    override a setting, e.g. --set host.log_level=debug (repeatable)\n"     \
	"      --log-level LEVEL  debug, info, warn or error\n"                                           \
	"  -h, --help             show this help\n"                                                        \
	"\nSettings are layered: file, then TRADEHOST__SECTION__KEY environment variables, then --set.\n"

static const char run_usage[] =
	"Usage: tradehost run [-c FILE] [--set KEY=VALUE]... [--log-level LEVEL]\n"
	"\nLoad the plugins, start every configured instance and run until SIGINT or SIGTERM.\n"
	"SIGHUP or `tradehost reload` rescans plugins and configuration without a restart.\n\n" CONFIG_OPTS_HELP;

/* Parse the options, load the layered configuration, create the host and
 * check every instance (create, never start). On failure returns NULL with
 * the exit code in *exit_code (0 after --help). */
static host_t *checked_host(int argc, char **argv, const char *usage_text, const char **config_path,
	size_t *ninstances, int *exit_code)
{
	cli_config_opts o;
	host_config cfg;
	char err[2048];
	int rc = parse_config_opts(argc, argv, usage_text, &o, NULL, NULL, NULL);
	*exit_code = rc > 0 ? CLI_OK : CLI_USAGE;
	if (rc == 0 && load_config(&o, &cfg) != 0)
		rc = -1;
	free(o.sets);
	if (rc != 0)
		return NULL;
	*config_path = o.config;
	*ninstances = cfg.ninstances;
	host_t *h = host_create(&cfg, HOST_CLOCK_REAL, err, sizeof err);
	if (!h) {
		host_config_free(&cfg);
		fprintf(stderr, "tradehost: %s\n", err);
		*exit_code = CLI_RUNTIME;
		return NULL;
	}
	if (host_check(h, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		host_destroy(h);
		*exit_code = CLI_USAGE;
		return NULL;
	}
	return h;
}

int cli_cmd_run(int argc, char **argv)
{
	const char *config;
	size_t n;
	char err[2048];
	int rc;
	host_hold_signals(); /* released by host_run once its handlers are in place */
	host_t *h = checked_host(argc, argv, run_usage, &config, &n, &rc);
	if (!h)
		return rc;
	/* Without a [market] section the host runs its plugins only: no feed, no OMS. */
	static trading_config tc;
	const host_config *hc = host_get_config(h);
	int trade = toml_table_get(hc->tree, "market") != NULL;
	if (trade && trading_config_load(hc->tree, hc->base_dir, host_now_ns(h), &tc, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		host_destroy(h);
		return CLI_USAGE;
	}
	/* The front door ([http]): REST, WebSocket, AG-UI, /metrics, dashboard. */
	static frontdoor_config fc;
	if (frontdoor_config_load(hc->tree, hc->base_dir, hc->state_dir, &fc, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		host_destroy(h);
		return CLI_USAGE;
	}
	if (host_start(h, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost: cannot start: %s\n", err);
		host_destroy(h);
		return CLI_RUNTIME;
	}
	trading_t *t = trade ? trading_create(h, &tc, TRADING_PAPER, err, sizeof err) : NULL;
	if (trade && (!t || trading_start(t, err, sizeof err) != 0)) {
		fprintf(stderr, "tradehost: cannot start trading: %s\n", err);
		trading_destroy(t);
		host_destroy(h);
		return CLI_RUNTIME;
	}
	frontdoor *fd = NULL;
	if (fc.enabled && !(fd = frontdoor_create(h, t, config, &fc, err, sizeof err))) {
		fprintf(stderr, "tradehost: cannot start the front door: %s\n", err);
		trading_stop(t);
		host_stop(h);
		trading_destroy(t);
		host_destroy(h);
		return CLI_RUNTIME;
	}
	if (!fc.enabled)
		log_info("no front door (REST, dashboard, /metrics): no [http] section, or http.enabled = false");
	rc = host_run(h) == 0 ? CLI_OK : CLI_RUNTIME;
	frontdoor_free(fd); /* before trading stops: its handlers read trading state */
	trading_stop(t);
	host_stop(h);
	trading_destroy(t);
	host_destroy(h);
	log_info("stopped");
	return rc;
}

static const char check_usage[] =
	"Usage: tradehost check -c FILE [--set KEY=VALUE]...\n"
	"\nValidate the configuration: TOML syntax, the [host] section, every instance's plugin\n"
	"(found, trusted, signed if required, ABI-compatible) and its settings against the plugin's\n"
	"schema. Nothing is started. Exit 0 if valid, 2 if not.\n\n" CONFIG_OPTS_HELP;

int cli_cmd_check(int argc, char **argv)
{
	const char *config;
	size_t n;
	char err[2048];
	int rc;
	host_t *h = checked_host(argc, argv, check_usage, &config, &n, &rc);
	if (!h)
		return rc;
	rc = 0;
	if (toml_table_get(host_get_config(h)->tree, "market")) {
		static trading_config tc;
		const host_config *hc = host_get_config(h);
		rc = trading_config_load(hc->tree, hc->base_dir, 0, &tc, err, sizeof err);
	}
	if (rc == 0) {
		static frontdoor_config fc;
		const host_config *hc = host_get_config(h);
		rc = frontdoor_config_load(hc->tree, hc->base_dir, hc->state_dir, &fc, err, sizeof err);
	}
	host_destroy(h);
	if (rc != 0) {
		fprintf(stderr, "tradehost: configuration error: %s\n", err);
		return CLI_USAGE;
	}
	printf("configuration OK: %s, %zu instance(s)\n", config, n);
	return CLI_OK;
}

/* --- plugins --- */

typedef struct plugins_opts {
	int markdown;
	char **dirs;
	size_t ndirs;
} plugins_opts;

static int plugins_extra(int opt, const char *arg, void *ctx)
{
	plugins_opts *p = ctx;
	if (opt == OPT_MARKDOWN) {
		p->markdown = 1;
		return 0;
	}
	if (opt == OPT_PLUGIN_DIR) {
		p->dirs = realloc(p->dirs, (p->ndirs + 1) * sizeof *p->dirs);
		p->dirs[p->ndirs++] = (char *)arg;
		return 0;
	}
	return -1;
}

static const char plugins_usage[] =
	"Usage: tradehost plugins [-c FILE] [--plugin-dir DIR]... [--markdown]\n"
	"\nLoad every *.so in the plugin directories (from the configuration, or --plugin-dir, or\n"
	"the default next to the executable) and print kind, name, version, ABI and the\n"
	"configuration schema of each. A file that fails to load is reported with the reason.\n"
	"  --plugin-dir DIR   scan DIR instead of the configured directories (repeatable)\n"
	"  --markdown         print the schemas as Markdown tables (the README's reference)\n" CONFIG_OPTS_HELP;

static void print_plugin(const loader_module *m, int markdown)
{
	const th_plugin_desc *d = m->desc;
	if (markdown) {
		printf("### `%s` (%s plugin, version %s)\n\n%s\n\n", m->name, loader_kind_name(m->kind), m->version,
			m->description);
		if (d->config_schema && d->config_schema[0].key)
			config_schema_describe(d->config_schema, stdout, CONFIG_DESCRIBE_MARKDOWN);
		else
			printf("No configuration keys.\n");
		printf("\n");
		return;
	}
	printf("%-9s %-20s %-10s ABI %u.%u  %s\n", loader_kind_name(m->kind), m->name, m->version, m->abi_major,
		m->abi_minor, m->description);
	if (d->config_schema && d->config_schema[0].key)
		config_schema_describe(d->config_schema, stdout, CONFIG_DESCRIBE_TEXT);
}

int cli_cmd_plugins(int argc, char **argv)
{
	static const struct option more[] = {
		{ "markdown", no_argument, NULL, OPT_MARKDOWN },
		{ "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
		{ 0, 0, 0, 0 },
	};
	cli_config_opts o;
	plugins_opts p = { 0 };
	host_config cfg = { 0 };
	char err[2048], defdir[4096];
	int rc = parse_config_opts(argc, argv, plugins_usage, &o, more, plugins_extra, &p);
	if (rc != 0) {
		free(o.sets);
		free(p.dirs);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	char **dirs = p.dirs;
	size_t ndirs = p.ndirs;
	int have_cfg = 0;
	if (!ndirs && access(o.config, F_OK) == 0) {
		if (load_config(&o, &cfg) != 0) {
			free(o.sets);
			return CLI_USAGE;
		}
		have_cfg = 1;
		dirs = cfg.plugin_dirs;
		ndirs = cfg.nplugin_dirs;
	} else if (!ndirs) {
		if (host_default_plugin_dir(defdir, sizeof defdir) != 0) {
			fprintf(stderr, "tradehost plugins: cannot locate the default plugin directory; use --plugin-dir\n");
			free(o.sets);
			return CLI_RUNTIME;
		}
		static char *one[1];
		one[0] = defdir;
		dirs = one;
		ndirs = 1;
	}
	free(o.sets);
	loader_policy policy = { 0 };
	if (have_cfg) {
		policy.require_signed = cfg.require_signed;
		policy.trusted_keys = (const uint8_t(*)[32])cfg.trusted_keys;
		policy.ntrusted = cfg.ntrusted;
	}
	int failures = 0, found = 0;
	if (p.markdown)
		printf("## Plugin configuration reference\n\n"
		       "Generated by `tradehost plugins --markdown`. Keys go under `[instances.<name>.config]`.\n\n");
	for (size_t i = 0; i < ndirs; i++) {
		char **paths;
		int n = loader_scan_dir(dirs[i], &paths, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "tradehost plugins: %s\n", err);
			failures++;
			continue;
		}
		for (int k = 0; k < n; k++) {
			loader_module *m;
			if (loader_load(paths[k], &policy, &m, err, sizeof err) != 0) {
				fprintf(stderr, "tradehost plugins: %s\n", err);
				failures++;
			} else {
				print_plugin(m, p.markdown);
				loader_unload(m);
				found++;
			}
			free(paths[k]);
		}
		free(paths);
	}
	if (!p.markdown)
		printf("%d plugin(s) found, %d failed to load\n", found, failures);
	free(p.dirs);
	if (have_cfg)
		host_config_free(&cfg);
	return failures ? CLI_RUNTIME : CLI_OK;
}

/* --- reload --- */

typedef struct reload_opts {
	const char *socket;
} reload_opts;

static int reload_extra(int opt, const char *arg, void *ctx)
{
	if (opt != OPT_SOCKET)
		return -1;
	((reload_opts *)ctx)->socket = arg;
	return 0;
}

static const char reload_usage[] =
	"Usage: tradehost reload [-c FILE | --socket PATH]\n"
	"\nAsk the running host to rescan its plugin directories and configuration file:\n"
	"changed plugins and changed instance settings are swapped in without a restart (the\n"
	"old instance stays live if the new one fails), added instances start, removed ones stop.\n"
	"The host is found through host.control_socket in the configuration, or --socket.\n"
	"  --socket PATH   the control socket of the running host\n" CONFIG_OPTS_HELP;

/* Sends one control command to the running host (reload, kill, resume,
 * state ...) and prints its reply. */
static int control_command(int argc, char **argv, const char *usage_text, const char *command)
{
	static const struct option more[] = {
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ 0, 0, 0, 0 },
	};
	cli_config_opts o;
	reload_opts r = { 0 };
	host_config cfg = { 0 };
	int rc = parse_config_opts(argc, argv, usage_text, &o, more, reload_extra, &r);
	if (rc != 0) {
		free(o.sets);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	const char *sock = r.socket;
	if (!sock) {
		if (load_config(&o, &cfg) != 0) {
			free(o.sets);
			return CLI_USAGE;
		}
		sock = cfg.control_socket;
	}
	free(o.sets);
	char reply[4096];
	rc = control_request(sock, command, reply, sizeof reply);
	if (rc < 0)
		fprintf(stderr, "tradehost: no running host answers on %s\n", sock);
	else
		fputs(reply, rc == 0 ? stdout : stderr);
	host_config_free(&cfg);
	return rc == 0 ? CLI_OK : CLI_RUNTIME;
}

static const char kill_usage[] =
	"Usage: tradehost kill [-c FILE | --socket PATH]\n"
	"\nThe kill switch: the running host sets its trading state to HALTED and cancels every open order\n"
	"in the same loop turn. Only cancels pass until `tradehost resume`. The state survives restarts.\n"
	"  --socket PATH   the control socket of the running host\n" CONFIG_OPTS_HELP;

int cli_cmd_kill(int argc, char **argv)
{
	return control_command(argc, argv, kill_usage, "kill");
}

static const char resume_usage[] =
	"Usage: tradehost resume [-c FILE | --socket PATH]\n"
	"\nSet the host's trading state back to ACTIVE after the kill switch.\n"
	"  --socket PATH   the control socket of the running host\n" CONFIG_OPTS_HELP;

int cli_cmd_resume(int argc, char **argv)
{
	return control_command(argc, argv, resume_usage, "resume");
}

static const char state_usage[] =
	"Usage: tradehost state [-c FILE | --socket PATH] [SCOPE NAME STATE]\n"
	"\nWithout arguments, list the scopes that are not ACTIVE. With arguments, set a trading state:\n"
	"SCOPE is host, farm, agent or instrument (NAME venue:symbol; NAME - for host), STATE is active,\n"
	"reducing (only orders that shrink a position) or halted (only cancels). Persisted.\n"
	"  --socket PATH   the control socket of the running host\n" CONFIG_OPTS_HELP;

int cli_cmd_state(int argc, char **argv)
{
	/* positional SCOPE NAME STATE follow the options */
	int first = argc;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && (i == 1 || (strcmp(argv[i - 1], "-c") && strcmp(argv[i - 1], "--config") &&
						   strcmp(argv[i - 1], "--socket") && strcmp(argv[i - 1], "--set")))) {
			first = i;
			break;
		}
	}
	char command[256] = "state";
	if (first < argc) {
		if (argc - first != 3) {
			fprintf(stderr, "state: expected SCOPE NAME STATE, e.g. `tradehost state agent marcus reducing`\n");
			return CLI_USAGE;
		}
		snprintf(command, sizeof command, "state %.32s %.80s %.16s", argv[first], argv[first + 1], argv[first + 2]);
	}
	return control_command(first, argv, state_usage, command);
}

int cli_cmd_reload(int argc, char **argv)
{
	return control_command(argc, argv, reload_usage, "reload");
}

/* --- config-doc --- */

static const char config_doc_usage[] =
	"Usage: tradehost config-doc [--plugin-dir DIR]...\n"
	"\nPrint the configuration reference as Markdown: the host's own sections and the schema of\n"
	"every plugin found (default plugin directory, or --plugin-dir). docs/configuration.md is\n"
	"this output; a test fails when it is out of date.\n";

int cli_cmd_config_doc(int argc, char **argv)
{
	static const struct option more[] = {
		{ "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
		{ 0, 0, 0, 0 },
	};
	cli_config_opts o;
	plugins_opts p = { 0 };
	char defdir[4096], err[1024];
	int rc = parse_config_opts(argc, argv, config_doc_usage, &o, more, plugins_extra, &p);
	free(o.sets);
	if (rc != 0) {
		free(p.dirs);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	char *one[1] = { defdir };
	char **dirs = p.dirs;
	size_t ndirs = p.ndirs;
	if (!ndirs) {
		if (host_default_plugin_dir(defdir, sizeof defdir) != 0) {
			fprintf(stderr, "tradehost config-doc: cannot locate the default plugin directory\n");
			return CLI_RUNTIME;
		}
		dirs = one;
		ndirs = 1;
	}
	printf("# Configuration reference\n\n"
	       "Generated by `tradehost config-doc`; do not edit by hand. TOML 1.0. Every section and key is\n"
	       "validated: unknown keys are refused with the accepted ones listed. Layering: the file, then\n"
	       "`TRADEHOST__SECTION__KEY=value` environment variables, then `--set section.key=value` flags.\n"
	       "Relative paths are relative to the configuration file.\n\n"
	       "## Host sections\n\n### `[host]`\n\n");
	host_config_describe(stdout, 1);
	printf("\n### `[instances.<name>]`\n\n"
	       "One table per plugin instance. `plugin` (string, required): the plugin name, which is also its\n"
	       "file name without `.so`. `optional` (bool, default false): a failing instance is logged instead of\n"
	       "stopping the host. `farm` (string): for strategies, the farm the agent belongs to. `config`\n"
	       "(table): the plugin's own keys, below.\n");
	trading_config_describe(stdout, 1);
	frontdoor_config_describe(stdout, 1);
	printf("\n## Plugins\n\n");
	int failures = 0;
	loader_policy policy = { 0 };
	for (size_t i = 0; i < ndirs; i++) {
		char **paths;
		int n = loader_scan_dir(dirs[i], &paths, err, sizeof err);
		if (n < 0) {
			fprintf(stderr, "tradehost config-doc: %s\n", err);
			failures++;
			continue;
		}
		for (int k = 0; k < n; k++) {
			loader_module *m;
			if (loader_load(paths[k], &policy, &m, err, sizeof err) == 0) {
				print_plugin(m, 1);
				loader_unload(m);
			} else {
				fprintf(stderr, "tradehost config-doc: %s\n", err);
				failures++;
			}
			free(paths[k]);
		}
		free(paths);
	}
	free(p.dirs);
	return failures ? CLI_RUNTIME : CLI_OK;
}
