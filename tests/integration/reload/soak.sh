#!/usr/bin/env bash
# Reload soak: a counting plugin receives a continuous event stream while it is
# hot-swapped SWAPS times (alternating two builds with different bytes). Every
# event must be delivered exactly once across generations, a failing swap must
# leave the old generation live, and file descriptors and mappings must not grow.
# Usage: soak.sh TRADEHOST_BIN PLUGIN_DIRS_ROOT [SWAPS]
set -euo pipefail
bin=$1 root=$2 swaps=${3:-100}
t=$(mktemp -d /tmp/th-soak.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$t"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- host log ---" >&2; tail -n 40 "$t/host.log" >&2 || true; exit 1; }

mkdir -m 755 "$t/plugins"
chmod 755 "$t"
install -m 644 "$root/soak/soak_producer.so" "$t/plugins/"
install -m 644 "$root/soak-a/soak_counter.so" "$t/plugins/"
write_config() {
	cat > "$t/soak.toml" <<TOML
[host]
plugin_dirs = ["plugins"]
state_dir = "var"
[instances.producer]
plugin = "soak_producer"
config = { burst = 20, interval_us = 500 }
[instances.counter]
plugin = "soak_counter"
$1
TOML
}
write_config ""

"$bin" run -c "$t/soak.toml" > "$t/host.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S "$t/var/tradehost.sock" ] && break; sleep 0.1; done
[ -S "$t/var/tradehost.sock" ] || fail "host did not open its control socket"

count_fds() { ls "/proc/$pid/fd" | wc -l; }
count_maps() { grep -c 'memfd:' "/proc/$pid/maps" || true; }
sleep 0.3
fds_before=$(count_fds); maps_before=$(count_maps)

swap_to() { install -m 644 "$root/soak-$1/soak_counter.so" "$t/plugins/.next.so"; mv -f "$t/plugins/.next.so" "$t/plugins/soak_counter.so"; }

for i in $(seq 1 "$swaps"); do
	if (( i % 2 )); then swap_to b; else swap_to a; fi
	if (( i == 1 )); then
		# the first swap goes through SIGHUP instead of the control socket
		kill -HUP "$pid"
		for _ in $(seq 100); do grep -q "swapped to generation 2" "$t/host.log" && break; sleep 0.05; done
		grep -q "swapped to generation 2" "$t/host.log" || fail "SIGHUP did not reload"
		continue
	fi
	out=$("$bin" reload -c "$t/soak.toml" 2>&1) || fail "reload $i failed: $out"
	case "$out" in *"1 swapped"*) ;; *) fail "reload $i did not swap: $out" ;; esac
	if (( i == swaps / 2 )); then
		# A build that refuses the state hand-over: the swap must fail and the old generation stay live.
		swap_to broken
		if out=$("$bin" reload -c "$t/soak.toml" 2>&1); then fail "reload to the broken build succeeded: $out"; fi
		case "$out" in *"import_state failed"*) ;; *) fail "broken reload gave no reason: $out" ;; esac
		if (( i % 2 )); then swap_to b; else swap_to a; fi
		out=$("$bin" reload -c "$t/soak.toml" 2>&1)
		case "$out" in *"0 swapped"*) ;; *) fail "restoring the live build should change nothing: $out" ;; esac
		# Instances added and removed by configuration.
		cat >> "$t/soak.toml" <<TOML
[instances.extra]
plugin = "soak_counter"
TOML
		out=$("$bin" reload -c "$t/soak.toml" 2>&1) || fail "adding an instance failed: $out"
		case "$out" in *"1 added"*) ;; *) fail "instance not added: $out" ;; esac
		write_config ""
		out=$("$bin" reload -c "$t/soak.toml" 2>&1) || fail "removing an instance failed: $out"
		case "$out" in *"1 removed"*) ;; *) fail "instance not removed: $out" ;; esac
	fi
done
sleep 0.3
fds_after=$(count_fds); maps_after=$(count_maps)
kill -TERM "$pid"
wait "$pid" || fail "host exited with status $?"
pid=

[ "$fds_after" -le "$fds_before" ] || fail "file descriptors grew from $fds_before to $fds_after over $swaps swaps"
[ "$maps_after" -le "$maps_before" ] || fail "memfd mappings grew from $maps_before to $maps_after (dlclose did not unmap)"
grep -q "leaked" "$t/host.log" && fail "an instance leaked memory"
published=$(cat "$t/var/producer/published")
summary=$(cat "$t/var/counter/summary")
echo "published=$published $summary"
received=$(sed -n 's/.*received=\([0-9]*\).*/\1/p' <<<"$summary")
gaps=$(sed -n 's/.*gaps=\([0-9]*\).*/\1/p' <<<"$summary")
dups=$(sed -n 's/.*dups=\([0-9]*\).*/\1/p' <<<"$summary")
gens=$(sed -n 's/.*generations=\([0-9]*\).*/\1/p' <<<"$summary")
[ "$published" -gt 1000 ] || fail "too few events published ($published) for a meaningful soak"
[ "$received" = "$published" ] || fail "received $received events, published $published"
[ "$gaps" = 0 ] || fail "$gaps events lost across swaps"
[ "$dups" = 0 ] || fail "$dups events delivered twice"
[ "$gens" = $((swaps + 1)) ] || fail "expected $((swaps + 1)) generations, counted $gens"
echo "soak OK: $swaps swaps, $published events delivered exactly once"
