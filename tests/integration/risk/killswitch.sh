#!/usr/bin/env bash
# Trading states end to end in paper mode: the kill switch halts everything and
# cancels every open order in one loop turn; nothing new is ordered while
# HALTED; the state survives a restart; resume lets trading continue; an
# agent set REDUCING never grows or flips a position.
# Usage: killswitch.sh TRADEHOST_BIN SIM_PLUGIN_DIR CHURN_PLUGIN_DIR
set -euo pipefail
bin=$1 simdir=$2 churndir=$3
t=$(mktemp -d /tmp/th-kill.XXXXXX)
chmod 755 "$t"
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; tail -n 30 "$t/host.log" >&2 2>/dev/null || true; exit 1; }

mkdir -m 755 "$t/plugins"
install -m 644 "$simdir/sim.so" "$churndir/churn.so" "$t/plugins/"
cat > "$t/k.toml" <<TOML
[host]
plugin_dirs = ["plugins"]
state_dir = "var"
[market]
symbols = ["BTC-USDT"]
start_prices = ["65000"]
qty_scale = 4
bar_ms = 50
trades_per_bar = 2
[capital]
deposit = "100000"
[capital.farms.f]
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 4, lot = "0.0001", persist = true }
[instances.c1]
plugin = "churn"
farm = "f"
config = { symbol = "BTC-USDT", qty = "0.01", limit_every = 1 }
[instances.c2]
plugin = "churn"
farm = "f"
config = { symbol = "BTC-USDT", qty = "0.02", limit_every = 2 }
TOML
start() { "$bin" run -c "$t/k.toml" >> "$t/host.log" 2>&1 & pid=$!; for _ in $(seq 100); do [ -S "$t/var/tradehost.sock" ] && return; sleep 0.05; done; fail "host did not start"; }
stop() { kill -TERM "$pid"; wait "$pid" || fail "host exited with $?"; pid=; }
orders() { "$bin" journal -c "$t/k.toml" | jq -s '[.[] | select(.type == "order_new")] | length'; }

start
sleep 2
out=$("$bin" kill -c "$t/k.toml") || fail "kill failed: $out"
echo "$out" | grep -q "HALTED" || fail "kill reply: $out"
canceled=$(echo "$out" | sed -n 's/.*, \([0-9]*\) open order.*/\1/p')
[ "$canceled" -ge 1 ] || fail "expected resting limit orders to be canceled: $out"
sleep 1.5   # agents keep proposing; nothing may be ordered
stop
"$bin" journal -c "$t/k.toml" > "$t/j1"
kill_lsn=$(jq -s '[.[] | select(.type == "trading_state" and .value == 3)] | .[0].lsn' "$t/j1")
[ "$kill_lsn" != null ] || fail "the HALTED state was not journaled"
after=$(jq -s --argjson k "$kill_lsn" '[.[] | select(.type == "order_new" and .lsn > $k)] | length' "$t/j1")
[ "$after" = 0 ] || fail "$after order(s) were created after the kill switch"
denied=$(jq -s --argjson k "$kill_lsn" '[.[] | select(.type == "risk_decision" and .lsn > $k and .approved == false and .reason_code == 1)] | length' "$t/j1")
[ "$denied" -ge 1 ] || fail "no intent was denied by the trading state after the kill"
# every order is final: the canceled ones got their answer before the stop
open=$(jq -s '[.[] | select(.type=="order_new") | .client_order_id] - [.[] | select(.type=="order_update" and (.state==4 or .state==5 or .state==6 or .state==7)) | .client_order_id] | length' "$t/j1")
[ "$open" = 0 ] || fail "$open order(s) were left open after the kill switch"

# the state survives a restart
start
sleep 0.5
"$bin" state -c "$t/k.toml" | grep -q "host -=HALTED" || fail "HALTED did not survive the restart: $("$bin" state -c "$t/k.toml")"
stop
n1=$(orders)
start
"$bin" resume -c "$t/k.toml" | grep -q ACTIVE || fail "resume failed"
sleep 1.5
stop
n2=$(orders)
[ "$n2" -gt "$n1" ] || fail "no trading after resume ($n1 -> $n2 orders)"

# REDUCING: the agent may only shrink its position
start
"$bin" state -c "$t/k.toml" agent c1 reducing | grep -q REDUCING || fail "cannot set c1 REDUCING"
sleep 1.5
stop
"$bin" journal -c "$t/k.toml" > "$t/j2"
red_lsn=$(jq -s '[.[] | select(.type == "trading_state" and .name == "3:c1" and .value == 2)] | .[-1].lsn' "$t/j2")
# c1's net position after each of its fills, from the REDUCING point on, never grows in size or flips sign
jq -s --argjson k "$red_lsn" -r '
  [.[] | select(.type=="order_new" and .agent=="c1") | {key: .client_order_id, value: true}] | from_entries as $mine |
  [.[] | select(.type=="fill" and $mine[.client_order_id])] |
  reduce .[] as $f ({pos: 0, before: null, bad: 0, lsnpos: []};
    .pos += (if $f.side=="buy" then ($f.qty|tonumber) else -($f.qty|tonumber) end) |
    if $f.lsn > $k then (if .before == null then .before = (.pos - (if $f.side=="buy" then ($f.qty|tonumber) else -($f.qty|tonumber) end)) else . end) |
      (if (.pos|fabs) > (.before|fabs) + 1e-12 or (.pos * .before) < 0 then .bad += 1 else . end) |
      .before = .pos else . end) | .bad' "$t/j2" > "$t/bad"
[ "$(cat "$t/bad")" = 0 ] || fail "REDUCING let agent c1 grow or flip its position $(cat "$t/bad") time(s)"
echo "killswitch OK: $canceled order(s) canceled at once, nothing ordered while HALTED, state persisted, resume works, REDUCING holds"
