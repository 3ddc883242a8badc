/*
 * ta_cli_driver — runs `indicator` exactly as `tradehost indicator` does, for the CLI test
 * before (or without) the command being wired into the tradehost binary.
 * Usage: ta_cli_driver indicator NAME[:PARAM,...] < ohlcv.csv
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_indicator.h"

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "indicator") != 0) {
		fprintf(stderr, "usage: %s indicator NAME[:PARAM,...] < ohlcv.csv\n", argv[0]);
		return 2;
	}
	return cli_cmd_indicator(argc - 1, argv + 1);
}
