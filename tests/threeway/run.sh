#!/usr/bin/env bash
# The three-way detector's evaluation (docs/THREEWAY.md): generates the labelled corpus from a seed,
# runs `kinline threeway` over every clip, and scores what it printed against the labels.
#
#   tests/threeway/run.sh                          # dev (seed 1) and held-out (seed 2), 150 positives,
#                                                  # 10 h of ordinary negatives, 20 TV phone scenes each
#   SPLITS=heldout tests/threeway/run.sh           # one split
#   POSITIVES=40 HOURS=1 HARD=4 tests/threeway/run.sh   # a quick look
#   OUT=/var/tmp/tw tests/threeway/run.sh          # where the audio goes (default /tmp/kinline-threeway)
#
# Needs espeak-ng and sox (the voices), JDK 25 and Maven. The audio (about 1 GB for both splits) stays
# in $OUT; only the reports are written into the repository, under tests/threeway/results/. The same
# seeds give the same corpus, byte for byte, with the same espeak-ng and sox versions.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
out="${OUT:-/tmp/kinline-threeway}"
splits="${SPLITS:-dev heldout}"
command -v espeak-ng >/dev/null || { echo "espeak-ng not found (apt-get install espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox not found (apt-get install sox)" >&2; exit 1; }

if [ "${BUILD:-1}" = 1 ] || [ ! -f switch/target/kinline.jar ] || [ ! -f tests/target/benchmarks.jar ]; then
  echo "building kinline.jar and benchmarks.jar ..." >&2
  mvn -B -q -ntp package -DskipTests -pl tests -am >&2
fi

mkdir -p "$here/results"
for split in $splits; do
  case "$split" in
    dev) seed="${DEV_SEED:-1}" ;;
    heldout) seed="${HELDOUT_SEED:-2}" ;;
    *) echo "unknown split $split" >&2; exit 2 ;;
  esac
  dir="$out/$split"
  rm -rf "$dir"
  "$java" -cp tests/target/benchmarks.jar io.kinline.tests.threeway.Corpus --split "$split" --seed "$seed" \
    --positives "${POSITIVES:-150}" --negative-hours "${HOURS:-10}" --hard "${HARD:-20}" --out "$dir" \
    --cache "$out/speech-cache" --repo "$repo"
  start=$(date +%s)
  "$java" -jar switch/target/kinline.jar threeway "$dir"/*.wav > "$dir/detections.txt"
  echo "$split: kinline threeway took $(( $(date +%s) - start )) s" >&2
  "$java" -cp tests/target/benchmarks.jar io.kinline.tests.threeway.Evaluate --labels "$dir/labels.tsv" \
    --detections "$dir/detections.txt" --title "$split (seed $seed), commit $(git rev-parse --short HEAD)" \
    > "$here/results/$split.md"
  cat "$here/results/$split.md"
done
