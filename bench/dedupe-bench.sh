#!/usr/bin/env bash
# Benchmark of migration-safety:dedupe against hand-written psql on PostgreSQL 15 (Debian package).
#
# Starts a private PostgreSQL cluster under /tmp on its own port (as the postgres user) with the server's DEFAULT
# settings (initdb's postgresql.conf untouched: work_mem 4MB, shared_buffers 128MB), loads
# model_metadata(id bigserial pk, name, version, created_at timestamptz, payload) with ROWS rows of which
# DUP_GROUPS duplicate groups (3 rows each), then, side by side, min/median of RUNS runs:
#   dry-run: the plugin with its default parameters (mvn -o validate on bench/dedupe-project, the installed plugin;
#            near-duplicate search on) vs psql \copy (SELECT all rows of duplicate groups with row_number ...) TO csv;
#            beside it, the plugin with -Dmigration-safety.nearDuplicates=false
#   apply:   the plugin with -Dmigration-safety.apply=true vs hand-written psql applies (APPLY_BASELINES, see
#            psql_apply below), each one transaction: LOCK, find the rows to delete, \copy them, DELETE (the table is
#            restored from a template copy before every run); every baseline is printed, and the ratios are against the
#            fastest of them (the lowest median); each run also times the skip run beside it for a per-run ratio, and
#            the plugin with -Dmigration-safety.nearDuplicates=true beside the default (the apply does not search by
#            default; asked to, it searches after its transaction)
#   engine:  the same two through a main class on the plugin's classpath (no Maven start-up), default parameters
#   skip:    the same mvn command with -Dmigration-safety.skip=true: Maven's start-up and loading the plugin, which
#            the ratios subtract from the plugin's times
# The plugin runs from target/local-repo (filled by invoker:install) with ~/.m2 as a read-only tail
# (maven.repo.local.tail, Maven >= 3.9), so nothing is installed into ~/.m2.
#   heap:    one plugin apply with MAVEN_OPTS=-Xmx128m, which must succeed
# With BASELINE_REF=<commit> the engine-only runs of the plugin built at that commit are timed beside the current
# ones (interleaved, same table), to show that a change of the code did not make the same work slower.
# With TUNED=1 the same measurements run a second time after a restart with tuned settings (TUNED_OPTS), printed
# beside the default-settings figures, never instead of them.
# The ratios are the last lines: (plugin - skip) / psql, of the minimums and of the medians.
#
# Usage: bench/dedupe-bench.sh            (ROWS=5000000 DUP_GROUPS=100000 RUNS=3 PORT=55432 by default)
#        SERIES="1000000 5000000 20000000" RUNS=1 bench/dedupe-bench.sh   (scale series and online apply, see below)
#        ROWS=1000000 DUP_GROUPS=20000 bench/dedupe-bench.sh
#        BASELINE_REF=e924220^ bench/dedupe-bench.sh   (also the engine at that commit, side by side)
#        TUNED=1 bench/dedupe-bench.sh    (also with TUNED_OPTS, by default work_mem=64MB shared_buffers=512MB ...)
#        APPLY=0 RUNS=9 bench/dedupe-bench.sh   (the dry-run only)
#        DRY=0 bench/dedupe-bench.sh   (the apply only; APPLY_BASELINES="exists-in returning" to race fewer baselines)
#        SERIES=2000000 ONLINE_ROWS=2000000 RUNS=3 bench/dedupe-bench.sh   (online vs one-transaction apply, 3 runs)
# Every dry-run run also times the skip run beside it; besides the ratios of the minimums and medians, the ratio of
# each run's own three timings is printed, and their min / median: on a machine whose speed drifts, the paired
# ratios are the steadier figure.
set -euo pipefail

ROWS=${ROWS:-5000000}
DUP_GROUPS=${DUP_GROUPS:-100000}
RUNS=${RUNS:-3}
PORT=${PORT:-55432}
TUNED=${TUNED:-0}
APPLY=${APPLY:-1}
DRY=${DRY:-1}
# the series loads its own tables: the default table is then only a small one
if [ -n "${SERIES:-}" ]; then ROWS=30000; DUP_GROUPS=1000; fi
TUNED_OPTS=${TUNED_OPTS:-"-c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=256MB -c max_wal_size=4GB"}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/migration-safety-bench}
PGDATA=$WORK/pgdata
URL="jdbc:postgresql://127.0.0.1:$PORT/bench"

. "$ROOT/bench/private-postgres.sh"
pg_binaries
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d bench "$@"; }

cleanup() { pg_stop "$PGDATA"; }
trap cleanup EXIT
start_server() { pg_start "$PGDATA" "$WORK/pg.log" "$PORT" "$WORK" "$1"; } # extra postgres options ("": defaults)

rm -rf "$WORK"; mkdir -p "$WORK"; chmod 777 "$WORK"
pg_init "$PGDATA"
start_server ""
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bench

echo "loading $ROWS rows with $DUP_GROUPS duplicate groups ..."
UNIQUE=$((ROWS - 2 * DUP_GROUPS))
t0=$(date +%s.%N)
psql_ <<SQL
CREATE TABLE model_metadata(id bigserial PRIMARY KEY, name text, version text, created_at timestamptz, payload text);
INSERT INTO model_metadata(name, version, created_at, payload)
  SELECT 'model-' || g, 'v' || (g % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second', md5(g::text) || md5((g + 1)::text)
  FROM generate_series(1, $UNIQUE) g;
-- every one of the first DUP_GROUPS (name, version) pairs gets two more rows: DUP_GROUPS groups of 3
INSERT INTO model_metadata(name, version, created_at, payload)
  SELECT 'model-' || k, 'v' || (k % 5), TIMESTAMPTZ '2025-06-01 00:00:00+00' + g * INTERVAL '1 second', md5(g::text)
  FROM generate_series(1, $((2 * DUP_GROUPS))) g, LATERAL (SELECT (g - 1) % $DUP_GROUPS + 1 AS k) x;
CREATE TABLE model_metadata_template AS SELECT * FROM model_metadata;
CREATE TABLE startup_probe(id bigint PRIMARY KEY, name text, version text);
VACUUM ANALYZE model_metadata;
SQL
t1=$(date +%s.%N)
echo "loaded in $(echo "$t1 - $t0" | bc) s: $(psql_ -tAc 'SELECT COUNT(*) FROM model_metadata') rows"

reset_table() {
  psql_ -c "TRUNCATE model_metadata" -c "INSERT INTO model_metadata SELECT * FROM model_metadata_template" -c "VACUUM ANALYZE model_metadata"
}

echo "building the plugin into target/local-repo ..."
(cd "$ROOT" && ./mvnw -B -o -q -DskipTests package invoker:install@integration-test)
VERSION=$(cd "$ROOT" && sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)
# a copy of the classes just built: a build in the working tree during the run must not change what is measured
rm -rf "$WORK/plugin-classes"; cp -r "$ROOT/target/classes" "$WORK/plugin-classes"
CP="$WORK/plugin-classes:$(find "$ROOT/target/local-repo" -name '*.jar' ! -path '*migration-safety*' | paste -sd:)"
mkdir -p "$WORK/main"; javac -d "$WORK/main" -cp "$CP" "$ROOT/bench/DedupeBenchMain.java" "$ROOT/bench/WriteProbe.java"


plugin() { # mode (dry, apply, skip) [extra -D arguments ...]
  local mode=$1; shift
  "$ROOT/mvnw" -B -o -q -f "$ROOT/bench/dedupe-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" \
    -Dmaven.repo.local.tail="${M2_REPO:-$HOME/.m2/repository}" \
    -Dplugin.version="$VERSION" -Dmigration-safety.url="$URL" -Dmigration-safety.username=postgres \
    -Dmigration-safety.reportFile="$WORK/out/plugin-report.csv" -Dmigration-safety.backupDirectory="$WORK/out/backups" \
    -Dmigration-safety.reportDirectory="$WORK/out" -Dmigration-safety.apply="$([ "$mode" = apply ] && echo true || echo false)" \
    -Dmigration-safety.skip="$([ "$mode" = skip ] && echo true || echo false)" "$@" validate >/dev/null
}
engine() { java -cp "$WORK/main:$CP" DedupeBenchMain "$URL" postgres "$1" "$WORK/out" >/dev/null; }
BASE_CP=""
if [ -n "${BASELINE_REF:-}" ]; then
  echo "building the engine at $BASELINE_REF ..."
  rm -rf "$WORK/baseline-src"
  git -C "$ROOT" archive --format=tar --prefix=baseline-src/ "$BASELINE_REF" | tar -C "$WORK" -xf -
  (cd "$WORK/baseline-src" && "$ROOT/mvnw" -B -o -q compile -Dspotless.check.skip=true)
  BASE_CP="$WORK/baseline-src/target/classes:${CP#*:}"
  mkdir -p "$WORK/baseline-main"; javac -d "$WORK/baseline-main" -cp "$BASE_CP" "$WORK/baseline-src/bench/DedupeBenchMain.java"
fi
engine_base() { java -cp "$WORK/baseline-main:$BASE_CP" DedupeBenchMain "$URL" postgres "$1" "$WORK/out" >/dev/null; }
psql_dry() {
  psql_ -c "\\copy (SELECT s.* FROM (SELECT r.*, row_number() OVER (PARTITION BY r.name, r.version ORDER BY r.id) AS rn FROM (SELECT t.*, count(*) OVER (PARTITION BY t.name, t.version) AS c FROM model_metadata t WHERE t.name IS NOT NULL AND t.version IS NOT NULL) r WHERE r.c > 1) s ORDER BY s.name, s.version, s.rn) TO '$WORK/out/psql-report.csv' CSV HEADER"
}
# Hand-written psql applies, each one transaction: LOCK against writers, find the rows to delete, \copy them to a
# backup file, delete them. APPLY_BASELINES picks which run (all by default); every one is timed in every run and
# printed, and the ratios are computed against the one with the lowest median, "the fastest hand-written apply".
#   groupby       the GROUP BY ... HAVING join into a temporary table, \copy joining it, DELETE ... USING it
#   groupby-in    the same, the \copy and the delete by id IN (SELECT id FROM doomed) (index lookups)
#   window        row_number() over every row into a temporary table, \copy joining it, DELETE ... USING it
#   exists        a semi-join (EXISTS a row with the same keys and a lower id) into a temporary table, \copy joining
#                 it, DELETE ... USING it (PostgreSQL hashes the whole table for both)
#   exists-in     the same semi-join; the \copy and the delete by id IN (SELECT id FROM doomed) (index lookups)
#   exists-index  the same semi-join; an index on the temporary table and ANALYZE before the \copy and the delete
#   returning     one statement: \copy (DELETE ... WHERE EXISTS (...) RETURNING *) (the backup is written while the
#                 rows are deleted, before the commit)
APPLY_BASELINES=${APPLY_BASELINES:-"groupby groupby-in window exists exists-in exists-index returning"}
BT=model_metadata
DUPLICATE="EXISTS (SELECT 1 FROM $BT b WHERE b.name = m.name AND b.version = m.version AND b.id < m.id)"
GROUPED="SELECT m.id FROM $BT m JOIN (SELECT name, version, min(id) keep FROM $BT GROUP BY name, version HAVING count(*) > 1) g ON m.name = g.name AND m.version = g.version AND m.id <> g.keep"
psql_apply() { # baseline
  local backup="$WORK/out/psql-backup.csv" find copy delete
  case "$1" in
    groupby)      find="CREATE TEMP TABLE doomed ON COMMIT DROP AS $GROUPED;"; copy="SELECT t.* FROM $BT t JOIN doomed USING (id)"; delete="DELETE FROM $BT t USING doomed d WHERE t.id = d.id;" ;;
    groupby-in)   find="CREATE TEMP TABLE doomed ON COMMIT DROP AS $GROUPED;"; copy="SELECT t.* FROM $BT t WHERE t.id IN (SELECT id FROM doomed)"; delete="DELETE FROM $BT WHERE id IN (SELECT id FROM doomed);" ;;
    window)       find="CREATE TEMP TABLE doomed ON COMMIT DROP AS SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY name, version ORDER BY id) AS rn FROM $BT WHERE name IS NOT NULL AND version IS NOT NULL) s WHERE rn > 1;"; copy="SELECT t.* FROM $BT t JOIN doomed USING (id)"; delete="DELETE FROM $BT t USING doomed d WHERE t.id = d.id;" ;;
    exists)       find="CREATE TEMP TABLE doomed ON COMMIT DROP AS SELECT m.id FROM $BT m WHERE $DUPLICATE;"; copy="SELECT t.* FROM $BT t JOIN doomed USING (id)"; delete="DELETE FROM $BT t USING doomed d WHERE t.id = d.id;" ;;
    exists-in)    find="CREATE TEMP TABLE doomed ON COMMIT DROP AS SELECT m.id FROM $BT m WHERE $DUPLICATE;"; copy="SELECT t.* FROM $BT t WHERE t.id IN (SELECT id FROM doomed)"; delete="DELETE FROM $BT WHERE id IN (SELECT id FROM doomed);" ;;
    exists-index) find="CREATE TEMP TABLE doomed ON COMMIT DROP AS SELECT m.id FROM $BT m WHERE $DUPLICATE; CREATE INDEX ON doomed (id); ANALYZE doomed;"; copy="SELECT t.* FROM $BT t JOIN doomed USING (id)"; delete="DELETE FROM $BT t USING doomed d WHERE t.id = d.id;" ;;
    returning)    find=""; copy="DELETE FROM $BT m WHERE $DUPLICATE RETURNING m.*"; delete="" ;;
    *) echo "unknown APPLY_BASELINES entry: $1" >&2; return 1 ;;
  esac
  psql_ <<SQL
BEGIN;
LOCK TABLE $BT IN SHARE ROW EXCLUSIVE MODE;
$find
\copy ($copy) TO '$backup' CSV HEADER
$delete
COMMIT;
SQL
}

# seconds of one run of "$@", after an optional setup that is not timed
timed() { local s e; s=$(date +%s%N); "$@" || { echo "FAILED: $*" >&2; return 1; }; e=$(date +%s%N); echo "scale=3; ($e - $s) / 1000000000" | bc; }
# min / median of the values
pick() { printf '%s\n' "${@:2}" | sort -g | awk -v w="$1" '{a[NR]=$1} END {print (w == "min" ? a[1] : a[int((NR+1)/2)])}'; }
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %.3f s  median %.3f s", a[1], a[int((NR+1)/2)]}'; }

# SERIES="1000000 5000000 20000000": the scale series instead of the default measurements. For each size (duplicate
# groups of 3 rows: SERIES_GROUPS_PER_MILLION per million rows), engine-only dry-run and apply (RUNS runs, min),
# printed as seconds per million rows; at ONLINE_ROWS (5000000 by default) the online apply (BATCH_SIZE rows per
# batch) beside the one-transaction apply, each with the write probe (a client updating another row of the table
# every 50 ms; its longest update is the longest write stall); at the largest size an apply and a restore in
# -Xmx128m.
if [ -n "${SERIES:-}" ]; then
  PER_MILLION=${SERIES_GROUPS_PER_MILLION:-20000}
  ONLINE_ROWS=${ONLINE_ROWS:-5000000}
  BATCH_SIZE=${BATCH_SIZE:-10000}
  load_rows() { # rows groups
    local unique=$(($1 - 2 * $2))
    psql_ <<SQL
DROP TABLE IF EXISTS model_metadata, model_metadata_template;
CREATE TABLE model_metadata(id bigserial PRIMARY KEY, name text, version text, created_at timestamptz, payload text);
INSERT INTO model_metadata(name, version, created_at, payload)
  SELECT 'model-' || g, 'v' || (g % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second', md5(g::text) || md5((g + 1)::text)
  FROM generate_series(1, $unique) g;
INSERT INTO model_metadata(name, version, created_at, payload)
  SELECT 'model-' || k, 'v' || (k % 5), TIMESTAMPTZ '2025-06-01 00:00:00+00' + g * INTERVAL '1 second', md5(g::text)
  FROM generate_series(1, $((2 * $2))) g, LATERAL (SELECT (g - 1) % $2 + 1 AS k) x;
CREATE TABLE model_metadata_template AS SELECT * FROM model_metadata;
VACUUM ANALYZE model_metadata;
SQL
  }
  run_engine() { # mode [batchSize]
    local mode=$1; shift
    rm -rf "$WORK/out"; mkdir -p "$WORK/out"; java ${HEAP:-} -cp "$WORK/main:$CP" DedupeBenchMain "$URL" postgres "$mode" "$WORK/out" "$@" >/dev/null
  }
  probe_during() { # command ...: runs it with the write probe beside it; prints "<seconds> <probe line>"
    rm -f "$WORK/probe.stop" "$WORK/probe.stop.ready"
    java -cp "$WORK/main:$CP" WriteProbe "$URL" postgres "$WORK/probe.stop" >"$WORK/probe.out" &
    local pid=$! t
    while [ ! -f "$WORK/probe.stop.ready" ]; do sleep 0.1; done
    t=$(timed "$@"); touch "$WORK/probe.stop"; wait $pid
    echo "$t $(cat "$WORK/probe.out")"
  }
  echo "load average before the series: $(cut -d' ' -f1-3 /proc/loadavg)"
  LARGEST=$(printf '%s\n' $SERIES | sort -n | tail -1)
  for n in $SERIES; do
    groups=$((n / 1000000 * PER_MILLION)); [ "$groups" -gt 0 ] || groups=$((n / 50))
    echo "[$n rows] loading ($groups duplicate groups of 3 rows, $((2 * groups)) rows to delete) ..."; load_rows "$n" "$groups"
    D=(); A=()
    for i in $(seq 1 "$RUNS"); do
      D+=("$(timed run_engine dry)")
      reset_table >/dev/null; A+=("$(timed run_engine apply)")
      reset_table >/dev/null
    done
    dmin=$(printf '%s\n' "${D[@]}" | sort -g | head -1); amin=$(printf '%s\n' "${A[@]}" | sort -g | head -1)
    echo "[$n rows] engine dry-run $dmin s ($(echo "scale=3; $dmin * 1000000 / $n" | bc) s per million rows), apply $amin s ($(echo "scale=3; $amin * 1000000 / $n" | bc) s per million rows); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$n" = "$ONLINE_ROWS" ]; then
      SINGLE=(); ONLINE=(); PAIRED=()
      for i in $(seq 1 "$RUNS"); do
        single=$(probe_during run_engine apply); reset_table >/dev/null
        online=$(probe_during run_engine apply "$BATCH_SIZE"); reset_table >/dev/null
        s=${single%% *}; o=${online%% *}
        SINGLE+=("$s"); ONLINE+=("$o"); PAIRED+=("$(echo "scale=3; $o / $s" | bc)")
        echo "[$n rows] run $i one-transaction apply $s s, probe: ${single#* }"
        echo "[$n rows] run $i online apply (batchSize $BATCH_SIZE) $o s, probe: ${online#* }; this run's online / one transaction ${PAIRED[-1]}; load average $(cut -d' ' -f1 /proc/loadavg)"
      done
      echo "[$n rows] one-transaction apply: $(stats "${SINGLE[@]}"); online apply (batchSize $BATCH_SIZE): $(stats "${ONLINE[@]}")"
      echo "[$n rows] ratio online / one transaction, goal <= 2: min $(echo "scale=3; $(pick min "${ONLINE[@]}") / $(pick min "${SINGLE[@]}")" | bc), median $(echo "scale=3; $(pick median "${ONLINE[@]}") / $(pick median "${SINGLE[@]}")" | bc); per run: min $(pick min "${PAIRED[@]}"), median $(pick median "${PAIRED[@]}"); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    fi
    if [ "$n" = "$LARGEST" ]; then
      if HEAP=-Xmx128m run_engine apply "$BATCH_SIZE" && HEAP=-Xmx128m java -Xmx128m -cp "$WORK/main:$CP" DedupeBenchMain "$URL" postgres restore "$WORK/out" >/dev/null; then
        echo "[$n rows] online apply and restore with -Xmx128m: ok"
      else
        echo "[$n rows] online apply and restore with -Xmx128m: FAILED"
      fi
    fi
  done
  exit 0
fi

# Maven's own floor: the same mvnw command on a project without any plugin execution
mkdir -p "$WORK/empty-project"
printf '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>bench</groupId><artifactId>empty</artifactId><version>1</version><packaging>pom</packaging></project>\n' >"$WORK/empty-project/pom.xml"
empty_maven() { "$ROOT/mvnw" -B -o -q -f "$WORK/empty-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" validate >/dev/null; }

# (plugin - skip) / psql of the minimums or medians: ratio min|median plugin-array skip-array psql-array
ratio() { echo "scale=3; ($(pick "$1" "${!2}") - $(pick "$1" "${!3}")) / $(pick "$1" "${!4}")" | bc; }
plain() { echo "scale=3; $(pick "$1" "${!2}") / $(pick "$1" "${!3}")" | bc; }

measure() { # label
  local label=$1 i t b ref
  declare -a P_DRY P_DRY_NN Q_DRY E_DRY P_APP Q_APP E_APP S_SKIP S_MVN S_EMPTY B_DRY B_APP S_PAIR R_DRY R_DRY_NN
  declare -a S_APP_PAIR R_APP P_APP_NN R_APP_NN
  for b in $APPLY_BASELINES; do eval "local -a Q_APP_${b//-/_}=()"; done
  mkdir -p "$WORK/out"
  for i in $(seq 1 "$RUNS"); do
    t=$(timed empty_maven); S_EMPTY+=("$t")
    t=$(timed plugin skip); S_SKIP+=("$t")
    t=$(timed plugin dry -Dbench.table=startup_probe); S_MVN+=("$t")
  done
  for i in $(seq 1 "$([ "$DRY" = 1 ] && echo "$RUNS" || echo 0)"); do
    rm -rf "$WORK/out"; mkdir -p "$WORK/out"
    t=$(timed plugin skip); S_PAIR+=("$t")
    t=$(timed plugin dry); P_DRY+=("$t"); t=$(timed psql_dry); Q_DRY+=("$t"); t=$(timed engine dry); E_DRY+=("$t")
    t=$(timed plugin dry -Dmigration-safety.nearDuplicates=false); P_DRY_NN+=("$t")
    R_DRY+=("$(echo "scale=3; (${P_DRY[-1]} - ${S_PAIR[-1]}) / ${Q_DRY[-1]}" | bc)")
    R_DRY_NN+=("$(echo "scale=3; (${P_DRY_NN[-1]} - ${S_PAIR[-1]}) / ${Q_DRY[-1]}" | bc)")
    if [ -n "$BASE_CP" ]; then t=$(timed engine_base dry); B_DRY+=("$t"); echo "[$label] run $i dry-run: engine at $BASELINE_REF $t s"; fi
    echo "[$label] run $i dry-run: plugin ${P_DRY[-1]} s, psql ${Q_DRY[-1]} s, engine ${E_DRY[-1]} s, plugin nearDuplicates=false ${P_DRY_NN[-1]} s, skip ${S_PAIR[-1]} s; this run's (plugin - skip) / psql ${R_DRY[-1]}, nearDuplicates=false ${R_DRY_NN[-1]}"
  done
  for i in $(seq 1 "$([ "$APPLY" = 1 ] && echo "$RUNS" || echo 0)"); do
    rm -rf "$WORK/out"; mkdir -p "$WORK/out"
    local line="" 
    t=$(timed plugin skip); S_APP_PAIR+=("$t")
    reset_table; t=$(timed plugin apply); P_APP+=("$t")
    reset_table; t=$(timed plugin apply -Dmigration-safety.nearDuplicates=true); P_APP_NN+=("$t")
    for b in $APPLY_BASELINES; do
      reset_table; t=$(timed psql_apply "$b"); eval "Q_APP_${b//-/_}+=(\"$t\")"; line="$line $b $t s,"
    done
    reset_table; t=$(timed engine apply); E_APP+=("$t")
    if [ -n "$BASE_CP" ]; then reset_table; t=$(timed engine_base apply); B_APP+=("$t"); echo "[$label] run $i apply: engine at $BASELINE_REF $t s"; fi
    echo "[$label] run $i apply: plugin ${P_APP[-1]} s, plugin nearDuplicates=true ${P_APP_NN[-1]} s, skip ${S_APP_PAIR[-1]} s, engine ${E_APP[-1]} s; psql:${line%,}; load average $(cut -d' ' -f1 /proc/loadavg)"
  done
  # the fastest hand-written apply: the baseline with the lowest median
  local fastest="" best=""
  if [ "$APPLY" = 1 ]; then
    for b in $APPLY_BASELINES; do
      ref="Q_APP_${b//-/_}[@]"; t=$(pick median "${!ref}")
      if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fastest=$b; fi
    done
    ref="Q_APP_${fastest//-/_}[@]"; Q_APP=("${!ref}")
    for i in "${!P_APP[@]}"; do
      R_APP+=("$(echo "scale=3; (${P_APP[$i]} - ${S_APP_PAIR[$i]}) / ${Q_APP[$i]}" | bc)")
      R_APP_NN+=("$(echo "scale=3; (${P_APP_NN[$i]} - ${S_APP_PAIR[$i]}) / ${Q_APP[$i]}" | bc)")
    done
  fi
  local deleted=$(($(psql_ -tAc 'SELECT COUNT(*) FROM model_metadata_template') - $(psql_ -tAc 'SELECT COUNT(*) FROM model_metadata')))
  reset_table; rm -rf "$WORK/out"; mkdir -p "$WORK/out"
  local heap="not run (APPLY=0)"
  if [ "$APPLY" = 1 ]; then
    if MAVEN_OPTS="-Xmx128m" plugin apply; then heap="ok"; else heap="FAILED"; fi
    reset_table
  fi

  {
    echo
    echo "== $label: rows=$ROWS groups=$DUP_GROUPS rows deleted per apply=$deleted runs=$RUNS ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'); work_mem $(psql_ -tAc 'SHOW work_mem'), shared_buffers $(psql_ -tAc 'SHOW shared_buffers'))"
    if [ "$DRY" = 1 ]; then
      echo "dry-run  plugin (mvn, defaults): $(stats "${P_DRY[@]}")   nearDuplicates=false: $(stats "${P_DRY_NN[@]}")   engine only: $(stats "${E_DRY[@]}")   psql \\copy: $(stats "${Q_DRY[@]}")"
    fi
    if [ "$APPLY" = 1 ]; then
      echo "apply    plugin (mvn, defaults): $(stats "${P_APP[@]}")   nearDuplicates=true: $(stats "${P_APP_NN[@]}")   engine only: $(stats "${E_APP[@]}")   skip beside each apply: $(stats "${S_APP_PAIR[@]}")"
      for b in $APPLY_BASELINES; do
        ref="Q_APP_${b//-/_}[@]"
        echo "apply    psql $b: $(stats "${!ref}")$([ "$b" = "$fastest" ] && echo "   <- the fastest (lowest median): the ratios below are against it")"
      done
    fi
    echo "apply with MAVEN_OPTS=-Xmx128m: $heap"
    echo "skip (-Dmigration-safety.skip=true: Maven start-up + plugin loading, subtracted below): $(stats "${S_SKIP[@]}")"
    echo "Maven + plugin start-up alone (dry-run of an empty table): $(stats "${S_MVN[@]}")"
    echo "Maven alone (validate of a project without plugins): $(stats "${S_EMPTY[@]}")"
    if [ "$DRY" = 1 ]; then
      echo "[$label] ratio dry-run (plugin - skip) / psql, goal <= 1.15: min $(ratio min 'P_DRY[@]' 'S_SKIP[@]' 'Q_DRY[@]'), median $(ratio median 'P_DRY[@]' 'S_SKIP[@]' 'Q_DRY[@]');  nearDuplicates=false: min $(ratio min 'P_DRY_NN[@]' 'S_SKIP[@]' 'Q_DRY[@]'), median $(ratio median 'P_DRY_NN[@]' 'S_SKIP[@]' 'Q_DRY[@]');  engine-only / psql: min $(plain min 'E_DRY[@]' 'Q_DRY[@]'), median $(plain median 'E_DRY[@]' 'Q_DRY[@]')"
      echo "[$label] ratio dry-run per run, each (plugin - skip) / psql from one run's three timings, goal <= 1.15: min $(pick min "${R_DRY[@]}"), median $(pick median "${R_DRY[@]}");  nearDuplicates=false: min $(pick min "${R_DRY_NN[@]}"), median $(pick median "${R_DRY_NN[@]}")"
    fi
    if [ "$APPLY" = 1 ]; then
      echo "[$label] ratio apply   (plugin - skip) / psql $fastest, goal <= 1.2:  min $(ratio min 'P_APP[@]' 'S_SKIP[@]' 'Q_APP[@]'), median $(ratio median 'P_APP[@]' 'S_SKIP[@]' 'Q_APP[@]');  nearDuplicates=true: min $(ratio min 'P_APP_NN[@]' 'S_SKIP[@]' 'Q_APP[@]'), median $(ratio median 'P_APP_NN[@]' 'S_SKIP[@]' 'Q_APP[@]');  engine-only / psql $fastest: min $(plain min 'E_APP[@]' 'Q_APP[@]'), median $(plain median 'E_APP[@]' 'Q_APP[@]')"
      echo "[$label] ratio apply per run, each (plugin - skip) / psql $fastest from one run's timings, goal <= 1.2: min $(pick min "${R_APP[@]}"), median $(pick median "${R_APP[@]}");  nearDuplicates=true: min $(pick min "${R_APP_NN[@]}"), median $(pick median "${R_APP_NN[@]}")"
      local against=""
      for b in $APPLY_BASELINES; do ref="Q_APP_${b//-/_}[@]"; against="$against $b $(ratio median 'P_APP[@]' 'S_SKIP[@]' "$ref"),"; done
      echo "[$label] ratio apply (plugin - skip) / each psql apply, medians:${against%,}"
    fi
    if [ -n "$BASE_CP" ]; then
      echo "engine at $BASELINE_REF: dry-run $(stats "${B_DRY[@]}")$([ "$APPLY" = 1 ] && echo "   apply $(stats "${B_APP[@]}")")"
      echo "[$label] ratio engine now / engine at $BASELINE_REF: dry-run min $(plain min 'E_DRY[@]' 'B_DRY[@]'), median $(plain median 'E_DRY[@]' 'B_DRY[@]')$([ "$APPLY" = 1 ] && echo ";  apply min $(plain min 'E_APP[@]' 'B_APP[@]'), median $(plain median 'E_APP[@]' 'B_APP[@]')")"
    fi
  } | tee -a "$WORK/summary.txt"
}

rm -f "$WORK/summary.txt"
measure "default settings"
if [ "$TUNED" = 1 ]; then
  pg_stop "$PGDATA"
  start_server "$TUNED_OPTS"
  psql_ -c "VACUUM ANALYZE model_metadata" >/dev/null
  measure "tuned: $TUNED_OPTS"
fi
if [ "$TUNED" = 1 ]; then echo; cat "$WORK/summary.txt"; fi
