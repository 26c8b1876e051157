#!/usr/bin/env bash
# EASE as a library model (issue 26 item 3) beside the default ranking model and the EASE reference, as a user runs
# them: `train` on the whole train.csv of SPLIT_DIR, no --valid (the saved model is refit on every row), then
# `recommend --all`, all scored by score-topn against SPLIT_DIR/valid.csv.
#
# Usage: bench/ease.sh SPLIT_DIR THRESHOLD OUT_DIR [extra train options for a third Collab4J model, e.g. --factors 128]
#   Run it on an inner split first (split-ratings --ratings train.csv --seed 1 --by-user --train-out
#   a.csv --valid-out b.csv, both in one folder as train.csv and valid.csv): that is where choices are made.
#   Prints each system's training time (wall clock, the shared 2-core machine: compare within one run).
set -euo pipefail
cd "$(dirname "$0")/.."
SPLIT="$1"; T="$2"; OUT="$3"; shift 3
JAR=examples/target/collab4j-examples.jar
J() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" "$@"; }
mkdir -p "$OUT"
timed() { # LOG COMMAND...: runs COMMAND with its output in LOG, prints its wall-clock seconds
  local log="$1" s e; shift; s=$(date +%s.%N); "$@" > "$log" 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
t_ials=$(timed "$OUT/ials.log" J train --ratings "$SPLIT/train.csv" --implicit --positive-threshold "$T" \
    --save "$OUT/ials.c4j")
J recommend --model "$OUT/ials.c4j" --all -k 10 --out "$OUT/collab4j-ials.csv" > /dev/null
t_ease=$(timed "$OUT/ease.log" J train --ratings "$SPLIT/train.csv" --implicit --positive-threshold "$T" \
    --loss ease --save "$OUT/ease.c4j")
J recommend --model "$OUT/ease.c4j" --all -k 10 --out "$OUT/collab4j-ease.csv" > /dev/null
TOPN=(--topn "$OUT/collab4j-ials.csv" --topn "$OUT/collab4j-ease.csv")
if [ $# -gt 0 ]; then
  t_extra=$(timed "$OUT/extra.log" J train --ratings "$SPLIT/train.csv" --implicit --positive-threshold "$T" \
      "$@" --save "$OUT/extra.c4j")
  J recommend --model "$OUT/extra.c4j" --all -k 10 --out "$OUT/collab4j-extra.csv" > /dev/null
  TOPN+=(--topn "$OUT/collab4j-extra.csv")
  echo "extra ($*): train ${t_extra}s"
fi
t_ref=$(timed "$OUT/ease-reference.log" ../shared/bench/run-ease-reference.sh "$SPLIT" \
    "$OUT/ease-reference.csv" --threshold "$T")
echo "train (wall s): ials ${t_ials} ease ${t_ease} ease-reference ${t_ref}"
grep -h "^EASE(" "$OUT/ease.log" || true
grep -h "^RESULT" "$OUT/ease-reference.log" || true
J score-topn --train "$SPLIT/train.csv" --test "$SPLIT/valid.csv" --threshold "$T" "${TOPN[@]}" \
    --topn "$OUT/ease-reference.csv" --csv "$OUT/table.csv"
