/* tradehost journal: print the write-ahead journal as JSON lines, one per
 * record, for operators ("what exactly happened") and tests. Read-only; the
 * journal directory is locked, so run it while the host is stopped. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "journal/journal.h"
#include "oms/oms_records.h"
#include "runtime/host_config.h"

extern char **environ;

static const char usage_text[] =
	"Usage: tradehost journal [-c FILE | --dir DIR]\n"
	"\nPrint every record of the order manager's write-ahead journal as one JSON object per line:\n"
	"lsn, time, type and the record's fields (orders, order updates, fills, capital movements,\n"
	"trading states, risk decisions). The host must be stopped (the journal is locked while it runs).\n"
	"  -c, --config FILE  the configuration whose host.state_dir holds the journal\n"
	"      --dir DIR      the journal directory itself\n"
	"  -h, --help         show this help\n";

static const char *type_name(uint16_t t)
{
	static const char *const names[] = { "?", "deposit", "allocate", "order_new", "order_update", "fill", "collect",
		"pause", "goal_done", "set_allocation", "set_weight", "trading_state", "risk_decision" };
	return t < sizeof names / sizeof names[0] ? names[t] : "other";
}

static void money(json_t *o, const char *key, int64_t v, int scale)
{
	char buf[48];
	th_fixed_format(v, scale, buf, sizeof buf);
	json_object_set_new(o, key, json_string(buf));
}

static void add_order(json_t *o, const th_order *ord)
{
	json_object_set_new(o, "client_order_id", json_string(ord->client_order_id));
	json_object_set_new(o, "symbol", json_string(ord->symbol));
	json_object_set_new(o, "side", json_string(ord->side == TH_SIDE_BUY ? "buy" : "sell"));
	json_object_set_new(o, "order_type", json_integer(ord->type));
	money(o, "price", ord->price, ord->price_scale);
	money(o, "qty", ord->qty, ord->qty_scale);
}

static int print_record(void *arg, const journal_record *r)
{
	(void)arg;
	json_t *o = json_object();
	json_object_set_new(o, "lsn", json_integer((json_int_t)r->lsn));
	json_object_set_new(o, "ts_ns", json_integer(r->ts_ns));
	json_object_set_new(o, "type", json_string(type_name(r->type)));
	int bad = 0;
	switch (r->type) {
	case OMS_REC_DEPOSIT: {
		oms_rec_deposit d;
		if (!(bad = oms_dec_deposit(r->payload, r->len, &d)))
			money(o, "amount", d.amount, TH_MONEY_SCALE);
		break;
	}
	case OMS_REC_ALLOCATE: {
		oms_rec_allocate a;
		if (!(bad = oms_dec_allocate(r->payload, r->len, &a))) {
			json_object_set_new(o, "from", json_string(a.from));
			json_object_set_new(o, "to", json_string(a.to));
			money(o, "amount", a.amount, TH_MONEY_SCALE);
		}
		break;
	}
	case OMS_REC_ORDER_NEW: {
		oms_rec_order_new n;
		if (!(bad = oms_dec_order_new(r->payload, r->len, &n))) {
			json_object_set_new(o, "agent", json_string(n.agent));
			json_object_set_new(o, "farm", json_string(n.farm));
			json_object_set_new(o, "venue", json_string(n.venue));
			add_order(o, &n.order);
		}
		break;
	}
	case OMS_REC_ORDER_UPDATE: {
		oms_rec_order_update u;
		if (!(bad = oms_dec_order_update(r->payload, r->len, &u))) {
			json_object_set_new(o, "client_order_id", json_string(u.client_order_id));
			json_object_set_new(o, "state", json_integer(u.state));
			json_object_set_new(o, "reason", json_string(u.reason));
		}
		break;
	}
	case OMS_REC_FILL: {
		oms_rec_fill f;
		if (!(bad = oms_dec_fill(r->payload, r->len, &f))) {
			json_object_set_new(o, "venue", json_string(f.venue));
			json_object_set_new(o, "client_order_id", json_string(f.fill.client_order_id));
			json_object_set_new(o, "venue_trade_id", json_string(f.fill.venue_trade_id));
			json_object_set_new(o, "side", json_string(f.fill.side == TH_SIDE_BUY ? "buy" : "sell"));
			money(o, "price", f.fill.price, f.fill.price_scale);
			money(o, "qty", f.fill.qty, f.fill.qty_scale);
			money(o, "fee", f.fill.fee, TH_MONEY_SCALE);
		}
		break;
	}
	case OMS_REC_RISK_DECISION: {
		oms_rec_decision d;
		if (!(bad = oms_dec_decision(r->payload, r->len, &d))) {
			json_object_set_new(o, "agent", json_string(d.agent));
			json_object_set_new(o, "by", json_string(d.who));
			json_object_set_new(o, "intent_id", json_integer((json_int_t)d.intent_id));
			json_object_set_new(o, "approved", json_boolean(d.approved));
			json_object_set_new(o, "reason_code", json_integer(d.reason_code));
			json_object_set_new(o, "message", json_string(d.message));
		}
		break;
	}
	case OMS_REC_COLLECT: {
		oms_rec_collect c;
		if (!(bad = oms_dec_collect(r->payload, r->len, &c)))
			json_object_set_new(o, "wallet", json_string(c.wallet));
		break;
	}
	default: {
		oms_rec_named n;
		if (r->type >= OMS_REC_PAUSE && r->type <= OMS_REC_TRADING_STATE &&
			!(bad = oms_dec_named(r->payload, r->len, &n))) {
			json_object_set_new(o, "name", json_string(n.name));
			json_object_set_new(o, "value", json_integer(n.value));
		}
	}
	}
	if (bad)
		json_object_set_new(o, "malformed", json_true());
	char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (line) {
		puts(line);
		free(line);
	}
	json_decref(o);
	return 0;
}

int cli_cmd_journal(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' }, { 0, 0, 0, 0 },
	};
	const char *config = CLI_DEFAULT_CONFIG, *dir = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'd': dir = optarg; break;
		case 'h': fputs(usage_text, stdout); return CLI_OK;
		default: fprintf(stderr, "Run `tradehost journal --help` for usage.\n"); return CLI_USAGE;
		}
	}
	char path[4200], err[1024];
	host_config cfg = { 0 };
	if (!dir) {
		if (host_config_load(config, environ, NULL, 0, &cfg, err, sizeof err) != 0) {
			fprintf(stderr, "tradehost: configuration error: %s\n", err);
			return CLI_USAGE;
		}
		snprintf(path, sizeof path, "%s/journal", cfg.state_dir);
		dir = path;
	}
	journal_t *j;
	journal_options jo = { 0 };
	jo.mode = JOURNAL_SYNC_NONE; /* nothing is appended */
	int rc = journal_open(dir, &jo, &j, err, sizeof err);
	host_config_free(&cfg);
	if (rc != 0) {
		fprintf(stderr, "tradehost journal: %s\n", err);
		return CLI_RUNTIME;
	}
	rc = journal_replay(j, 0, print_record, NULL);
	journal_close(j);
	return rc == 0 ? CLI_OK : CLI_RUNTIME;
}
