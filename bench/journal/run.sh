#!/bin/sh
# Runs PostgreSQL's pg_test_fsync and bench_journal on the same directory and
# prints pg_test_fsync's fdatasync figure next to ours (goal P5 in
# /work/shared/research/perf-reliability.md: synced appends >= 0.8x of it).
#
#   bench/journal/run.sh [-b path/to/bench_journal] [-t SECONDS] [-r REPS] [DIR]
#
# DIR defaults to <build dir>/bench-journal-tmp, the build dir being the one
# that holds the bench_journal binary (not /tmp: it may be tmpfs).
# Without -b the binary is looked for in build/ and then build*/ of the repo.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=""
secs=2
reps=3
while getopts b:t:r:h opt; do
	case $opt in
	b) bin=$OPTARG ;;
	t) secs=$OPTARG ;;
	r) reps=$OPTARG ;;
	*) sed -n '2,10p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ -z "$bin" ]; then
	for cand in "$repo/build/bench/journal/bench_journal" "$repo"/build*/bench/journal/bench_journal; do
		if [ -x "$cand" ]; then bin=$cand; break; fi
	done
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
	echo "run.sh: bench_journal not found; build it (cmake --build BUILD --target bench_journal) or pass -b" >&2
	exit 2
fi
build=$(cd "$(dirname "$bin")/../.." && pwd)
dir=${1:-$build/bench-journal-tmp}
mkdir -p "$dir"

fstype=$(stat -f -c %T "$dir" 2>/dev/null || echo unknown)
echo "== directory: $dir (filesystem: $fstype)"
if [ "$fstype" = "tmpfs" ]; then
	echo "warning: $dir is on tmpfs; fdatasync costs nothing there and the figures mean little" >&2
fi

pg=${PG_TEST_FSYNC:-}
if [ -z "$pg" ]; then
	for cand in /usr/lib/postgresql/*/bin/pg_test_fsync; do
		[ -x "$cand" ] && pg=$cand
	done
fi
pg_ops=""
if [ -n "$pg" ] && [ -x "$pg" ]; then
	echo "== $pg -f $dir/pgtest.out -s 2"
	"$pg" -f "$dir/pgtest.out" -s 2 > "$dir/pg_test_fsync.txt" 2>&1 || true
	rm -f "$dir/pgtest.out"
	# The first fdatasync line is the "one 8kB write" test.
	pg_line=$(grep -m1 -E '^[[:space:]]+fdatasync[[:space:]]' "$dir/pg_test_fsync.txt" || true)
	echo "$pg_line"
	pg_ops=$(echo "$pg_line" | awk '{ for (i = 1; i < NF; i++) if ($(i+1) == "ops/sec") { print $i; exit } }')
else
	echo "== pg_test_fsync not found (Debian: apt-get install postgresql-15); skipping"
fi

echo "== $bin -t $secs -r $reps $dir"
out=$("$bin" -t "$secs" -r "$reps" "$dir")
echo "$out"

ours=$(echo "$out" | sed -n 's/.*sync_each_appends_per_s=\([0-9.]*\).*/\1/p')
bare=$(echo "$out" | sed -n 's/.*bare_fdatasync_prealloc_ops_per_s=\([0-9.]*\).*/\1/p')
echo "== summary"
if [ -n "$pg_ops" ] && [ -n "$ours" ]; then
	awk -v pg="$pg_ops" -v ours="$ours" -v bare="$bare" 'BEGIN {
		printf "pg_test_fsync fdatasync (8kB write) : %10.0f ops/s\n", pg
		printf "bare write(284B)+fdatasync          : %10.0f ops/s  (%.2fx of pg_test_fsync)\n", bare, bare / pg
		printf "journal SYNC_EACH appends           : %10.0f /s     (%.2fx of pg_test_fsync; goal P5 >= 0.8x)\n", ours, ours / pg
	}'
else
	echo "journal SYNC_EACH appends: $ours /s (no pg_test_fsync figure to compare with)"
fi
