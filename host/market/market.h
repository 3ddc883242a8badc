/*
 * market — market data for backtests and paper trading: the umbrella header.
 *
 *   synth.h     seeded synthetic market (the default paper / backtest feed)
 *   csv_bars.h  streaming OHLCV CSV import, generic and Binance klines
 *   barfile.h   binary bar files (.thb): fixed-size records, block CRCs
 *   resample.h  streaming aggregation into coarser, epoch-aligned bars
 *   source.h    one time-ordered event iterator over synth or CSV files
 *
 * Prices and quantities are int64 fixed-point at the instrument's scales
 * throughout; doubles appear only as dimensionless model parameters and
 * random returns inside the generator.
 */
#ifndef TH_MARKET_MARKET_H
#define TH_MARKET_MARKET_H

#include "market/barfile.h"
#include "market/csv_bars.h"
#include "market/resample.h"
#include "market/source.h"
#include "market/synth.h"

#endif
