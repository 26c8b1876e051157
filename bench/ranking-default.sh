#!/usr/bin/env bash
# The default ranking model (train --implicit --positive-threshold 4, no other option) beside the default rating
# model (train, no option) on the same split, one after the other in this one script: training seconds (the epoch
# table's times added up), the ranking model's NDCG@10 / recall@10 as train prints them (relevant = held-out
# rating >= 4, the user's training items excluded), and the ratio of the training times.
# Usage: bench/ranking-default.sh [SPLIT_DIR ...]   (after mvn -DskipTests package)
#   With no argument: S1 (../shared/bench/splits/ml-latest-small-80-20) and a second MovieLens-shaped split, a
#   seeded 80/20 re-split of ../shared/data/ml-latest-small/ratings.csv written under target/ (never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=examples/target/collab4j-examples.jar
second_split() { # a seeded 80/20 random split of the ratings other than S1's
  local out=target/bench-splits/ml-latest-small-resplit-seed7 src=../shared/data/ml-latest-small/ratings.csv
  if [ ! -f "$out/valid.csv" ]; then
    mkdir -p "$out"
    local n; n=$(($(wc -l < "$src") - 1))
    tail -n +2 "$src" | tr -d '\r' | shuf --random-source=<(yes 7) > "$out/shuffled"
    { head -1 "$src" | tr -d '\r'; head -n $((n / 5)) "$out/shuffled"; } > "$out/valid.csv"
    { head -1 "$src" | tr -d '\r'; tail -n +$((n / 5 + 1)) "$out/shuffled"; } > "$out/train.csv"
    rm "$out/shuffled"
  fi
  echo "$out"
}
SPLITS=("$@")
[ ${#SPLITS[@]} -gt 0 ] || SPLITS=(../shared/bench/splits/ml-latest-small-80-20 "$(second_split)")
seconds() { awk '$1 ~ /^[0-9]+$/ && $NF ~ /s$/ { gsub("s", "", $NF); t += $NF } END { printf "%.2f", t }'; }
printf "%-45s %-14s %-14s %-9s %-10s %s\n" split "rating s" "ranking s" ratio "NDCG@10" "recall@10 (hits/relevant)"
for split in "${SPLITS[@]}"; do
  q="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
  rating=$(java $q -jar "$JAR" train --ratings "$split/train.csv" --valid "$split/valid.csv")
  ranking=$(java $q -jar "$JAR" train --ratings "$split/train.csv" --valid "$split/valid.csv" --implicit \
      --positive-threshold 4)
  a=$(seconds <<< "$rating"); b=$(seconds <<< "$ranking")
  last=$(tail -1 <<< "$ranking")
  printf "%-45s %-14s %-14s %-9s %-10s %s\n" "$split" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')" \
      "$(awk '{ print $2 }' <<< "$last")" "$(awk '{ print $4 }' <<< "$last")"
done
