/*
 * sim — the venue's configuration: schema (th_config_field) and reading it
 * through the host into instruments and engine settings.
 */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <tradehost/tradehost.h>

#include "engine.h"

#define SIM_MAX_SYMBOLS 256

typedef struct sim_settings {
	th_instrument *instruments; /* api->alloc'ed; ninstruments entries */
	size_t ninstruments;
	sim_engine_config engine;   /* session is left 0 for the caller */
	int64_t latency_ns;         /* request -> engine, and engine -> host */
	char market_venue[TH_VENUE_MAX];
	int persist;
} sim_settings;

/* The schema the descriptor publishes (terminated by TH_CONFIG_END). */
extern const th_config_field sim_config_schema[];

/* Read and check every key. On failure calls api->set_error naming the key
 * and what is wrong, frees what it made, and returns TH_ERR_INVALID (or
 * TH_ERR_NOMEM). */
int sim_settings_read(const th_host_api *api, th_ctx *ctx, sim_settings *out);
void sim_settings_free(const th_host_api *api, th_ctx *ctx, sim_settings *s);

#endif
