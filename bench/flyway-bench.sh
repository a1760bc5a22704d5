#!/usr/bin/env bash
# Benchmark: migration-safety:smoke on Flyway migrations against Flyway's own migrate (flyway-maven-plugin, the same
# Flyway 13.12.2; its migrate validates first) on 500 generated migrations (100 tables x create, add column, index,
# foreign key, data), both applying them to a fresh in-memory H2 in PostgreSQL mode. Each command is a full Maven
# invocation, as a user runs it; the runs are interleaved and repeated, and the script prints min/median per command
# and the ratio as the last lines.
#
#   bench/flyway-bench.sh [rounds] [tables]      (default 5 rounds, 100 tables = 500 migrations)
#
# Needs: the plugin installed in the local repository (the script runs ./mvnw install -DskipTests first) and
# network access to Maven Central for org.flywaydb:flyway-maven-plugin on the first run.
set -euo pipefail
ROUNDS=${1:-5}
TABLES=${2:-100}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/target/bench/flyway"
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
FLYWAY=$(sed -n 's:.*<flyway.version>\(.*\)</flyway.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
MVN="$ROOT/mvnw"

echo "Installing the plugin ($VERSION) into the local repository..."
"$MVN" -B -q -f "$ROOT/pom.xml" install -DskipTests -Dinvoker.skip=true

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
        <configuration>
          <migrationSource>flyway</migrationSource>
          <flywayLocations>filesystem:src/main/resources/db/migration</flywayLocations>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.flywaydb</groupId>
        <artifactId>flyway-maven-plugin</artifactId>
        <version>$FLYWAY</version>
        <configuration>
          <url>jdbc:h2:mem:bench;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;NON_KEYWORDS=VALUE,KEY</url>
          <user>sa</user>
          <locations><location>filesystem:src/main/resources/db/migration</location></locations>
        </configuration>
        <dependencies>
          <dependency>
            <groupId>com.h2database</groupId>
            <artifactId>h2</artifactId>
            <version>2.3.232</version>
          </dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
XML

declare -A CMDS=(
  [flyway-migrate]="org.flywaydb:flyway-maven-plugin:$FLYWAY:migrate"
  [smoke-flyway]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke"
)
ORDER=(flyway-migrate smoke-flyway)

run() { # prints milliseconds of one Maven invocation; fails loudly if the build fails
  local start end
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
for round in $(seq 1 "$ROUNDS"); do
  for name in "${ORDER[@]}"; do
    ms=$(run "${CMDS[$name]}")
    TIMES[$name]="${TIMES[$name]:-} $ms"
    echo "round $round  $name  ${ms} ms"
  done
done

stat() { # min and median of a list of numbers
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%d %d\n", a[1], m}'
}
declare -A MIN MED
for name in "${ORDER[@]}"; do
  read -r MIN[$name] MED[$name] < <(tr ' ' '\n' <<< "${TIMES[$name]}" | grep -v '^$' | stat)
  printf '%-15s min %6d ms  median %6d ms  (%s rounds, %s migrations)\n' "$name" "${MIN[$name]}" "${MED[$name]}" "$ROUNDS" "$n"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "ratio smoke-flyway / flyway-migrate (median): $(ratio "${MED[smoke-flyway]}" "${MED[flyway-migrate]}")x"
echo "ratio smoke-flyway / flyway-migrate (min): $(ratio "${MIN[smoke-flyway]}" "${MIN[flyway-migrate]}")x"
