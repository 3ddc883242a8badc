#!/usr/bin/env bash
# One command: install what is missing, build with warnings as errors, run the
# whole test suite, then build and run it again under ASan+UBSan.
# Set TH_TEST_SKIP_SANITIZE=1 to skip the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs=$(nproc)
status=0

# Test tools from npm (pinned by tests/node/package-lock.json): the WebSocket client, the official
# AG-UI client, the JSON-schema validator and Playwright for the dashboard.
echo "=== npm test tools ==="
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)

run_suite() { # run_suite BUILD_DIR LABEL CMAKE_ARGS...
	local dir=$1 label=$2
	shift 2
	echo "=== $label: configure and build ($dir) ==="
	cmake -S . -B "$dir" -DTH_WERROR=ON "$@" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
	cmake --build "$dir" -j"$jobs" 2>&1 | tail -n 5
	[ "${PIPESTATUS[0]}" = 0 ] || return 1
	echo "=== $label: tests ==="
	ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 600
}

mkdir -p build-test
run_suite build-test/release "release" -DCMAKE_BUILD_TYPE=RelWithDebInfo || status=1
# The optimised build scripts/run.sh makes (-O3 finds warnings -O2 does not): it must compile
# warning-free too.
echo "=== optimised host build (as scripts/run.sh builds it) ==="
cmake -S . -B build-test/optimised -DCMAKE_BUILD_TYPE=Release -DTH_WERROR=ON -DTH_BUILD_TESTS=OFF \
	-DTH_BUILD_BENCH=OFF > build-test/optimised.configure.log 2>&1 || { cat build-test/optimised.configure.log; status=1; }
cmake --build build-test/optimised -j"$jobs" 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" = 0 ] || status=1
if [ "${TH_TEST_SKIP_SANITIZE:-0}" != 1 ]; then
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	run_suite build-test/asan "asan+ubsan" -DCMAKE_BUILD_TYPE=Debug -DTH_SANITIZE=ON -DTH_BUILD_BENCH=OFF || status=1
fi
# Coverage-guided fuzzing for a bounded time: every tests/fuzz/<name>/ target built with clang's
# libFuzzer (+ASan+UBSan) runs TH_FUZZ_SECONDS (default 20) from its seed corpus.
if [ "${TH_TEST_SKIP_FUZZ:-0}" != 1 ] && command -v clang > /dev/null; then
	scripts/fuzz.sh build-test/fuzz "${TH_FUZZ_SECONDS:-20}" || status=1
fi
[ "$status" = 0 ] && echo "=== all test suites passed ===" || echo "=== TEST SUITE FAILED ==="
exit "$status"
