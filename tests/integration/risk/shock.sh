#!/usr/bin/env bash
# A price shock replayed through a backtest trips the drawdown breaker: the
# agent is long into a 40 % crash, the breaker de-leverages/flattens it, and
# no new exposure is opened afterwards even though the market recovers and
# the agent keeps signalling buys. Without the breaker the same agent does
# open new positions after the crash (the test can fail).
# Usage: shock.sh TRADEHOST_BIN
set -euo pipefail
bin=$1
t=$(mktemp -d /tmp/th-shock.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1-minute bars (Binance kline format): a wave, a one-bar 40 % crash at bar 300, then waves again
awk 'BEGIN { t = 1704067200000; for (i = 0; i < 600; i++) {
	base = (i < 300 ? 40000 : 24000); p = base + 600 * sin(i / 12.0);
	o = (i == 300 ? 40000 + 600 * sin(299 / 12.0) : prev); if (i == 0) o = p; h = (o > p ? o : p) + 5; l = (o < p ? o : p) - 5;
	printf "%.0f,%.2f,%.2f,%.2f,%.2f,5.0,%.0f,1,10,1,1,0\n", t, o, h, l, p, t + 59999; t += 60000; prev = p } }' > "$t/BTC.csv"
shock_ns=$(( (1704067200000 + 300 * 60000) * 1000000 ))

write_config() { # write_config WITH_BREAKER
	cat > "$t/s.toml" <<TOML
[market]
source = "csv"
symbols = ["BTC-USDT"]
csv_files = ["BTC-USDT=BTC.csv"]
qty_scale = 4
lot = "0.0001"
[capital]
deposit = "100000"
[capital.farms.f]
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 4, lot = "0.0001" }
[instances.bull]
plugin = "ma_cross"
farm = "f"
config = { symbol = "BTC-USDT", fast = 2, slow = 6, qty = "2" }
TOML
	[ "$1" = 1 ] && cat >> "$t/s.toml" <<TOML
[instances.breaker]
plugin = "drawdown"
config = { agent_soft_pct = "10", agent_hard_pct = "20", agent_kill_pct = "30", farm_soft_pct = "0", farm_hard_pct = "0", farm_kill_pct = "0", host_soft_pct = "0", host_hard_pct = "0", host_kill_pct = "0", step_seconds = 60, watch_agents = ["bull"] }
TOML
	true
}

entries_after_shock() {
	jq --argjson s "$shock_ns" '[.trades[] | select(.entry_ns > $s)] | length' "$1/report.json"
}

write_config 0
"$bin" backtest -c "$t/s.toml" --out "$t/free" --quiet > "$t/free.log" 2>&1 || fail "backtest without breaker: $(cat "$t/free.log")"
free=$(entries_after_shock "$t/free")
[ "$free" -gt 0 ] || fail "without a breaker the agent should trade after the crash (got $free): the scenario is wrong"

write_config 1
"$bin" backtest -c "$t/s.toml" --out "$t/dd" --quiet > "$t/dd.log" 2>&1 || fail "backtest with breaker: $(cat "$t/dd.log")"
guarded=$(entries_after_shock "$t/dd")
[ "$guarded" = 0 ] || fail "the breaker let the agent open $guarded new position(s) after the crash"
grep -q "drawdown" "$t/dd.log" || fail "no drawdown denial reported: $(cat "$t/dd.log")"
# the agent ends flat: the kill level flattened it
jq -e '.agents[] | select(.name == "bull") | .exposure < 1' "$t/dd/report.json" > /dev/null || fail "bull was never flat"
echo "shock OK: $free entries after the crash without the breaker, 0 with it"
