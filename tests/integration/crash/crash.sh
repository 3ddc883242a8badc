#!/usr/bin/env bash
# Crash recovery: run the paper-trading host against the persistent sim venue
# with three "churn" agents (an order every bar, resting limits and cancels in
# flight), SIGKILL it at a random moment, start it again, ROUNDS times. Then
# start it once more, let it reconcile, stop it cleanly and prove with
# crash_check that no order was lost or sent twice and the ledger matches the
# venue.
#
# The venue runs with a 20 ms latency each way, so a kill often finds orders
# durable but not yet at the venue, and fills made at the venue but not yet
# reported: the cases reconciliation exists for.
#
# After every 5th kill crash_check --interim audits the raw crash state
# before the next start touches it: unresolved orders and venue fills the host
# had not made durable yet are allowed there (the next start reconciles them),
# but everything durable must already agree (see crash_check.c).
#
# Usage: crash.sh TRADEHOST CRASH_CHECK SIM_PLUGIN_DIR CHURN_PLUGIN_DIR [ROUNDS] [SEED]
# The kill delays come from $RANDOM seeded with SEED (default: from the clock,
# or $CRASH_SEED); the seed is printed so a failure can be replayed. The market
# itself is seeded too. CRASH_KEEP=1 keeps the temporary directory.
set -euo pipefail
bin=$1 check=$2 simdir=$3 churndir=$4 rounds=${5:-30}
seed=${6:-${CRASH_SEED:-$(( $(date +%s%N) / 1000 % 32768 ))}}
min_orders=$(( rounds * 10 ))
RANDOM=$seed
echo "crash test: $rounds kills, seed $seed (replay: $0 ... $rounds $seed)"

t=$(mktemp -d /tmp/th-crash.XXXXXX)
chmod 755 "$t"
pid=
log=/dev/null
cleanup() {
	if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ "${CRASH_KEEP:-0}" = 1 ]; then echo "kept $t"; else rm -rf "$t"; fi
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	echo "seed $seed; last host log ($log):" >&2
	tail -n 30 "$log" >&2 || true
	exit 1
}

mkdir -m 755 "$t/plugins"
install -m 644 "$simdir/sim.so" "$churndir/churn.so" "$t/plugins/"
cfg=$t/crash.toml
cat > "$cfg" <<'TOML'
[host]
plugin_dirs = ["plugins"]
state_dir = "var"
log_level = "info"

[market]
source = "synthetic"
venue = "sim"
symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
start_prices = ["65000", "3500", "150"]
price_scale = 2
qty_scale = 4
tick = "0.01"
lot = "0.0001"
seed = 11
bar_ms = 100
trades_per_bar = 3

[capital]
deposit = "1000000"
quote = "USDT"

[capital.farms.fast]
weight = 0.5

[capital.farms.slow]
weight = 0.5

[oms]
journal_sync = "batch"

[instances.sim]
plugin = "sim"
[instances.sim.config]
symbols = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
price_scale = 2
qty_scale = 4
tick = "0.01"
lot = "0.0001"
maker_fee_bps = "2"
taker_fee_bps = "5"
persist = true
retain_closed = 100000
latency_ms = 20

[instances.btc]
plugin = "churn"
farm = "fast"
config = { symbol = "BTC-USDT", qty = "0.01" }

[instances.eth]
plugin = "churn"
farm = "fast"
config = { symbol = "ETH-USDT", qty = "0.2" }

[instances.sol]
plugin = "churn"
farm = "slow"
config = { symbol = "SOL-USDT", qty = "3" }
TOML

orders_of() { sed -n 's/^crash_check [a-z]*: \([0-9]*\) orders journaled.*/\1/p' <<<"$1"; }

start=$SECONDS
early=0
for i in $(seq 1 "$rounds"); do
	log=$t/run-$i.log
	"$bin" run -c "$cfg" > "$log" 2>&1 &
	pid=$!
	ms=$(( 200 + RANDOM % 1301 ))
	sleep "$(( ms / 1000 )).$(printf %03d $(( ms % 1000 )))"
	if ! kill -0 "$pid" 2>/dev/null; then
		rc=0; { wait "$pid"; } 2>/dev/null || rc=$?; pid=
		fail "round $i: the host exited by itself (status $rc) before the kill"
	fi
	kill -9 "$pid"
	rc=0; { wait "$pid"; } 2>/dev/null || rc=$?; pid=
	[ "$rc" -eq 137 ] || fail "round $i: expected the host to die of SIGKILL (137), got $rc"
	# A kill during startup (journal replay, reconciliation) is a fair crash point too; just count them.
	grep -q "tradehost running" "$log" || early=$(( early + 1 ))
	if (( i % 5 == 0 )); then
		out=$("$check" --interim -c "$cfg" "$t/var" 2>&1) || { echo "$out"; fail "round $i: interim check failed"; }
		echo "round $i (killed after ${ms} ms): $(tail -n 2 <<<"$out" | head -n 1)"
	fi
	if (( i == 5 )); then
		# An early snapshot, to prove at the end that the checker catches lost orders.
		cp -r --sparse=always "$t/var/journal" "$t/old-journal"
		cp "$t/var/sim/sim.state" "$t/old-sim.state"
	fi
done

# Final run: reconcile what the last kill left unresolved, then stop cleanly.
# The venue's latency is 0 here: with latency, requests and reports still in
# its queues at SIGTERM are lost like messages on a real network and only the
# NEXT start would reconcile them, so the final audit could not be exact.
log=$t/final.log
"$bin" run -c "$cfg" --set instances.sim.config.latency_ms=0 > "$log" 2>&1 &
pid=$!
for k in $(seq 1 100); do
	sleep 0.1
	kill -0 "$pid" 2>/dev/null || break
	grep -q "reconciliation complete" "$log" && break
	(( k >= 20 )) && grep -q "tradehost running" "$log" && ! grep -q "reconciling" "$log" && break
done
kill -0 "$pid" 2>/dev/null || { rc=0; wait "$pid" || rc=$?; pid=; fail "final run: the host exited by itself (status $rc)"; }
if grep -q "reconciling" "$log" && ! grep -q "reconciliation complete" "$log"; then
	fail "final run: reconciliation did not complete within 10 s"
fi
sleep 0.5 # trade a little after reconciliation too
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?; pid=
[ "$rc" -eq 0 ] || fail "final run: the host exited with status $rc after SIGTERM (0 expected)"

out=$("$check" -c "$cfg" "$t/var" 2>&1) || { echo "$out"; fail "final check failed"; }
echo "$out"
n=$(orders_of "$out")
[ -n "$n" ] && [ "$n" -ge "$min_orders" ] ||
	fail "only ${n:-0} orders were journaled over $rounds rounds (at least $min_orders expected): the host was not trading"
# The checker must be able to fail: pair the final state with the round-5
# snapshot of either side, and fake a duplicate submit at the venue.
expect_failure() {
	local what=$1 needle=$2 out rc=0
	out=$("$check" -c "$cfg" "$t/var" 2>&1) || rc=$?
	[ "$rc" -eq 1 ] && grep -q -- "$needle" <<<"$out" ||
		{ echo "$out"; fail "the checker did not report $what (status $rc, expected '$needle')"; }
	echo "checker self-test: $what -> $(grep -c '^FAIL' <<<"$out") problem line(s), e.g. $(grep -m1 -- "$needle" <<<"$out")"
}
if (( rounds >= 10 )); then
	mv "$t/var/journal" "$t/final-journal" && cp -r --sparse=always "$t/old-journal" "$t/var/journal"
	expect_failure "orders the venue has but the journal lost" "FAIL (a)"
	rm -rf "$t/var/journal" && mv "$t/final-journal" "$t/var/journal"
	cp "$t/var/sim/sim.state" "$t/final-sim.state" && cp "$t/old-sim.state" "$t/var/sim/sim.state"
	expect_failure "journaled orders the venue lost" "FAIL (c)"
	mv "$t/final-sim.state" "$t/var/sim/sim.state"
fi
printf 1 > "$t/var/sim/sim.duplicates"
expect_failure "a duplicate submit" "FAIL (b)"
rm "$t/var/sim/sim.duplicates"
"$check" -c "$cfg" "$t/var" > /dev/null || fail "the restored state no longer passes the check"

echo "crash test passed: $rounds SIGKILLs ($early during startup), $n orders, $(( SECONDS - start )) s, seed $seed"
