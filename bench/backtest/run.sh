#!/usr/bin/env bash
# Backtest throughput: bars/s of a full backtest with a real strategy, beside
# the rate of only generating (decoding) the same bars, in the same run.
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
printf "%-4s %14s %14s %8s\n" rep decode_bars/s backtest_bars/s ratio
ratios=()
for r in $(seq "$reps"); do
	d=$($pin "$bin" backtest -c "$here/bench.toml" --bars "$bars" --decode-only | sed -n 's/.* \([0-9]*\) bars\/s/\1/p')
	f=$($pin "$bin" backtest -c "$here/bench.toml" --bars "$bars" --out "$out" --quiet | sed -n 's/^replay: .* \([0-9]*\) bars\/s.*/\1/p')
	ratio=$(awk -v a="$f" -v b="$d" 'BEGIN { printf "%.3f", a / b }')
	ratios+=("$ratio")
	printf "%-4s %14s %14s %8s\n" "$r" "$d" "$f" "$ratio"
done
median=$(printf "%s\n" "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "bars per run: $bars; median ratio backtest/decode-only: $median (target >= 0.3; absolute target >= 5000000 bars/s)"
