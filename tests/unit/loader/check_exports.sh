#!/usr/bin/env bash
# Every plugin exports exactly one defined dynamic symbol, th_plugin_entry_v1,
# and every undefined symbol it needs comes from system libraries (a plugin
# links nothing from the host). Usage: check_exports.sh DIR...
set -euo pipefail
checked=0
for dir in "$@"; do
	for so in "$dir"/*.so; do
		[ -e "$so" ] || continue
		exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort)
		if [ "$exported" != "th_plugin_entry_v1" ]; then
			echo "FAIL: $so exports: $(echo $exported)" >&2
			exit 1
		fi
		# Undefined symbols must all be versioned glibc/sodium/... symbols or sanitizer/gcc runtime, never th_ or host names.
		bad=$(nm -D --undefined-only "$so" | awk '{print $2}' | grep -E '^(th_|host_|bus_|loader_|toml_|config_|journal_|log_)' || true)
		if [ -n "$bad" ]; then
			echo "FAIL: $so needs host symbols: $bad" >&2
			exit 1
		fi
		checked=$((checked + 1))
	done
done
[ "$checked" -gt 0 ] || { echo "FAIL: no plugins found in $*" >&2; exit 1; }
echo "OK: $checked plugin(s) export only th_plugin_entry_v1"
