/* tradehost: entry point and subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_indicator.h"
#include "cli/cmd_keys.h"
#include "cli/cmd_token.h"

#include <tradehost/th_plugin.h>

#ifndef TH_VERSION
#define TH_VERSION "0.0.0"
#endif

typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "run", cli_cmd_run, "run the host with a configuration (default: paper trading)" },
	{ "check", cli_cmd_check, "validate a configuration and the plugins it names, then exit" },
	{ "backtest", cli_cmd_backtest, "replay a market at full speed and write a performance report" },
	{ "bars", cli_cmd_bars, "convert market data into a binary bar file (.thb) for fast backtests; inspect one" },
	{ "plugins", cli_cmd_plugins, "list the plugins found: kind, name, version, ABI, config schema" },
	{ "config-doc", cli_cmd_config_doc, "print the configuration reference (Markdown) from all schemas" },
	{ "kill", cli_cmd_kill, "kill switch: halt all trading and cancel every open order now" },
	{ "resume", cli_cmd_resume, "lift the kill switch (host trading state back to ACTIVE)" },
	{ "state", cli_cmd_state, "show or set trading states (host, farm, agent, instrument)" },
	{ "indicator", cli_cmd_indicator, "compute an indicator over OHLCV CSV on stdin, print it as CSV" },
	{ "journal", cli_cmd_journal, "print the order journal as JSON lines (host stopped)" },
	{ "reload", cli_cmd_reload, "ask a running host to rescan plugins and configuration" },
	{ "token", cli_cmd_token, "create, list or revoke bearer tokens for the API and dashboard" },
	{ "keygen", cli_cmd_keygen, "create an Ed25519 key pair for signing plugins" },
	{ "sign", cli_cmd_sign, "write a detached signature next to each plugin file" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"tradehost %s — autonomous multi-agent trading host\n"
		"\n"
		"Usage: tradehost <command> [options]\n"
		"       tradehost <command> --help\n"
		"\n"
		"Commands:\n",
		TH_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show version and plugin ABI\n"
		"\n"
		"Exit status: 0 success, 2 bad usage or bad configuration, 1 runtime failure.\n"
		"Quick start: tradehost run -c config/tradehost.toml\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("tradehost %s (plugin ABI %d.%d)\n", TH_VERSION, TH_ABI_MAJOR, TH_ABI_MINOR);
		return CLI_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tradehost: unknown command \"%s\"; run `tradehost --help` for the list\n", cmd);
	return CLI_USAGE;
}
