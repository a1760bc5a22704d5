#!/usr/bin/env bash
# Prepares a snapshot directory for the real-changelogs profile from a local bare (or normal) git repository of
# a public project: the changelog files as the application's runtime classpath has them, taken with
# `git archive` at one commit. The snapshot stays outside this project; nothing here commits it.
#
# Usage: scripts/real-changelog-snapshot.sh NAME GIT_DIR COMMIT SNAPSHOTS_DIR
#
#   NAME           fineract | candlepin | openmrs | cromwell | gocd | tolgee | gravitee-apim |
#                  waltz | gobii (the case names RealChangelogComparison knows)
#   GIT_DIR        the repository's git directory (a bare mirror or a clone's .git)
#   COMMIT         the commit to take (the case names the one its figures in docs/goals/smoke.md are from)
#   SNAPSHOTS_DIR  where snapshots live; writes SNAPSHOTS_DIR/NAME/changelog/ and SNAPSHOTS_DIR/NAME/SNAPSHOT
#
# Then: ./mvnw -B verify -Preal-changelogs -Dreal-changelogs.snapshots=SNAPSHOTS_DIR [-Dreal-changelogs.only=NAME]
#
# Each NAME merges one or more resource directories of the repository into one root, the way the application's
# classpath sees them; two modules providing the same path is an error (the classpath would pick one silently).
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
name=$1
git_dir=$2
commit=$3
snapshots=$4
project=$(cd "$(dirname "$0")/.." && pwd)

git=(git --git-dir="$git_dir")
full_commit=$("${git[@]}" rev-parse --verify --quiet "$commit^{commit}") || {
  echo "error: commit $commit is not in $git_dir; fetch a newer snapshot of the repository or give a commit it has" >&2
  exit 1
}

snapshots=$(realpath -m "$snapshots")
case "$snapshots/" in
  "$project"/*)
    echo "error: $snapshots is inside this project ($project); keep snapshots of other projects outside it" >&2
    exit 1
    ;;
esac

# resource directory (in the repository) and the paths under it to take, one pair per line
case "$name" in
  fineract)
    repository=apache/fineract
    # every module's src/main/resources/db (db/changelog/... and any db/custom-changelog), merged: the master in
    # fineract-provider includes db/changelog/tenant/module/<module>/... from fineract-loan, fineract-investor, ...
    specs=$("${git[@]}" ls-tree -r -d --name-only "$full_commit" |
      sed -n 's:^\(.*/src/main/resources\)/db/changelog$:\1 db:p')
    ;;
  candlepin)
    repository=candlepin/candlepin
    # db/changelog/changelog-update.xml (the master Candlepin's MigrationManager runs) and the files it includes
    specs='src/main/resources db'
    ;;
  openmrs)
    repository=openmrs/openmrs-core
    # openmrs-api: the master changelogs at the classpath root and the snapshot/update files they include
    specs=$("${git[@]}" ls-tree --name-only "$full_commit" api/src/main/resources/ |
      sed -n 's:^api/src/main/resources/\(liquibase[^/]*\.xml\)$:api/src/main/resources \1:p')
    specs+=$'\napi/src/main/resources org/openmrs/liquibase'
    ;;
  cromwell)
    repository=broadinstitute/cromwell
    # the engine database's master changelog.xml (Cromwell's EngineLiquibaseSettings) and the files it includes;
    # the metadata database's sql_metadata_changelog.xml and its files too (26 changesets for postgresql: fewer than
    # the comparison's floor of 40, so no case reads it yet)
    specs=$(printf '%s\n' 'database/migration/src/main/resources changelog.xml' \
      'database/migration/src/main/resources changesets' \
      'database/migration/src/main/resources sql_metadata_changelog.xml' \
      'database/migration/src/main/resources metadata_changesets')
    ;;
  gocd)
    repository=gocd/gocd
    # db-migration-scripts/liquibase.xml (GoCD's DatabaseMigrator, from the classpath) and the files it includes
    specs='db-support/db-migration/src/main/resources db-migration-scripts'
    ;;
  tolgee)
    repository=tolgee/tolgee-platform
    # db/changelog/schema.xml (Tolgee's LiquibaseConfiguration, from the classpath of backend/data) and the sqlFile
    # scripts it names by classpath: paths; the EE module's ee-schema.xml (19 changesets, schema "ee") is left out
    specs='backend/data/src/main/resources db'
    # its four sqlFile paths are "classpath:db/changelog/....sql": Spring's resource accessor (SpringLiquibase)
    # resolves the prefix, Liquibase's own accessors (directory, class loader) do not and fail the changeset. The
    # snapshot also has these files under a directory named "classpath:db/changelog", where a directory accessor
    # finds them: Liquibase's update and the smoke then read what the application's SpringLiquibase reads
    spring_classpath_prefixed='db/changelog'
    ;;
  gravitee-apim)
    repository=gravitee-io/gravitee-api-management
    # liquibase/master.yml of the JDBC repository (AbstractJdbcRepositoryConfiguration, from the classpath) and the
    # changelogs it includes: the newest, where the Maven Central case gravitee is at 3.6.0
    specs='gravitee-apim-repository/gravitee-apim-repository-jdbc/src/main/resources liquibase'
    ;;
  waltz)
    repository=finos/waltz
    # liquibase/db.changelog-master.xml of waltz-schema (the liquibase-maven-plugin of waltz-schema/pom.xml and the
    # Docker image's liquibase update run it) and the files it includes, relative to it
    specs='waltz-schema/src/main/resources liquibase'
    ;;
  gobii)
    repository=kevinpalis/gobii-db
    # changelogs/db.changelog-master.xml, run by the Liquibase CLI from build/liquibase (its config.sh), and the
    # formatted SQL files under changesets/ that the per-version changelogs include by root-relative paths
    specs=$(printf '%s\n' 'build/liquibase changelogs' 'build/liquibase changesets')
    ;;
  *)
    echo "error: unknown snapshot '$name'; known: fineract, candlepin, openmrs, cromwell, gocd, tolgee, gravitee-apim, waltz, gobii" >&2
    exit 2
    ;;
esac
if [[ -z "$specs" ]]; then
  echo "error: no changelog directories found for $name at $full_commit" >&2
  exit 1
fi

spring_classpath_prefixed=${spring_classpath_prefixed:-}

target=$snapshots/$name
rm -rf "$target"
mkdir -p "$target/changelog"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sources=()
while read -r resources path; do
  [[ -z "$resources" ]] && continue
  rm -rf "$work/part" && mkdir -p "$work/part"
  # the tree of the resource directory, so paths in the archive are classpath paths
  "${git[@]}" archive "$full_commit:$resources" "$path" | tar -x -C "$work/part"
  # refuse two modules that provide the same file
  while IFS= read -r -d '' file; do
    relative=${file#"$work/part/"}
    if [[ -e "$target/changelog/$relative" ]]; then
      echo "error: $relative is in more than one resource directory (the second: $resources)" >&2
      exit 1
    fi
  done < <(find "$work/part" -type f -print0)
  cp -a "$work/part/." "$target/changelog/"
  sources+=("$resources/$path")
  echo "$resources/$path"
done <<< "$specs"

if [[ -n "$spring_classpath_prefixed" ]]; then
  mkdir -p "$target/changelog/classpath:$spring_classpath_prefixed"
  find "$target/changelog/$spring_classpath_prefixed" -maxdepth 1 -type f -name '*.sql' \
    -exec cp -a {} "$target/changelog/classpath:$spring_classpath_prefixed/" \;
  echo "classpath:$spring_classpath_prefixed (copies of $spring_classpath_prefixed/*.sql, for sqlFile paths with classpath:)"
fi

{
  echo "name=$name"
  echo "commit=$full_commit"
  echo "repository=$repository"
  for s in "${sources[@]}"; do
    echo "source=$s"
  done
  echo "files=$(find "$target/changelog" -type f | wc -l)"
} > "$target/SNAPSHOT"
echo "Wrote $target/changelog ($(find "$target/changelog" -type f | wc -l) files) from $full_commit"
