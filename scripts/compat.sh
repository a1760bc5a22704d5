#!/usr/bin/env bash
# Runs the plugin on several Maven versions from Maven Central and writes target/compat/results.md.
# For each version: a passing `mvn verify` with the `connect` goal on H2, a failing one (a required table is
# missing: the build must fail with the plugin's message and no stack trace), `migration-safety:help`, and
# `mvn verify` of examples/multi-module (so every goal bound there is covered as the example grows).
# The WARNING lines each Maven prints about the plugin are kept in target/compat/<version>/*.log.
#
# Usage: scripts/compat.sh                         (versions: see MAVEN_VERSIONS below)
#        MAVEN_VERSIONS="3.6.3 3.9.16" scripts/compat.sh
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
VERSIONS=${MAVEN_VERSIONS:-"3.6.3 3.9.16 4.0.0-rc-4"}
out=$root/target/compat
repo=$out/repo
rm -rf "$out" && mkdir -p "$out/dist" "$repo"

echo "Building and installing the plugin into $repo ..."
./mvnw -B -q package -DskipTests -Dinvoker.skip || exit 1
plugin_version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' target/classes/META-INF/maven/plugin.xml | head -1)
jar=target/migration-safety-maven-plugin-$plugin_version.jar

# Artifacts already downloaded by the wrapper's Maven come from ~/.m2 through a file repository; anything
# else from Maven Central.
m2=${HOME}/.m2/repository
cat > "$out/settings.xml" <<SETTINGS
<settings>
  <profiles>
    <profile>
      <id>local-cache</id>
      <activation><activeByDefault>true</activeByDefault></activation>
      <repositories>
        <repository><id>local-cache</id><url>file://$m2</url><releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><checksumPolicy>ignore</checksumPolicy></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>local-cache</id><url>file://$m2</url><releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><checksumPolicy>ignore</checksumPolicy></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
</settings>
SETTINGS
./mvnw -B -q -s "$out/settings.xml" -Dmaven.repo.local="$repo" install:install-file -Dfile="$jar" -DpomFile=pom.xml \
  || exit 1

results=$out/results.md
{
  echo "| Maven | connect passes | missing table fails cleanly | help -Ddetail | examples/multi-module | plugin-related WARNING lines | time (s) |"
  echo "|---|---|---|---|---|---|---|"
} > "$results"

overall=0
for v in $VERSIONS; do
  echo "== Maven $v"
  ./mvnw -B -q dependency:copy -Dartifact="org.apache.maven:apache-maven:$v:tar.gz:bin" -DoutputDirectory="$out/dist" \
    || { echo "| $v | cannot download | | | | | |" >> "$results"; overall=1; continue; }
  tar -C "$out/dist" -xzf "$out/dist/apache-maven-$v-bin.tar.gz"
  mvn_bin=$out/dist/apache-maven-$v/bin/mvn
  dir=$out/$v
  mkdir -p "$dir/.mvn" # marks the project root, as Maven 4 expects
  sed "s/@PLUGIN_VERSION@/$plugin_version/" scripts/compat-project/pom.xml > "$dir/pom.xml"
  run() { # name, expected exit (0/1), mvn args...
    local name=$1 expect=$2; shift 2
    (cd "$dir" && MAVEN_OPTS="" "$mvn_bin" -B -s "$out/settings.xml" -Dmaven.repo.local="$repo" "$@" > "$dir/$name.log" 2>&1)
    local rc=$?
    if [[ $expect == 0 && $rc == 0 ]] || [[ $expect == 1 && $rc != 0 ]]; then return 0; fi
    return 1
  }
  start=$(date +%s)
  pass=FAIL; fails=FAIL; help=FAIL; example=FAIL
  # maven.plugin.validation=VERBOSE (3.9+ and 4) lists every deprecated or discouraged API the plugin uses
  if run verify 0 verify -Dmaven.plugin.validation=VERBOSE && grep -q '\[INFO\] Connected to H2 .* schema PUBLIC has 1 tables' "$dir/verify.log" \
      && [[ -f $dir/target/migration-safety/connect.sarif ]]; then
    pass=ok
  fi
  if run missing-table 1 verify -Drequired.table=no_such_table \
      && grep -q 'no_such_table' "$dir/missing-table.log" \
      && grep -q '1 required table(s) missing - see ' "$dir/missing-table.log" \
      && ! grep -qE $'^\tat [a-z]|^    at [a-z]' "$dir/missing-table.log"; then
    fails=ok
  fi
  if run help 0 io.github.migrationsafety:migration-safety-maven-plugin:"$plugin_version":help -Ddetail -Dgoal=connect \
      && grep -q 'User property: migration-safety.url' "$dir/help.log"; then
    help=ok
  fi
  mkdir -p "$dir/example/.mvn"
  tar -C examples/multi-module --exclude=target --exclude='*/target' -cf - . | tar -C "$dir/example" -xf -
  if (cd "$dir/example" && "$mvn_bin" -B -s "$out/settings.xml" -Dmaven.repo.local="$repo" verify \
        -Dmigration-safety-plugin.version="$plugin_version" -Dmaven.plugin.validation=VERBOSE > "$dir/example.log" 2>&1) \
      && grep -q '\[INFO\] BUILD SUCCESS' "$dir/example.log"; then
    example=ok
  fi
  warnings=$(cat "$dir"/*.log | grep -E '^\[WARNING\]' | grep -viE 'checksum' | grep -ciE 'migration-safety|plugin|deprecat' || true)
  [[ $pass == ok && $fails == ok && $help == ok && $example == ok ]] || overall=1
  echo "| $v | $pass | $fails | $help | $example | $warnings | $(( $(date +%s) - start )) |" >> "$results"
  grep -hE '^\[WARNING\]' "$dir"/*.log | grep -viE 'checksum' | grep -iE 'migration-safety|plugin|deprecat' | sort -u | sed "s/^/  $v: /" || true
done

echo
echo "Java: $(java -version 2>&1 | head -1)"
cat "$results"
exit $overall
