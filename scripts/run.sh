#!/usr/bin/env bash
# One command: install what is missing, build, and start the default
# paper-trading host (config/tradehost.toml). Extra arguments go to `tradehost run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTH_BUILD_TESTS=OFF -DTH_BUILD_BENCH=OFF > /dev/null
cmake --build build -j"$(nproc)"
exec build/bin/tradehost run -c config/tradehost.toml "$@"
