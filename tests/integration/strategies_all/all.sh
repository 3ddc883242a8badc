#!/usr/bin/env bash
# The shipped configurations: config/all-strategies.toml backtests with every
# strategy plugin trading, and the default config/tradehost.toml (momentum,
# mean-reversion and arbitrage farms behind all three risk models) passes
# `check` and trades with every agent in a short backtest.
# Usage: all.sh TRADEHOST_BIN SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
t=$(mktemp -d /tmp/th-all.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" backtest -c "$src/config/all-strategies.toml" --out "$t/all" --quiet > "$t/all.log" 2>&1 \
	|| fail "all-strategies backtest: $(cat "$t/all.log")"
for p in ma_cross momentum darvas alligator elliott mean_reversion pairs grid market_maker arbitrage; do
	agents=$(awk -v p="\"$p\"" '/^\[instances\./ { name = $1; gsub(/[\[\]]|instances\./, "", name) } $1 == "plugin" && $3 == p { print name }' \
		"$src/config/all-strategies.toml")
	[ -n "$agents" ] || fail "config/all-strategies.toml has no $p agent"
	for a in $agents; do
		n=$(jq -r --arg a "$a" '.agents[] | select(.name == $a) | .trades' "$t/all/report.json")
		[ "${n:-0}" -gt 0 ] || fail "strategy $p (agent $a) did not trade"
	done
done

"$bin" check -c "$src/config/tradehost.toml" > /dev/null || fail "the default configuration does not pass check"
"$bin" backtest -c "$src/config/tradehost.toml" --bars 3000 --out "$t/def" --quiet > "$t/def.log" 2>&1 \
	|| fail "default-config backtest: $(cat "$t/def.log")"
for farm in momentum reversion arbitrage; do
	jq -e --arg f "$farm" '[.agents[] | select(.farm == $f)] | length > 0 and all(.trades > 0)' "$t/def/report.json" > /dev/null \
		|| fail "farm $farm of the default configuration: $(jq -c --arg f "$farm" '[.agents[] | select(.farm == $f) | {name, trades}]' "$t/def/report.json")"
done
echo "strategies OK: every strategy traded; the default farms trade behind limits, var and drawdown"
