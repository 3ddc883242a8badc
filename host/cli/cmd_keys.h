/*
 * cli/cmd_keys.h — `tradehost keygen` and `tradehost sign`: plugin signing keys and signatures.
 *
 * Both take the subcommand's own argv (argv[0] is "keygen" or "sign") and
 * return a process exit code: 0 success, 1 runtime failure (unreadable or
 * unwritable file, bad key, ...), 2 bad usage. Messages go to stderr, never
 * any secret.
 */
#ifndef TH_CLI_CMD_KEYS_H
#define TH_CLI_CMD_KEYS_H

/* tradehost keygen [--force] SECRET_KEY_FILE PUBLIC_KEY_FILE */
int cli_cmd_keygen(int argc, char **argv);

/* tradehost sign -k SECRET_KEY_FILE PLUGIN.so [PLUGIN.so ...]  (writes PLUGIN.so.sig) */
int cli_cmd_sign(int argc, char **argv);

#endif
