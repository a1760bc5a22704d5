#!/usr/bin/env bash
# Prepares a snapshot directory for the real-flyway profile from a local bare (or normal) git repository of a public
# project: its Flyway migration folders, taken with `git archive` at one commit, under their paths in the repository.
# The snapshot stays outside this project; nothing here commits it.
#
# Usage: scripts/real-flyway-snapshot.sh NAME GIT_DIR COMMIT SNAPSHOTS_DIR
#
#   NAME           webapi | mirror-node | openlmis-referencedata (the cases RealFlywayComparison knows)
#   GIT_DIR        the repository's git directory (a bare mirror or a clone's .git): OHDSI/WebAPI for webapi,
#                  hiero-ledger/hiero-mirror-node (or a fork that has the commit, such as
#                  xin-hedera/hedera-mirror-node) for mirror-node, OpenLMIS/openlmis-referencedata for
#                  openlmis-referencedata
#   COMMIT         the commit to take: webapi b22d7bf02d98c0cf78c46801877368d6ecad2245,
#                  mirror-node 22d6b220f052854cb7deb2b372ce7481b90ec108,
#                  openlmis-referencedata 198c61bc3507b08f1f7c4d0b4210df4ff4e50c20 (the figures in docs/goals/smoke.md)
#   SNAPSHOTS_DIR  where snapshots live; writes SNAPSHOTS_DIR/NAME/<paths> and SNAPSHOTS_DIR/NAME/SNAPSHOT (the commit)
#
# Then: ./mvnw -B verify -Preal-flyway -Dreal-flyway.snapshots=SNAPSHOTS_DIR
set -euo pipefail

if [[ $# -ne 4 ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
name=$1
git_dir=$2
commit=$3
snapshots=$4
project=$(cd "$(dirname "$0")/.." && pwd)

case "$name" in
  webapi) paths=(src/main/resources/db/migration/postgresql) ;;
  mirror-node) paths=(importer/src/main/resources/db/migration/common importer/src/main/resources/db/migration/v1) ;;
  openlmis-referencedata) paths=(src/main/resources/db/migration) ;;
  *)
    echo "error: unknown snapshot '$name'; known: webapi, mirror-node, openlmis-referencedata" >&2
    exit 2
    ;;
esac

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

target=$snapshots/$name
rm -rf "$target"
mkdir -p "$target"
"${git[@]}" archive "$full_commit" "${paths[@]}" | tar -x -C "$target"
echo "$full_commit" > "$target/SNAPSHOT"
for path in "${paths[@]}"; do
  echo "$path: $(find "$target/$path" -maxdepth 1 -name '*.sql' | wc -l) SQL migrations"
done
echo "Wrote $target from $full_commit"
