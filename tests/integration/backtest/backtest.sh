#!/usr/bin/env bash
# tradehost backtest end to end: the synthetic market with every configured
# agent, determinism (same seed => byte-identical report), a different seed
# differs, --from/--to, a Binance kline CSV replay, a CSV with a bad row named
# by file:line, and the report files.
# Usage: backtest.sh TRADEHOST_BIN PLUGIN_DIR
set -euo pipefail
bin=$1 plugins=$2
t=$(mktemp -d /tmp/th-bt.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$t/bt.toml" <<TOML
[host]
plugin_dirs = ["$plugins"]
state_dir = "var"
[market]
symbols = ["BTC-USDT", "ETH-USDT"]
start_prices = ["65000", "3500"]
bar_seconds = 60
trades_per_bar = 4
seed = 7
bars = 3000
[capital]
deposit = "50000"
[capital.farms.trend]
weight = 1.0
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT", "ETH-USDT"], qty_scale = 4, lot = "0.0001", taker_fee_bps = "5" }
[instances.fast]
plugin = "ma_cross"
farm = "trend"
config = { symbol = "BTC-USDT", fast = 3, slow = 8, qty = "0.05" }
[instances.slow]
plugin = "ma_cross"
farm = "trend"
config = { symbol = "ETH-USDT", fast = 5, slow = 15, qty = "1" }
[backtest]
out = "out"
TOML

"$bin" backtest -c "$t/bt.toml" --out "$t/a" --quiet > "$t/a.log" 2>&1 || fail "backtest failed: $(cat "$t/a.log")"
grep -q "6000 bars" "$t/a.log" || fail "expected 6000 bars (2 symbols x 3000): $(cat "$t/a.log")"
[ -s "$t/a/report.json" ] && [ -s "$t/a/report.html" ] || fail "report files missing"
grep -q "<svg" "$t/a/report.html" || fail "report.html has no chart"
[ ! -e "$t/var" ] || fail "a backtest wrote into the paper state directory"
# every agent traded
for agent in fast slow; do
	jq -e --arg a "$agent" '.agents[] | select(.name == $a) | .trades > 0' "$t/a/report.json" > /dev/null \
		|| fail "agent $agent made no trade"
done
# determinism: same data and seed => identical bytes; another seed => different
"$bin" backtest -c "$t/bt.toml" --out "$t/b" --quiet > /dev/null 2>&1 || fail "second backtest failed"
cmp -s "$t/a/report.json" "$t/b/report.json" || fail "two runs with the same seed differ"
"$bin" backtest -c "$t/bt.toml" --out "$t/c" --seed 8 --quiet > /dev/null 2>&1 || fail "seed 8 backtest failed"
cmp -s "$t/a/report.json" "$t/c/report.json" && fail "a different seed gave the same report"
# window
"$bin" backtest -c "$t/bt.toml" --out "$t/w" --from 2026-01-01T10:00:00Z --to 2026-01-01T12:00:00Z --quiet \
	> "$t/w.log" 2>&1 || fail "windowed backtest failed: $(cat "$t/w.log")"
grep -q " 240 bars" "$t/w.log" || fail "2 h of 1-minute bars x 2 symbols should be 240 bars: $(cat "$t/w.log")"
# bad usage
if "$bin" backtest -c "$t/bt.toml" --bars x > /dev/null 2>&1; then fail "--bars x accepted"; fi
set +e; "$bin" backtest -c "$t/bt.toml" --from yesterday > /dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || fail "--from yesterday: exit $rc, expected 2"

# goals: agent "fast" stops after 10 trades (collect + pause); rebalancing on a schedule does not break it
cp "$t/bt.toml" "$t/goals.toml"
sed -i 's/^deposit = "50000"$/deposit = "50000"\nrebalance_seconds = 3600/' "$t/goals.toml"
cat >> "$t/goals.toml" <<TOML
[[goals]]
label = "ten trades"
scope = "agent"
target = "fast"
trades = 10
on_hit = ["collect", "pause"]
TOML
"$bin" backtest -c "$t/goals.toml" --out "$t/goals" --quiet > "$t/goals.log" 2>&1 || fail "goals backtest failed: $(cat "$t/goals.log")"
jq -e '.agents[] | select(.name == "fast") | .trades == 10' "$t/goals/report.json" > /dev/null \
	|| fail "the paused agent kept trading: $(jq -c '.agents[] | {name, trades}' "$t/goals/report.json")"
jq -e '.agents[] | select(.name == "slow") | .trades > 0' "$t/goals/report.json" > /dev/null || fail "the other agent stopped too"
# a bad goal is refused at configuration time, naming it
printf '[[goals]]\nscope = "planet"\n' >> "$t/goals.toml"
set +e; "$bin" backtest -c "$t/goals.toml" --out "$t/g2" --quiet > "$t/g2.log" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'goals\[1\].scope' "$t/g2.log" || fail "bad goal: exit $rc: $(cat "$t/g2.log")"

# farm coordinators: voting (v3 is outvoted unless the majority agrees), hierarchical (h2 follows leader h1 only when
# they agree), emergency (e1 may only reduce, so it never opens), independent (f1 = v1's twin)
sed -e '/^\[capital.farms.trend\]/,$d' "$t/bt.toml" > "$t/coord.toml"
cat >> "$t/coord.toml" <<'TOML'
[capital.farms.free]
[capital.farms.vote]
coordination = "voting"
quorum = 0.6
[capital.farms.boss]
coordination = "hierarchical"
leader = "h1"
[capital.farms.calm]
coordination = "emergency"
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT", "ETH-USDT"], qty_scale = 4, lot = "0.0001" }
TOML
for a in f1:free v1:vote v2:vote h1:boss e1:calm; do
	printf '[instances.%s]\nplugin = "ma_cross"\nfarm = "%s"\nconfig = { symbol = "BTC-USDT", fast = 3, slow = 10, qty = "0.01" }\n' \
		"${a%%:*}" "${a#*:}" >> "$t/coord.toml"
done
for a in v3:vote h2:boss f3:free; do
	printf '[instances.%s]\nplugin = "ma_cross"\nfarm = "%s"\nconfig = { symbol = "BTC-USDT", fast = 8, slow = 30, qty = "0.01" }\n' \
		"${a%%:*}" "${a#*:}" >> "$t/coord.toml"
done
"$bin" backtest -c "$t/coord.toml" --out "$t/coord" --quiet > "$t/coord.log" 2>&1 || fail "coordination backtest failed: $(cat "$t/coord.log")"
trades() { jq -r --arg a "$1" '.agents[] | select(.name == $a) | .trades' "$t/coord/report.json"; }
[ "$(trades f1)" -gt 10 ] || fail "independent agent f1 barely traded: $(trades f1)"
[ "$(trades v1)" = "$(trades f1)" ] && [ "$(trades v2)" = "$(trades f1)" ] || fail "the voting majority was not let through"
# v3 only trades when the majority happens to go its way: far less than its independent twin f3
[ "$(trades v3)" -lt "$(trades f3)" ] || fail "the outvoted agent v3 traded $(trades v3) times, as much as its free twin ($(trades f3))"
[ "$(trades h1)" = "$(trades f1)" ] || fail "the leader h1 was held back"
[ "$(trades h2)" -lt "$(trades f1)" ] || fail "follower h2 was not restricted"
[ "$(trades e1)" = 0 ] || fail "the emergency farm opened positions"

# Binance kline CSV (1-minute bars, open time in ms), a deterministic wave
awk 'BEGIN { t = 1704067200000; p = 42000; for (i = 0; i < 600; i++) {
	o = p; p = 42000 + 900 * sin(i / 25.0) + 150 * sin(i / 3.0); h = (o > p ? o : p) + 5; l = (o < p ? o : p) - 5;
	printf "%.0f,%.2f,%.2f,%.2f,%.2f,%.5f,%.0f,1000.0,10,1.0,1000.0,0\n", t, o, h, l, p, 3.5, t + 59999; t += 60000 } }' \
	> "$t/BTCUSDT-1m.csv"
cat > "$t/csv.toml" <<TOML
[host]
plugin_dirs = ["$plugins"]
[market]
source = "csv"
symbols = ["BTC-USDT"]
csv_files = ["BTC-USDT=BTCUSDT-1m.csv"]
qty_scale = 5
lot = "0.00001"
[capital]
deposit = "10000"
[capital.farms.f]
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 5, lot = "0.00001" }
[instances.wave]
plugin = "ma_cross"
farm = "f"
config = { symbol = "BTC-USDT", fast = 5, slow = 20, qty = "0.01" }
TOML
"$bin" backtest -c "$t/csv.toml" --out "$t/csv" --quiet > "$t/csv.log" 2>&1 || fail "CSV backtest failed: $(cat "$t/csv.log")"
grep -q "600 bars" "$t/csv.log" || fail "CSV: expected 600 bars: $(cat "$t/csv.log")"
jq -e '.total.trades > 0' "$t/csv/report.json" > /dev/null || fail "CSV backtest made no trade"
# a bad row is named by file and line, and the run fails
sed -i '42s/^\([0-9]*\),[0-9.]*,/\1,4x2000.00,/' "$t/BTCUSDT-1m.csv"
set +e; "$bin" backtest -c "$t/csv.toml" --out "$t/bad" --quiet > "$t/bad.log" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "bad CSV row: exit $rc, expected 1"
grep -q "BTCUSDT-1m.csv:42" "$t/bad.log" || fail "bad CSV row not named by file:line: $(cat "$t/bad.log")"
echo "backtest OK: determinism, seeds, window, CSV replay, bad row"
