/*
 * The tradehost command line. Every subcommand returns the process exit code:
 * 0 success, 2 bad usage or bad configuration, 1 runtime failure.
 */
#ifndef HOST_CLI_CLI_H
#define HOST_CLI_CLI_H

#define CLI_OK 0
#define CLI_RUNTIME 1
#define CLI_USAGE 2

#define CLI_DEFAULT_CONFIG "config/tradehost.toml"

int cli_cmd_run(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_plugins(int argc, char **argv);
int cli_cmd_reload(int argc, char **argv);
int cli_cmd_backtest(int argc, char **argv);
int cli_cmd_bars(int argc, char **argv);
int cli_cmd_config_doc(int argc, char **argv);
int cli_cmd_kill(int argc, char **argv);
int cli_cmd_journal(int argc, char **argv);
int cli_cmd_resume(int argc, char **argv);
int cli_cmd_state(int argc, char **argv);

/* Shared option parsing for commands that read a configuration:
 * -c/--config FILE, --set key=value (repeatable), --log-level LEVEL. */
typedef struct cli_config_opts {
	const char *config;
	char **sets;
	size_t nsets;
	const char *log_level;
} cli_config_opts;

#endif
