/*
 * cli/cmd_indicator.h — `tradehost indicator NAME[:PARAM,...] < ohlcv.csv`: run one streaming
 * indicator of the SDK library (th_ta.h) over an OHLCV CSV and print the series as CSV.
 *
 * Takes the subcommand's own argv (argv[0] is "indicator") and returns the process exit code:
 * 0 success, 2 bad usage (unknown indicator, bad parameter, bad CSV header or row: the
 * message names it), 1 runtime failure (read/write error, out of memory).
 * The binary must link th_ta (tradehost::ta).
 */
#ifndef TH_CLI_CMD_INDICATOR_H
#define TH_CLI_CMD_INDICATOR_H

int cli_cmd_indicator(int argc, char **argv);

#endif
