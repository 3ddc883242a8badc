/*
 * drawdown — the scope table: one breaker per (kind, name), found by hash in
 * O(1) from check(). Memory is taken once at init (capacity max_scopes) so
 * lookups and inserts never allocate; scopes are never removed (a breaker
 * must not be forgotten while it may still be latched).
 */
#ifndef DRAWDOWN_DD_TABLE_H
#define DRAWDOWN_DD_TABLE_H

#include "dd_internal.h"

int dd_table_init(dd_table *t, const th_host_api *api, th_ctx *ctx, uint32_t cap);
void dd_table_free(dd_table *t, const th_host_api *api, th_ctx *ctx);
/* Forget every scope (keeps the memory). */
void dd_table_clear(dd_table *t);

dd_scope *dd_table_find(const dd_table *t, int kind, const char *name);
/* Finds or inserts a fresh, unlatched scope. NULL when the table is full or
 * the name does not fit TH_NAME_MAX. *added (may be NULL) says which. */
dd_scope *dd_table_add(dd_table *t, int kind, const char *name, int *added);

#endif
