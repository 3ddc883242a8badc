/*
 * crash_check — an independent auditor for the crash-recovery test.
 *
 * It reads what a killed (or cleanly stopped) paper-trading host left on
 * disk and compares three views that must agree:
 *   journal  the OMS's write-ahead records, decoded here field by field
 *            (crash_journal.c), not through the OMS;
 *   venue    the sim venue's persisted state (crash_venue.c), decoded by the
 *            sim engine itself;
 *   ledger   the capital hierarchy rebuilt exactly as the host rebuilds it at
 *            startup: capital + oms_recover over the same journal
 *            (crash_ledger.c).
 * The checks themselves are in crash_check.c; the configuration reader in
 * crash_config.c. Test tool only: it trusts nothing it reads and names what
 * is wrong instead of asserting.
 */
#ifndef CRASH_CHECK_H
#define CRASH_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <tradehost/tradehost.h>

#include "common/strmap.h"
#include "journal/journal.h"

#define CRASH_MAX_SYMBOLS 16
#define CRASH_MAX_FARMS 16
#define CRASH_MAX_AGENTS 64
#define CRASH_REASON_MAX 96

/* ------------------------------------------------------------ problems */

/* Every failed check goes through here: printed (up to a limit per check)
 * and counted. `check` is the brief's letter, e.g. "a". */
void crash_problem(const char *check, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t crash_problem_count(void);

/* ------------------------------------------------------ configuration */

typedef struct crash_agent {
	char name[TH_NAME_MAX];
	char farm[TH_NAME_MAX];
} crash_agent;

typedef struct crash_config {
	char quote[TH_ASSET_MAX];          /* [capital].quote */
	char venue[TH_VENUE_MAX];          /* [market].venue: the sim instance audited */
	th_instrument ins[CRASH_MAX_SYMBOLS]; /* from [instances.<venue>.config] */
	size_t nins;
	char farms[CRASH_MAX_FARMS][TH_NAME_MAX]; /* [capital.farms], in file order */
	size_t nfarms;
	crash_agent agents[CRASH_MAX_AGENTS];     /* instances with a farm, in file order */
	size_t nagents;
} crash_config;

/* 0, or -1 with a message naming the file and key in err. */
int crash_config_load(const char *path, crash_config *out, char *err, size_t errlen);
const th_instrument *crash_config_instrument(const crash_config *c, const char *venue, const char *symbol);

/* ------------------------------------------------------------- journal */

typedef struct jorder {
	char clid[TH_CLORD_MAX];
	char agent[TH_NAME_MAX], venue[TH_VENUE_MAX], symbol[TH_SYMBOL_MAX];
	uint32_t side;
	th_qty qty;
	uint64_t counter, lsn;
	uint32_t state;                /* last ORDER_UPDATE state; SUBMITTED when none */
	char reason[CRASH_REASON_MAX];
	th_qty fill_qty;               /* sum of its journaled fills */
	size_t nfills;
	int at_venue;                  /* set by the checks: the venue knows it */
} jorder;

typedef struct jfill {
	char venue[TH_VENUE_MAX];
	char trade_id[TH_VENUE_ID_MAX];
	char clid[TH_CLORD_MAX];
	uint32_t side;
	th_qty qty;
	th_price price;
	int matched;                   /* set by the checks: the venue has it */
} jfill;

typedef struct crash_journal {
	journal_t *j;                  /* open (locked) until crash_journal_close */
	jorder *orders;
	size_t norders, cap_orders;
	strmap *by_clid;               /* clid -> index in orders */
	jfill *fills;
	size_t nfills, cap_fills;
	strmap *fill_ids;              /* "venue|trade id" -> index in fills */
	uint64_t records, deposits, allocations, updates, collects, other;
} crash_journal;

/* Opens <state_dir>/journal and decodes every OMS record. Problems with the
 * records themselves (duplicate ids, updates or fills of unknown orders,
 * a fill journaled twice) are reported under checks b / d. Returns 0, or -1
 * when the journal cannot be read at all (err says why). */
int crash_journal_load(const char *state_dir, crash_journal *out, char *err, size_t errlen);
jorder *crash_journal_order(const crash_journal *cj, const char *clid);
void crash_journal_close(crash_journal *cj);

/* --------------------------------------------------------------- venue */

typedef struct vfill {
	char trade_id[TH_VENUE_ID_MAX];
	uint32_t side;
	th_qty qty;
	th_price price;
} vfill;

typedef struct vorder {
	char symbol[TH_SYMBOL_MAX];
	th_order_update u;             /* state as the venue reports it */
	size_t first_fill, nfills;     /* into crash_venue.fills */
} vorder;

typedef struct crash_venue {
	vorder *orders;
	size_t norders, cap_orders;
	vfill *fills;
	size_t nfills, cap_fills;
	th_qty position[CRASH_MAX_SYMBOLS]; /* per crash_config.ins */
	uint64_t duplicates;           /* sim.duplicates (0 when absent) */
	int has_duplicates;
	int has_state;                 /* sim.state existed */
} crash_venue;

/* Reads <state_dir>/<venue>/sim.state (and sim.duplicates) into a sim
 * engine built from the configured instruments and lists every order the
 * venue remembers with its fills. 0, or -1 with err. */
int crash_venue_load(const char *state_dir, const crash_config *cfg, crash_venue *out, char *err, size_t errlen);
void crash_venue_free(crash_venue *v);

/* -------------------------------------------------------------- ledger */

typedef struct crash_ledger_result {
	size_t npositions;             /* symbols compared */
	th_qty position[CRASH_MAX_SYMBOLS]; /* capital_positions("total") per crash_config.ins */
	size_t oms_orders, oms_open;
	uint64_t oms_fills;
	int recovered;                 /* oms_recover succeeded */
} crash_ledger_result;

/* Rebuilds capital exactly as the host's startup does (farms and agents of
 * the configuration, then oms_recover over the open journal) and runs
 * capital_check; problems are reported under check e. Also cross-checks
 * the OMS's own replay against crash_journal's (same orders, same states). */
void crash_ledger_rebuild(const crash_config *cfg, crash_journal *cj, crash_ledger_result *out);

const char *crash_state_name(uint32_t state);

#endif
