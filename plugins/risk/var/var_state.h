/*
 * var_state — the return history as bytes, so it survives a hot reload
 * (export_state / import_state) and a quick restart (state_put at stop,
 * state_get at start, when it fits the host's 1 MiB value limit). Scopes are
 * not saved: they are rebuilt from the host's positions on first use.
 *
 * Layout (host byte order), version 1:
 *   header: "VARH" u32 version u32 window u32 count u32 ninst u32 pad
 *           i64 interval_ns i64 newest_slot
 *   per instrument: venue[16] symbol[24] i64 close i32 close_scale
 *           i32 has_close i64 last_slot i64 first_ret, then `count`
 *           doubles: its returns of the `count` newest slots, oldest first.
 */
#ifndef PLUGINS_RISK_VAR_STATE_H
#define PLUGINS_RISK_VAR_STATE_H

#include <stddef.h>

#include "var_model.h"

#define VAR_STATE_KEY "history"

/* Serialises the history into memory from api->alloc; TH_OK or an error. */
int var_state_save(var_model *m, void **data, size_t *len);
/* Loads a blob into an empty history (after create, before start). A blob
 * from another timeframe is ignored (TH_OK, nothing loaded); a shorter or
 * longer window keeps the newest slots that fit. TH_ERR_INVALID if malformed. */
int var_state_load(var_model *m, const void *data, size_t len);

#endif
