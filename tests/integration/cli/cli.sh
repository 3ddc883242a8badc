#!/usr/bin/env bash
# The tradehost command line: exit codes (0 ok, 2 bad usage/config, 1 runtime
# failure) and error messages for every bad input the host must refuse.
# Usage: cli.sh TRADEHOST_BIN PLUGIN_DIRS_ROOT
set -uo pipefail
bin=$1 root=$2
t=$(mktemp -d /tmp/th-cli.XXXXXX)
chmod 755 "$t"
trap 'rm -rf "$t"' EXIT
failures=0 passed=0

# expect NAME CODE NEEDLE -- command...
expect() {
	local name=$1 code=$2 needle=$3
	shift 4
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" != "$code" ]; then
		echo "FAIL [$name]: exit $rc, expected $code; output: $out" >&2; failures=$((failures + 1)); return
	fi
	if [ -n "$needle" ] && ! grep -qF -- "$needle" <<<"$out"; then
		echo "FAIL [$name]: output lacks \"$needle\": $out" >&2; failures=$((failures + 1)); return
	fi
	passed=$((passed + 1))
}

plugdir() { # plugdir NAME... -> a trusted dir holding those test plugins
	local d="$t/p-$1"; mkdir -p -m 755 "$d"
	for n in "$@"; do install -m 644 "$root/$n/$n.so" "$d/"; done
	echo "$d"
}

config() { # config FILE PLUGIN_DIR BODY
	printf '[host]\nplugin_dirs = ["%s"]\nstate_dir = "%s/var"\n%s\n' "$2" "$t" "$3" > "$1"
}

# --- usage ---
expect help 0 "Usage: tradehost <command>" -- "$bin" --help
expect version 0 "plugin ABI 1." -- "$bin" --version
expect no-command 2 "Usage" -- "$bin"
expect unknown-command 2 "unknown command \"frobnicate\"" -- "$bin" frobnicate
expect run-help 0 "Usage: tradehost run" -- "$bin" run --help
expect check-help 0 "Usage: tradehost check" -- "$bin" check --help
expect bad-option 2 "" -- "$bin" check --no-such-option
expect bad-set 2 "--set expects section.key=value" -- "$bin" check -c x.toml --set nonsense
expect stray-arg 2 "unexpected argument" -- "$bin" check -c x.toml extra

# --- configuration errors ---
good=$(plugdir good)
config "$t/ok.toml" "$good" $'[instances.a]\nplugin = "good"\nconfig = { period = 5 }'
expect check-ok 0 "configuration OK" -- "$bin" check -c "$t/ok.toml"
expect missing-file 2 "nope.toml" -- "$bin" check -c "$t/nope.toml"
printf '[host]\nmode = "paper\n' > "$t/malformed.toml"
expect malformed-toml 2 "malformed.toml:2:" -- "$bin" check -c "$t/malformed.toml"
config "$t/unknown-host-key.toml" "$good" 'colour = "red"'
expect unknown-host-key 2 "colour" -- "$bin" check -c "$t/unknown-host-key.toml"
expect unknown-host-key-lists 2 "plugin_dirs" -- "$bin" check -c "$t/unknown-host-key.toml"
config "$t/wrong-type.toml" "$good" $'[instances.a]\nplugin = "good"\nconfig = { period = "five" }'
expect wrong-type 2 "period" -- "$bin" check -c "$t/wrong-type.toml"
config "$t/below-min.toml" "$good" $'[instances.a]\nplugin = "good"\nconfig = { period = 0 }'
expect below-min 2 "period" -- "$bin" check -c "$t/below-min.toml"
config "$t/unknown-plugin-key.toml" "$good" $'[instances.a]\nplugin = "good"\nconfig = { speed = 3 }'
expect unknown-plugin-key 2 "speed" -- "$bin" check -c "$t/unknown-plugin-key.toml"
config "$t/unknown-section.toml" "$good" $'[strategies]\nx = 1'
expect unknown-section 2 "unknown section or key \"strategies\"" -- "$bin" check -c "$t/unknown-section.toml"
config "$t/no-plugin.toml" "$good" $'[instances.a]\nplugin = "absent"'
expect missing-plugin 2 "plugin \"absent\" not found" -- "$bin" check -c "$t/no-plugin.toml"
config "$t/bad-mode.toml" "$good" 'mode = "yolo"'
expect bad-mode 2 "host.mode is \"yolo\"" -- "$bin" check -c "$t/bad-mode.toml"

# --- layering: file < environment < --set ---
expect env-override 2 "host.mode is \"env\"" -- env TRADEHOST__HOST__MODE=env "$bin" check -c "$t/ok.toml"
expect set-beats-env 2 "host.mode is \"flag\"" -- env TRADEHOST__HOST__MODE=env "$bin" check -c "$t/ok.toml" --set host.mode=flag
expect env-plugin-value 2 "period" -- env TRADEHOST__INSTANCES__A__CONFIG__PERIOD=0 "$bin" check -c "$t/ok.toml"

# --- bad plugins ---
for case in "abi_major_field:abi_major is 2" "other_major:th_plugin_entry_v2" "abi_minor:newer than this host" \
	"struct_size:struct_size is 16" "no_start:missing mandatory callback start" "bad_schema:config_schema" \
	"misnamed:descriptor name is \"somebody_else\"" "no_entry:no exported symbol"; do
	name=${case%%:*} needle=${case#*:}
	d=$(plugdir "$name")
	config "$t/$name.toml" "$d" $'[instances.x]\nplugin = "'"$name"'"'
	expect "plugin-$name" 2 "$needle" -- "$bin" check -c "$t/$name.toml"
done

# create failures: refused at the configuration check (exit 2) unless the instance is optional
d=$(plugdir create_fails good)
config "$t/create.toml" "$d" $'[instances.x]\nplugin = "create_fails"\n[instances.a]\nplugin = "good"'
expect create-fails 2 "cannot reach the moon" -- timeout 10 "$bin" run -c "$t/create.toml"
config "$t/create-opt.toml" "$d" $'[instances.x]\nplugin = "create_fails"\noptional = true\n[instances.a]\nplugin = "good"'
# stop it once it runs (waiting for its own "running" line, not a fixed delay)
( for _ in $(seq 200); do grep -q "tradehost running" "$t/opt.log" 2>/dev/null && break; sleep 0.05; done
  pkill -TERM -f "^$bin run -c $t/create-opt.toml" ) &
expect create-fails-optional 0 "optional instance x not started" -- sh -c "timeout 20 '$bin' run -c '$t/create-opt.toml' > '$t/opt.log' 2>&1; rc=\$?; cat '$t/opt.log'; exit \$rc"
wait

# a world-writable plugin directory is refused
ww=$(plugdir good); ww2="$t/ww"; mv "$ww" "$ww2"; chmod 0777 "$ww2"
config "$t/ww.toml" "$ww2" $'[instances.a]\nplugin = "good"'
expect world-writable 2 "world-writable" -- "$bin" check -c "$t/ww.toml"

# the same plugin name in two plugin directories is refused, naming both files
d1=$(plugdir good); d2="$t/dup2"; mkdir -m 755 "$d2"; install -m 644 "$root/good/good.so" "$d2/"
printf '[host]\nplugin_dirs = ["%s", "%s"]\nstate_dir = "%s/var"\n[instances.a]\nplugin = "good"\n' "$d1" "$d2" "$t" > "$t/dup.toml"
expect duplicate-plugin 2 "duplicate plugin \"good\"" -- "$bin" check -c "$t/dup.toml"

# signatures: required + unsigned -> refused; signed with a trusted key -> accepted; tampered -> refused
sd=$(plugdir good)
"$bin" keygen "$t/key.secret" "$t/key.public" > /dev/null
config "$t/signed.toml" "$sd" $'require_signed = true\ntrusted_keys = ["'"$t"$'/key.public"]\n[instances.a]\nplugin = "good"'
expect unsigned 2 "good.so.sig" -- "$bin" check -c "$t/signed.toml"
expect sign 0 "" -- "$bin" sign -k "$t/key.secret" "$sd/good.so"
expect signed-ok 0 "configuration OK" -- "$bin" check -c "$t/signed.toml"
"$bin" keygen "$t/other.secret" "$t/other.public" > /dev/null
"$bin" sign -k "$t/other.secret" "$sd/good.so" > /dev/null
expect wrong-key 2 "does not verify" -- "$bin" check -c "$t/signed.toml"
config "$t/nokeys.toml" "$sd" $'require_signed = true\n[instances.a]\nplugin = "good"'
expect no-trusted-keys 2 "trusted_keys is empty" -- "$bin" check -c "$t/nokeys.toml"

# plugins listing
expect plugins-list 0 "strategy  good" -- "$bin" plugins --plugin-dir "$good"
expect plugins-schema 0 "period" -- "$bin" plugins --plugin-dir "$good"
expect plugins-bad 1 "abi_major is 2" -- "$bin" plugins --plugin-dir "$(plugdir abi_major_field)"
expect reload-no-host 1 "no running host" -- "$bin" reload --socket "$t/none.sock"

echo "cli: $passed passed, $failures failed"
[ "$failures" = 0 ]
