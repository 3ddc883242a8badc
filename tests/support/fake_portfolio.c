#include "fake_portfolio.h"

#include <stdio.h>
#include <string.h>

#include "fake_host.h"

static fake_portfolio *PF(th_ctx *ctx)
{
	return ((fake_host *)(void *)ctx)->portfolio;
}

static const th_instrument *pf_instrument(th_ctx *ctx, const char *venue, const char *symbol)
{
	fake_portfolio *pf = PF(ctx);
	for (size_t i = 0; i < pf->ninstruments; i++)
		if (strcmp(pf->instruments[i].venue, venue) == 0 && strcmp(pf->instruments[i].symbol, symbol) == 0)
			return &pf->instruments[i];
	return NULL;
}

static th_price pf_last_price(th_ctx *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	fake_portfolio *pf = PF(ctx);
	for (size_t i = 0; i < pf->nprices; i++)
		if (strcmp(pf->prices[i].venue, venue) == 0 && strcmp(pf->prices[i].symbol, symbol) == 0) {
			if (scale)
				*scale = pf->prices[i].scale;
			return pf->prices[i].price;
		}
	return 0;
}

static int pf_wallet_stats(th_ctx *ctx, const char *wallet, th_wallet_stats *out)
{
	fake_portfolio *pf = PF(ctx);
	for (size_t i = 0; i < pf->nwallets; i++)
		if (strcmp(pf->wallets[i].wallet, wallet) == 0) {
			*out = pf->wallets[i].stats;
			return TH_OK;
		}
	return TH_ERR_NOT_FOUND;
}

static size_t pf_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	fake_portfolio *pf = PF(ctx);
	size_t n = 0;
	for (size_t i = 0; i < pf->npositions; i++) {
		if (strcmp(pf->positions[i].wallet, wallet) != 0)
			continue;
		if (n < cap)
			out[n] = pf->positions[i].pos;
		n++;
	}
	return n;
}

static size_t pf_open_orders(th_ctx *ctx, const char *agent, th_order *out, char (*agents)[TH_NAME_MAX],
	char (*venues)[TH_VENUE_MAX], size_t cap)
{
	fake_portfolio *pf = PF(ctx);
	size_t n = 0;
	for (size_t i = 0; i < pf->norders; i++) {
		if (agent && strcmp(pf->orders[i].agent, agent) != 0)
			continue;
		if (n < cap) {
			out[n] = pf->orders[i].order;
			if (agents)
				th_strlcpy(agents[n], pf->orders[i].agent, TH_NAME_MAX);
			if (venues)
				th_strlcpy(venues[n], pf->orders[i].venue, TH_VENUE_MAX);
		}
		n++;
	}
	return n;
}

static const char *pf_agent_farm(th_ctx *ctx, const char *agent)
{
	fake_portfolio *pf = PF(ctx);
	for (size_t i = 0; i < pf->nfarms; i++)
		if (strcmp(pf->farms[i].agent, agent) == 0)
			return pf->farms[i].farm;
	return "";
}

int fake_pf_state(const fake_portfolio *pf, int scope, const char *name)
{
	for (size_t i = 0; i < pf->nstates; i++)
		if (pf->states[i].scope == scope && strcmp(pf->states[i].name, name) == 0)
			return pf->states[i].state;
	return TH_STATE_ACTIVE;
}

static int pf_trading_state(th_ctx *ctx, int scope, const char *name)
{
	return fake_pf_state(PF(ctx), scope, name);
}

static int pf_set_trading_state(th_ctx *ctx, int scope, const char *name, int state, const char *reason)
{
	fake_portfolio *pf = PF(ctx);
	if (state < TH_STATE_ACTIVE || state > TH_STATE_HALTED || scope < TH_SCOPE_HOST || scope > TH_SCOPE_INSTRUMENT)
		return TH_ERR_INVALID;
	for (size_t i = 0; i < pf->nstates; i++) {
		if (pf->states[i].scope == scope && strcmp(pf->states[i].name, name) == 0) {
			pf->states[i].state = state;
			snprintf(pf->states[i].reason, sizeof pf->states[i].reason, "%s", reason ? reason : "");
			return TH_OK;
		}
	}
	if (pf->nstates == FAKE_PF_MAX)
		return TH_ERR_LIMIT;
	fake_state_entry *e = &pf->states[pf->nstates++];
	e->scope = scope;
	snprintf(e->name, sizeof e->name, "%s", name ? name : "");
	e->state = state;
	snprintf(e->reason, sizeof e->reason, "%s", reason ? reason : "");
	return TH_OK;
}

static int pf_reduce_exposure(th_ctx *ctx, int scope, const char *name, uint32_t step_bps)
{
	fake_portfolio *pf = PF(ctx);
	if (pf->nreduces == FAKE_PF_MAX)
		return TH_ERR_LIMIT;
	fake_reduce_call *r = &pf->reduces[pf->nreduces++];
	r->scope = scope;
	snprintf(r->name, sizeof r->name, "%s", name ? name : "");
	r->step_bps = step_bps;
	return 0;
}

void fake_portfolio_attach(fake_host *h, fake_portfolio *pf)
{
	th_host_api *a = &h->api;
	h->portfolio = pf;
	a->instrument = pf_instrument;
	a->last_price = pf_last_price;
	a->wallet_stats = pf_wallet_stats;
	a->positions = pf_positions;
	a->open_orders = pf_open_orders;
	a->agent_farm = pf_agent_farm;
	a->trading_state = pf_trading_state;
	a->set_trading_state = pf_set_trading_state;
	a->reduce_exposure = pf_reduce_exposure;
}

void fake_pf_price(fake_portfolio *pf, const char *venue, const char *symbol, th_price price, int32_t scale)
{
	for (size_t i = 0; i < pf->nprices; i++)
		if (strcmp(pf->prices[i].venue, venue) == 0 && strcmp(pf->prices[i].symbol, symbol) == 0) {
			pf->prices[i].price = price;
			pf->prices[i].scale = scale;
			return;
		}
	if (pf->nprices == FAKE_PF_MAX)
		return;
	th_strlcpy(pf->prices[pf->nprices].venue, venue, TH_VENUE_MAX);
	th_strlcpy(pf->prices[pf->nprices].symbol, symbol, TH_SYMBOL_MAX);
	pf->prices[pf->nprices].price = price;
	pf->prices[pf->nprices].scale = scale;
	pf->nprices++;
}

void fake_pf_wallet(fake_portfolio *pf, const char *wallet, const th_wallet_stats *stats)
{
	for (size_t i = 0; i < pf->nwallets; i++)
		if (strcmp(pf->wallets[i].wallet, wallet) == 0) {
			pf->wallets[i].stats = *stats;
			return;
		}
	if (pf->nwallets == FAKE_PF_MAX)
		return;
	th_strlcpy(pf->wallets[pf->nwallets].wallet, wallet, TH_NAME_MAX);
	pf->wallets[pf->nwallets++].stats = *stats;
}

void fake_pf_position(fake_portfolio *pf, const char *wallet, const char *venue, const char *symbol, th_qty qty,
	th_price avg, int32_t price_scale, int32_t qty_scale)
{
	if (pf->npositions == FAKE_PF_MAX)
		return;
	memset(&pf->positions[pf->npositions], 0, sizeof pf->positions[pf->npositions]);
	th_strlcpy(pf->positions[pf->npositions].wallet, wallet, TH_NAME_MAX);
	th_position *p = &pf->positions[pf->npositions++].pos;
	th_strlcpy(p->venue, venue, sizeof p->venue);
	th_strlcpy(p->symbol, symbol, sizeof p->symbol);
	p->qty = qty;
	p->avg_price = avg;
	p->price_scale = price_scale;
	p->qty_scale = qty_scale;
}

void fake_pf_order(fake_portfolio *pf, const char *agent, const th_order *order)
{
	if (pf->norders == FAKE_PF_MAX)
		return;
	th_strlcpy(pf->orders[pf->norders].agent, agent, TH_NAME_MAX);
	th_strlcpy(pf->orders[pf->norders].venue, pf->default_venue[0] ? pf->default_venue : "sim", TH_VENUE_MAX);
	pf->orders[pf->norders++].order = *order;
}

void fake_pf_farm(fake_portfolio *pf, const char *agent, const char *farm)
{
	if (pf->nfarms == FAKE_PF_MAX)
		return;
	th_strlcpy(pf->farms[pf->nfarms].agent, agent, TH_NAME_MAX);
	th_strlcpy(pf->farms[pf->nfarms].farm, farm, TH_NAME_MAX);
	pf->nfarms++;
}
