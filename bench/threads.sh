#!/usr/bin/env bash
# Measures seconds per epoch of the default dotbias model on the shared 80/20 split for PyTorch thread settings,
# interleaving the settings so that machine noise hits them alike. Prints one line per run.
# Usage: bench/threads.sh [repeats=3] [batch sizes="64 1024 8192"]   (after mvn -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS="${1:-3}"; SIZES="${2:-64 1024 8192}"
SPLIT=../shared/bench/splits/ml-latest-small-80-20
JAR=examples/target/collab4j-examples.jar
# intra-op,inter-op; "torch" = PyTorch's own defaults (one thread per core)
SETTINGS="1,1 2,1 2,2 torch"
for r in $(seq "$REPEATS"); do
  for bs in $SIZES; do
    for s in $SETTINGS; do
      if [ "$s" = torch ]; then props=(-Dcollab4j.threads=torch)
      else props=(-Dai.djl.pytorch.num_threads="${s%,*}" -Dai.djl.pytorch.num_interop_threads="${s#*,}"); fi
      # epoch 1 includes warm-up; report the mean of epochs 2-3
      secs=$(java "${props[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" train \
          --ratings "$SPLIT/train.csv" --valid "$SPLIT/valid.csv" --bs "$bs" --epochs 3 \
        | awk '$1 ~ /^[23]$/ && NF == 5 { gsub("s", "", $5); t += $5; n++ } END { printf "%.3f", t / n }')
      echo "run=$r bs=$bs threads=$s s_per_epoch=$secs"
    done
  done
done
