#!/usr/bin/env bash
# momentum, mean_reversion, grid and pairs end to end: one backtest on the
# seeded synthetic market with the sim venue, every agent must trade; the
# same seed gives a byte-identical report; a bad strategy parameter stops the
# host with a message naming the key.
# Usage: strategies_core.sh TRADEHOST_BIN PLUGIN_DIR
set -euo pipefail
bin=$1 plugins=$2
t=$(mktemp -d /tmp/th-strat-core.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

write_config() { # $1 file, $2 grid lower, $3 grid upper
	cat > "$1" <<TOML
[host]
plugin_dirs = ["$plugins"]
[market]
symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
start_prices = ["65000", "3500", "150"]
bar_seconds = 60
trades_per_bar = 4
seed = 11
bars = 3000
correlation = 0.8
[capital]
deposit = "100000"
[capital.farms.core]
weight = 1.0
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"], qty_scale = 4, lot = "0.0001", taker_fee_bps = "5", maker_fee_bps = "1" }
[instances.mom]
plugin = "momentum"
farm = "core"
config = { symbol = "BTC-USDT", qty = "0.05", ema_period = 20, roc_period = 10, roc_threshold = 0.3, volume_factor = 1.2, allow_short = true }
[instances.mr]
plugin = "mean_reversion"
farm = "core"
config = { symbol = "ETH-USDT", qty = "0.5", allow_short = true }
[instances.grid]
plugin = "grid"
farm = "core"
config = { symbol = "SOL-USDT", lower = "$2", upper = "$3", levels = 31, qty = "2" }
[instances.pairs]
plugin = "pairs"
farm = "core"
config = { symbol_a = "BTC-USDT", symbol_b = "ETH-USDT", window = 120, notional = "2000", significance = "10%" }
TOML
}

write_config "$t/bt.toml" 135 165
"$bin" backtest -c "$t/bt.toml" --out "$t/a" --quiet > "$t/a.log" 2>&1 || fail "backtest failed: $(cat "$t/a.log")"
grep -q "9000 bars" "$t/a.log" || fail "expected 9000 bars (3 symbols x 3000): $(cat "$t/a.log")"
for agent in mom mr grid pairs; do
	trades=$(jq -r --arg a "$agent" '.agents[] | select(.name == $a) | .trades' "$t/a/report.json")
	[ -n "$trades" ] || fail "agent $agent missing from the report"
	[ "$trades" -gt 0 ] || fail "agent $agent made no trade"
	echo "$agent: $trades trades"
done
# pairs trades both legs: it must have closed trades on both symbols
for sym in BTC-USDT ETH-USDT; do
	jq -e --arg s "$sym" '[.trades[] | select(.agent == "pairs" and .symbol == $s)] | length > 0' "$t/a/report.json" \
		> /dev/null || fail "pairs has no trade on $sym"
done
# the grid trades both ways around its levels
jq -e '[.trades[] | select(.agent == "grid")] | length > 0' "$t/a/report.json" > /dev/null || fail "grid trades missing"

# determinism
"$bin" backtest -c "$t/bt.toml" --out "$t/b" --quiet > /dev/null 2>&1 || fail "second backtest failed"
cmp -s "$t/a/report.json" "$t/b/report.json" || fail "two runs with the same seed differ"

# a grid with lower >= upper is refused, naming the key
write_config "$t/bad.toml" 165 135
set +e; "$bin" backtest -c "$t/bad.toml" --out "$t/bad" --quiet > "$t/bad.log" 2>&1; rc=$?; set -e
[ "$rc" != 0 ] || fail "a grid with lower >= upper was accepted"
grep -q "'lower'" "$t/bad.log" || fail "the error does not name the key: $(cat "$t/bad.log")"
echo "strategies_core OK: momentum, mean_reversion, grid and pairs trade; deterministic; bad grid refused"
