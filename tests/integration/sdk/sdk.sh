#!/usr/bin/env bash
# The SDK as a third party sees it: install tradehost to a prefix, build each
# example plugin out of tree with find_package(tradehost) and one with
# pkg-config only, then have the installed host list and run them.
# Usage: sdk.sh BUILD_DIR SOURCE_DIR [SANITIZE(0|1)]
set -euo pipefail
build=$1 src=$2 sanitize=${3:-0}
# In a sanitizer build the installed indicator library is instrumented, so the
# out-of-tree plugins are built with the same flags (a release install is not).
san_flags=""
[ "$sanitize" = 1 ] && san_flags="-fsanitize=address,undefined"
export CFLAGS="$san_flags" LDFLAGS="$san_flags"
t=$(mktemp -d /tmp/th-sdk.XXXXXX)
chmod 755 "$t"
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$t/prefix" > "$t/install.log" || fail "install failed: $(cat "$t/install.log")"
for f in include/tradehost/tradehost.h include/tradehost/th_plugin.h lib/cmake/tradehost/tradehostConfig.cmake \
	share/pkgconfig/tradehost.pc bin/tradehost; do
	[ -e "$t/prefix/$f" ] || fail "installed tree lacks $f"
done
# The SDK headers need nothing but the C standard library.
echo '#include <tradehost/tradehost.h>' | cc -std=c11 -Wall -Wextra -Werror -pedantic -fsyntax-only -I"$t/prefix/include" -x c - \
	|| fail "SDK headers do not compile standalone with -std=c11 -pedantic"

mkdir -m 755 "$t/plugins"
for ex in example_strategy example_exchange example_risk example_llm; do
	cmake -S "$src/plugin-api/examples/$ex" -B "$t/build-$ex" -DCMAKE_PREFIX_PATH="$t/prefix" > "$t/$ex.log" 2>&1 \
		|| fail "configure $ex: $(cat "$t/$ex.log")"
	cmake --build "$t/build-$ex" >> "$t/$ex.log" 2>&1 || fail "build $ex: $(cat "$t/$ex.log")"
	install -m 644 "$t/build-$ex/$ex.so" "$t/plugins/"
done
# the indicator library ships with the SDK: a plugin links tradehost::ta into itself
mkdir -p "$t/ta_user"
cat > "$t/ta_user/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(ta_user C)
find_package(tradehost 1.0 REQUIRED)
th_add_plugin(ta_user SOURCES ta_user.c LIBRARIES tradehost::ta)
CM
sed -e 's/"example_risk"/"ta_user"/' -e 's/static int r_start(void \*arg) { (void)arg; return TH_OK; }/static int r_start(void *arg) { th_ta_sma s; th_ta_error e; double v; (void)arg; return th_ta_sma_init(\&s, 3, \&e) == 0 \&\& th_ta_sma_update(\&s, 1.0, \&v) == 0 ? TH_OK : TH_ERR; }/' \
	"$src/plugin-api/examples/example_risk/example_risk.c" > "$t/ta_user/ta_user.c"
sed -i 's|#include <tradehost/tradehost.h>|#include <tradehost/tradehost.h>\n#include <tradehost/th_ta.h>|' "$t/ta_user/ta_user.c"
grep -q th_ta_sma_init "$t/ta_user/ta_user.c" || fail "could not prepare the indicator-using plugin"
cmake -S "$t/ta_user" -B "$t/build-ta" -DCMAKE_PREFIX_PATH="$t/prefix" > "$t/ta.log" 2>&1 && cmake --build "$t/build-ta" >> "$t/ta.log" 2>&1 \
	|| fail "a plugin using tradehost::ta does not build against the installed SDK: $(tail -20 "$t/ta.log")"
"$src/tests/unit/loader/check_exports.sh" "$t/build-ta" > /dev/null || fail "the indicator library leaks symbols out of a plugin"

# pkg-config route: a plain compiler command line.
export PKG_CONFIG_PATH="$t/prefix/share/pkgconfig"
mkdir -m 755 "$t/pc"
# shellcheck disable=SC2046
cc $san_flags -o "$t/pc/example_risk.so" "$src/plugin-api/examples/example_risk/example_risk.c" $(pkg-config --cflags --libs tradehost) \
	|| fail "pkg-config build failed"

"$t/prefix/bin/tradehost" plugins --plugin-dir "$t/plugins" > "$t/plugins.txt" || fail "plugins: $(cat "$t/plugins.txt")"
grep -q "4 plugin(s) found, 0 failed" "$t/plugins.txt" || fail "expected 4 plugins: $(cat "$t/plugins.txt")"
"$t/prefix/bin/tradehost" plugins --plugin-dir "$t/pc" | grep -q "risk      example_risk" || fail "pkg-config-built plugin not listed"
"$src/tests/unit/loader/check_exports.sh" "$t/plugins" "$t/pc"

cat > "$t/examples.toml" <<TOML
[host]
plugin_dirs = ["plugins"]
state_dir = "var"
[instances.venue]
plugin = "example_exchange"
[instances.guard]
plugin = "example_risk"
config = { max_qty = "1.5" }
[instances.oracle]
plugin = "example_llm"
[instances.crossover]
plugin = "example_strategy"
config = { symbol = "BTC-USDT", fast = 3, slow = 8 }
TOML
"$t/prefix/bin/tradehost" check -c "$t/examples.toml" || fail "check of the example configuration failed"
"$t/prefix/bin/tradehost" run -c "$t/examples.toml" > "$t/run.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "tradehost running" "$t/run.log" && break; sleep 0.1; done
kill -TERM "$pid"; wait "$pid" || fail "host exited with $?: $(cat "$t/run.log")"; pid=
[ "$(grep -c 'started instance' "$t/run.log")" = 4 ] || fail "not all 4 example instances started: $(cat "$t/run.log")"
# reverse order on stop: the strategy stops before the venue
order=$(grep -o 'stopped instance [a-z]*' "$t/run.log" | awk '{print $3}' | tr '\n' ' ')
[ "$order" = "crossover oracle guard venue " ] || fail "stop order was: $order"
echo "sdk OK: installed SDK builds 4 example plugins (CMake) + 1 (pkg-config); host loads and runs them"
