#!/usr/bin/env bash
# train --tune as a user runs it (issue 26): on a split's train.csv, no --valid, --save, then recommend --all and
# score-topn against valid.csv (ranking, NDCG@10); and the rating model's train --tune measured on valid.csv after
# its refit (--valid is never used to choose). The tuner sees train.csv only: it chooses on its own inner split.
#
# Usage: bench/tune.sh [--split DIR | --filmtrust] [--threshold T] [--budget DURATION] [--seed N]
#   --split DIR       a folder with train.csv and valid.csv (default ../shared/bench/splits/ml-latest-small-80-20)
#   --filmtrust       ../shared/bench/splits/filmtrust-80-20 with --threshold 3.5
#   --threshold T     the rating from which a row is a positive (training) and relevant (held out) (default 4)
#   --budget D        --tune-budget (default: the default budget)
# Output under target/bench-tune/NAME-BUDGET/: ranking.log, rating.log (each with the table of trials), top.csv and
# a last line per model: NAME BUDGET ndcg@10 / rmse and the wall-clock seconds of train --tune.
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT=../shared/bench/splits/ml-latest-small-80-20; THRESHOLD=4; BUDGET=; SEED=42
while [ $# -gt 0 ]; do
  case "$1" in
    --split) SPLIT="$2"; shift 2 ;;
    --filmtrust) SPLIT=../shared/bench/splits/filmtrust-80-20; THRESHOLD=3.5; shift ;;
    --threshold) THRESHOLD="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAR="${JAR:-examples/target/collab4j-examples.jar}"
J() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"; }
[ -f "$JAR" ] || mvn -B -q -DcpuOnly -DskipTests package
B=(); [ -n "$BUDGET" ] && B=(--tune-budget "$BUDGET")
OUT="target/bench-tune/$(basename "$SPLIT")-${BUDGET:-default}"; mkdir -p "$OUT"; rm -f "$OUT/ranking.c4j" "$OUT/rating.c4j"
s=$(date +%s.%N)
J train --ratings "$SPLIT/train.csv" --implicit --positive-threshold "$THRESHOLD" --tune "${B[@]}" --seed "$SEED" \
    --save "$OUT/ranking.c4j" > "$OUT/ranking.log"
e=$(date +%s.%N)
J recommend --model "$OUT/ranking.c4j" --all -k 10 --out "$OUT/top.csv" > /dev/null
ndcg=$(J score-topn --train "$SPLIT/train.csv" --test "$SPLIT/valid.csv" -k 10 --threshold "$THRESHOLD" \
    --topn "$OUT/top.csv" | awk '$1=="top"{print $2}')
echo "$(basename "$SPLIT") ${BUDGET:-default} ranking ndcg@10 $ndcg train-tune-seconds $(echo "$e - $s" | bc)" \
    | tee "$OUT/result.txt"
s=$(date +%s.%N)
J train --ratings "$SPLIT/train.csv" --valid "$SPLIT/valid.csv" --tune "${B[@]}" --seed "$SEED" \
    --save "$OUT/rating.c4j" > "$OUT/rating.log"
e=$(date +%s.%N)
echo "$(basename "$SPLIT") ${BUDGET:-default} rating $(tail -1 "$OUT/rating.log") train-tune-seconds" \
    "$(echo "$e - $s" | bc)" | tee -a "$OUT/result.txt"
