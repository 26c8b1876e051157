#!/usr/bin/env bash
# A learned re-ranker stacked on Collab4J's models (issue 26, tried, not shipped; docs/benchmarks.md "A learned
# re-ranker"). Run it on an INNER split of a fixed split's train.csv only, never on a test split:
#
#   bench/stacking-probe.sh INNER_DIR T OUT_DIR      # INNER_DIR holds train.csv and valid.csv (split-ratings --by-user)
#
# Level B: INNER_DIR/train.csv is split again (split-ratings --by-user --seed 11); the default ranking model (iALS),
# EASE (--loss ease) and the default rating model are trained on its 80 %, and a re-ranker (logistic regression, and a
# one-hidden-layer net for comparison) learns, over each user's top-100 candidates of EASE and iALS, which are
# relevant (held-out rating >= T) in its 20 %. Level A: the same three models trained on all of INNER_DIR/train.csv,
# the re-ranker applied to their candidates, NDCG@10 against INNER_DIR/valid.csv beside each model alone.
# Needs numpy (Debian's python3-numpy, as ../shared/bench/run-ease-reference.sh installs).
set -euo pipefail
cd "$(dirname "$0")/.."
IN="$1"; T="$2"; OUT="$3"
JAR=examples/target/collab4j-examples.jar
J() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"; }
mkdir -p "$OUT"
J split-ratings --ratings "$IN/train.csv" --seed 11 --by-user --train-out "$OUT/B_train.csv" \
    --valid-out "$OUT/B_hold.csv" > /dev/null
for level in B A; do
  train="$OUT/B_train.csv"; [ "$level" = A ] && train="$IN/train.csv"
  J train --ratings "$train" --implicit --positive-threshold "$T" --save "$OUT/ials_$level.c4j" > "$OUT/ials_$level.log"
  J train --ratings "$train" --implicit --positive-threshold "$T" --loss ease --save "$OUT/ease_$level.c4j" \
      > "$OUT/ease_$level.log"
  J train --ratings "$train" --save "$OUT/rating_$level.c4j" > "$OUT/rating_$level.log"
  for model in ials ease rating; do
    java -cp "$JAR" bench/ScoreDump.java "$OUT/${model}_$level.c4j" "$train" "$OUT/${model}_$level.f32"
  done
done
python3 bench/stacking-probe.py "$IN" "$OUT" "$T"
