#!/usr/bin/env bash
# Issue 27's cold-start and onboarding figures (docs/benchmarks.md, "Cold start and onboarding"): item cold start
# (20 % of S1's training items removed from training, each user ranks only them), user cold start (20 % of the users
# held out, folded in from 1, 3 and 10 ratings) and the onboarding simulation. Choices are made on an inner split of
# train.csv; valid.csv is read only by the final item/user runs, to score. Build first:
#   mvn -B -q -DcpuOnly -DskipTests package
# HYBRID=1 also trains and scores the hybrid model (needs train/recommend --item-features, issue 27 items 2-4).
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/bench/splits/ml-latest-small-80-20
D=../shared/data/ml-latest-small
JAR=examples/target/collab4j-examples.jar
W=${WORK:-target/coldstart}
mkdir -p "$W"

# 1. The content baseline's profile and features, chosen on an inner split of train.csv.
rm -f "$W/inner-train.csv" "$W/inner-valid.csv"   # split-ratings never overwrites
java -jar "$JAR" split-ratings --ratings "$S/train.csv" --seed 1 --valid-fraction 0.2 \
  --train-out "$W/inner-train.csv" --valid-out "$W/inner-valid.csv"
for features in "--movies $D/movies.csv" "--movies $D/movies.csv --tags $D/tags.csv" "--tags $D/tags.csv"; do
  # shellcheck disable=SC2086
  java -jar "$JAR" cold-start-bench --train "$W/inner-train.csv" --test "$W/inner-valid.csv" --users 0 \
    --models none $features
done

# 2. The fixed split, once: content baseline (genres + tags, liked profile), reference models trained with the cold
#    items, user cold start; warm-train.csv and cold-items.csv go to $W for the hybrid.
java -jar "$JAR" cold-start-bench --train "$S/train.csv" --test "$S/valid.csv" --movies "$D/movies.csv" \
  --tags "$D/tags.csv" --content liked --out-dir "$W"
for features in "--movies $D/movies.csv" "--tags $D/tags.csv"; do
  # shellcheck disable=SC2086
  java -jar "$JAR" cold-start-bench --train "$S/train.csv" --test "$S/valid.csv" --users 0 --models none \
    --content liked $features
done

# 3. The hybrid model on the same cold items: trained on warm-train.csv with the items' features, every item ranked
#    (the cold ones from their features), the lists cut to the cold items by the harness. The loss (softmax) was
#    chosen on the inner split the same way (its warm-train.csv from a cold-start-bench --out-dir run on it).
if [ "${HYBRID:-0}" = 1 ]; then
  F="--item-features $D/movies.csv --item-features $D/tags.csv"
  for loss in softmax ials; do
    # shellcheck disable=SC2086
    java -jar "$JAR" train --ratings "$W/warm-train.csv" --implicit --positive-threshold 4 --loss $loss $F \
      --save "$W/hybrid-$loss.c4j"
    # shellcheck disable=SC2086
    java -jar "$JAR" recommend --model "$W/hybrid-$loss.c4j" --all -k 10000 $F --out "$W/hybrid-$loss-topn.csv"
    java -jar "$JAR" cold-start-bench --train "$S/train.csv" --test "$S/valid.csv" --users 0 --models none \
      --topn "hybrid-$loss=$W/hybrid-$loss-topn.csv"
  done
fi

# 4. Onboarding: held-out users of train.csv only (valid.csv is not read).
java -jar "$JAR" onboarding-bench --ratings "$S/train.csv" --seed 27,28,29
