/* The OMS's view of the venues: calls go to whatever generation of the
 * exchange instance is live at the moment of the call (hot reload keeps
 * orders with their venue by instance name). */
#include <string.h>
#include <tradehost/tradehost.h>

#include "trading/trading_internal.h"

static const th_exchange_api *venue(trading_t *t, const char *name, void **inst)
{
	const void *api = NULL;
	*inst = host_instance_handle(t->host, name, &api);
	if (!*inst || !api)
		return NULL;
	/* The live instance checked last time (every order goes to the same
	 * few): a live instance and its kind table identify what serves the
	 * name, so it is still an exchange (the argument tv_list makes too). A
	 * reload that replaces the instance changes the pair and the check runs
	 * again. */
	if (*inst == t->venue_checked[0] && api == t->venue_checked[1])
		return api;
	/* Only exchange instances may be venues. */
	for (size_t i = 0; i < host_instance_count(t->host); i++) {
		host_instance_info info;
		host_instance_info_at(t->host, i, &info);
		if (strcmp(info.name, name) == 0) {
			if (strcmp(info.kind, "exchange") != 0)
				return NULL;
			t->venue_checked[0] = *inst;
			t->venue_checked[1] = api;
			return api;
		}
	}
	return NULL;
}

/* The view's source of instrument lists (trading_view_list_fn): the live
 * instance of the venue, checked to be an exchange once per instance. */
int tv_list(void *ctx, const char *name, const void *const known[2], const void *owner[2], const th_instrument **list,
	size_t *n)
{
	trading_t *t = ctx;
	const void *api = NULL;
	void *inst = host_instance_handle(t->host, name, &api);
	const th_exchange_api *x;
	if (!inst || !api)
		return -1;
	if (inst == known[0] && api == known[1])
		x = api; /* the instance validated last time: still an exchange */
	else if (!(x = venue(t, name, &inst)))
		return -1;
	owner[0] = inst;
	owner[1] = x;
	return x->instruments(inst, list, n) == TH_OK ? 0 : -1;
}

/* O(1): a hash of the venue's list, kept by the view (trading_view.c). */
const th_instrument *tv_instrument(void *ctx, const char *name, const char *symbol)
{
	trading_t *t = ctx;
	return t->view ? trading_view_instrument(t->view, name, symbol) : NULL;
}

int tv_submit(void *ctx, const char *name, const th_order *order)
{
	void *inst;
	const th_exchange_api *x = venue(ctx, name, &inst);
	return x ? x->submit(inst, order) : TH_ERR_NOT_FOUND;
}

int tv_cancel(void *ctx, const char *name, const char *clid)
{
	void *inst;
	const th_exchange_api *x = venue(ctx, name, &inst);
	return x ? x->cancel(inst, clid) : TH_ERR_NOT_FOUND;
}

int tv_query(void *ctx, const char *name, const char *clid)
{
	void *inst;
	const th_exchange_api *x = venue(ctx, name, &inst);
	return x ? x->query(inst, clid) : TH_ERR_NOT_FOUND;
}
