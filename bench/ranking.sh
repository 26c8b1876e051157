#!/usr/bin/env bash
# Top-N peers in the same run (issues 13, 26): LibRec 2.0.0 BPR, WRMF, EALS and ItemKNN, EASE
# (../shared/bench/run-ease-reference.sh) and a most-popular baseline, each tuned on an inner split of the training
# data only, retrained on the whole training split, and scored with Collab4J's score-topn under one protocol
# (relevant = held-out rating >= the threshold, training items excluded, averaged over users with a relevant
# held-out item). Extra top-N CSVs (user,item,rank,score), e.g. Collab4J's
# `recommend --model M --all -k 10 --out FILE`, are scored in the same table.
#
# Usage: bench/ranking.sh [--split DIR | --resplit SEED | --filmtrust] [--threshold T] [--seed N] [--quick]
#                         [EXTRA_TOPN.csv ...]
#   Besides the peers it trains Collab4J's default ranking and rating models (collab4j-ranking.csv,
#   collab4j-rating.csv) as a user runs them: `train` on the whole train.csv with no --valid (the saved model is
#   refit on every row), then `recommend --all`. Nothing of Collab4J's is tuned here, on the inner split or the test
#   split.
#   --split DIR     a folder with train.csv and valid.csv (default ../shared/bench/splits/ml-latest-small-80-20)
#   --resplit SEED  instead, a seeded random 80/20 re-split of ../shared/data/ml-latest-small/ratings.csv
#                   (written under target/bench-ranking/, never committed)
#   --filmtrust     the FilmTrust split, ../shared/bench/splits/filmtrust-80-20, with --threshold 3.5 (its ratings
#                   run from 0.5 to 4)
#   --threshold T   the rating from which a row is a positive (training) and relevant (held out) (default 4)
#   --seed N        seed of the inner split and of LibRec's random numbers (default 1)
#   --quick         no tuning of LibRec: the grid points the S1 reference figures name (also on FilmTrust, where
#                   they were not chosen; EASE still tunes its lambda on its own inner split of train.csv)
# Output under target/bench-ranking/NAME/: inner/ (the inner split, its top-N files, inner.csv), topn/ (the final
# top-N files) and table.csv. About 10 minutes of CPU on 2 cores: the two LibRec jobs run side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT=../shared/bench/splits/ml-latest-small-80-20; RESPLIT=; SEED=1; QUICK=; EXTRA=(); THRESHOLD=4
while [ $# -gt 0 ]; do
  case "$1" in
    --split) SPLIT="$2"; shift 2 ;;
    --resplit) RESPLIT="$2"; shift 2 ;;
    --filmtrust) SPLIT=../shared/bench/splits/filmtrust-80-20; THRESHOLD=3.5; shift ;;
    --threshold) THRESHOLD="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
K=10
JAR=examples/target/collab4j-examples.jar
J() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"; }

[ -f "$JAR" ] || mvn -B -q -DcpuOnly -DskipTests package
# Collab4J's default ranking model (train --implicit --positive-threshold T, no other option) and default rating
# model (train, no option), trained on the split's train.csv as a user runs them (no --valid: the epoch table holds
# 20 % of train.csv out, the saved model is refit on all of it), their top-K for every user as CSVs in DIR.
collab4j_topn() { # SPLIT DIR
  local m; m=$(mktemp -d)
  J train --ratings "$1/train.csv" --implicit --positive-threshold "$THRESHOLD" \
      --save "$m/ranking.c4j" > "$m/ranking.log"
  J recommend --model "$m/ranking.c4j" --all -k "$K" --out "$2/collab4j-ranking.csv"
  J train --ratings "$1/train.csv" --save "$m/rating.c4j" > "$m/rating.log"
  J recommend --model "$m/rating.c4j" --all -k "$K" --out "$2/collab4j-rating.csv"
  rm -rf "$m"
}
mvn -B -q -f bench/peers/librec/pom.xml package
PEERS() { java -cp "bench/peers/librec/target/classes:$(cat bench/peers/librec/target/classpath.txt)" \
    org.collab4j.bench.librec.LibRecPeers -k "$K" --threshold "$THRESHOLD" --seed "$SEED" "$@"; }

if [ -n "$RESPLIT" ]; then
  NAME="ml-latest-small-resplit-$RESPLIT"; SPLIT="target/bench-ranking/$NAME/split"
  if [ ! -f "$SPLIT/valid.csv" ]; then
    J split-ratings --ratings ../shared/data/ml-latest-small/ratings.csv --seed "$RESPLIT" \
        --train-out "$SPLIT/train.csv" --valid-out "$SPLIT/valid.csv"
  fi
else
  NAME="$(basename "$SPLIT")"
fi
OUT="target/bench-ranking/$NAME"; INNER="$OUT/inner"; TOPN="$OUT/topn"
rm -rf "$INNER/topn" "$TOPN"; mkdir -p "$INNER" "$TOPN"
start=$(date +%s)

# The grids (NDCG@10 on the inner split picks each peer's point). LibRec's WRMF is cubic in the factors and its
# ALS inverts a factors x factors matrix per user and item each iteration, so 100 factors (8x the work) do not fit
# the time budget; its confidence is 1 + log(1 + 10^alpha * r).
# WRMF_GRID, BPR_GRID, EALS_GRID and KNN_GRID replace them (e.g. tiny grids for a smoke test).
WRMF="${WRMF_GRID:-wrmf:factors=50,iter=20,reg=1|10|100,alpha=1|4}"
BPR="${BPR_GRID:-bpr:factors=50,iter=100,lr=0.01|0.05|0.1,reg=0.001|0.01|0.1}"
EALS="${EALS_GRID:-eals:factors=32|64,iter=20,alpha=1|4|16}"
KNN="${KNN_GRID:-itemknn:knn=50|100|200|400,sim=bcos}"

if [ -n "$QUICK" ]; then
  CHOSEN=("wrmf:factors=50,iter=20,reg=10,alpha=1" "bpr:factors=50,iter=100,lr=0.05,reg=0.01"
          "eals:factors=32,iter=20" "itemknn:knn=200,sim=bcos")
  echo "--quick: no tuning; the reference figures' grid points"
else
  if [ ! -f "$INNER/valid.csv" ]; then
    J split-ratings --ratings "$SPLIT/train.csv" --by-user --seed "$SEED" \
        --train-out "$INNER/train.csv" --valid-out "$INNER/valid.csv"
  fi
  echo "tuning on the inner split $INNER (20% of each user's training ratings held out, seed $SEED)"
  PEERS --train "$INNER/train.csv" --out "$INNER/topn" --tune "$WRMF" > "$INNER/wrmf.log" 2>&1 &
  A=$!
  PEERS --train "$INNER/train.csv" --out "$INNER/topn" --tune "$BPR" "$EALS" "$KNN" > "$INNER/others.log" 2>&1 &
  B=$!
  wait $A || { cat "$INNER/wrmf.log"; exit 1; }
  wait $B || { cat "$INNER/others.log"; exit 1; }
  cat "$INNER/wrmf.log" "$INNER/others.log"
  J score-topn --train "$INNER/train.csv" --test "$INNER/valid.csv" -k "$K" --threshold "$THRESHOLD" \
      $(for f in "$INNER"/topn/*.csv; do printf -- '--topn %s ' "$f"; done) --csv "$INNER/inner.csv"
  # The best point of each algorithm by NDCG (column 3); the label librec-ALG_p-v_p-v back into ALG:p=v,p=v.
  mapfile -t CHOSEN < <(tail -n +2 "$INNER/inner.csv" | sort -t, -k3,3gr | awk -F, '
      { split($1, parts, "_"); alg = substr(parts[1], 8); if (alg in seen) next; seen[alg] = 1
        spec = alg ":"; for (i = 2; i in parts; i++) { p = parts[i]; d = index(p, "-")
          spec = spec (i > 2 ? "," : "") substr(p, 1, d - 1) "=" substr(p, d + 1) }
        print spec }')
fi
echo "chosen grid points:"; printf '  %s\n' "${CHOSEN[@]}"

echo "retraining on the whole training split $SPLIT/train.csv"
WRMF_CHOSEN=(); OTHERS_CHOSEN=()
for c in "${CHOSEN[@]}"; do case "$c" in wrmf:*) WRMF_CHOSEN+=("$c") ;; *) OTHERS_CHOSEN+=("$c") ;; esac; done
PEERS --train "$SPLIT/train.csv" --out "$TOPN" "${WRMF_CHOSEN[@]}" > "$OUT/final-wrmf.log" 2>&1 &
A=$!
PEERS --train "$SPLIT/train.csv" --out "$TOPN" "${OTHERS_CHOSEN[@]}" > "$OUT/final-others.log" 2>&1 &
B=$!
J popular-topn --train "$SPLIT/train.csv" -k "$K" --out "$TOPN/most-popular.csv"
collab4j_topn "$SPLIT" "$TOPN"
# EASE: its lambda and positives encoding chosen on its own inner split of train.csv, refit on all of it.
# It writes user,item,rank; score-topn reads user,item,rank,score, so the score column is K + 1 - rank.
../shared/bench/run-ease-reference.sh "$SPLIT" "$OUT/ease-ranks.csv" --threshold "$THRESHOLD" --k "$K" \
    > "$OUT/final-ease.log" 2>&1 || { cat "$OUT/final-ease.log"; exit 1; }
awk -F, -v k="$K" 'NR == 1 { print "user,item,rank,score"; next } { print $1 "," $2 "," $3 "," (k + 1 - $3) }' \
    "$OUT/ease-ranks.csv" > "$TOPN/ease.csv"
tail -1 "$OUT/final-ease.log"
wait $A || { cat "$OUT/final-wrmf.log"; exit 1; }
wait $B || { cat "$OUT/final-others.log"; exit 1; }
cat "$OUT/final-wrmf.log" "$OUT/final-others.log"

FILES=("$TOPN"/*.csv "${EXTRA[@]}")
J score-topn --train "$SPLIT/train.csv" --test "$SPLIT/valid.csv" -k "$K" --threshold "$THRESHOLD" \
    $(for f in "${FILES[@]}"; do printf -- '--topn %s ' "$f"; done) --csv "$OUT/table.csv"
echo "chosen grid points ($([ -n "$QUICK" ] && echo "--quick: not tuned" || echo "tuned on $INNER only")):"; printf '  %s\n' "${CHOSEN[@]}"
echo "total $(( $(date +%s) - start )) s"
