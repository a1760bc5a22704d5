#!/usr/bin/env bash
# Benchmark of the sidecars goal against a baseline, side by side in one run.
#   1. one 2 GiB artifact: plugin HMAC verification vs `openssl dgst -sha256 -hmac KEY` (goal >= 0.9x openssl)
#   2. eight 256 MiB artifacts: threads=2 vs threads=1 (goal >= 1.8x)
#   3. 20,000 small artifacts with sidecars: files/s
# Each case runs the plugin as a user does (mvnw + bench/sidecar-project) and the engine alone (plain java, no Maven
# start-up). Data lives under ${BENCH_DIR:-/tmp/sidecar-bench}, never in the repository; files are read once before
# timing so every contender reads from the page cache.
# Usage: bench/sidecar-bench.sh [runs]   (default 3 runs per contender; min and median are printed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
DATA=${BENCH_DIR:-/tmp/sidecar-bench}
export MODEL_ARTIFACT_SIGNING_KEY=${MODEL_ARTIFACT_SIGNING_KEY:-bench-key-0f4c2a9e7b1d3f5a8c6e0b2d4f6a8c0e}
VERSION=$(sed -n 's:.*<version>\(.*-SNAPSHOT\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
LOCAL_REPO="$DATA/m2"
MVN=("$ROOT/mvnw" -B -q -Dmaven.repo.local="$LOCAL_REPO" -f "$ROOT/bench/sidecar-project/pom.xml" -Dplugin.version="$VERSION")
GOAL="io.github.migrationsafety:migration-safety-maven-plugin:$VERSION"

now() { date +%s.%N; }
# time_runs NAME CMD... : runs CMD $RUNS times, records wall seconds in TIMES[NAME] and CPU seconds (user+sys of
# the process and its children, from /usr/bin/time) in TIMES[NAME-cpu]. On a machine shared with other jobs the wall
# time mostly measures the neighbours; CPU seconds show the work each contender did.
declare -A TIMES
time_runs() {
  local name=$1; shift; local all=() cpu=()
  for _ in $(seq "$RUNS"); do
    local t0 t1; t0=$(now); /usr/bin/time -f '%U %S' -o "$DATA/.cpu" "$@" >/dev/null; t1=$(now)
    all+=("$(echo "$t1 - $t0" | bc -l)")
    cpu+=("$(awk '{print $1 + $2}' "$DATA/.cpu")")
  done
  TIMES[$name]=$(printf '%s\n' "${all[@]}" | sort -g | tr '\n' ' ')
  TIMES[$name-cpu]=$(printf '%s\n' "${cpu[@]}" | sort -g | tr '\n' ' ')
}
min() { echo "${TIMES[$1]}" | awk '{print $1}'; }
median() { echo "${TIMES[$1]}" | awk '{n=NF; print (n%2 ? $((n+1)/2) : ($(n/2)+$(n/2+1))/2)}'; }
show() {
  printf '  %-14s wall min %7.3f s  median %7.3f s | CPU min %7.3f s  median %7.3f s  (wall runs: %s)\n' "$1" \
    "$(min "$1")" "$(median "$1")" "$(min "$1-cpu")" "$(median "$1-cpu")" "${TIMES[$1]}"
}

echo "== setup (data under $DATA)"
mkdir -p "$DATA"
(cd "$ROOT" && ./mvnw -B -q install -DskipTests -Dinvoker.skip -Dmaven.repo.local="$LOCAL_REPO" >/dev/null)
# the engine-only runs use the installed jar, so a concurrent build of target/classes cannot disturb them
PLUGIN_JAR="$LOCAL_REPO/io/github/migrationsafety/migration-safety-maven-plugin/$VERSION/migration-safety-maven-plugin-$VERSION.jar"
CP="$PLUGIN_JAR:$(cd "$ROOT" && ./mvnw -B -q -Dmaven.repo.local="$LOCAL_REPO" dependency:build-classpath \
    -DincludeScope=runtime -Dmdep.outputFile=/dev/stdout)"
mkdir -p "$DATA/classes" && javac -d "$DATA/classes" -cp "$CP" "$ROOT/bench/EngineBench.java"
ENGINE=(java -cp "$DATA/classes:$CP" EngineBench)

# AES-CTR keystream: incompressible bytes at GB/s; openssl dies of SIGPIPE when head has enough, which is fine
pseudo_random() { { openssl enc -aes-128-ctr -pass pass:bench -nosalt -pbkdf2 </dev/zero 2>/dev/null || true; } | head -c "$1"; }
sidecar() { # artifact -> write a sidecar with a feature_list; sign fills checksum and artifact_sig
  local base=${1%.*}
  printf '{\n  "name": "%s",\n  "version": "1",\n  "feature_list": [\n    "age",\n    "income"\n  ]\n}\n' \
    "$(basename "$(dirname "$1")")" >"${base}_metadata.json"
}
if [ ! -f "$DATA/big/one/model.safetensors" ]; then
  mkdir -p "$DATA/big/one" && pseudo_random $((2 * 1024 * 1024 * 1024)) >"$DATA/big/one/model.safetensors"
  sidecar "$DATA/big/one/model.safetensors"
fi
if [ ! -f "$DATA/eight/m8/model.pt" ]; then
  for i in 1 2 3 4 5 6 7 8; do
    mkdir -p "$DATA/eight/m$i" && pseudo_random $((256 * 1024 * 1024)) >"$DATA/eight/m$i/model.pt"
    sidecar "$DATA/eight/m$i/model.pt"
  done
fi
if [ ! -f "$DATA/small/m19999/model.pkl" ]; then
  for i in $(seq 0 19999); do
    d="$DATA/small/m$i"; mkdir -p "$d"; head -c 1024 /dev/urandom >"$d/model.pkl"
    printf '{"name": "m%d", "version": "1", "feature_list": ["age", "income"]}\n' "$i" >"$d/model_metadata.json"
  done
fi
# sign once per key (20,000 atomic, fsynced sidecar rewrites take minutes on a busy disk)
MARKER="$DATA/.signed-$(printf '%s' "$MODEL_ARTIFACT_SIGNING_KEY" | sha256sum | cut -c1-16)"
if [ ! -f "$MARKER" ]; then
  t0=$(now)
  for set in big eight small; do
    "${MVN[@]}" "$GOAL:sign" -Dmigration-safety.modelsDirectory="$DATA/$set" -Dmigration-safety.signing=required
  done
  echo "  sign goal over all three sets (setup): $(echo "$(now) - $t0" | bc -l | xargs printf '%.1f') s"
  touch "$MARKER"
fi
# cross-check: the plugin's artifact_sig equals openssl's HMAC
OPENSSL_SIG=$(openssl dgst -sha256 -hmac "$MODEL_ARTIFACT_SIGNING_KEY" -r "$DATA/big/one/model.safetensors" | cut -d' ' -f1)
grep -q "\"artifact_sig\": \"$OPENSSL_SIG\"" "$DATA/big/one/model_metadata.json" \
  || { echo "artifact_sig differs from openssl's HMAC" >&2; exit 1; }
echo "  artifact_sig of the 2 GiB artifact equals openssl's HMAC: $OPENSSL_SIG"
cat "$DATA"/big/one/model.safetensors "$DATA"/eight/*/model.pt >/dev/null   # warm the page cache

echo "== 1. one 2 GiB artifact, HMAC-SHA256 ($RUNS runs each)"
time_runs openssl openssl dgst -sha256 -hmac "$MODEL_ARTIFACT_SIGNING_KEY" "$DATA/big/one/model.safetensors"
time_runs plugin-2g "${MVN[@]}" "$GOAL:sidecars" -Dmigration-safety.modelsDirectory="$DATA/big" -Dmigration-safety.signing=required
time_runs engine-2g "${ENGINE[@]}" "$DATA/big" 1
show openssl; show plugin-2g; show engine-2g

echo "== 2. eight 256 MiB artifacts, threads=2 vs threads=1"
time_runs plugin-t1 "${MVN[@]}" "$GOAL:sidecars" -Dmigration-safety.modelsDirectory="$DATA/eight" -Dmigration-safety.threads=1
time_runs plugin-t2 "${MVN[@]}" "$GOAL:sidecars" -Dmigration-safety.modelsDirectory="$DATA/eight" -Dmigration-safety.threads=2
time_runs engine-t1 "${ENGINE[@]}" "$DATA/eight" 1
time_runs engine-t2 "${ENGINE[@]}" "$DATA/eight" 2
show plugin-t1; show plugin-t2; show engine-t1; show engine-t2

echo "== 3. 20,000 small artifacts with sidecars (threads=2)"
time_runs plugin-small "${MVN[@]}" "$GOAL:sidecars" -Dmigration-safety.modelsDirectory="$DATA/small" -Dmigration-safety.threads=2
time_runs engine-small "${ENGINE[@]}" "$DATA/small" 2
show plugin-small; show engine-small

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); $(openssl version)"
echo "== ratios (median; min in brackets)"
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
echo "2 GiB HMAC, plugin via mvnw vs openssl throughput: $(ratio "$(median openssl)" "$(median plugin-2g)")x [$(ratio "$(min openssl)" "$(min plugin-2g)")x] (goal >= 0.9x)"
echo "2 GiB HMAC, engine only vs openssl throughput: $(ratio "$(median openssl)" "$(median engine-2g)")x [$(ratio "$(min openssl)" "$(min engine-2g)")x] (goal >= 0.9x)"
echo "2 GiB HMAC, engine only vs openssl, per CPU second: $(ratio "$(median openssl-cpu)" "$(median engine-2g-cpu)")x [$(ratio "$(min openssl-cpu)" "$(min engine-2g-cpu)")x] (goal >= 0.9x)"
echo "8 x 256 MiB, plugin threads=2 vs threads=1: $(ratio "$(median plugin-t1)" "$(median plugin-t2)")x [$(ratio "$(min plugin-t1)" "$(min plugin-t2)")x] (goal >= 1.8x)"
echo "8 x 256 MiB, engine threads=2 vs threads=1: $(ratio "$(median engine-t1)" "$(median engine-t2)")x [$(ratio "$(min engine-t1)" "$(min engine-t2)")x] (goal >= 1.8x)"
echo "20,000 small artifacts: plugin via mvnw $(echo "20000 / $(median plugin-small)" | bc -l | xargs printf '%.0f') files/s, engine only $(echo "20000 / $(median engine-small)" | bc -l | xargs printf '%.0f') files/s (median)"
