#!/usr/bin/env bash
# The rehearsal's longest data count, the rows in duplicate groups under a new unique key, in psql at the query
# level: the ways DuplicateCount could run it, interleaved on one PostgreSQL 15 server (Debian package, a private
# cluster under /tmp on its own port, initdb's DEFAULT settings: work_mem 4MB) holding bench/rehearsal-bench.sh's
# production table (ROWS rows, DUPS of them repeating an existing (name, version)).
#   column     one query grouping the keys in the column's collation, parallel workers allowed (before)
#   bytewise   the same grouped COLLATE "C" (what DuplicateCount runs below SPLIT_ROWS)
#   parts      two serial queries on two connections, split by hashtext(name) (what it runs from SPLIT_ROWS on)
# and the same beside the other counts' scan (NOT NULL and the foreign key's orphans, in one count(*) FILTER), as the
# rehearsal runs them: "bytewise+scan" and "parts+scan". Each query in a read-only REPEATABLE READ transaction with
# the settings DuplicateCount sets (enable_hashagg off, parallel costs 0, JIT off). Prints min and median per way and
# the ratios to "column".
#
# Usage: bench/duplicates-query-bench.sh            (ROWS=5000000 DUPS=100 RUNS=5 PORT=55490)
set -euo pipefail

ROWS=${ROWS:-5000000}
DUPS=${DUPS:-100}
RUNS=${RUNS:-5}
PORT=${PORT:-55490}
WORK=${WORK:-/tmp/migration-safety-duplicates-query-bench}

. "$(dirname "$0")/private-postgres.sh"
pg_binaries 15
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d prod "$@"; }
cleanup() { pg_stop "$WORK/pgdata"; }
trap cleanup EXIT
rm -rf "$WORK"; mkdir -p "$WORK"; chmod 777 "$WORK"
pg_init "$WORK/pgdata"
pg_start "$WORK/pgdata" "$WORK/pg.log" "$PORT" "$WORK"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres prod

echo "production: $ROWS rows ..."
psql_ <<SQL
CREATE TABLE owner (id bigint PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE model_metadata (id bigserial PRIMARY KEY, name varchar(200), version varchar(50),
  created_at timestamptz, payload text, owner_id bigint);
INSERT INTO owner(id, name) SELECT g, 'owner-' || g FROM generate_series(1, 1000) g;
INSERT INTO model_metadata(name, version, created_at, payload, owner_id)
  SELECT 'model-' || g, 'v' || (g % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second',
         md5(g::text) || md5((g + 1)::text), g % 1000 + 1
  FROM generate_series(1, $ROWS) g;
INSERT INTO model_metadata(name, version, created_at, payload, owner_id)
  SELECT name, version, created_at, payload, owner_id FROM model_metadata WHERE id <= $DUPS;
VACUUM ANALYZE;
SQL

BEGIN_="BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off; SET LOCAL enable_hashagg = off;"
PARALLEL="SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0;"
SERIAL="SET LOCAL max_parallel_workers_per_gather = 0;"
grouped() { # collate-or-empty part-condition-or-empty
  local k1='"name"' k2='"version"' order='"name", "version"'
  if [ -n "$1" ]; then k1='"name" COLLATE "C" AS "name"'; k2='"version" COLLATE "C" AS "version"'; order='"name" COLLATE pg_catalog."default", "version" COLLATE pg_catalog."default"'; fi
  echo "SELECT \"name\", \"version\", sum(n) OVER () FROM (SELECT $k1, $k2, count(*) AS n FROM public.model_metadata t WHERE \"name\" IS NOT NULL AND \"version\" IS NOT NULL $2 GROUP BY 1, 2 HAVING count(*) > 1) d ORDER BY $order LIMIT 5"
}
SCAN='SELECT count(*) FILTER (WHERE "name" IS NULL), count(*) FILTER (WHERE t.owner_id IS NOT NULL AND (t.owner_id) NOT IN (SELECT r.id FROM public.owner r WHERE r.id IS NOT NULL)) FROM public.model_metadata t'
q() { psql_ -c "$BEGIN_ $1 $2; COMMIT" >/dev/null; }
ms() { date +%s%N | cut -c1-13; }
way() { # name: one timed run of that way, in ms
  local s e
  s=$(ms)
  case "$1" in
    column) q "$PARALLEL" "$(grouped '' '')" ;;
    bytewise) q "$PARALLEL" "$(grouped C '')" ;;
    parts) q "$SERIAL" "$(grouped C 'AND (hashtext("name") & 1) = 0')" & q "$SERIAL" "$(grouped C 'AND (hashtext("name") & 1) = 1')"; wait ;;
    column+scan) q "$PARALLEL" "$(grouped '' '')" & q "" "$SCAN"; wait ;;
    bytewise+scan) q "$PARALLEL" "$(grouped C '')" & q "" "$SCAN"; wait ;;
    parts+scan) q "$SERIAL" "$(grouped C 'AND (hashtext("name") & 1) = 0')" & q "$SERIAL" "$(grouped C 'AND (hashtext("name") & 1) = 1')" & q "" "$SCAN"; wait ;;
  esac
  e=$(ms); echo $((e - s))
}
WAYS="column bytewise parts column+scan bytewise+scan parts+scan"
declare -A T
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  line="run $i:"
  for w in $WAYS; do t=$(way "$w"); T[$w]="${T[$w]:-} $t"; line+=" $w $t ms;"; done
  echo "$line load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
pick() { printf '%s\n' $2 | sort -g | awk -v w="$1" '{a[NR]=$1} END {print (w == "min" ? a[1] : a[int((NR+1)/2)])}'; }
echo
echo "== rows=$ROWS (+$DUPS duplicates) runs=$RUNS ($(nproc) cores; PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), work_mem $(psql_ -tAc 'SHOW work_mem'), lc_collate $(psql_ -tAc 'SHOW lc_collate'))"
for w in $WAYS; do
  base=column; case "$w" in *+scan) base=column+scan ;; esac
  echo "$w: min $(pick min "${T[$w]}") ms, median $(pick median "${T[$w]}") ms; / $base: min $(echo "scale=2; $(pick min "${T[$w]}") / $(pick min "${T[$base]}")" | bc), median $(echo "scale=2; $(pick median "${T[$w]}") / $(pick median "${T[$base]}")" | bc)"
done
