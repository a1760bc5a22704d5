#!/usr/bin/env bash
# Checks that the plugin build is reproducible: builds the jar twice, from two copies of the work tree in
# different directories and at different times, and compares the SHA-256 of every artifact. On a difference
# it lists the jar entries that differ. Leaves the work tree's own target/ alone.
#
# Usage: scripts/check-reproducible.sh            (exit 0 = identical, 1 = different)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for run in a b; do
  mkdir -p "$work/$run"
  # the sources as they are in the work tree (committed or not), without build output
  tar -C "$root" --exclude=./target --exclude=./.git --exclude='./examples/*/target' -cf - . | tar -C "$work/$run" -xf -
  echo "Build $run in $work/$run ..."
  (cd "$work/$run" && ./mvnw -B -q package -DskipTests -Dinvoker.skip)
  sleep 2 # a different wall clock for the second build
done

status=0
for jar in "$work"/a/target/*.jar; do
  name=$(basename "$jar")
  a=$(sha256sum "$jar" | cut -d' ' -f1)
  b=$(sha256sum "$work/b/target/$name" | cut -d' ' -f1)
  if [[ "$a" == "$b" ]]; then
    echo "identical: $name sha256=$a"
  else
    status=1
    echo "DIFFERENT: $name a=$a b=$b"
    mkdir -p "$work/ua" "$work/ub"
    (cd "$work/ua" && unzip -q "$jar") && (cd "$work/ub" && unzip -q "$work/b/target/$name")
    diff -rq "$work/ua" "$work/ub" || true
    unzip -Z -T "$jar" > "$work/la" && unzip -Z -T "$work/b/target/$name" > "$work/lb"
    diff "$work/la" "$work/lb" | head -20 || true
  fi
done
if [[ $status -eq 0 ]]; then
  echo "Reproducible: both builds produced byte-identical jars."
else
  echo "Not reproducible: see the differences above."
fi
exit $status
