#!/usr/bin/env bash
# Benchmark of the README's test command as a newcomer runs it: a fresh clone with an empty Maven home, then
# `bash .ci/run` (which runs `./mvnw -B verify`), at two commits side by side, in turn (A B B A A B ...), so that the
# machine's speed, which drifts by 10-20% over minutes on this 2-core machine, weighs on both alike. The ratio A/B
# is taken pair by pair; the last lines print min/median of each and of the ratios.
#
# A figure from another machine (an issue's "482 s here") times the median ratio estimates the same command there,
# at commit A: wall times move with the machine, the ratio of two commits on one machine much less.
#
# Usage: bench/test-suite-bench.sh A B [RUNS]       (commits or refs of this repository; RUNS default 2: each first once)
#        bench/test-suite-bench.sh --one COMMIT TAG  (one run: what each timed run is; its log /tmp/suite-bench-TAG-N.log)
#
# A run takes 5 to 10 minutes; RUNS=2 takes about 25, RUNS=4 about 45. Run it on an otherwise idle machine. A commit whose own tests
# fail still gives its time (the build stops where it failed) beside its exit status, but neither that run nor its pair
# counts in the figures.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

one() { # commit tag: a fresh clone at commit, an empty Maven home, bash .ci/run; prints its wall seconds and status
  local commit=$1 tag=$2 dir=/tmp/suite-bench-$2 home=/tmp/suite-bench-home-$2 n start status
  n=$(ls /tmp/suite-bench-"$tag"-*.log 2>/dev/null | wc -l)
  rm -rf "$dir" "$home"
  git clone -q "$ROOT" "$dir" && git -C "$dir" checkout -q "$commit" || return 2
  start=$(date +%s.%N)
  (cd "$dir" && env -i HOME="$home" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 bash .ci/run \
    >"/tmp/suite-bench-$tag-$n.log" 2>&1)
  status=$?
  echo "$tag $(echo "$(date +%s.%N) - $start" | bc) $status"
  rm -rf "$dir" "$home"
}

if [ "${1:-}" = "--one" ]; then
  one "$2" "$3"
  exit
fi

A=${1:?commit A}
B=${2:?commit B}
RUNS=${3:-2}
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg); A=$(git -C "$ROOT" rev-parse --short "$A") B=$(git -C "$ROOT" rev-parse --short "$B")"
declare -a TA TB RATIO
for i in $(seq 1 "$RUNS"); do
  # the first run of a pair was the slower one more often than not (four pairs: about 3-4 % on its own): odd pairs
  # run A first, even pairs B first, so that an even RUNS gives each commit the first place as often
  if [ $((i % 2)) = 1 ]; then
    read -r _ ta sa < <(one "$A" a)
    read -r _ tb sb < <(one "$B" b)
  else
    read -r _ tb sb < <(one "$B" b)
    read -r _ ta sa < <(one "$A" a)
  fi
  # a run that failed stopped early: its time is not the command's, and neither is the pair's ratio
  [ "$sa" = 0 ] && TA+=("$ta")
  [ "$sb" = 0 ] && TB+=("$tb")
  if [ "$sa" = 0 ] && [ "$sb" = 0 ]; then
    RATIO+=("$(echo "scale=3; $ta / $tb" | bc)")
    printf 'pair %d: A %.0f s, B %.0f s, A/B %s\n' "$i" "$ta" "$tb" "${RATIO[-1]}"
  else
    printf 'pair %d: A %.0f s (exit %s), B %.0f s (exit %s): not a pair, a run failed (its log: /tmp/suite-bench-{a,b}-*.log)\n' \
      "$i" "$ta" "$sa" "$tb" "$sb"
  fi
done
stats() { # values...: min and median of the runs that passed
  [ $# -eq 0 ] && { printf 'no run passed'; return; }
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %.3f  median %.3f  (%d)", a[1], (a[int((NR+1)/2)] + a[int(NR/2)+1]) / 2, NR}'
}
echo "A (s), runs that passed: $(stats "${TA[@]}")"
echo "B (s), runs that passed: $(stats "${TB[@]}")"
echo "A/B, pairs that passed:  $(stats "${RATIO[@]}")"
