#!/usr/bin/env bash
# docs/configuration.md must be exactly what `tradehost config-doc` prints for
# the in-tree plugins: regenerate it with
#   build/bin/tradehost config-doc > docs/configuration.md
set -euo pipefail
bin=$1 doc=$2
if ! diff -u "$doc" <("$bin" config-doc) > /tmp/th-config-doc.diff; then
	echo "FAIL: $doc is out of date; regenerate it with: tradehost config-doc > docs/configuration.md" >&2
	head -n 40 /tmp/th-config-doc.diff >&2
	exit 1
fi
echo "OK: $doc matches the schemas"
