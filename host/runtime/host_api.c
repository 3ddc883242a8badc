/* The th_host_api table handed to every plugin instance. Each entry resolves
 * the calling instance from its th_ctx, so resources (timers, subscriptions,
 * memory, metrics, state) are accounted to that instance and released when
 * it stops. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config/schema.h"
#include "runtime/runtime_internal.h"
#include "runtime/state_mem.h"
#include "runtime/state_store.h"

static const char *api_instance_name(th_ctx *ctx)
{
	return ctx->slot->name;
}

static void api_set_error(th_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->error, sizeof ctx->error, fmt, ap);
	va_end(ap);
}

static int64_t api_now_ns(th_ctx *ctx)
{
	return host_now_ns(ctx->host);
}

static int api_timer_add(th_ctx *ctx, int64_t delay_ns, int64_t interval_ns, th_timer_fn fn, void *arg,
	uint64_t *timer_id)
{
	if (delay_ns < 0)
		delay_ns = 0;
	int rc = timers_add(ctx->host->timers, ctx, host_now_ns(ctx->host) + delay_ns, interval_ns, fn, arg, timer_id);
	if (rc == TH_OK)
		host_timers_changed(ctx->host);
	return rc;
}

static int api_timer_cancel(th_ctx *ctx, uint64_t timer_id)
{
	return timers_cancel(ctx->host->timers, ctx, timer_id);
}

static int api_subscribe(th_ctx *ctx, const th_subscription *sub, th_event_fn fn, void *arg, uint64_t *sub_id)
{
	if (!sub || !fn)
		return TH_ERR_INVALID;
	return bus_subscribe(ctx->host->bus, ctx, sub, fn, arg, sub_id);
}

static int api_unsubscribe(th_ctx *ctx, uint64_t sub_id)
{
	return bus_unsubscribe(ctx->host->bus, sub_id);
}

/* Who may publish what. Venues speak only for themselves (order and fill
 * events carry their own instance name, so no plugin can forge a fill for a
 * venue); only agents propose intents, and they speak only for themselves;
 * risk decisions, lifecycle and goal events come from the host alone. */
static int publish_allowed(const th_ctx *ctx, const th_event *ev, const char **why)
{
	uint32_t kind = ctx->slot->kind;
	switch (ev->h.type) {
	case TH_EV_TRADE:
	case TH_EV_QUOTE:
	case TH_EV_BOOK:
	case TH_EV_BAR:
	case TH_EV_ORDER:
	case TH_EV_FILL:
		*why = "only exchange plugins publish market data, order and fill events";
		return kind == TH_KIND_EXCHANGE;
	case TH_EV_INTENT:
	case TH_EV_AGENT_MSG:
		*why = "only strategy plugins publish intents and agent messages";
		return kind == TH_KIND_STRATEGY;
	case TH_EV_RISK:
	case TH_EV_LIFECYCLE:
	case TH_EV_GOAL:
		*why = "risk decisions, lifecycle and goal events come from the host only";
		return 0;
	default:
		return 1;
	}
}

/* Whether the header name field `field` (cap bytes) holds `name` (an
 * array of at least cap bytes). Every plugin event asks this, so a field
 * that is byte for byte the name — what th_strlcpy() into a zeroed header
 * gives, as the host's slot names are — is accepted with one fixed-size
 * compare; anything else is decided by strcmp. */
static int field_is(const char *field, size_t cap, const char *name)
{
	/* Most often a mismatch shows in the first byte: an agent's event with
	 * no agent name yet (intents, agent messages), stamped below. Deciding
	 * that here spares the memcmp and the strcmp. */
	if (field[0] != name[0])
		return 0;
	if (memcmp(field, name, cap) == 0 && field[cap - 1] == '\0')
		return 1;
	return strcmp(field, name) == 0;
}

static int api_publish(th_ctx *ctx, const th_event *ev)
{
	const char *why = "";
	if (!ev)
		return TH_ERR_INVALID;
	if (!publish_allowed(ctx, ev, &why)) {
		snprintf(ctx->error, sizeof ctx->error, "publish refused: %s", why);
		return TH_ERR_STATE;
	}
	/* Stamp who is speaking: a venue's order and fill events carry its
	 * instance name and no agent, an agent's events its own name; only the
	 * OMS marks its re-publications (flags). Most venue events already say
	 * the right thing and go to the bus as they are. */
	const char *self = ctx->slot->name;
	int venue = ctx->slot->kind == TH_KIND_EXCHANGE, agent = ctx->slot->kind == TH_KIND_STRATEGY;
	int venue_event = venue && (ev->h.type == TH_EV_ORDER || ev->h.type == TH_EV_FILL);
	int restamp = (venue_event && !field_is(ev->h.venue, sizeof ev->h.venue, self)) ||
		(agent ? !field_is(ev->h.agent, sizeof ev->h.agent, self) : venue && ev->h.agent[0]);
	if (restamp || ev->h.flags) {
		/* The names and cleared flags are written into the bus's own copy
		 * of the event: no second copy of it here. */
		const char *venue_name = restamp && venue_event ? self : NULL;
		const char *agent_name = !restamp ? NULL : agent ? self : "";
		return bus_publish_stamped(ctx->host->bus, ev, venue_name, agent_name);
	}
	return bus_publish(ctx->host->bus, ev);
}

static void api_log(th_ctx *ctx, int level, const char *msg, const th_log_field *fields, size_t nfields)
{
	log_fields(level, ctx->slot->name, msg ? msg : "", fields, nfields);
}

static void api_logf(th_ctx *ctx, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (level < log_get_level())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_fields(level, ctx->slot->name, msg, NULL, 0);
}

static int api_config_string(th_ctx *ctx, const char *key, const char **out)
{
	return config_get_string(ctx->config, key, out, NULL);
}

static int api_config_int(th_ctx *ctx, const char *key, int64_t *out)
{
	return config_get_int(ctx->config, key, out);
}

static int api_config_double(th_ctx *ctx, const char *key, double *out)
{
	return config_get_double(ctx->config, key, out);
}

static int api_config_bool(th_ctx *ctx, const char *key, int *out)
{
	bool b;
	int rc = config_get_bool(ctx->config, key, &b);
	if (rc == TH_OK)
		*out = b ? 1 : 0;
	return rc;
}

static int api_config_decimal(th_ctx *ctx, const char *key, int scale, int64_t *out)
{
	char err[256];
	int rc = config_get_decimal(ctx->config, key, scale, out, err, sizeof err);
	if (rc != TH_OK)
		snprintf(ctx->error, sizeof ctx->error, "%s", err);
	return rc;
}

static const toml_value *config_list(th_ctx *ctx, const char *key, int *rc)
{
	const toml_value *v = ctx->config ? toml_table_get(ctx->config, key) : NULL;
	*rc = !v ? TH_ERR_NOT_FOUND : toml_type_of(v) != TOML_ARRAY ? TH_ERR_INVALID : TH_OK;
	return *rc == TH_OK ? v : NULL;
}

static int api_config_list_len(th_ctx *ctx, const char *key, size_t *out)
{
	int rc;
	const toml_value *v = config_list(ctx, key, &rc);
	if (v)
		*out = toml_array_len(v);
	return rc;
}

static int api_config_list_at(th_ctx *ctx, const char *key, size_t index, const char **out)
{
	int rc;
	const toml_value *v = config_list(ctx, key, &rc);
	if (!v)
		return rc;
	if (index >= toml_array_len(v))
		return TH_ERR_NOT_FOUND;
	size_t len;
	return toml_as_string(toml_array_at(v, index), out, &len) ? TH_OK : TH_ERR_INVALID;
}

static int api_metric_register(th_ctx *ctx, int kind, const char *name, const char *help, uint32_t *metric_id)
{
	return metrics_registry_register(ctx->host->metrics, ctx->slot->name, ctx->slot->plugin, kind, name, help,
		metric_id);
}

/* The slot's key for metrics_registry_*_as: numbered on first use from a
 * host counter, so a key is never shared by two slots, even when a reload
 * frees a slot and another one takes its memory. */
static uint64_t slot_metric_key(th_ctx *ctx)
{
	if (ctx->slot->metric_key == 0)
		ctx->slot->metric_key = ++ctx->host->metric_keys;
	return ctx->slot->metric_key;
}

static void api_metric_add(th_ctx *ctx, uint32_t metric_id, int64_t delta)
{
	metrics_registry_add_as(ctx->host->metrics, ctx->slot->name, slot_metric_key(ctx), metric_id, delta);
}

static void api_metric_set(th_ctx *ctx, uint32_t metric_id, int64_t value)
{
	metrics_registry_set_as(ctx->host->metrics, ctx->slot->name, slot_metric_key(ctx), metric_id, value);
}

static int api_state_put(th_ctx *ctx, const char *key, const void *data, size_t len)
{
	if (!data && len)
		return TH_ERR_INVALID;
	if (ctx->host->state_mem)
		return state_mem_put(ctx->host->state_mem, ctx->slot->name, key, data, len);
	return state_store_put(ctx->host->cfg.state_dir, ctx->slot->name, key, data, len);
}

static int api_state_get(th_ctx *ctx, const char *key, void *buf, size_t cap, size_t *len)
{
	if (!buf && cap)
		return TH_ERR_INVALID;
	if (ctx->host->state_mem)
		return state_mem_get(ctx->host->state_mem, ctx->slot->name, key, buf, cap, len);
	return state_store_get(ctx->host->cfg.state_dir, ctx->slot->name, key, buf, cap, len);
}

static int api_state_delete(th_ctx *ctx, const char *key)
{
	if (ctx->host->state_mem)
		return state_mem_delete(ctx->host->state_mem, ctx->slot->name, key);
	return state_store_delete(ctx->host->cfg.state_dir, ctx->slot->name, key);
}

/* Allocations carry a small header so the host can count what each instance
 * holds and report leaks when it is destroyed. */
typedef struct alloc_hdr {
	size_t size;
	th_ctx *owner;
	max_align_t align_;
} alloc_hdr;

static void *api_alloc(th_ctx *ctx, size_t size)
{
	if (size > SIZE_MAX - sizeof(alloc_hdr))
		return NULL;
	alloc_hdr *h = malloc(sizeof *h + size);
	if (!h)
		return NULL;
	h->size = size;
	h->owner = ctx;
	ctx->alloc_live++;
	ctx->alloc_bytes += (int64_t)size;
	return h + 1;
}

static void api_free(th_ctx *ctx, void *ptr)
{
	if (!ptr)
		return;
	alloc_hdr *h = (alloc_hdr *)ptr - 1;
	/* Only the allocating instance's counters move: another instance's
	 * context may already be gone, so it is never dereferenced. */
	if (h->owner == ctx) {
		ctx->alloc_live--;
		ctx->alloc_bytes -= (int64_t)h->size;
	}
	free(h);
}

/* --- ABI 1.1: portfolio views and trading-state control, served by the
 * trading layer's provider (see host_set_portfolio_provider) --- */

#define PROVIDER(ctx) (&(ctx)->host->portfolio)

static const th_instrument *api_instrument(th_ctx *ctx, const char *venue, const char *symbol)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	return p->ctx && venue && symbol ? p->instrument(p->ctx, venue, symbol) : NULL;
}

static th_price api_last_price(th_ctx *ctx, const char *venue, const char *symbol, int32_t *scale)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	int32_t dummy;
	return p->ctx && venue && symbol ? p->last_price(p->ctx, venue, symbol, scale ? scale : &dummy) : 0;
}

static int api_wallet_stats(th_ctx *ctx, const char *wallet, th_wallet_stats *out)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	if (!wallet || !out)
		return TH_ERR_INVALID;
	return p->ctx ? p->wallet_stats(p->ctx, wallet, out) : TH_ERR_NOT_FOUND;
}

static size_t api_positions(th_ctx *ctx, const char *wallet, th_position *out, size_t cap)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	return p->ctx && wallet && (out || cap == 0) ? p->positions(p->ctx, wallet, out, cap) : 0;
}

static size_t api_open_orders(th_ctx *ctx, const char *agent, th_order *out, char (*agents)[TH_NAME_MAX],
	char (*venues)[TH_VENUE_MAX], size_t cap)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	return p->ctx && (out || cap == 0) ? p->open_orders(p->ctx, agent, out, agents, venues, cap) : 0;
}

static const char *api_agent_farm(th_ctx *ctx, const char *agent)
{
	const char *farm = agent ? host_instance_farm(ctx->host, agent) : NULL;
	return farm ? farm : "";
}

static int api_trading_state(th_ctx *ctx, int scope, const char *name)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	return p->ctx ? p->trading_state(p->ctx, scope, name ? name : "") : TH_STATE_ACTIVE;
}

static int api_set_trading_state(th_ctx *ctx, int scope, const char *name, int state, const char *reason)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	if (!p->ctx)
		return TH_ERR_UNSUPPORTED;
	return p->set_trading_state(p->ctx, scope, name ? name : "", state, reason ? reason : "", ctx->slot->name);
}

static int api_reduce_exposure(th_ctx *ctx, int scope, const char *name, uint32_t step_bps)
{
	const host_portfolio_provider *p = PROVIDER(ctx);
	if (!p->ctx)
		return TH_ERR_UNSUPPORTED;
	if (step_bps == 0 || step_bps > 10000)
		return TH_ERR_INVALID;
	return p->reduce_exposure(p->ctx, scope, name ? name : "", step_bps);
}

void host_api_init(th_host_api *api)
{
	memset(api, 0, sizeof *api);
	api->struct_size = sizeof *api;
	api->abi_major = TH_ABI_MAJOR;
	api->abi_minor = TH_ABI_MINOR;
	api->instance_name = api_instance_name;
	api->set_error = api_set_error;
	api->now_ns = api_now_ns;
	api->timer_add = api_timer_add;
	api->timer_cancel = api_timer_cancel;
	api->subscribe = api_subscribe;
	api->unsubscribe = api_unsubscribe;
	api->publish = api_publish;
	api->log = api_log;
	api->logf = api_logf;
	api->config_string = api_config_string;
	api->config_int = api_config_int;
	api->config_double = api_config_double;
	api->config_bool = api_config_bool;
	api->config_decimal = api_config_decimal;
	api->config_list_len = api_config_list_len;
	api->config_list_at = api_config_list_at;
	api->metric_register = api_metric_register;
	api->metric_add = api_metric_add;
	api->metric_set = api_metric_set;
	api->state_put = api_state_put;
	api->state_get = api_state_get;
	api->state_delete = api_state_delete;
	api->alloc = api_alloc;
	api->free = api_free;
	api->instrument = api_instrument;
	api->last_price = api_last_price;
	api->wallet_stats = api_wallet_stats;
	api->positions = api_positions;
	api->open_orders = api_open_orders;
	api->agent_farm = api_agent_farm;
	api->trading_state = api_trading_state;
	api->set_trading_state = api_set_trading_state;
	api->reduce_exposure = api_reduce_exposure;
}
