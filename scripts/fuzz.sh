#!/usr/bin/env bash
# Build every fuzz target (tests/fuzz/<name>/, executable fuzz_<name>) with clang's libFuzzer and
# run each for a bounded time from a scratch copy of its seed corpus.
# Usage: scripts/fuzz.sh [BUILD_DIR] [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-fuzz}
seconds=${2:-20}
targets=()
for d in tests/fuzz/*/; do
	name=$(basename "$d")
	[ -f "$d/CMakeLists.txt" ] && targets+=("fuzz_$name")
done
echo "=== fuzz: build ${targets[*]} ($dir, clang) ==="
CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DTH_BUILD_BENCH=OFF > "$dir.configure.log" 2>&1 ||
	{ cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]}" 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
status=0
for t in "${targets[@]}"; do
	name=${t#fuzz_}
	exe=$(find "$dir/tests/fuzz/$name" -maxdepth 1 -type f -name "$t" | head -n 1)
	work="$dir/corpus-work/$name"
	rm -rf "$work" && mkdir -p "$work"
	cp -r "tests/fuzz/$name/corpus/." "$work/" 2>/dev/null || true
	if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$work" \
		> "$dir/$t.log" 2>&1; then
		echo "fuzz $name: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$dir/$t.log" | grep -o '[0-9]*$') runs in ${seconds}s)"
	else
		echo "fuzz $name: FAILED (crash input and log: $dir/$t.log)"
		tail -n 40 "$dir/$t.log"
		status=1
	fi
done
exit "$status"
