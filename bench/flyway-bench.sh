#!/usr/bin/env bash
# Benchmark: the smoke of a folder of Flyway migrations in one `mvn verify` (Flyway's validation, the offline SQL,
# Flyway's migrate on H2 and on PostgreSQL with the production-impact trace, all default parameters but the
# PostgreSQL server's URL) against Flyway's own separate runs of what it replaces, with flyway-maven-plugin (the same
# Flyway 13.12.2): `validate` and `migrate` on a fresh in-memory H2 (PostgreSQL mode), `migrate` and `validate` on a
# fresh PostgreSQL database. 500 generated migrations (100 tables x create, add column, index, foreign key, data).
# Each command is a full Maven invocation, as a user runs it; the runs are interleaved and repeated; the script
# prints min/median per command, the baseline's sum per round, and the ratio smoke / baseline per round (min and
# median: ratios from the same round share the machine's load) as the last lines.
#
#   bench/flyway-bench.sh [rounds] [tables]      (default 5 rounds, 100 tables = 500 migrations)
#   PORT=55436 bench/flyway-bench.sh             (the port of the PostgreSQL server the script starts)
#   BASELINE_REF=<commit> bench/flyway-bench.sh 5  (also the smoke of the plugin built at that commit, in each round)
#
# Needs: PostgreSQL's server binaries (Debian's postgresql package; installed with apt-get when missing), the plugin
# installed in the local repository (the script runs ./mvnw install -DskipTests first), and network access to Maven
# Central for org.flywaydb:flyway-maven-plugin on the first run. Both sides use the same server, started here with
# initdb's defaults; the smoke creates its own fresh database there, as Flyway's runs get one.
set -euo pipefail
ROUNDS=${1:-5}
TABLES=${2:-100}
PORT=${PORT:-55436}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/target/bench/flyway"
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
FLYWAY=$(sed -n 's:.*<flyway.version>\(.*\)</flyway.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
H2=$(sed -n 's:.*<h2.version>\(.*\)</h2.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
PGJDBC=$(sed -n 's:.*<postgresql.version>\(.*\)</postgresql.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
MVN="$ROOT/mvnw"
PGURL="jdbc:postgresql://127.0.0.1:$PORT"

. "$ROOT/bench/private-postgres.sh"
pg_binaries
PGDIR=/tmp/migration-safety-flyway-bench-pg
cleanup() { pg_stop "$PGDIR/data"; }
trap cleanup EXIT

echo "Installing the plugin ($VERSION) into the local repository..."
"$MVN" -B -q -f "$ROOT/pom.xml" install -DskipTests -Dinvoker.skip=true

rm -rf "$PGDIR"; mkdir -p "$PGDIR"; chmod 777 "$PGDIR"
pg_init "$PGDIR/data"
pg_start "$PGDIR/data" "$PGDIR/pg.log" "$PORT" "$PGDIR"
psql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }
echo "server: $("$PGBIN/postgres" --version), initdb's defaults"

rm -rf "$WORK" && mkdir -p "$WORK/src/main/resources/db/migration"
DIR="$WORK/src/main/resources/db/migration"
n=0
for i in $(seq 1 "$TABLES"); do
  parent=$(( i > 1 ? i - 1 : 1 ))
  n=$((n + 1)); echo "CREATE TABLE t$i (id BIGINT PRIMARY KEY, parent_id BIGINT, name VARCHAR(100) NOT NULL, value VARCHAR(50));" > "$DIR/V${n}__t${i}_create.sql"
  n=$((n + 1)); echo "ALTER TABLE t$i ADD COLUMN created_at TIMESTAMP;" > "$DIR/V${n}__t${i}_column.sql"
  n=$((n + 1)); echo "CREATE INDEX ix_t${i}_name ON t$i (name);" > "$DIR/V${n}__t${i}_index.sql"
  n=$((n + 1)); echo "ALTER TABLE t$i ADD CONSTRAINT fk_t${i}_parent FOREIGN KEY (parent_id) REFERENCES t$parent (id);" > "$DIR/V${n}__t${i}_fk.sql"
  n=$((n + 1)); printf "INSERT INTO t$i (id, name, value) VALUES (1, 'first', 'a');\nINSERT INTO t$i (id, name, value) VALUES (2, 'second', 'b');\n" > "$DIR/V${n}__t${i}_data.sql"
done

cat > "$WORK/pom.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>flyway-bench</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.migrationsafety</groupId>
        <artifactId>migration-safety-maven-plugin</artifactId>
        <version>$VERSION</version>
        <executions>
          <execution>
            <id>smoke</id>
            <goals><goal>smoke</goal></goals>
            <configuration>
              <migrationSource>flyway</migrationSource>
              <flywayLocations>filesystem:src/main/resources/db/migration</flywayLocations>
              <postgres>$PGURL/postgres</postgres>
              <username>postgres</username>
            </configuration>
          </execution>
        </executions>
      </plugin>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
        <version>$FLYWAY</version>
        <configuration>
          <locations><location>filesystem:src/main/resources/db/migration</location></locations>
        </configuration>
        <dependencies>
          <dependency>
            <groupId>org.flywaydb</groupId>
            <artifactId>flyway-database-postgresql</artifactId>
            <version>$FLYWAY</version>
          </dependency>
          <dependency>
            <groupId>org.postgresql</groupId>
            <artifactId>postgresql</artifactId>
            <version>$PGJDBC</version>
          </dependency>
          <dependency>
            <groupId>com.h2database</groupId>
            <artifactId>h2</artifactId>
            <version>$H2</version>
          </dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
XML

FW="org.flywaydb:flyway-maven-plugin:$FLYWAY"
H2URL="jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE,KEY"
declare -A CMDS=(
  # validate before migrate, as a build checks the migrations: a fresh database has them all pending
  [flyway-validate-h2]="$FW:validate -Dflyway.url=$H2URL -Dflyway.user=sa -Dflyway.ignoreMigrationPatterns=*:pending"
  [flyway-migrate-h2]="$FW:migrate -Dflyway.url=$H2URL -Dflyway.user=sa"
  [flyway-migrate-pg]="$FW:migrate -Dflyway.url=$PGURL/flyway_bench -Dflyway.user=postgres"
  # after migrate: every applied migration compared with its file
  [flyway-validate-pg]="$FW:validate -Dflyway.url=$PGURL/flyway_bench -Dflyway.user=postgres"
  [smoke-flyway]="verify"
)
ORDER=(flyway-validate-h2 flyway-migrate-h2 flyway-migrate-pg flyway-validate-pg smoke-flyway)
BASELINE=(flyway-validate-h2 flyway-migrate-h2 flyway-migrate-pg flyway-validate-pg)

# BASELINE_REF=<commit>: also time the smoke of the plugin built at that commit (same version, installed into its own
# local repository with ~/.m2 behind it), so a change and what it replaced share each round's load.
if [ -n "${BASELINE_REF:-}" ]; then
  BASE_SRC="$WORK/baseline-src" BASE_REPO="$WORK/baseline-repo"
  echo "Building the baseline plugin at $BASELINE_REF..."
  git -C "$ROOT" archive --format=tar --prefix=baseline-src/ "$BASELINE_REF" | tar -C "$WORK" -xf -
  "$MVN" -B -q -f "$BASE_SRC/pom.xml" install -DskipTests -Dinvoker.skip=true -Dmaven.repo.local="$BASE_REPO" \
    -Dmaven.repo.local.tail="$HOME/.m2/repository"
  CMDS[smoke-flyway-baseline]="verify -Dmaven.repo.local=$BASE_REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"
  ORDER+=(smoke-flyway-baseline)
fi

run() { # prints milliseconds of one Maven invocation; fails loudly if the build fails
  local start end
  if [[ $1 == *:migrate* && $1 == *flyway_bench* ]]; then # a fresh database, outside the time
    psql -c "DROP DATABASE IF EXISTS flyway_bench" -c "CREATE DATABASE flyway_bench"
  fi
  start=$(date +%s%N)
  if ! (cd "$WORK" && "$MVN" -B -q $1 > "$WORK/last.log" 2>&1); then
    echo "command failed: mvn $1" >&2; cat "$WORK/last.log" >&2; exit 1
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

echo "Warm-up (downloads, JIT caches)..."
for name in "${ORDER[@]}"; do run "${CMDS[$name]}" > /dev/null; done

declare -A TIMES
RATIOS=""
BASE_RATIOS=""
BASES=""
for round in $(seq 1 "$ROUNDS"); do
  base=0
  declare -A THIS=()
  for name in "${ORDER[@]}"; do
    ms=$(run "${CMDS[$name]}")
    TIMES[$name]="${TIMES[$name]:-} $ms"
    THIS[$name]=$ms
    [[ $name == flyway-* ]] && base=$((base + ms))
    echo "round $round  $name  ${ms} ms"
  done
  ratio=$(awk -v a="${THIS[smoke-flyway]}" -v b="$base" 'BEGIN {printf "%.3f", a / b}')
  RATIOS="$RATIOS $ratio"; BASES="$BASES $base"
  line="round $round  flyway (4 runs)  ${base} ms  ratio smoke/flyway ${ratio}x"
  if [ -n "${BASELINE_REF:-}" ]; then
    bratio=$(awk -v a="${THIS[smoke-flyway-baseline]}" -v b="$base" 'BEGIN {printf "%.3f", a / b}')
    BASE_RATIOS="$BASE_RATIOS $bratio"
    line="$line  (at $BASELINE_REF ${bratio}x)"
  fi
  echo "$line  load $(cut -d' ' -f1-3 /proc/loadavg)"
done

stat() { # min and median of a list of numbers
  sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%s %s\n", a[1], m}'
}
declare -A MIN MED
for name in "${ORDER[@]}"; do
  read -r MIN[$name] MED[$name] < <(tr ' ' '\n' <<< "${TIMES[$name]}" | grep -v '^$' | stat)
  printf '%-19s min %6d ms  median %6d ms  (%s rounds, %s migrations)\n' "$name" "${MIN[$name]}" "${MED[$name]}" "$ROUNDS" "$n"
done
read -r bmin bmed < <(tr ' ' '\n' <<< "$BASES" | grep -v '^$' | stat)
printf '%-19s min %6d ms  median %6d ms  (sum of the 4 runs per round)\n' "flyway (4 runs)" "$bmin" "$bmed"
read -r rmin rmed < <(tr ' ' '\n' <<< "$RATIOS" | grep -v '^$' | stat)
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASELINE_REF:-}" ]; then
  read -r bmin bmed < <(tr ' ' '\n' <<< "$BASE_RATIOS" | grep -v '^$' | stat)
  echo "ratio smoke-flyway at $BASELINE_REF / flyway's 4 runs, per round: min ${bmin}x, median ${bmed}x"
fi
echo "ratio smoke-flyway / flyway's 4 runs, per round: min ${rmin}x, median ${rmed}x"
