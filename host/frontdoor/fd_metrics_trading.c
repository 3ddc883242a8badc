/* /metrics, trading part: orders by venue and state, fills, risk decisions
 * by reason, trading states and every wallet's figures. Money is exported
 * in quote units, converted from fixed point as text (never via double). */
#include "frontdoor/fd_metrics.h"

#include <string.h>
#include <tradehost/th_risk.h>

#include "ledger/capital.h"
#include "oms/oms.h"

#define MAX_VENUES 32
#define MAX_WALLETS 512

static const char *const order_states[] = { NULL, "submitted", "accepted", "partially_filled", "filled", "canceled",
	"rejected", "expired", "unknown", "absent" };
#define NSTATES (sizeof order_states / sizeof order_states[0])

static const char *const reasons[] = { "approved", "state", "notional", "position", "exposure", "concentration",
	"rate", "price_band", "conformity", "restricted", "self_trade", "open_orders", "leverage", "var", "drawdown",
	"capital", "error", "no_data" };
#define NREASONS (sizeof reasons / sizeof reasons[0])

static void render_orders(fd_text *t, oms_t *o)
{
	char venues[MAX_VENUES][TH_VENUE_MAX];
	uint64_t counts[MAX_VENUES][NSTATES];
	size_t nv = 0;
	memset(counts, 0, sizeof counts);
	size_t n = oms_order_count(o);
	for (size_t i = 0; i < n; i++) {
		oms_order_view v;
		if (oms_order_at(o, i, &v) != 0 || v.state >= NSTATES)
			continue;
		const char *venue = v.venue ? v.venue : "";
		size_t k = 0;
		while (k < nv && strcmp(venues[k], venue) != 0)
			k++;
		if (k == nv) {
			if (nv == MAX_VENUES)
				continue;
			snprintf(venues[nv++], TH_VENUE_MAX, "%s", venue);
		}
		counts[k][v.state]++;
	}
	fdm_header(t, "tradehost_orders", "gauge", "Orders the order manager holds, by venue and state.");
	for (size_t k = 0; k < nv; k++) {
		for (size_t s = 1; s < NSTATES; s++) {
			if (!counts[k][s])
				continue;
			fd_text_puts(t, "tradehost_orders{venue=\"");
			fd_text_label(t, venues[k]);
			fd_text_printf(t, "\",state=\"%s\"} %llu\n", order_states[s], (unsigned long long)counts[k][s]);
		}
	}
	fdm_header(t, "tradehost_orders_open", "gauge", "Orders not yet final.");
	fd_text_printf(t, "tradehost_orders_open %zu\n", oms_open_order_count(o));
	fdm_header(t, "tradehost_orders_sent_total", "counter", "Orders sent to venues.");
	fd_text_printf(t, "tradehost_orders_sent_total %llu\n", (unsigned long long)oms_sent_count(o));
	fdm_header(t, "tradehost_fills_total", "counter", "Fills booked.");
	fd_text_printf(t, "tradehost_fills_total %llu\n", (unsigned long long)oms_fill_count(o));
	fdm_header(t, "tradehost_oms_halted", "gauge",
		"Why the order manager is halted: 0 running, 1 reconciling, 2 journal failure, 3 operator.");
	fd_text_printf(t, "tradehost_oms_halted %d\n", (int)oms_halted(o));
}

static void render_risk(fd_text *t, trading_t *tr)
{
	uint64_t approved = 0, denied = 0, by_reason[32] = { 0 };
	size_t n = trading_decision_counts(tr, &approved, &denied, by_reason, 32);
	fdm_header(t, "tradehost_risk_approved_total", "counter", "Intents approved by the risk pipeline.");
	fd_text_printf(t, "tradehost_risk_approved_total %llu\n", (unsigned long long)approved);
	fdm_header(t, "tradehost_risk_denied_total", "counter", "Intents denied by the risk pipeline, by reason.");
	for (size_t r = 1; r < n && r < 32; r++) {
		if (r >= NREASONS && !by_reason[r])
			continue;
		if (r < NREASONS)
			fd_text_printf(t, "tradehost_risk_denied_total{reason=\"%s\"} %llu\n", reasons[r],
				(unsigned long long)by_reason[r]);
		else
			fd_text_printf(t, "tradehost_risk_denied_total{reason=\"code_%zu\"} %llu\n", r,
				(unsigned long long)by_reason[r]);
	}
	(void)denied; /* the sum over reasons */
}

static void state_sample(fd_text *t, const char *scope, const char *name, int state)
{
	fd_text_printf(t, "tradehost_trading_state{scope=\"%s\",name=\"", scope);
	fd_text_label(t, name);
	fd_text_printf(t, "\"} %d\n", state);
}

/* One sample per figure per wallet; `names` in hierarchy order. */
static void wallet_gauge(fd_text *t, capital_t *c, char (*names)[TH_NAME_MAX], size_t n, const char *metric,
	const char *help, size_t offset, int is_bps)
{
	fdm_header(t, metric, "gauge", help);
	static const char *const kinds[] = { "master", "farm", "agent", "total", "venue" };
	for (size_t i = 0; i < n; i++) {
		capital_stats st;
		if (capital_stats_get(c, names[i], &st) != 0)
			continue;
		fd_text_printf(t, "%s{wallet=\"", metric);
		fd_text_label(t, names[i]);
		fd_text_printf(t, "\",kind=\"%s\"} ", st.kind >= 0 && st.kind <= 4 ? kinds[st.kind] : "other");
		int64_t v;
		memcpy(&v, (const char *)&st + offset, sizeof v);
		fd_text_fixed(t, v, is_bps ? 4 : TH_MONEY_SCALE); /* bps / 10^4 = a ratio */
		fd_text_puts(t, "\n");
	}
}

void fdm_render_trading(fd_text *t, frontdoor *fd)
{
	oms_t *o = trading_oms(fd->trading);
	capital_t *c = trading_capital(fd->trading);
	if (o)
		render_orders(t, o);
	render_risk(t, fd->trading);
	if (!c)
		return;
	/* Wallet names: total, master, farms, agents. */
	static char names[MAX_WALLETS][TH_NAME_MAX];
	size_t n = 0;
	snprintf(names[n++], TH_NAME_MAX, "%s", CAPITAL_TOTAL_NAME);
	snprintf(names[n++], TH_NAME_MAX, "%s", CAPITAL_MASTER_NAME);
	size_t nfarms = capital_children(c, CAPITAL_MASTER_NAME, names + n, MAX_WALLETS - n);
	size_t farm0 = n;
	n += nfarms;
	for (size_t f = farm0; f < farm0 + nfarms && n < MAX_WALLETS; f++)
		n += capital_children(c, names[f], names + n, MAX_WALLETS - n);
	if (o) {
		fdm_header(t, "tradehost_trading_state", "gauge",
			"Trading state per scope: 1 active, 2 reducing (only orders that shrink a position), 3 halted.");
		state_sample(t, "host", "", oms_trading_state(o, TH_SCOPE_HOST, ""));
		for (size_t i = farm0; i < farm0 + nfarms; i++)
			state_sample(t, "farm", names[i], oms_trading_state(o, TH_SCOPE_FARM, names[i]));
		for (size_t i = farm0 + nfarms; i < n; i++)
			state_sample(t, "agent", names[i], oms_trading_state(o, TH_SCOPE_AGENT, names[i]));
		int scope, state;
		const char *name;
		for (size_t i = 0; oms_trading_state_at(o, i, &scope, &name, &state); i++)
			if (scope == TH_SCOPE_INSTRUMENT)
				state_sample(t, "instrument", name, state);
	}
	wallet_gauge(t, c, names, n, "tradehost_wallet_equity", "Wallet equity in the quote currency.",
		offsetof(capital_stats, equity), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_cash", "Wallet cash in the quote currency.",
		offsetof(capital_stats, cash), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_reserved", "Cash held by open orders, quote currency.",
		offsetof(capital_stats, reserved), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_allocated", "Net capital allocated by the parent, quote currency.",
		offsetof(capital_stats, allocated), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_realized_pnl", "Realized PnL (gross of fees), quote currency.",
		offsetof(capital_stats, realized_pnl), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_unrealized_pnl", "Unrealized PnL at the marks, quote currency.",
		offsetof(capital_stats, unrealized_pnl), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_fees", "Fees paid, quote currency.",
		offsetof(capital_stats, fees), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_max_drawdown", "Largest peak-to-trough equity loss, quote currency.",
		offsetof(capital_stats, max_drawdown), 0);
	wallet_gauge(t, c, names, n, "tradehost_wallet_max_drawdown_ratio",
		"Largest peak-to-trough NAV loss as a ratio (0.05 = 5 %).", offsetof(capital_stats, max_drawdown_bps), 1);
}
