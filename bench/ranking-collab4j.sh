#!/usr/bin/env bash
# Collab4J's default ranking and rating models scored beside the peer top-N files of an earlier bench/ranking.sh
# run on the same split (LibRec takes about half an hour on 2 busy cores; Collab4J well under a minute), with the
# same evaluator (score-topn: relevant = held-out rating >= THRESHOLD, training items excluded, users with a relevant
# held-out item). Collab4J is trained as a user runs it: the whole train.csv, no --valid (the saved model is the
# refit on every row).
# Usage: bench/ranking-collab4j.sh SPLIT_DIR PEER_TOPN_DIR [THRESHOLD=4]   (after mvn -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT="$1"; PEERS="$2"; K=10; THRESHOLD="${3:-4}"
JAR=examples/target/collab4j-examples.jar
J() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"; }
OUT=$(mktemp -d)
J train --ratings "$SPLIT/train.csv" --implicit --positive-threshold "$THRESHOLD" --save "$OUT/ranking.c4j" \
    > "$OUT/ranking.log"
J recommend --model "$OUT/ranking.c4j" --all -k "$K" --out "$OUT/collab4j-ranking.csv"
J train --ratings "$SPLIT/train.csv" --save "$OUT/rating.c4j" > "$OUT/rating.log"
J recommend --model "$OUT/rating.c4j" --all -k "$K" --out "$OUT/collab4j-rating.csv"
J score-topn --train "$SPLIT/train.csv" --test "$SPLIT/valid.csv" -k "$K" --threshold "$THRESHOLD" \
    $(for f in "$PEERS"/*.csv "$OUT"/collab4j-*.csv; do printf -- '--topn %s ' "$f"; done)
rm -rf "$OUT"
