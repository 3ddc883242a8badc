/*
 * cli/cmd_keys.c — `tradehost keygen` and `tradehost sign`.
 *
 * Thin wrappers over loader/signature.h: argument parsing, usage text and
 * exit codes (0 ok, 1 runtime failure, 2 bad usage).
 */
#include "cli/cmd_keys.h"

#include <getopt.h>
#include <stdio.h>

#include "loader/signature.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

static void cli_keygen_usage(FILE *out)
{
	fputs("Usage: tradehost keygen [--force] SECRET_KEY_FILE PUBLIC_KEY_FILE\n"
	      "\n"
	      "Create an Ed25519 key pair for signing plugins.\n"
	      "SECRET_KEY_FILE is written with mode 0600: keep it on the build machine, not on\n"
	      "the host that loads plugins. Give PUBLIC_KEY_FILE to the host as a trusted key;\n"
	      "it then accepts a plugin only if PLUGIN.so.sig (see 'tradehost sign') verifies.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --force   replace key files that already exist\n"
	      "  -h, --help    show this help\n",
	      out);
}

static void cli_sign_usage(FILE *out)
{
	fputs("Usage: tradehost sign -k SECRET_KEY_FILE PLUGIN.so [PLUGIN.so ...]\n"
	      "\n"
	      "Sign plugins with a secret key made by 'tradehost keygen'. For each PLUGIN.so,\n"
	      "writes PLUGIN.so.sig next to it (replacing an older one). The signature covers\n"
	      "the exact bytes of the file: sign what you install, after stripping.\n"
	      "\n"
	      "Options:\n"
	      "  -k, --key FILE   secret key file (required; must not be readable by others)\n"
	      "  -h, --help       show this help\n",
	      out);
}

/* getopt's own messages would say "keygen: ..."; ours name the command and the option. */
static void cli_bad_option(const char *cmd, int opt, int optopt_value, char **argv)
{
	const char *word = (optind > 0) ? argv[optind - 1] : "?";

	if (opt == ':')
		fprintf(stderr, "tradehost %s: option '%s' needs a value\n", cmd, word);
	else if (optopt_value != 0)
		fprintf(stderr, "tradehost %s: unknown option '-%c'\n", cmd, optopt_value);
	else
		fprintf(stderr, "tradehost %s: unknown option '%s'\n", cmd, word);
	fprintf(stderr, "Try 'tradehost %s --help'.\n", cmd);
}

int cli_cmd_keygen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512];
	int force = 0, opt;

	optind = 0; /* GNU getopt: full re-initialisation, the CLI may parse several argvs */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":fh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			force = 1;
			break;
		case 'h':
			cli_keygen_usage(stdout);
			return CLI_EXIT_OK;
		default:
			cli_bad_option("keygen", opt, optopt, argv);
			return CLI_EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "tradehost keygen: missing %s\n",
		        argc - optind == 0 ? "SECRET_KEY_FILE and PUBLIC_KEY_FILE" : "PUBLIC_KEY_FILE");
		fprintf(stderr, "Usage: tradehost keygen [--force] SECRET_KEY_FILE PUBLIC_KEY_FILE\n");
		return CLI_EXIT_USAGE;
	}
	if (argc - optind > 2) {
		fprintf(stderr, "tradehost keygen: unexpected argument '%s' (expected only two key file names)\n",
		        argv[optind + 2]);
		return CLI_EXIT_USAGE;
	}
	if (sig_keygen(argv[optind], argv[optind + 1], force, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost keygen: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	printf("wrote secret key %s (mode 0600) and public key %s\n", argv[optind], argv[optind + 1]);
	return CLI_EXIT_OK;
}

int cli_cmd_sign(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *secret = NULL;
	char err[512];
	int opt, i, failed = 0;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":k:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			secret = optarg;
			break;
		case 'h':
			cli_sign_usage(stdout);
			return CLI_EXIT_OK;
		default:
			cli_bad_option("sign", opt, optopt, argv);
			return CLI_EXIT_USAGE;
		}
	}
	if (secret == NULL || secret[0] == '\0') {
		fprintf(stderr, "tradehost sign: missing -k SECRET_KEY_FILE\n");
		fprintf(stderr, "Usage: tradehost sign -k SECRET_KEY_FILE PLUGIN.so [PLUGIN.so ...]\n");
		return CLI_EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr, "tradehost sign: no PLUGIN.so given to sign\n");
		fprintf(stderr, "Usage: tradehost sign -k SECRET_KEY_FILE PLUGIN.so [PLUGIN.so ...]\n");
		return CLI_EXIT_USAGE;
	}
	/* A bad key would fail every file the same way: say it once. */
	if (sig_check_secret(secret, err, sizeof err) != 0) {
		fprintf(stderr, "tradehost sign: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	/* Keep going after a failure so one missing file does not hide problems with the others. */
	for (i = optind; i < argc; i++) {
		if (sig_sign_file(secret, argv[i], NULL, err, sizeof err) != 0) {
			fprintf(stderr, "tradehost sign: %s\n", err);
			failed = 1;
			continue;
		}
		printf("signed %s -> %s%s\n", argv[i], argv[i], SIG_FILE_SUFFIX);
	}
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
