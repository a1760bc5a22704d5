#!/usr/bin/env bash
# Benchmark of the smoke's production-impact estimate with url = a production of ROWS rows, default parameters.
#
# Production is the one of bench/rehearsal-bench.sh (its setup steps copied here): one PostgreSQL 15 (Debian
# package, a private cluster under /tmp on its own port, initdb's DEFAULT settings), Liquibase's own update
# (liquibase-maven-plugin 4.33.0, -Dliquibase.labelFilter=applied) of bench/rehearsal-project's changesets labelled
# "applied" (owner, model_metadata, an index), then owner got 1,000 rows and model_metadata ROWS rows. Pending: NOT
# NULL on name, UNIQUE (name, version), a foreign key owner_id -> owner(id). No duplicates: the smoke passes.
#
# Each of RUNS runs: mvn migration-safety:smoke -Dmigration-safety.url=<prod>, the smoke's own databases on the same
# server (-Dmigration-safety.postgres=<that server>), every other parameter at its default; the mojo's debug lines on
# (only its logger: -Dorg.slf4j.simpleLogger.log.io.github.migrationsafety.maven.SmokeMojo=debug), from which the
# estimate's time is summed ("Estimate of ... took N ms", one line per traced lock), printed with its parts (a fresh
# schema with the changesets before the measured one; per run: fill and vacuum analyze, the change with the probe). Printed per run: the whole mvn
# run, the estimate, its share, the estimates' info lines, the load average; then min and median over the runs.
#
# Usage: bench/estimate-bench.sh                     (ROWS=5000000 RUNS=3 PORT=55491)
#        KEEP=1 bench/estimate-bench.sh              (reuse the production of a previous run, leave the server up)
#        BUILD=0 ...                                 (run the plugin already in target/local-repo)
#        ROWS=100000 RUNS=1 bench/estimate-bench.sh  (a quick check of the script)
set -euo pipefail

ROWS=${ROWS:-5000000}
RUNS=${RUNS:-3}
PORT=${PORT:-55491}
KEEP=${KEEP:-0}
BUILD=${BUILD:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/migration-safety-estimate-bench}
PGDATA=$WORK/pgdata
SERVER="jdbc:postgresql://127.0.0.1:$PORT"

. "$ROOT/bench/private-postgres.sh"
pg_binaries 15
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }

cleanup() { [ "$KEEP" = 1 ] || pg_stop "$PGDATA"; }
trap cleanup EXIT
fresh=1
if [ "$KEEP" = 1 ] && [ -f "$WORK/loaded-$ROWS" ]; then
  fresh=0
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 || pg_start "$PGDATA" "$WORK/pg.log" "$PORT" "$WORK"
else
  pg_stop "$PGDATA"
  rm -rf "$WORK"; mkdir -p "$WORK/out"; chmod 777 "$WORK"
  pg_init "$PGDATA"
  pg_start "$PGDATA" "$WORK/pg.log" "$PORT" "$WORK"
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres prod
fi
mkdir -p "$WORK/out"

if [ "$BUILD" = 1 ]; then
  echo "building the plugin into target/local-repo ..."
  (cd "$ROOT" && ./mvnw -B -o -q -DskipTests package invoker:install@integration-test)
fi
VERSION=$(cd "$ROOT" && sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' pom.xml | head -1)

mvn_() { # log-file maven-arguments ...: one Maven run on bench/rehearsal-project; its exit status
  local log=$1; shift
  "$ROOT/mvnw" -B -o -f "$ROOT/bench/rehearsal-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" \
    -Dmaven.repo.local.tail="${M2_REPO:-$HOME/.m2/repository}" -Dplugin.version="$VERSION" "$@" >"$log" 2>&1
}

if [ "$fresh" = 1 ]; then
  # the plugin's and liquibase-maven-plugin's dependencies, once and online (the timed runs are offline)
  "$ROOT/mvnw" -B -q -f "$ROOT/bench/rehearsal-project/pom.xml" -Dmaven.repo.local="$ROOT/target/local-repo" \
    -Dmaven.repo.local.tail="${M2_REPO:-$HOME/.m2/repository}" -Dplugin.version="$VERSION" \
    "io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:help" org.liquibase:liquibase-maven-plugin:4.33.0:help >/dev/null
  echo "production: the applied changesets, then $ROWS rows ..."
  mvn_ "$WORK/out/liquibase-prod.log" org.liquibase:liquibase-maven-plugin:4.33.0:update -Dliquibase.analytics.enabled=false \
    -Dliquibase.url="$SERVER/prod" -Dliquibase.username=postgres -Dliquibase.password= -Dliquibase.labelFilter=applied \
    || { cat "$WORK/out/liquibase-prod.log"; exit 1; }
  psql_ -d prod <<SQL
INSERT INTO owner(id, name) SELECT g, 'owner-' || g FROM generate_series(1, 1000) g;
INSERT INTO model_metadata(name, version, created_at, payload, owner_id)
  SELECT 'model-' || g, 'v' || (g % 5), TIMESTAMPTZ '2025-01-01 00:00:00+00' + g * INTERVAL '1 second',
         md5(g::text) || md5((g + 1)::text), g % 1000 + 1
  FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL
  touch "$WORK/loaded-$ROWS"
fi
echo "production: $(psql_ -d prod -tAc 'SELECT count(*) FROM model_metadata') rows in model_metadata," \
  "$(psql_ -d prod -tAc "SELECT pg_size_pretty(pg_database_size('prod'))")"

ms() { date +%s%N | cut -c1-13; }
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %.2f s  median %.2f s", a[1] / 1000, a[int((NR+1)/2)] / 1000}'; }

declare -a MVN=() EST=()
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
  log="$WORK/out/smoke-$i.log"
  rm -rf "$ROOT/bench/rehearsal-project/target"
  s=$(ms)
  if MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.log.io.github.migrationsafety.maven.SmokeMojo=debug -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" \
    mvn_ "$log" "io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke" \
    -Dmigration-safety.url="$SERVER/prod" -Dmigration-safety.username=postgres -Dmigration-safety.postgres="$SERVER/postgres"; then
    verdict=passes; else verdict=fails; fi
  e=$(ms); whole=$((e - s))
  est=$(sed -n 's/.*Estimate of .* took \([0-9]*\) ms.*/\1/p' "$log" | awk '{t += $1} END {print t + 0}')
  if [ "$est" = 0 ]; then echo "run $i: no estimate in $log:" >&2; tail -40 "$log" >&2; exit 1; fi
  MVN+=("$whole"); EST+=("$est")
  echo "run $i: whole mvn smoke $whole ms ($verdict), estimate $est ms ($(( 100 * est / whole )) %); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -o 'Impact of .*' "$log" | sed 's/^/    /' || true
  grep -o 'Estimate of .*' "$log" | sed 's/^/      /' || true
done
echo
echo "== rows=$ROWS runs=$RUNS ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), work_mem $(psql_ -d prod -tAc 'SHOW work_mem'), shared_buffers $(psql_ -d prod -tAc 'SHOW shared_buffers'))" | tee -a "$WORK/summary.txt"
echo "estimate: $(stats "${EST[@]}")   whole mvn smoke: $(stats "${MVN[@]}")" | tee -a "$WORK/summary.txt"
