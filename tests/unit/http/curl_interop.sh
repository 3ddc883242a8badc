#!/usr/bin/env bash
# curl against th_http (http_serve): keep-alive reuse, HEAD, chunked and 100-continue
# uploads, 413, HTTP/1.0, an SSE stream, a late answer, and TLS with a throwaway
# certificate from the openssl CLI. Exit 77 (skipped) when curl or openssl is missing.
set -euo pipefail
serve=$1
command -v curl > /dev/null || { echo "curl not installed: skipped"; exit 77; }
command -v openssl > /dev/null || { echo "openssl not installed: skipped"; exit 77; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

start() { # start NAME ARGS... -> sets port_NAME
	local name=$1
	shift
	"$serve" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err" &
	pids+=($!)
	for _ in $(seq 100); do
		grep -q '^port ' "$tmp/$name.out" 2> /dev/null && break
		sleep 0.05
	done
	local p
	p=$(awk '/^port /{print $2}' "$tmp/$name.out")
	[ -n "$p" ] || fail "$name did not start: $(cat "$tmp/$name.err")"
	printf -v "port_$name" '%s' "$p"
}

start plain 65536
base="http://127.0.0.1:$port_plain"

[ "$(curl -sS "$base/hello")" = hello ] || fail "GET /hello"

curl -sS -v "$base/hello" "$base/hello" > /dev/null 2> "$tmp/ka.log"
grep -qi "re-using existing connection" "$tmp/ka.log" || fail "keep-alive: curl opened a new connection"

curl -sS -I "$base/hello" > "$tmp/head"
grep -q "^HTTP/1.1 200" "$tmp/head" || fail "HEAD status"
grep -qi "^content-length: 6" "$tmp/head" || fail "HEAD Content-Length"
grep -qi "^server: tradehost" "$tmp/head" || fail "Server header"

head -c 30000 /dev/urandom > "$tmp/body"
curl -sS -H "Transfer-Encoding: chunked" --data-binary @"$tmp/body" "$base/echo" > "$tmp/echoed"
cmp -s "$tmp/body" "$tmp/echoed" || fail "chunked upload echo differs"

curl -sS -v -H "Expect: 100-continue" --data-binary @"$tmp/body" "$base/echo" > "$tmp/echoed" 2> "$tmp/expect.log"
grep -q "HTTP/1.1 100 Continue" "$tmp/expect.log" || fail "no 100 Continue"
cmp -s "$tmp/body" "$tmp/echoed" || fail "100-continue upload echo differs"

head -c 100000 /dev/urandom > "$tmp/big"
code=$(curl -sS -o "$tmp/413" -w '%{http_code}' --data-binary @"$tmp/big" "$base/echo" || true)
[ "$code" = 413 ] || fail "oversized body gave $code, want 413"
grep -q payload_too_large "$tmp/413" || fail "413 body"

curl -sS -v --http1.0 "$base/hello" > /dev/null 2> "$tmp/10.log"
grep -qi "< connection: close" "$tmp/10.log" || fail "HTTP/1.0 without keep-alive must close"

curl -sS -N "$base/stream" > "$tmp/stream"
[ "$(grep -c '^data: event' "$tmp/stream")" = 3 ] || fail "stream: $(cat "$tmp/stream")"

[ "$(curl -sS "$base/slow")" = slow ] || fail "late answer"

code=$(curl -sS -o /dev/null -w '%{http_code}' "$base/nope")
[ "$code" = 404 ] || fail "unknown path gave $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$base/hello")
[ "$code" = 405 ] || fail "DELETE /hello gave $code"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2> /dev/null
start tls 65536 "$tmp/cert.pem" "$tmp/key.pem"
[ "$(curl -sS --cacert "$tmp/cert.pem" "https://127.0.0.1:$port_tls/hello")" = hello ] || fail "GET over TLS"
curl -sS --cacert "$tmp/cert.pem" --data-binary @"$tmp/body" "https://127.0.0.1:$port_tls/echo" > "$tmp/echoed"
cmp -s "$tmp/body" "$tmp/echoed" || fail "TLS upload echo differs"
# stop the servers cleanly; under ASan/UBSan their reports land in the .err files
for p in "${pids[@]}"; do kill -TERM "$p"; wait "$p" || fail "server $p exited with status $?"; done
pids=()
if grep -l "Sanitizer" "$tmp"/*.err > /dev/null 2>&1; then
	cat "$tmp"/*.err
	fail "sanitizer report from the server"
fi
echo "curl interop: all checks passed"
