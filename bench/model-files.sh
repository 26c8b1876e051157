#!/usr/bin/env bash
# Model files v2 (issue 16): (1) each crafted-file class refused, with wall time and peak RSS, through the CLI
# (recommend --model, beside the CLI's own start-up: recommend --help) and through TrainedModel.load in a fresh JVM
# (with the time inside the JVM from the call to the exception, after one valid load has warmed the JVM: the
# cold cost of a first load, printed as warm-up, is paid by any file); (2) a model trained on ml-latest-small saved as
# v2 and converted to v1: file sizes and load times, each in fresh JVMs, three rounds; (3) recommend from a
# classpath without any PyTorch jar.
# Usage: bench/model-files.sh   (after mvn -B -o -DcpuOnly -DskipTests package and mvn -pl lib test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT_DIR:-$(mktemp -d)}"
JAR=examples/target/collab4j-examples.jar
LIB=examples/target/lib
# TrainedModel.load's child: the library and gson only, no DJL api, no pytorch-engine/-jni/-native jar.
TESTCP="lib/target/test-classes:lib/target/classes:$(ls $LIB/gson-*.jar)"
# The CLI without PyTorch: every jar but pytorch-* (picocli builds every subcommand, whose options name DJL types).
NOTORCH="lib/target/classes:examples/target/classes:$(ls $LIB/*.jar | grep -v 'pytorch-\|collab4j-' | tr '\n' ':')"
FULLCP="lib/target/test-classes:lib/target/classes:$(ls $LIB/*.jar | grep -v collab4j- | tr '\n' ':')"
LOG=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn
measure() { # command... -> "exit wall_s rss_MB"
  /usr/bin/time -f "%x %e %M" -o "$OUT/time.txt" "$@" > "$OUT/out.txt" 2>&1 || true
  read -r code wall rss < <(tail -1 "$OUT/time.txt" | sed 's/Command exited with non-zero status //')
  echo "$code $wall $((rss / 1024))"
}
echo "load before: $(cat /proc/loadavg)"
java -cp "$TESTCP" org.collab4j.io.CraftedFiles write "$OUT/crafted"
echo "CLI start-up alone (recommend --help): exit wall_s rss_MB = $(measure java $LOG -jar "$JAR" recommend --help)"
printf "%-20s %6s | %-14s | %-14s %s\n" file bytes "CLI exit s MB" "load exit s MB" "load(): warm-up ms, rejection ms"
for f in "$OUT"/crafted/*.c4j; do
  cli=$(measure java $LOG -jar "$JAR" recommend --model "$f" --user 1)
  grep -q "^error: $f " "$OUT/out.txt" || { echo "CLI did not name $f: $(cat "$OUT/out.txt")"; exit 1; }
  api=$(measure java -cp "$TESTCP" org.collab4j.io.CraftedFiles load "$f")
  grep -q "^rejected in .* ms: $f " "$OUT/out.txt" || { echo "load did not reject $f: $(cat "$OUT/out.txt")"; exit 1; }
  inside="$(sed -n "s/^warm-up: .* in \([0-9.]*\) ms/\1/p" "$OUT/out.txt"), $(sed -n "s/^rejected in \([0-9.]*\) ms.*/\1/p" "$OUT/out.txt")"
  printf "%-20s %6d | %-14s | %-14s %s\n" "$(basename "$f" .c4j)" "$(stat -c %s "$f")" "$cli" "$api" "$inside"
done
echo "-- a model trained on ml-latest-small (train defaults: dotbias, 50 factors, 5 epochs), v2 and v1"
java $LOG -jar "$JAR" train --ratings ../shared/data/ml-latest-small/ratings.csv --save "$OUT/ml-v2.c4j" > /dev/null 2>&1
java $LOG -cp "$FULLCP" org.collab4j.io.V1Writer "$OUT/ml-v2.c4j" "$OUT/ml-v1.c4j" 2> /dev/null
for round in 1 2 3; do
  for v in v2 v1; do
    java -cp "$TESTCP" org.collab4j.io.CraftedFiles time "$OUT/ml-$v.c4j" | sed "s|$OUT/||g; s|^|round $round: |"
  done
done
for v in v2 v1; do
  r=$(measure java $LOG -jar "$JAR" recommend --model "$OUT/ml-$v.c4j" --user 1)
  echo "CLI recommend --model ml-$v.c4j: exit wall_s rss_MB = $r; $(grep '^loaded' "$OUT/out.txt" | sed 's/.* in /load /')"
done
echo "-- recommend without any PyTorch jar on the classpath: ${NOTORCH//$LIB\//}"
java $LOG -cp "$NOTORCH" org.collab4j.examples.Main recommend --model "$OUT/ml-v2.c4j" --user 1 -k 3
echo "load after: $(cat /proc/loadavg)"
