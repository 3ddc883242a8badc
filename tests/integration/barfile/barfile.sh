#!/usr/bin/env bash
# Binary bar files end to end: `tradehost bars convert` from the synthetic
# market and from CSV, `bars info`, and backtests over the file that give the
# same report as the source they were converted from (byte for byte, but for
# the config path in the report's meta; also with a mirror venue fed from the
# file), determinism, a window, and the
# errors: a corrupt block (named by file and byte range, exit 1), a truncated
# file (a configuration error naming the file, exit 2), bad usage (exit 2).
# Usage: barfile.sh TRADEHOST_BIN PLUGIN_DIR
set -euo pipefail
bin=$1 plugins=$2
t=$(mktemp -d /tmp/th-barfile.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
same_report() { # same report but for meta.config (the configuration file's path)
	cmp -s <(jq -S 'del(.meta.config)' "$1/report.json") <(jq -S 'del(.meta.config)' "$2/report.json")
}

# two symbols, bars only (a bar file holds bars), two agents
market='symbols = ["BTC-USDT", "ETH-USDT"]
start_prices = ["65000", "3500"]
bar_seconds = 60
seed = 7
intrabar = false'
rest="[capital]
deposit = \"50000\"
[capital.farms.trend]
[instances.sim]
plugin = \"sim\"
config = { symbols = [\"BTC-USDT\", \"ETH-USDT\"], qty_scale = 4, lot = \"0.0001\", taker_fee_bps = \"5\" }
[instances.fast]
plugin = \"ma_cross\"
farm = \"trend\"
config = { symbol = \"BTC-USDT\", fast = 3, slow = 8, qty = \"0.05\" }
[instances.slow]
plugin = \"ma_cross\"
farm = \"trend\"
config = { symbol = \"ETH-USDT\", fast = 5, slow = 15, qty = \"1\" }"
printf '[host]\nplugin_dirs = ["%s"]\n[market]\n%s\nbars = 3000\n%s\n' "$plugins" "$market" "$rest" > "$t/synth.toml"
printf '[host]\nplugin_dirs = ["%s"]\n[market]\nsource = "barfile"\npath = "bars.thb"\n%s\n%s\n' "$plugins" "$market" "$rest" \
	> "$t/file.toml"

"$bin" bars convert --from-synthetic -c "$t/synth.toml" --out "$t/bars.thb" > "$t/conv.log" 2>&1 \
	|| fail "convert failed: $(cat "$t/conv.log")"
grep -q "6000 bars of 2 symbol(s)" "$t/conv.log" || fail "convert: $(cat "$t/conv.log")"
[ ! -e "$t/bars.thb.tmp" ] || fail "the temporary file was left behind"
"$bin" bars info "$t/bars.thb" > "$t/info.log" 2>&1 || fail "info failed: $(cat "$t/info.log")"
grep -q "^bars: 6000$" "$t/info.log" && grep -q "ETH-USDT .* 3000 bars" "$t/info.log" \
	&& grep -q "^check: every block CRC and record is valid" "$t/info.log" || fail "info: $(cat "$t/info.log")"
# --bars overrides market.bars
"$bin" bars convert --from-synthetic -c "$t/synth.toml" --bars 10 --out "$t/ten.thb" | grep -q "20 bars" \
	|| fail "--bars 10 did not give 20 bars"

# the same market from the generator and from the file: the same report
"$bin" backtest -c "$t/synth.toml" --out "$t/s" --quiet > "$t/s.log" 2>&1 || fail "synthetic backtest: $(cat "$t/s.log")"
"$bin" backtest -c "$t/file.toml" --out "$t/f" --quiet > "$t/f.log" 2>&1 || fail "bar file backtest: $(cat "$t/f.log")"
grep -q "6000 bars" "$t/f.log" || fail "bar file backtest: expected 6000 bars: $(cat "$t/f.log")"
jq -e '.total.trades > 0' "$t/f/report.json" > /dev/null || fail "the bar file backtest made no trade"
same_report "$t/s" "$t/f" || fail "bar file and synthetic reports differ: $(diff <(jq -S . "$t/s/report.json") <(jq -S . "$t/f/report.json") | head)"
"$bin" backtest -c "$t/file.toml" --out "$t/f2" --quiet > /dev/null 2>&1 || fail "second bar file backtest failed"
cmp -s "$t/f/report.json" "$t/f2/report.json" || fail "two bar file runs differ"
"$bin" backtest -c "$t/file.toml" --decode-only | grep -q "decode-only: 6000 bars" || fail "decode-only over the bar file"
# a mirror venue fed from the file: the same report as from the generator
for f in synth file; do
	sed -e 's/^intrabar = false$/intrabar = false\nmirror_venues = ["sim_b"]/' "$t/$f.toml" > "$t/$f-mirror.toml"
	printf '[instances.sim_b]\nplugin = "sim"\nconfig = { symbols = ["BTC-USDT", "ETH-USDT"], qty_scale = 4, lot = "0.0001" }\n' \
		>> "$t/$f-mirror.toml"
	printf '[instances.far]\nplugin = "ma_cross"\nfarm = "trend"\nconfig = { venue = "sim_b", symbol = "BTC-USDT", fast = 4, slow = 9, qty = "0.05" }\n' \
		>> "$t/$f-mirror.toml"
	"$bin" backtest -c "$t/$f-mirror.toml" --out "$t/m-$f" --quiet > "$t/m-$f.log" 2>&1 || fail "mirror backtest ($f): $(cat "$t/m-$f.log")"
done
grep -q "12000 bars" "$t/m-file.log" || fail "mirror: expected 12000 bars (6000 + the mirror's): $(cat "$t/m-file.log")"
jq -e '.agents[] | select(.name == "far") | .trades > 0' "$t/m-file/report.json" > /dev/null || fail "the mirror venue's agent made no trade"
same_report "$t/m-synth" "$t/m-file" || fail "mirror: bar file and synthetic reports differ"
# a window
"$bin" backtest -c "$t/file.toml" --out "$t/w" --from 2026-01-01T10:00:00Z --to 2026-01-01T12:00:00Z --quiet \
	> "$t/w.log" 2>&1 || fail "windowed backtest failed: $(cat "$t/w.log")"
grep -q " 240 bars" "$t/w.log" || fail "2 h x 2 symbols should be 240 bars: $(cat "$t/w.log")"

# CSV (Binance klines) -> bar file: the same report as the CSV replay
awk 'BEGIN { t = 1704067200000; p = 42000; for (i = 0; i < 600; i++) {
	o = p; p = 42000 + 900 * sin(i / 25.0) + 150 * sin(i / 3.0); h = (o > p ? o : p) + 5; l = (o < p ? o : p) - 5;
	printf "%.0f,%.2f,%.2f,%.2f,%.2f,%.5f,%.0f,1000.0,10,1.0,1000.0,0\n", t, o, h, l, p, 3.5, t + 59999; t += 60000 } }' \
	> "$t/BTCUSDT-1m.csv"
csvrest='[capital]
deposit = "10000"
[capital.farms.f]
[instances.sim]
plugin = "sim"
config = { symbols = ["BTC-USDT"], qty_scale = 5, lot = "0.00001" }
[instances.wave]
plugin = "ma_cross"
farm = "f"
config = { symbol = "BTC-USDT", fast = 5, slow = 20, qty = "0.01" }'
printf '[host]\nplugin_dirs = ["%s"]\n[market]\nsource = "csv"\nsymbols = ["BTC-USDT"]\ncsv_files = ["BTC-USDT=BTCUSDT-1m.csv"]\nqty_scale = 5\nlot = "0.00001"\n%s\n' \
	"$plugins" "$csvrest" > "$t/csv.toml"
printf '[host]\nplugin_dirs = ["%s"]\n[market]\nsource = "barfile"\npath = "csv.thb"\nlot = "0.00001"\n%s\n' \
	"$plugins" "$csvrest" > "$t/csvfile.toml"
"$bin" bars convert --from-csv BTC-USDT="$t/BTCUSDT-1m.csv" --qty-scale 5 --out "$t/csv.thb" > "$t/cc.log" 2>&1 \
	|| fail "CSV convert failed: $(cat "$t/cc.log")"
grep -q "600 bars of 1 symbol" "$t/cc.log" || fail "CSV convert: $(cat "$t/cc.log")"
"$bin" backtest -c "$t/csv.toml" --out "$t/c1" --quiet > "$t/c1.log" 2>&1 || fail "CSV backtest: $(cat "$t/c1.log")"
"$bin" backtest -c "$t/csvfile.toml" --out "$t/c2" --quiet > "$t/c2.log" 2>&1 || fail "CSV bar file backtest: $(cat "$t/c2.log")"
jq -e '.total.trades > 0' "$t/c2/report.json" > /dev/null || fail "the CSV bar file backtest made no trade"
same_report "$t/c1" "$t/c2" || fail "CSV and its bar file give different reports"

# two symbols whose bars never share a time (ETH starts where BTC ends): every bar time is an equity
# point, twice as many as bars per symbol, and the curve must keep them all, as the CSV replay does
awk 'BEGIN { t = 1704067200000 + 600 * 60000; for (i = 0; i < 600; i++) {
	o = 2200 + 40 * sin(i / 9.0); p = 2200 + 40 * sin((i + 1) / 9.0); h = (o > p ? o : p) + 1; l = (o < p ? o : p) - 1;
	printf "%.0f,%.2f,%.2f,%.2f,%.2f,%.5f,%.0f,1000.0,10,1.0,1000.0,0\n", t, o, h, l, p, 3.5, t + 59999; t += 60000 } }' \
	> "$t/ETHUSDT-1m.csv"
sed -e 's/^symbols = .*/symbols = ["BTC-USDT", "ETH-USDT"]/' \
	-e 's/^csv_files = .*/csv_files = ["BTC-USDT=BTCUSDT-1m.csv", "ETH-USDT=ETHUSDT-1m.csv"]/' \
	-e 's/symbols = \["BTC-USDT"\], qty_scale/symbols = ["BTC-USDT", "ETH-USDT"], qty_scale/' "$t/csv.toml" > "$t/csv2.toml"
sed -e 's/path = "csv.thb"/path = "csv2.thb"/' \
	-e 's/symbols = \["BTC-USDT"\], qty_scale/symbols = ["BTC-USDT", "ETH-USDT"], qty_scale/' "$t/csvfile.toml" > "$t/csv2file.toml"
printf '[instances.eth]\nplugin = "ma_cross"\nfarm = "f"\nconfig = { symbol = "ETH-USDT", fast = 5, slow = 20, qty = "0.1" }\n' \
	| tee -a "$t/csv2.toml" >> "$t/csv2file.toml"
"$bin" bars convert --from-csv BTC-USDT="$t/BTCUSDT-1m.csv" --from-csv ETH-USDT="$t/ETHUSDT-1m.csv" --qty-scale 5 \
	--out "$t/csv2.thb" > /dev/null 2>&1 || fail "two-CSV convert failed"
"$bin" backtest -c "$t/csv2.toml" --out "$t/d1" --quiet > "$t/d1.log" 2>&1 || fail "two-CSV backtest: $(cat "$t/d1.log")"
"$bin" backtest -c "$t/csv2file.toml" --out "$t/d2" --quiet > "$t/d2.log" 2>&1 || fail "two-CSV bar file backtest: $(cat "$t/d2.log")"
jq -e '.meta.from == "2024-01-01T00:01:00Z" and .meta.to == "2024-01-01T20:00:00Z"' "$t/d2/report.json" > /dev/null \
	|| fail "the equity curve lost points: $(jq -c .meta "$t/d2/report.json")"
same_report "$t/d1" "$t/d2" || fail "two CSVs and their bar file give different reports"

# a flipped byte inside the records: the run fails naming the file and the block's bytes
cp "$t/bars.thb" "$t/bad.thb"
printf '\xff' | dd of="$t/bad.thb" bs=1 seek=1000 conv=notrunc status=none
sed 's/path = "bars.thb"/path = "bad.thb"/' "$t/file.toml" > "$t/bad.toml"
set +e; "$bin" backtest -c "$t/bad.toml" --out "$t/b" --quiet > "$t/bad.log" 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "corrupt block: exit $rc, expected 1: $(cat "$t/bad.log")"
grep -q "bad.thb: block 0 CRC mismatch .* records 0\.\.4095, bytes 192\.\." "$t/bad.log" \
	|| fail "corrupt block not named: $(cat "$t/bad.log")"
set +e; "$bin" bars info "$t/bad.thb" > /dev/null 2>&1; rc=$?; set -e
[ "$rc" = 1 ] || fail "bars info on a corrupt file: exit $rc, expected 1"
# truncated: refused when the configuration is read
head -c 5000 "$t/bars.thb" > "$t/bad.thb"
set +e; "$bin" backtest -c "$t/bad.toml" --out "$t/b" --quiet > "$t/trunc.log" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q "market.path: .*bad.thb: truncated: the header promises 6000 bars" "$t/trunc.log" \
	|| fail "truncated file: exit $rc: $(cat "$t/trunc.log")"
# a missing path, a missing file
sed '/^path = /d' "$t/file.toml" > "$t/nopath.toml"
set +e; "$bin" backtest -c "$t/nopath.toml" --quiet > "$t/np.log" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'market.path: source = "barfile" needs' "$t/np.log" || fail "no path: exit $rc: $(cat "$t/np.log")"
sed 's/path = "bars.thb"/path = "nope.thb"/' "$t/file.toml" > "$t/nofile.toml"
set +e; "$bin" backtest -c "$t/nofile.toml" --quiet > "$t/nf.log" 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && grep -q 'nope.thb: cannot open' "$t/nf.log" || fail "missing file: exit $rc: $(cat "$t/nf.log")"

# bad usage
for args in "convert" "convert --out $t/x.thb" "convert --from-synthetic --out $t/x.thb" \
	"convert --from-csv nonsense --out $t/x.thb" "convert --from-synthetic -c $t/synth.toml --from-csv A=b --out $t/x.thb" \
	"frobnicate" "info"; do
	set +e; "$bin" bars $args > /dev/null 2>&1; rc=$?; set -e
	[ "$rc" = 2 ] || fail "bars $args: exit $rc, expected 2"
done
"$bin" bars --help | grep -q "tradehost bars convert --from-synthetic" || fail "bars --help"
echo "barfile OK: convert (synthetic, CSV), info, same reports as the sources, determinism, window, errors"
