#!/bin/sh
# check_hidden.sh SO: the probe exports ta_probe and no th_ta_* symbol.
set -u
SO=$1
syms=$(nm -D --defined-only "$SO") || { echo "FAIL: nm failed on $SO" >&2; exit 1; }
if echo "$syms" | grep -q ' th_ta_'; then
	echo "FAIL: th_ta symbols exported from a plugin-style .so:" >&2
	echo "$syms" | grep ' th_ta_' >&2
	exit 1
fi
echo "$syms" | grep -q ' ta_probe$' || { echo "FAIL: ta_probe not exported (probe broken?)" >&2; exit 1; }
echo "th_ta stays hidden inside the plugin"
