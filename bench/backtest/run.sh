#!/usr/bin/env bash
# Backtest throughput: bars/s of a full backtest with a real strategy, beside
# the rate of only generating (decoding) the same bars, in the same run, for
# two sources of the same market:
#   synthetic  the seeded generator (bench.toml as is)
#   barfile    the same bars converted once into a binary bar file (.thb)
# Every repetition runs the four (decode-only and full, per source) back to
# back, pinned to CPU 0; the medians over the repetitions are printed.
# Usage: bench/backtest/run.sh [TRADEHOST_BIN] [BARS] [REPETITIONS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/bin/tradehost}
bars=${2:-10000000}
reps=${3:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pin=""
command -v taskset > /dev/null && pin="taskset -c 0"

# The bar file is made once (not timed as part of any run).
"$bin" bars convert --from-synthetic -c "$here/bench.toml" --bars "$bars" --out "$out/bench.thb"
barfile=(--set 'market.source="barfile"' --set "market.path=\"$out/bench.thb\"")

# Each prints "WALL CPU": bars per wall-clock second and bars per CPU second
# (on a shared machine the wall clock also counts time spent waiting for a core).
rates='s/.* \([0-9]*\) bars\/s.*; cpu .* \([0-9]*\) bars per cpu-second/\1 \2/p'
decode() { $pin "$bin" backtest -c "$here/bench.toml" --bars "$bars" "$@" --decode-only | sed -n "$rates"; }
full() { $pin "$bin" backtest -c "$here/bench.toml" --bars "$bars" "$@" --out "$out/report" --quiet | sed -n "/^replay:/$rates"; }
median() { printf "%s\n" "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (above ~0, other processes compete for the CPU: trust the cpu columns)"
printf "%-4s %-9s %13s %13s %7s | %13s %13s %7s\n" rep source decode/s backtest/s ratio decode/cpu-s backtest/cpu-s ratio
declare -A all
for r in $(seq "$reps"); do
	for src in synthetic barfile; do
		args=()
		if [ "$src" = barfile ]; then args=("${barfile[@]}"); fi
		read -r dw dc < <(decode "${args[@]}")
		read -r fw fc < <(full "${args[@]}")
		rw=$(div "$fw" "$dw") rc=$(div "$fc" "$dc")
		for k in dw dc fw fc rw rc; do all[$src.$k]+="${!k} "; done
		printf "%-4s %-9s %13s %13s %7s | %13s %13s %7s\n" "$r" "$src" "$dw" "$fw" "$rw" "$dc" "$fc" "$rc"
	done
done
echo "bars per run: $bars; medians over $reps repetitions:"
for src in synthetic barfile; do
	# shellcheck disable=SC2086 # the list is space-separated on purpose
	m() { median ${all[$src.$1]}; }
	printf "  %-9s wall: decode-only %s bars/s, backtest %s bars/s, ratio %s | cpu: decode-only %s, backtest %s, ratio %s\n" \
		"$src" "$(m dw)" "$(m fw)" "$(m rw)" "$(m dc)" "$(m fc)" "$(m rc)"
done
echo "targets: backtest >= 5000000 bars/s and ratio >= 0.3"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
