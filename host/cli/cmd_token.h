/* tradehost token: create, list and revoke the front door's bearer tokens. */
#ifndef HOST_CLI_CMD_TOKEN_H
#define HOST_CLI_CMD_TOKEN_H

int cli_cmd_token(int argc, char **argv);

#endif
