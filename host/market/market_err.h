/*
 * market — error-message helper shared by the market data code.
 */
#ifndef TH_MARKET_ERR_H
#define TH_MARKET_ERR_H

#include <stddef.h>

/* snprintf into err (if err and errlen are usable); always returns -1 so a
 * caller can write `return market_err(err, errlen, "...", ...);`. */
__attribute__((format(printf, 3, 4)))
int market_err(char *err, size_t errlen, const char *fmt, ...);

#endif
