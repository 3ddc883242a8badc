#!/usr/bin/env bash
# Backtest of the chart-pattern agents (darvas, alligator, elliott) on the
# seeded synthetic market with the sim venue: every agent must trade, and the
# same seed must give a byte-identical report.
# Usage: patterns.sh TRADEHOST_BIN PLUGIN_DIR
set -euo pipefail
bin=$1 plugins=$2
t=$(mktemp -d /tmp/th-patterns.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$t/bt.toml" <<TOML
[host]
plugin_dirs = ["$plugins"]
[market]
symbols = ["BTC-USDT", "ETH-USDT"]
start_prices = ["65000", "3500"]
bar_seconds = 60
trades_per_bar = 4
seed = 7
bars = 3000
[capital]
deposit = "100000"
[capital.farms.patterns]
weight = 1.0
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT", "ETH-USDT"], qty_scale = 4, lot = "0.0001", taker_fee_bps = "5" }
[instances.darvas_btc]
plugin = "darvas"
farm = "patterns"
config = { symbol = "BTC-USDT", qty = "0.05", lookback = 20, confirm_bars = 3, volume_period = 20, volume_factor = "1.5" }
[instances.gator_eth]
plugin = "alligator"
farm = "patterns"
config = { symbol = "ETH-USDT", qty = "1", confirm = "fractal" }
[instances.gator_ao_btc]
plugin = "alligator"
farm = "patterns"
config = { symbol = "BTC-USDT", qty = "0.05", confirm = "ao", allow_short = false }
[instances.elliott_btc]
plugin = "elliott"
farm = "patterns"
config = { symbol = "BTC-USDT", qty = "0.05", zigzag_pct = 0.5 }
[instances.elliott_eth]
plugin = "elliott"
farm = "patterns"
config = { symbol = "ETH-USDT", qty = "1", zigzag_pct = 0.3, trade_wave5 = false }
TOML

"$bin" backtest -c "$t/bt.toml" --out "$t/a" --quiet > "$t/a.log" 2>&1 || fail "backtest failed: $(cat "$t/a.log")"
[ -s "$t/a/report.json" ] || fail "no report.json: $(cat "$t/a.log")"
for agent in darvas_btc gator_eth gator_ao_btc elliott_btc elliott_eth; do
	trades=$(jq -r --arg a "$agent" '.agents[] | select(.name == $a) | .trades' "$t/a/report.json")
	[ -n "$trades" ] || fail "agent $agent missing from the report"
	[ "$trades" -gt 0 ] || fail "agent $agent made no trade"
	echo "$agent: $trades trades"
done
"$bin" backtest -c "$t/bt.toml" --out "$t/b" --quiet > /dev/null 2>&1 || fail "second backtest failed"
cmp -s "$t/a/report.json" "$t/b/report.json" || fail "two runs with the same seed differ"
echo "patterns backtest OK"
