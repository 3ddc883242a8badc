/*
 * Figures of a scope (see var_figures.h and the README for the definitions):
 * historical VaR/ES from the scope's scenario P&L ring, parametric VaR from the
 * EWMA second moment of the same ring, and the stress figures. They run on
 * the refresh timer, never in check().
 */
#include "var_figures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "var_stats.h"

static int64_t scaled(const var_model *m, int64_t x)
{
	return m->cfg.horizon_bars == 1 ? x : var_money_round((double)x * m->sqrt_h);
}

double var_shock_for(const var_scenario *sc, const char *venue, const char *symbol, const char *base)
{
	int best = 0; /* 4 venue:symbol, 3 symbol, 2 base, 1 "*" */
	double v = 0.0;
	size_t vlen = strlen(venue);
	for (size_t i = 0; i < sc->nshocks; i++) {
		const char *k = sc->shocks[i].key;
		int rank = 0;
		if (strncmp(k, venue, vlen) == 0 && k[vlen] == ':' && strcmp(k + vlen + 1, symbol) == 0)
			rank = 4;
		else if (strcmp(k, symbol) == 0)
			rank = 3;
		else if (base[0] && strcmp(k, base) == 0)
			rank = 2;
		else if (strcmp(k, "*") == 0)
			rank = 1;
		if (rank > best) {
			best = rank;
			v = sc->shocks[i].shock;
		}
	}
	return v;
}

/* Base asset: from the host's instrument table, else the symbol up to its
 * first '-', '/' or '_' ("BTC-USDT" -> "BTC"). */
static void resolve_shocks(var_model *m, var_inst *in)
{
	if (in->shocks_ready)
		return;
	int known = 0;
	if (TH_HOST_HAS(m->api, instrument)) {
		const th_instrument *ti = m->api->instrument(m->ctx, in->venue, in->symbol);
		if (ti && ti->base[0]) {
			th_strlcpy(in->base, ti->base, sizeof in->base);
			known = 1;
		}
	}
	if (!known) {
		size_t n = strcspn(in->symbol, "-/_");
		if (n < strlen(in->symbol) && n < sizeof in->base) {
			memcpy(in->base, in->symbol, n);
			in->base[n] = '\0';
		}
	}
	for (size_t s = 0; s < m->cfg.nscenarios; s++)
		in->shock[s] = var_shock_for(&m->cfg.scenarios[s], in->venue, in->symbol, in->base);
	in->shocks_ready = known || !TH_HOST_HAS(m->api, instrument); /* retry while the venue is not up */
}

static void shock_stress(var_model *m, var_scope *sc, var_figures_wire *f)
{
	int64_t worst = 0;
	int any = 0;
	for (size_t s = 0; s < m->cfg.nscenarios; s++) {
		int64_t pnl = 0;
		for (size_t j = 0; j < sc->nheld; j++) {
			var_inst *in = &m->hist.inst[sc->held[j]];
			resolve_shocks(m, in);
			pnl = var_add_sat(pnl, var_money_round((double)sc->value[sc->held[j]] * in->shock[s]));
		}
		if (!any || -pnl > worst)
			worst = -pnl;
		any = 1;
	}
	f->stress_shock = worst;
}

void var_figures_compute(var_model *m, var_scope *sc, var_figures_wire *f)
{
	const var_hist *h = &m->hist;
	memset(f, 0, sizeof *f);
	f->version = VAR_FIGURES_VERSION;
	f->scope_kind = (uint8_t)sc->kind;
	f->horizon_bars = (uint32_t)m->cfg.horizon_bars;
	f->positions = (uint32_t)sc->nheld;
	th_strlcpy(f->name, sc->name, sizeof f->name);
	for (size_t j = 0; j < sc->nheld; j++) {
		int64_t v = sc->value[sc->held[j]];
		f->gross_value = var_add_sat(f->gross_value, v < 0 ? -v : v);
	}
	if (sc->broken) {
		f->flags |= VAR_FIG_BROKEN;
		return;
	}
	shock_stress(m, sc, f);
	int32_t bad;
	size_t n = var_scope_scenarios(m, sc, &bad);
	if (n < (size_t)m->cfg.min_history || n == 0) {
		f->flags |= VAR_FIG_NO_DATA;
		return;
	}
	f->scenarios = (uint32_t)n;
	var_span sp = var_hist_recent(h, n);

	/* historical simulation */
	size_t k = var_var_rank(n, VAR_CONF_95);
	size_t k99 = var_var_rank(n, VAR_CONF_99), kes = var_es_need(n, VAR_CONF_975);
	if (k99 > k)
		k = k99;
	if (kes > k)
		k = kes;
	var_tail(sc->pnl, NULL, sp, m->tail, k);
	f->var95 = scaled(m, var_value_at_risk(m->tail, n, VAR_CONF_95));
	f->var99 = scaled(m, var_value_at_risk(m->tail, n, VAR_CONF_99));
	f->es975 = scaled(m, var_expected_shortfall(m->tail, n, VAR_CONF_975));

	/* parametric: sigma_p^2 = v' S v = EWMA second moment of the P&L ring */
	double lambda = m->cfg.ewma_lambda;
	double sigma = sqrt(var_ewma_var_pnl(sc->pnl, sp, lambda)) * m->sqrt_h;
	f->pvar95 = var_money_round(VAR_Z95 * sigma);
	f->pvar99 = var_money_round(VAR_Z99 * sigma);
	f->pes975 = var_money_round(sigma * var_normal_pdf(VAR_Z975) / 0.025);

	/* stress: volatilities x multiplier; correlations one (no diversification) */
	f->stress_vol = var_money_round(VAR_Z99 * sigma * m->cfg.stress_vol_multiplier);
	double undiversified = 0.0;
	for (size_t j = 0; j < sc->nheld; j++) {
		uint32_t id = sc->held[j];
		double v = (double)sc->value[id];
		undiversified += fabs(v) * sqrt(var_ewma_var_ring(h->inst[id].ret, sp, lambda));
	}
	f->stress_corr1 = var_money_round(VAR_Z99 * undiversified * m->sqrt_h);

	/* historical replay: the k worst n-bar windows of this portfolio */
	int64_t loss[VAR_MAX_WINDOWS];
	uint32_t age[VAR_MAX_WINDOWS];
	size_t nw = var_worst_windows(sc->pnl, sp, (size_t)m->cfg.stress_window_bars, (size_t)m->cfg.stress_windows, loss,
		age, m->scratch);
	f->nwindows = (uint8_t)nw;
	for (size_t i = 0; i < nw; i++) {
		f->window_loss[i] = loss[i];
		f->window_end_age[i] = age[i];
	}
	f->stress_hist = nw ? loss[0] : 0;
}

/* Metric names take [a-z0-9_]: everything else in a scope name becomes '_'. */
static void metric_name(char *out, size_t cap, const char *prefix, const char *kind, const char *name)
{
	int n = snprintf(out, cap, "%s_%s_", prefix, kind);
	if (n < 0 || (size_t)n >= cap)
		return;
	size_t i = (size_t)n;
	for (const char *p = name; *p && i + 1 < cap; p++, i++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		out[i] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	out[i] = '\0';
}

static void register_scope(var_model *m, var_scope *sc)
{
	static const char *const prefix[3] = { "var95", "var99", "es975" };
	static const char *const help[3] = { "historical VaR 95% of the scope, money at scale 8",
		"historical VaR 99% of the scope, money at scale 8", "expected shortfall 97.5% of the scope, money at scale 8" };
	if (sc->metrics_ok || sc->kind == VAR_SCOPE_HOST || !m->cfg.metrics_per_scope)
		return;
	char name[64];
	for (int i = 0; i < 3; i++) {
		metric_name(name, sizeof name, prefix[i], sc->kind == VAR_SCOPE_FARM ? "farm" : "agent", sc->name);
		if (m->api->metric_register(m->ctx, TH_METRIC_GAUGE, name, help[i], &sc->metric[i]) != TH_OK) {
			m->api->logf(m->ctx, TH_LOG_WARN, "var: cannot register metric %s: scope figures only as events", name);
			sc->metrics_ok = -1; /* do not retry every refresh */
			return;
		}
	}
	sc->metrics_ok = 1;
}

int var_figures_register(var_model *m)
{
	struct {
		const char *name;
		int kind;
		const char *help;
		uint32_t *id;
	} defs[] = {
		{ "var95_host", TH_METRIC_GAUGE, "historical VaR 95% of the whole portfolio, money at scale 8", &m->metrics.var95 },
		{ "var99_host", TH_METRIC_GAUGE, "historical VaR 99% of the whole portfolio, money at scale 8", &m->metrics.var99 },
		{ "es975_host", TH_METRIC_GAUGE, "expected shortfall 97.5% of the whole portfolio, money at scale 8",
			&m->metrics.es975 },
		{ "pvar95_host", TH_METRIC_GAUGE, "parametric (EWMA) VaR 95% of the whole portfolio, money at scale 8",
			&m->metrics.pvar95 },
		{ "pvar99_host", TH_METRIC_GAUGE, "parametric (EWMA) VaR 99% of the whole portfolio, money at scale 8",
			&m->metrics.pvar99 },
		{ "stress_shock_host", TH_METRIC_GAUGE, "worst configured shock scenario loss, money at scale 8",
			&m->metrics.stress_shock },
		{ "stress_vol_host", TH_METRIC_GAUGE, "VaR 99% with volatilities multiplied, money at scale 8",
			&m->metrics.stress_vol },
		{ "stress_corr1_host", TH_METRIC_GAUGE, "VaR 99% with all correlations one, money at scale 8",
			&m->metrics.stress_corr1 },
		{ "stress_hist_host", TH_METRIC_GAUGE, "worst replayed historical window loss, money at scale 8",
			&m->metrics.stress_hist },
		{ "var_scenarios_host", TH_METRIC_GAUGE, "scenarios behind the host figures (0 = not enough data)",
			&m->metrics.scenarios },
		{ "var_denied_total", TH_METRIC_COUNTER, "intents denied: post-trade ES above a limit", &m->metrics.denied },
		{ "var_nodata_total", TH_METRIC_COUNTER, "intents denied: not enough market data", &m->metrics.nodata },
	};
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
		if (m->api->metric_register(m->ctx, defs[i].kind, defs[i].name, defs[i].help, defs[i].id) != TH_OK) {
			m->api->set_error(m->ctx, "var: cannot register metric %s", defs[i].name);
			return TH_ERR;
		}
	}
	m->have_metrics = 1;
	return TH_OK;
}

static void publish(var_model *m, const var_figures_wire *f)
{
	th_event ev;
	th_event_init(&ev, TH_EV_CUSTOM);
	ev.u.custom.tag = VAR_FIGURES_TAG;
	ev.u.custom.len = (uint32_t)sizeof *f;
	memcpy(ev.u.custom.data, f, sizeof *f);
	if (m->api->publish(m->ctx, &ev) != TH_OK)
		m->api->logf(m->ctx, TH_LOG_DEBUG, "var: figures of %s not published (bus full)", f->name[0] ? f->name : "host");
}

void var_figures_refresh(var_model *m)
{
	var_scope_get(m, VAR_SCOPE_HOST, "", 1);
	for (size_t i = 0; i < m->max_scopes; i++) {
		var_scope *sc = &m->scopes[i];
		if (!sc->live)
			continue;
		var_scope_sync(m, sc); /* catches changes no fill announced */
		var_figures_wire f;
		var_figures_compute(m, sc, &f);
		if (sc->kind == VAR_SCOPE_HOST) {
			const var_metric_ids *id = &m->metrics;
			m->api->metric_set(m->ctx, id->scenarios, (int64_t)f.scenarios);
			if (!(f.flags & (VAR_FIG_NO_DATA | VAR_FIG_BROKEN))) {
				m->api->metric_set(m->ctx, id->var95, f.var95);
				m->api->metric_set(m->ctx, id->var99, f.var99);
				m->api->metric_set(m->ctx, id->es975, f.es975);
				m->api->metric_set(m->ctx, id->pvar95, f.pvar95);
				m->api->metric_set(m->ctx, id->pvar99, f.pvar99);
				m->api->metric_set(m->ctx, id->stress_vol, f.stress_vol);
				m->api->metric_set(m->ctx, id->stress_corr1, f.stress_corr1);
				m->api->metric_set(m->ctx, id->stress_hist, f.stress_hist);
			}
			if (!(f.flags & VAR_FIG_BROKEN))
				m->api->metric_set(m->ctx, id->stress_shock, f.stress_shock);
		} else {
			register_scope(m, sc);
			if (sc->metrics_ok == 1 && !(f.flags & (VAR_FIG_NO_DATA | VAR_FIG_BROKEN))) {
				m->api->metric_set(m->ctx, sc->metric[0], f.var95);
				m->api->metric_set(m->ctx, sc->metric[1], f.var99);
				m->api->metric_set(m->ctx, sc->metric[2], f.es975);
			}
		}
		if (m->cfg.publish_events)
			publish(m, &f);
	}
}
