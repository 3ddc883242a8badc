#!/bin/sh
# CLI test for `tradehost indicator`: golden output for sma:3 on a fixture, multi-column
# output, --help content, and exit code 2 with a message naming the problem for bad
# indicators, parameters and CSV rows.
#
# Usage: cli_indicator_test.sh BINARY DATA_DIR
# BINARY is tradehost (or the test driver); if it does not know the `indicator` command yet
# the test reports SKIP (exit 77).
set -u
BIN=$1
DATA=$2
TMP=$(mktemp -d /tmp/ta_cli.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

if [ ! -x "$BIN" ]; then
	echo "SKIP: $BIN not built" >&2
	exit 77
fi
"$BIN" indicator --help >"$TMP/help" 2>&1
if [ $? -ne 0 ] && grep -q "unknown command" "$TMP/help"; then
	echo "SKIP: $BIN has no 'indicator' command yet" >&2
	exit 77
fi

# expect_exit CODE PATTERN STDIN_FILE ARGS... : exit code and a stderr pattern
expect_exit() {
	want=$1 pattern=$2 input=$3
	shift 3
	"$BIN" indicator "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] || fail "indicator $* exited $got, expected $want ($(cat "$TMP/err"))"
	if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$TMP/err"; then
		fail "indicator $*: stderr lacks '$pattern': $(cat "$TMP/err")"
	fi
}

# 1. Golden file.
"$BIN" indicator sma:3 <"$DATA/ohlcv_small.csv" >"$TMP/sma3.csv" 2>"$TMP/err" ||
	fail "sma:3 exited $?: $(cat "$TMP/err")"
diff -u "$DATA/sma3_expected.csv" "$TMP/sma3.csv" >&2 || fail "sma:3 output differs from sma3_expected.csv"

# 2. Multi-column output; default second parameter (k = 2); CRLF input.
tr -d '\r' <"$DATA/ohlcv_small.csv" | sed 's/$/\r/' >"$TMP/crlf.csv"
"$BIN" indicator bbands:3 <"$TMP/crlf.csv" >"$TMP/bb.csv" 2>"$TMP/err" || fail "bbands:3 exited $?"
[ "$(sed -n 1p "$TMP/bb.csv")" = "timestamp,upper,middle,lower" ] || fail "bbands header: $(sed -n 1p "$TMP/bb.csv")"
[ "$(sed -n 2p "$TMP/bb.csv")" = "2024-01-01T00:00:00Z,,," ] || fail "bbands warm-up row: $(sed -n 2p "$TMP/bb.csv")"
# 11 +- 2*sqrt(2/3) at the third bar
[ "$(sed -n 4p "$TMP/bb.csv")" = "2024-01-01T02:00:00Z,12.63299316,11,9.367006838" ] ||
	fail "bbands row 3: $(sed -n 4p "$TMP/bb.csv")"
[ "$(wc -l <"$TMP/bb.csv")" -eq 9 ] || fail "bbands: expected 9 lines"

# 3. --help lists every indicator with its defaults.
"$BIN" indicator --help >"$TMP/help" 2>&1 || fail "--help exited $?"
for s in sma:20 ema:20 smma:14 wma:20 rsi:14 atr:14 bbands:20,2 macd:12,26,9 stoch:14,3,3 \
	adx:14 donchian:20 stddev:20 zscore:20 vwap:0 linreg_slope:14 zigzag:5 "%.10g"; do
	grep -q -- "$s" "$TMP/help" || fail "--help does not mention $s"
done

# 4. Bad indicator and parameters: exit 2, message names the problem.
expect_exit 2 "unknown indicator 'nosuch'" "$DATA/ohlcv_small.csv" nosuch:3
expect_exit 2 "period must be between 1" "$DATA/ohlcv_small.csv" sma:0
expect_exit 2 "whole number, got 'x'" "$DATA/ohlcv_small.csv" sma:x
expect_exit 2 "slow period (12) must be greater than fast period (26)" "$DATA/ohlcv_small.csv" macd:26,12
expect_exit 2 "takes 1 parameter" "$DATA/ohlcv_small.csv" rsi:14,3
expect_exit 2 "bbands: k" "$DATA/ohlcv_small.csv" bbands:20,-1
expect_exit 2 "one indicator at a time" "$DATA/ohlcv_small.csv" sma:3 ema:3
expect_exit 2 "which indicator" "$DATA/ohlcv_small.csv"
expect_exit 2 "unknown option '--bogus'" "$DATA/ohlcv_small.csv" --bogus sma:3

# 5. Bad CSV: exit 2 naming the line (header is line 1).
sed '4s/,12,80$/,abc,80/' "$DATA/ohlcv_small.csv" >"$TMP/bad_num.csv"
expect_exit 2 "line 4: column 'close' is not a number: 'abc'" "$TMP/bad_num.csv" sma:3
[ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "rows before the bad line should have been written"
sed '3s/,150$//' "$DATA/ohlcv_small.csv" >"$TMP/bad_fields.csv"
expect_exit 2 "line 3: expected 6 fields" "$TMP/bad_fields.csv" sma:3
sed '5s/,12.1,10.7,/,10.1,10.7,/' "$DATA/ohlcv_small.csv" >"$TMP/bad_hl.csv"
expect_exit 2 "line 5: high (10.1) is below low (10.7)" "$TMP/bad_hl.csv" sma:3
sed '2s/,100$/,-1/' "$DATA/ohlcv_small.csv" >"$TMP/bad_vol.csv"
expect_exit 2 "line 2: column 'volume' is negative" "$TMP/bad_vol.csv" vwap
sed '6s/,10,90$/,nan,90/' "$DATA/ohlcv_small.csv" >"$TMP/bad_nan.csv"
expect_exit 2 "line 6: column 'close' is not a finite number: 'nan'" "$TMP/bad_nan.csv" sma:3
sed '6s/,10,90$/,1e60,90/' "$DATA/ohlcv_small.csv" >"$TMP/bad_big.csv"
expect_exit 2 "line 6: column 'close' is out of range" "$TMP/bad_big.csv" sma:3
sed '1s/.*/time,o,h,l,c,v/' "$DATA/ohlcv_small.csv" >"$TMP/bad_header.csv"
expect_exit 2 "line 1: expected the header" "$TMP/bad_header.csv" sma:3
: >"$TMP/empty.csv"
expect_exit 2 "empty input" "$TMP/empty.csv" sma:3

# 6. Names are case-insensitive, aliases work, empty parameters take the default.
"$BIN" indicator RMA:3 <"$DATA/ohlcv_small.csv" >"$TMP/rma.csv" 2>&1 || fail "RMA:3 exited $?"
"$BIN" indicator smma:3 <"$DATA/ohlcv_small.csv" >"$TMP/smma.csv" 2>&1 || fail "smma:3 exited $?"
cmp -s "$TMP/rma.csv" "$TMP/smma.csv" || fail "RMA:3 and smma:3 differ"
"$BIN" indicator macd:2,3, <"$DATA/ohlcv_small.csv" >"$TMP/m1.csv" 2>&1 || fail "macd:2,3, exited $?"
"$BIN" indicator macd:2,3,9 <"$DATA/ohlcv_small.csv" >"$TMP/m2.csv" 2>&1 || fail "macd:2,3,9 exited $?"
cmp -s "$TMP/m1.csv" "$TMP/m2.csv" || fail "an empty parameter did not take the default"

if [ "$fails" -ne 0 ]; then
	echo "$fails check(s) failed" >&2
	exit 1
fi
echo "cli indicator: all checks passed"
