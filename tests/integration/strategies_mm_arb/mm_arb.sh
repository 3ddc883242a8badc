#!/usr/bin/env bash
# market_maker and arbitrage end to end: a backtest on the synthetic market
# with a mirror venue (sim_b, a mean-reverting basis against sim), both
# agents must trade; the same seed gives the same report; a bad parameter
# stops the host with the key named.
# Usage: mm_arb.sh TRADEHOST_BIN PLUGIN_DIR
set -euo pipefail
bin=$1 plugins=$2
t=$(mktemp -d /tmp/th-mm-arb.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$t/bt.toml" <<TOML
[host]
plugin_dirs = ["$plugins"]
state_dir = "var"
[market]
symbols = ["BTC-USDT"]
start_prices = ["65000"]
bar_seconds = 60
trades_per_bar = 8
seed = 11
bars = 1500
mirror_venues = ["sim_b"]
mirror_basis_bps = 10
[capital]
deposit = "100000"
[capital.farms.makers]
weight = 0.5
[capital.farms.arbs]
weight = 0.5
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 4, lot = "0.0001", maker_fee_bps = "0", taker_fee_bps = "1" }
[instances.sim_b]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 4, lot = "0.0001", maker_fee_bps = "0", taker_fee_bps = "1" }
[instances.maker]
plugin = "market_maker"
farm = "makers"
[instances.maker.config]
symbol = "BTC-USDT"
venue = "sim"
order_qty = "0.01"
max_position = "0.05"
tick = "0.01"
lot = "0.0001"
[instances.arb]
plugin = "arbitrage"
farm = "arbs"
[instances.arb.config]
symbol = "BTC-USDT"
venue_a = "sim"
venue_b = "sim_b"
qty = "0.01"
max_position = "0.05"
max_residual = "0.01"
fee_a_bps = "1"
fee_b_bps = "1"
threshold_bps = "1"
tick = "0.01"
lot = "0.0001"
[backtest]
out = "out"
TOML

"$bin" backtest -c "$t/bt.toml" --out "$t/a" --quiet > "$t/a.log" 2>&1 || fail "backtest failed: $(cat "$t/a.log")"
[ -s "$t/a/report.json" ] || fail "no report.json"
for agent in maker arb; do
	jq -e --arg a "$agent" '.agents[] | select(.name == $a) | .trades > 0' "$t/a/report.json" > /dev/null \
		|| fail "agent $agent made no trade: $(jq -c --arg a "$agent" '.agents[] | select(.name == $a)' "$t/a/report.json")"
done
# the maker pays no taker fee on a venue with maker fee 0: all its fills were post-only quotes
jq -e '.agents[] | select(.name == "maker") | (.fees | tonumber) == 0' "$t/a/report.json" > /dev/null \
	|| fail "the market maker paid fees: some of its orders took liquidity"
# the arbitrage agent only takes liquidity: it paid taker fees
jq -e '.agents[] | select(.name == "arb") | (.fees | tonumber) > 0' "$t/a/report.json" > /dev/null \
	|| fail "the arbitrage agent paid no fee"

# determinism: same seed, same bytes
"$bin" backtest -c "$t/bt.toml" --out "$t/b" --quiet > /dev/null 2>&1 || fail "second backtest failed"
cmp -s "$t/a/report.json" "$t/b/report.json" || fail "two runs with the same seed differ"

# a bad parameter stops the host and names the key
sed 's/^venue_b = "sim_b"/venue_b = "sim"/' "$t/bt.toml" > "$t/bad.toml"
if "$bin" backtest -c "$t/bad.toml" --out "$t/bad" --quiet > "$t/bad.log" 2>&1; then
	fail "venue_b = venue_a was accepted"
fi
grep -q "key 'venue_b'" "$t/bad.log" || fail "bad venue_b not named: $(cat "$t/bad.log")"
sed 's/^max_position = "0.05"/max_position = "0.001"/' "$t/bt.toml" > "$t/bad2.toml"
if "$bin" backtest -c "$t/bad2.toml" --out "$t/bad2" --quiet > "$t/bad2.log" 2>&1; then
	fail "max_position below order_qty was accepted"
fi
grep -q "key 'max_position'" "$t/bad2.log" || fail "bad max_position not named: $(cat "$t/bad2.log")"

echo "market_maker and arbitrage OK: $(jq -c '[.agents[] | select(.name == "maker" or .name == "arb") | {name, trades, net_profit}]' "$t/a/report.json")"
