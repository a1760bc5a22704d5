#!/usr/bin/env bash
# Benchmark of the smoke's rehearsal on production's schema against the "staging restore" a team does by hand, side
# by side on one PostgreSQL 15 server (Debian package, a private cluster under /tmp on its own port, initdb's DEFAULT
# settings: work_mem 4MB, shared_buffers 128MB).
#
# Production (database prod): Liquibase's own update (liquibase-maven-plugin 4.33.0, -Dliquibase.labelFilter=applied)
# ran the changesets of bench/rehearsal-project labelled "applied" (owner, model_metadata, an index), then owner got
# 1,000 rows and model_metadata ROWS rows (generate_series). Pending: NOT NULL on name, UNIQUE (name, version), a
# foreign key owner_id -> owner(id). Two cases, the same table:
#   fails:  DUPS extra rows repeat existing (name, version) pairs: the unique key cannot be added
#   passes: those rows deleted again
# For each case, RUNS times, interleaved:
#   staging:   pg_dump -Fc of prod; createdb + pg_restore into a new database; mvn liquibase:update there (the same
#              changelog, liquibase-maven-plugin 4.33.0); the staging database is dropped afterwards (not timed)
#   rehearsal: mvn migration-safety:smoke with -Dmigration-safety.url=<prod> and otherwise default parameters, the
#              scratch databases on the same server (-Dmigration-safety.postgres=<that server>); the rehearsal's
#              parts come from the smoke's own log lines (pg_dump, restore, update, drift, data counts, total)
#   embedded:  (EMBEDDED=1) the same smoke with -Dmigration-safety.postgres=embedded
# Both sides must give the same verdict (fails: both fail; passes: both pass), or the script stops.
# The plugin runs from target/local-repo (filled by invoker:install) with ~/.m2 as a read-only tail; the
# liquibase-maven-plugin comes from ~/.m2 (offline).
# The ratios are the last lines: rehearsal / staging restore (goal <= 0.1), of the minimums and of the medians.
#
# Usage: bench/rehearsal-bench.sh                 (ROWS=5000000 DUPS=100 RUNS=3 CASES="fails passes" PORT=55433)
#        EMBEDDED=1 bench/rehearsal-bench.sh      (also the smoke with postgres=embedded)
#        ROWS=100000 RUNS=1 bench/rehearsal-bench.sh   (a quick check of the script)
set -euo pipefail

ROWS=${ROWS:-5000000}
DUPS=${DUPS:-100}
RUNS=${RUNS:-3}
PORT=${PORT:-55433}
CASES=${CASES:-"fails passes"}
EMBEDDED=${EMBEDDED:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/migration-safety-rehearsal-bench}
PGDATA=$WORK/pgdata
SERVER="jdbc:postgresql://127.0.0.1:$PORT"

. "$ROOT/bench/private-postgres.sh"
pg_binaries 15
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

cleanup() { pg_stop "$PGDATA"; }
trap cleanup EXIT
rm -rf "$WORK"; mkdir -p "$WORK/out"; chmod 777 "$WORK"
pg_init "$PGDATA"
pg_start "$PGDATA" "$WORK/pg.log" "$PORT" "$WORK"
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres prod

echo "building the plugin into target/local-repo ..."
(cd "$ROOT" && ./mvnw -B -o -q -DskipTests package invoker:install@integration-test)
VERSION=$(cd "$ROOT" && sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)

mvn_() { # log-file maven-arguments ...: one Maven run on bench/rehearsal-project; its exit status
  local log=$1; shift
  "$ROOT/mvnw" -B -o -f "$ROOT/bench/rehearsal-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" \
    -Dmaven.repo.local.tail="${M2_REPO:-$HOME/.m2/repository}" -Dplugin.version="$VERSION" "$@" >"$log" 2>&1
}
liquibase_update() { # database [extra -D ...]
  local db=$1; shift
  mvn_ "$WORK/out/liquibase-$db.log" org.liquibase:liquibase-maven-plugin:4.33.0:update -Dliquibase.analytics.enabled=false \
    -Dliquibase.url="$SERVER/$db" -Dliquibase.username=postgres -Dliquibase.password= "$@"
}

# the plugin's and liquibase-maven-plugin's dependencies, once and online (the timed runs are offline)
"$ROOT/mvnw" -B -q -f "$ROOT/bench/rehearsal-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" \
  -Dmaven.repo.local.tail="${M2_REPO:-$HOME/.m2/repository}" -Dplugin.version="$VERSION" \
  "io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:help" org.liquibase:liquibase-maven-plugin:4.33.0:help >/dev/null

echo "production: the applied changesets, then $ROWS rows ..."
liquibase_update prod -Dliquibase.labelFilter=applied || { cat "$WORK/out/liquibase-prod.log"; exit 1; }
t0=$(date +%s.%N)
psql_ -d prod <<SQL
INSERT INTO owner(id, name) SELECT g, 'owner-' || g FROM generate_series(1, 1000) g;
INSERT INTO model_metadata(name, version, created_at, payload, owner_id)
  SELECT 'model-' || g, 'v' || (g % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second',
         md5(g::text) || md5((g + 1)::text), g % 1000 + 1
  FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL
echo "loaded in $(echo "$(date +%s.%N) - $t0" | bc) s: $(psql_ -d prod -tAc 'SELECT count(*) FROM model_metadata') rows," \
  "$(psql_ -d prod -tAc "SELECT pg_size_pretty(pg_database_size('prod'))")"

set_case() { # fails | passes
  psql_ -d prod -c "DELETE FROM model_metadata WHERE id > $ROWS" >/dev/null
  if [ "$1" = fails ]; then
    psql_ -d prod -c "INSERT INTO model_metadata(name, version, created_at, payload, owner_id)
      SELECT name, version, created_at, payload, owner_id FROM model_metadata WHERE id <= $DUPS" >/dev/null
  fi
  psql_ -d prod -c "VACUUM ANALYZE model_metadata" >/dev/null
}

ms() { date +%s%N | cut -c1-13; }
# one staging restore; sets ST_DUMP ST_RESTORE ST_UPDATE ST_TOTAL (ms) and ST_VERDICT
staging() {
  local s e
  rm -f "$WORK/prod.dump"
  s=$(ms); "$PGBIN/pg_dump" -Fc -h 127.0.0.1 -p "$PORT" -U postgres -f "$WORK/prod.dump" prod; e=$(ms); ST_DUMP=$((e - s))
  s=$(ms); "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres staging
  "$PGBIN/pg_restore" -h 127.0.0.1 -p "$PORT" -U postgres -d staging "$WORK/prod.dump"; e=$(ms); ST_RESTORE=$((e - s))
  s=$(ms); if liquibase_update staging; then ST_VERDICT=passes; else ST_VERDICT=fails; fi; e=$(ms); ST_UPDATE=$((e - s))
  ST_TOTAL=$((ST_DUMP + ST_RESTORE + ST_UPDATE))
  "$PGBIN/dropdb" -h 127.0.0.1 -p "$PORT" -U postgres staging; rm -f "$WORK/prod.dump"
}
# one smoke with url = production; sets RH_DUMP RH_RESTORE RH_UPDATE RH_DRIFT RH_DATA RH_TOTAL (the smoke's own
# figures, ms), RH_MVN (the whole mvn run, ms) and RH_VERDICT
rehearsal() { # postgres-parameter label
  local s e log="$WORK/out/smoke-$2.log"
  rm -rf "$ROOT/bench/rehearsal-project/target"
  s=$(ms)
  # time stamps on the log lines show where the rest of the smoke's time goes
  if MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" mvn_ "$log" "io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke" \
    -Dmigration-safety.url="$SERVER/prod" -Dmigration-safety.username=postgres -Dmigration-safety.postgres="$1"; then
    RH_VERDICT=passes; else RH_VERDICT=fails; fi
  e=$(ms); RH_MVN=$((e - s))
  local copied; copied=$(grep 'Rehearsal: pg_dump' "$log" | sed -n 's/.*(\([0-9]*\) ms + \([0-9]*\) ms)$/\1 \2/p')
  RH_DUMP=${copied% *}; RH_RESTORE=${copied#* }
  RH_UPDATE=$(grep -E 'Rehearsal: [0-9]+ pending changeset' "$log" | sed -n 's/.*(\([0-9]*\) ms)$/\1/p')
  RH_DRIFT=$(grep 'Rehearsal: drift:' "$log" | sed -n 's/.*(\([0-9]*\) ms)$/\1/p')
  RH_DATA=$(grep 'Rehearsal: data:' "$log" | sed -n 's/.*(\([0-9]*\) ms)$/\1/p')
  RH_TOTAL=$(sed -n "s/.*Rehearsal on production's schema [a-z]* in \([0-9]*\) ms.*/\1/p" "$log")
  if [ -z "$RH_TOTAL" ] || [ -z "$RH_DATA" ]; then echo "the smoke did not rehearse, see $log:" >&2; tail -40 "$log" >&2; exit 1; fi
}

stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %.2f s  median %.2f s", a[1] / 1000, a[int((NR+1)/2)] / 1000}'; }
pick() { printf '%s\n' "${@:2}" | sort -g | awk -v w="$1" '{a[NR]=$1} END {print (w == "min" ? a[1] : a[int((NR+1)/2)])}'; }
ratio() { echo "scale=3; $(pick "$1" "${!2}") / $(pick "$1" "${!3}")" | bc; }

echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in $CASES; do
  set_case "$c"
  declare -a S_DUMP=() S_RESTORE=() S_UPDATE=() S_TOTAL=() R_DUMP=() R_RESTORE=() R_UPDATE=() R_DRIFT=() R_DATA=() R_TOTAL=() R_MVN=() E_TOTAL=() E_MVN=()
  for i in $(seq 1 "$RUNS"); do
    staging
    S_DUMP+=("$ST_DUMP"); S_RESTORE+=("$ST_RESTORE"); S_UPDATE+=("$ST_UPDATE"); S_TOTAL+=("$ST_TOTAL")
    rehearsal "$SERVER/postgres" "$c-$i"
    R_DUMP+=("$RH_DUMP"); R_RESTORE+=("$RH_RESTORE"); R_UPDATE+=("$RH_UPDATE"); R_DRIFT+=("$RH_DRIFT")
    R_DATA+=("$RH_DATA"); R_TOTAL+=("$RH_TOTAL"); R_MVN+=("$RH_MVN")
    if [ "$ST_VERDICT" != "$c" ] || [ "$RH_VERDICT" != "$c" ]; then
      echo "[$c] run $i: verdicts differ from the case: staging $ST_VERDICT, rehearsal $RH_VERDICT (logs in $WORK/out)" >&2; exit 1
    fi
    line="[$c] run $i: staging pg_dump -Fc $ST_DUMP ms, restore $ST_RESTORE ms, liquibase:update $ST_UPDATE ms = $ST_TOTAL ms ($ST_VERDICT);"
    line+=" rehearsal pg_dump $RH_DUMP ms, restore $RH_RESTORE ms, update $RH_UPDATE ms, drift $RH_DRIFT ms, data $RH_DATA ms = $RH_TOTAL ms, whole mvn smoke $RH_MVN ms ($RH_VERDICT)"
    if [ "$EMBEDDED" = 1 ]; then
      rehearsal embedded "$c-$i-embedded"
      E_TOTAL+=("$RH_TOTAL"); E_MVN+=("$RH_MVN")
      [ "$RH_VERDICT" = "$c" ] || { echo "[$c] run $i: the embedded smoke $RH_VERDICT" >&2; exit 1; }
      line+="; postgres=embedded: rehearsal $RH_TOTAL ms, whole mvn smoke $RH_MVN ms"
    fi
    echo "$line; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  done
  {
    echo
    echo "== $c: rows=$ROWS$([ "$c" = fails ] && echo " (+$DUPS duplicates)") runs=$RUNS ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), work_mem $(psql_ -d prod -tAc 'SHOW work_mem'), shared_buffers $(psql_ -d prod -tAc 'SHOW shared_buffers'))"
    echo "staging  pg_dump -Fc: $(stats "${S_DUMP[@]}")   createdb + pg_restore: $(stats "${S_RESTORE[@]}")   mvn liquibase:update: $(stats "${S_UPDATE[@]}")   total: $(stats "${S_TOTAL[@]}")"
    echo "rehearsal pg_dump --schema-only: $(stats "${R_DUMP[@]}")   restore + history rows: $(stats "${R_RESTORE[@]}")   update: $(stats "${R_UPDATE[@]}")   drift: $(stats "${R_DRIFT[@]}")   data counts: $(stats "${R_DATA[@]}")   total: $(stats "${R_TOTAL[@]}")"
    echo "whole mvn smoke (url=production, postgres=the same server): $(stats "${R_MVN[@]}")"
    if [ "$EMBEDDED" = 1 ]; then echo "postgres=embedded: rehearsal $(stats "${E_TOTAL[@]}")   whole mvn smoke $(stats "${E_MVN[@]}")"; fi
    echo "[$c] ratio rehearsal / staging restore, goal <= 0.1: min $(ratio min 'R_TOTAL[@]' 'S_TOTAL[@]'), median $(ratio median 'R_TOTAL[@]' 'S_TOTAL[@]');  whole mvn smoke / staging restore: min $(ratio min 'R_MVN[@]' 'S_TOTAL[@]'), median $(ratio median 'R_MVN[@]' 'S_TOTAL[@]')"
  } | tee -a "$WORK/summary.txt"
done
echo; cat "$WORK/summary.txt"
