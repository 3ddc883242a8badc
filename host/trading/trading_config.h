/*
 * The trading sections of the configuration file:
 *
 *   [market]      the feed: the seeded synthetic market (default), CSV bar files or a binary bar file
 *   [capital]     the master wallet's deposit and how it flows to farms and agents
 *   [capital.farms.<farm>]  weight and the farm's rule for its agents
 *   [oms]         journal durability and order-manager settings
 *   [backtest]    report output
 *
 * Strategy instances join a farm with `farm = "<name>"` in their
 * [instances.<name>] table. Every section is validated against a schema
 * (unknown keys are refused with the accepted ones listed).
 */
#ifndef HOST_TRADING_CONFIG_H
#define HOST_TRADING_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include <tradehost/th_types.h>

#include "config/toml.h"
#include "ledger/goals.h"
#include "market/source.h"
#include "market/synth.h"

#define TRADING_MAX_FARMS 32
#define TRADING_MAX_GOALS 64

/* A [[goals]] entry: the target spec for the goals library and the actions
 * the trading layer applies (journaled) on hit or miss. */
typedef struct trading_goal_cfg {
	goals_spec spec;          /* its on_hit / on_miss stay empty: actions go through the OMS */
	goals_actions on_hit, on_miss;
} trading_goal_cfg;

typedef struct trading_farm_cfg {
	char name[TH_NAME_MAX];
	double weight;             /* share of the master wallet (fixed rule) */
	int rule;                  /* CAPITAL_RULE_* for its agents */
	int coordination;          /* coord_mode */
	double quorum;             /* voting: share of the farm's agents the winning side needs */
	char leader[TH_NAME_MAX];  /* hierarchical: the agent that sets the direction */
} trading_farm_cfg;

typedef struct trading_config {
	/* [market] */
	int source_csv;            /* 1: csv files */
	int source_barfile;        /* 1: a binary bar file (neither: synthetic) */
	synth_config synth;
	market_csv_input csv[SYNTH_MAX_SYMBOLS];
	char csv_paths[SYNTH_MAX_SYMBOLS][4096];
	size_t ncsv;
	char barfile_path[4096];   /* resolved against the configuration's directory */
	th_instrument barfile_instruments[SYNTH_MAX_SYMBOLS]; /* the file's symbols on market.venue */
	size_t nbarfile;
	uint64_t barfile_bars;     /* bar count in the file's header */
	market_source_options source_opt;
	char mirror_venues[4][TH_VENUE_MAX];
	size_t nmirrors;
	double mirror_basis_bps;
	/* [capital] */
	th_money deposit;
	char quote[TH_ASSET_MAX];
	int master_rule;
	int64_t rebalance_ns;      /* 0 = never */
	trading_farm_cfg farms[TRADING_MAX_FARMS];
	size_t nfarms;
	/* [oms] */
	int journal_each;          /* fsync every record (vs group commit) */
	uint32_t batch_records;
	int64_t batch_delay_us;
	char clid_prefix[9];
	int64_t market_reserve_bps, fee_reserve_bps;
	/* [risk] */
	int64_t risk_timeout_ns;   /* paper/live: a slower check is a denial; 0 = no limit */
	/* [[goals]] */
	trading_goal_cfg goals[TRADING_MAX_GOALS];
	size_t ngoals;
	/* [backtest] */
	char out_dir[4096];
	int progress;
} trading_config;

/* Reads the trading sections of a layered configuration tree. `base_dir`
 * resolves relative paths; `paper` selects real-time defaults (start time = now). */
int trading_config_load(const toml_value *root, const char *base_dir, int64_t now_ns, trading_config *out, char *err,
	size_t errlen);

/* Applies --from/--to (UTC text, either may be NULL) to the source window;
 * the synthetic market then starts at `from`. */
int trading_config_window(trading_config *c, const char *from, const char *to, char *err, size_t errlen);

/* The time of the first event the configured source will produce (for CSV
 * data, which carries its own times): opens the source, reads one event. */
int trading_config_first_time(const trading_config *c, int64_t *out, char *err, size_t errlen);

/* Does the data carry its own times (CSV or bar file), rather than being
 * generated from market.start? */
int trading_config_recorded(const trading_config *c);

/* Opens the configured market source (synthetic, CSV or bar file). */
market_source *trading_config_open_source(const trading_config *c, char *err, size_t errlen);

/* The top-level sections this module owns (NULL-terminated). */
extern const char *const trading_sections[];

void trading_config_describe(FILE *out, int markdown);

#endif
