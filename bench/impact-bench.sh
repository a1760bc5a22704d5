#!/usr/bin/env bash
# Benchmark of the smoke's production impact on PostgreSQL 15 (Debian package) with the server's default settings.
#
# 1. Estimate vs actual: five changes a DBA asks about (unique constraint, index, int -> bigint, NOT NULL, foreign
#    key), each on its own table. The estimate at ROWS rows comes from the default samples (50,000 and 200,000
#    rows); the actual is the lock-held time measured by the same trace on a table of ROWS rows. Prints both and
#    the ratio estimate / actual (goal: between 0.5x and 2x).
# 2. Trace overhead: the smoke of a generated CHANGESETS-changeset changelog on the same server with the impact
#    trace on and off, interleaved, RUNS times; prints min/median and the ratio (goal: at most 1.3x).
#
# Usage: bench/impact-bench.sh          (ROWS=2000000 CHANGESETS=200 RUNS=3 PORT=55433 by default)
#        PARTS=overhead bench/impact-bench.sh     (only part 2; PARTS=estimate for only part 1)
set -euo pipefail

PARTS=${PARTS:-"estimate overhead"}
ROWS=${ROWS:-2000000}
CHANGESETS=${CHANGESETS:-200}
RUNS=${RUNS:-3}
PORT=${PORT:-55433}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/migration-safety-impact-bench}
PGDATA=$WORK/pgdata
URL="jdbc:postgresql://127.0.0.1:$PORT/bench"

. "$ROOT/bench/private-postgres.sh"
pg_binaries
cleanup() { pg_stop "$PGDATA"; }
trap cleanup EXIT

rm -rf "$WORK"; mkdir -p "$WORK"; chmod 777 "$WORK"
pg_init "$PGDATA"
pg_start "$PGDATA" "$WORK/pg.log" "$PORT" "$WORK"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bench
echo "server: $("$PGBIN/postgres" --version), default settings (work_mem $("$PGBIN/psql" -X -tA -h 127.0.0.1 -p "$PORT" -U postgres -d bench -c 'SHOW work_mem'), maintenance_work_mem $("$PGBIN/psql" -X -tA -h 127.0.0.1 -p "$PORT" -U postgres -d bench -c 'SHOW maintenance_work_mem'))"

echo "building the plugin and the bench classes ..."
(cd "$ROOT" && ./mvnw -B -q -DskipTests -Dinvoker.skip test-compile)
# a copy, so that building in the work tree while the bench runs cannot change the classes under it
cp -r "$ROOT/target/classes" "$WORK/classes"; cp -r "$ROOT/target/bench-classes" "$WORK/bench-classes"
CP="$WORK/classes:$WORK/bench-classes:$(cd "$ROOT" && ./mvnw -B -q dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile=/dev/stdout)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
bench() { java -cp "$CP" ImpactBenchMain "$@"; }

if [[ " $PARTS " == *" estimate "* ]]; then
echo "== estimate from 50,000 and 200,000 rows (grown while the lock is short) vs actual at $ROWS rows (lock held, ms) =="
bench estimate "$URL" "$WORK/estimate" "$ROWS" 50000 200000 | sort > "$WORK/estimate.txt"
bench estimate "$URL" "$WORK/actual" "$ROWS" $((ROWS / 2)) "$ROWS" | sort > "$WORK/actual.txt"
join <(awk '{print $1, $3, $4, $8}' "$WORK/estimate.txt") <(awk '{print $1, $5, $6, $7}' "$WORK/actual.txt") \
  | awk '{ split($3, e, "="); split($5, a, "=");
           printf "%-18s %-22s estimate %8d  actual %8d  ratio %.2fx  (%s %s at %s rows; estimate from %s)\n", $1,
                  $2, e[2], a[2], e[2] / a[2], $6, $7, rows, $4 }' rows="$ROWS"
fi
[[ " $PARTS " == *" overhead "* ]] || exit 0

echo "== trace overhead: smoke of $CHANGESETS changesets on this server, trace on vs off ($RUNS runs) =="
declare -A TIMES
for run in $(seq 1 "$RUNS"); do
  for trace in true false; do
    ms=$(bench changelog "$URL" "$WORK/changelog-$trace-$run" "$CHANGESETS" "$trace")
    TIMES[$trace]="${TIMES[$trace]:-} $ms"
    echo "run $run  trace=$trace  $ms ms"
  done
done
stat() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d %d\n", a[1], m}'; }
read -r ON_MIN ON_MED < <(stat <<< "${TIMES[true]}")
read -r OFF_MIN OFF_MED < <(stat <<< "${TIMES[false]}")
echo "trace on   min $ON_MIN ms  median $ON_MED ms"
echo "trace off  min $OFF_MIN ms  median $OFF_MED ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$ON_MIN" -v b="$OFF_MIN" -v c="$ON_MED" -v d="$OFF_MED" \
  'BEGIN {printf "ratio trace on / off: min %.2fx, median %.2fx  (goal <= 1.30x)\n", a / b, c / d}'
