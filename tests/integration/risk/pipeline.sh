#!/usr/bin/env bash
# The risk pipeline cannot be bypassed and fails closed:
#  - a strategy cannot forge venue order/fill events, risk approvals or market
#    data, and cannot speak for another agent (its intent is stamped with its
#    own name);
#  - a risk plugin whose check fails, or is slower than [risk] timeout_us,
#    denies the intent and raises an alert; nothing reaches the OMS.
# Usage: pipeline.sh TRADEHOST_BIN PLUGIN_DIR ROGUE_DIR
set -euo pipefail
bin=$1 plugdir=$2 roguedir=$3
t=$(mktemp -d /tmp/th-pipe.XXXXXX)
chmod 755 "$t"
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; tail -n 20 "$t/host.log" >&2 2>/dev/null || true; exit 1; }
mkdir -m 755 "$t/plugins"
install -m 644 "$plugdir/sim.so" "$plugdir/ma_cross.so" "$roguedir/rogue.so" "$roguedir/failrisk.so" "$t/plugins/"

config() { # config RISK_TABLE
	cat > "$t/p.toml" <<TOML
[host]
plugin_dirs = ["plugins"]
state_dir = "var"
[market]
symbols = ["BTC-USDT"]
start_prices = ["65000"]
bar_ms = 50
trades_per_bar = 2
[capital]
deposit = "100000"
[capital.farms.f]
[risk]
timeout_us = 20000
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 4, lot = "0.0001" }
[instances.rogue]
plugin = "rogue"
farm = "f"
[instances.victim]
plugin = "ma_cross"
farm = "f"
config = { symbol = "BTC-USDT", fast = 2, slow = 3, qty = "0.01" }
$1
TOML
}
run_for() { "$bin" run -c "$t/p.toml" > "$t/host.log" 2>&1 & pid=$!; sleep "$1"; kill -TERM "$pid"; wait "$pid" || fail "host exited $?"; pid=; }

# 1. no bypass
config ""
run_for 2
res=$(cat "$t/var/rogue/results" 2>/dev/null) || fail "the rogue plugin recorded nothing"
for k in fill order risk bar; do
	echo "$res" | grep -q "$k=-7" || fail "publishing a forged $k was not refused (TH_ERR_STATE = -7): $res"
done
echo "$res" | grep -q "intent=0" || fail "the rogue intent itself should be accepted for the pipeline: $res"
"$bin" journal -c "$t/p.toml" > "$t/j"
jq -e -s '[.[] | select(.type=="fill" and .venue_trade_id=="FORGED-1")] | length == 0' "$t/j" > /dev/null || fail "a forged fill was booked"
jq -e -s '[.[] | select(.type=="order_new" and .agent=="rogue")] | length >= 1' "$t/j" > /dev/null \
	|| fail "the rogue intent was not attributed to the rogue agent"
victim_orders=$(jq -s '[.[] | select(.type=="order_new" and .agent=="victim" and .qty=="0.0001")] | length' "$t/j")
[ "$victim_orders" = 0 ] || fail "an intent forged in victim's name was ordered for victim"

# 2. failing and slow risk plugins deny and alert
for mode in 1 2; do
	rm -rf "$t/var"
	config "[instances.gate]
plugin = \"failrisk\"
config = { mode = $mode }"
	run_for 2
	"$bin" journal -c "$t/p.toml" > "$t/j$mode"
	n=$(jq -s '[.[] | select(.type=="order_new")] | length' "$t/j$mode")
	[ "$n" = 0 ] || fail "mode $mode: $n order(s) passed a failing risk plugin"
	d=$(jq -s '[.[] | select(.type=="risk_decision" and .approved==false and .reason_code==16)] | length' "$t/j$mode")
	[ "$d" -ge 1 ] || fail "mode $mode: no fail-closed denial journaled"
	code=$([ $mode = 1 ] && echo failed || echo took)
	grep -q "risk instance gate $code" "$t/host.log" || fail "mode $mode: no alert logged"
done
echo "pipeline OK: forged venue/risk/market events refused, identity stamped, failing and slow risk plugins fail closed"
