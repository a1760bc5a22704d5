#!/usr/bin/env bash
# Benchmark: migration-safety:smoke against the liquibase-maven-plugin (same Liquibase 4.33.0) on a generated
# changelog of 500 changesets (tables, columns, indexes, foreign keys, data), both applying it to a fresh
# in-memory H2 in PostgreSQL mode. Each command is a full Maven invocation, as a user runs it; the runs are
# interleaved and repeated, and the script prints min/median per command and the ratios as the last lines.
#
#   bench/smoke-bench.sh [rounds]        (default 5 rounds)
#   BASELINE_REF=<commit> bench/smoke-bench.sh 3   (also the full smoke of the plugin built at that commit)
#
# Needs: the plugin installed in the local repository (the script runs ./mvnw install -DskipTests first) and
# network access to Maven Central for org.liquibase:liquibase-maven-plugin:4.33.0 on the first run.
set -euo pipefail
ROUNDS=${1:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/target/bench/smoke"
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
MVN="$ROOT/mvnw"

echo "Installing the plugin ($VERSION) into the local repository..."
"$MVN" -B -q -f "$ROOT/pom.xml" install -DskipTests -Dinvoker.skip=true

rm -rf "$WORK" && mkdir -p "$WORK/src/main/resources/db/changelog"
CHANGELOG="$WORK/src/main/resources/db/changelog/db.changelog-master.xml"
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"'
  echo '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
  echo '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">'
  for i in $(seq 1 100); do
    parent=$(( i > 1 ? i - 1 : 1 ))
    cat <<XML
  <changeSet id="t$i-create" author="bench">
    <createTable tableName="t$i">
      <column name="id" type="BIGINT"><constraints primaryKey="true" nullable="false"/></column>
      <column name="parent_id" type="BIGINT"/>
      <column name="name" type="VARCHAR(100)"><constraints nullable="false"/></column>
      <column name="value" type="VARCHAR(50)"/>
    </createTable>
  </changeSet>
  <changeSet id="t$i-column" author="bench">
    <addColumn tableName="t$i"><column name="created_at" type="TIMESTAMP"/></addColumn>
  </changeSet>
  <changeSet id="t$i-index" author="bench">
    <createIndex tableName="t$i" indexName="ix_t${i}_name"><column name="name"/></createIndex>
  </changeSet>
  <changeSet id="t$i-fk" author="bench">
    <addForeignKeyConstraint baseTableName="t$i" baseColumnNames="parent_id" constraintName="fk_t${i}_parent"
        referencedTableName="t$parent" referencedColumnNames="id"/>
  </changeSet>
  <changeSet id="t$i-data" author="bench">
    <insert tableName="t$i"><column name="id" valueNumeric="1"/><column name="name" value="first"/><column name="value" value="a"/></insert>
    <insert tableName="t$i"><column name="id" valueNumeric="2"/><column name="name" value="second"/><column name="value" value="b"/></insert>
    <rollback><delete tableName="t$i"/></rollback>
  </changeSet>
XML
  done
  echo '</databaseChangeLog>'
} > "$CHANGELOG"

cat > "$WORK/pom.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>smoke-bench</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.migrationsafety</groupId>
        <artifactId>migration-safety-maven-plugin</artifactId>
        <version>$VERSION</version>
        <configuration>
          <changeLogFile>db/changelog/db.changelog-master.xml</changeLogFile>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.liquibase</groupId>
        <artifactId>liquibase-maven-plugin</artifactId>
        <version>4.33.0</version>
        <configuration>
          <searchPath>\${project.basedir}/src/main/resources</searchPath>
          <changeLogFile>db/changelog/db.changelog-master.xml</changeLogFile>
          <url>jdbc:h2:mem:bench;MODE=PostgreSQL;NON_KEYWORDS=VALUE,KEY</url>
          <username>sa</username>
          <password></password>
          <promptOnNonLocalDatabase>false</promptOnNonLocalDatabase>
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
  [liquibase-update]="org.liquibase:liquibase-maven-plugin:4.33.0:update -Dliquibase.analytics.enabled=false"
  [smoke-no-rollback]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke -Dmigration-safety.testRollback=false"
  [smoke-full]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke"
)
ORDER=(liquibase-update smoke-no-rollback smoke-full)

# BASELINE_REF=<commit>: also time the full smoke of the plugin built at that commit (same version, installed into
# its own local repository with ~/.m2 behind it), to compare a change of the default with what it replaced.
if [ -n "${BASELINE_REF:-}" ]; then
  BASE_SRC="$WORK/baseline-src" BASE_REPO="$WORK/baseline-repo"
  echo "Building the baseline plugin at $BASELINE_REF..."
  git -C "$ROOT" archive --format=tar --prefix=baseline-src/ "$BASELINE_REF" | tar -C "$WORK" -xf -
  "$MVN" -B -q -f "$BASE_SRC/pom.xml" install -DskipTests -Dinvoker.skip=true -Dmaven.repo.local="$BASE_REPO" \
    -Dmaven.repo.local.tail="$HOME/.m2/repository"
  CMDS[smoke-full-baseline]="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION:smoke -Dmaven.repo.local=$BASE_REPO -Dmaven.repo.local.tail=$HOME/.m2/repository"
  ORDER+=(smoke-full-baseline)
fi

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
  printf '%-18s min %6d ms  median %6d ms  (%s rounds, 500 changesets)\n' "$name" "${MIN[$name]}" "${MED[$name]}" "$ROUNDS"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "ratio smoke-no-rollback / liquibase-update (median): $(ratio "${MED[smoke-no-rollback]}" "${MED[liquibase-update]}")x  (goal <= 1.10x)"
echo "ratio smoke-full / liquibase-update (median): $(ratio "${MED[smoke-full]}" "${MED[liquibase-update]}")x"
if [ -n "${BASELINE_REF:-}" ]; then
  echo "ratio smoke-full / smoke-full-baseline at $BASELINE_REF (median): $(ratio "${MED[smoke-full]}" "${MED[smoke-full-baseline]}")x"
  echo "ratio smoke-full / smoke-full-baseline at $BASELINE_REF (min): $(ratio "${MIN[smoke-full]}" "${MIN[smoke-full-baseline]}")x"
fi
