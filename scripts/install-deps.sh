#!/usr/bin/env bash
# Installs the Debian 12 packages tradehost needs to build, run and test.
# Only what is missing is installed; `apt-get update` runs first when anything is.
# Usage: scripts/install-deps.sh [run|test]   (default: test, the superset)
set -euo pipefail
what=${1:-test}
run_pkgs=(build-essential cmake pkg-config libevent-dev libjansson-dev libsodium-dev zlib1g-dev libssl-dev)
test_pkgs=(libcmocka-dev golang-github-burntsushi-toml-dev clang binutils procps jq curl openssl prometheus)
test_pkgs+=(chromium) # the dashboard's end-to-end tests (playwright-core drives Debian's Chromium)
pkgs=("${run_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	sudo_cmd=""
	[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
	$sudo_cmd apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
else
	echo "install-deps: all ${#pkgs[@]} packages present"
fi
