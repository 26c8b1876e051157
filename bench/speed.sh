#!/usr/bin/env bash
# Training speed of Collab4J beside fast.ai's PyTorch reference (../shared/bench), in one invocation, on the same
# split with the same model, batch size, epochs and schedule (one-cycle AdamW, lr 5e-3, wd 0.1, 50 factors).
# Prints seconds per epoch (training only, validation excluded on both sides), the ratio, the final RMSE and each
# side's training seconds until the validation RMSE first reaches 0.85. The machine load is printed before and
# after: compare only within one run.
# Usage: bench/speed.sh [batch sizes="64 1024"] [epochs=5] [extra bench options, e.g. --dense]
#        (after mvn -B -o -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${1:-64 1024}"; EPOCHS="${2:-5}"; shift $(( $# < 2 ? $# : 2 ))
SPLIT=../shared/bench/splits/ml-latest-small-80-20
REF=../shared/bench/run-pytorch-reference.sh
JAR=examples/target/collab4j-examples.jar
THREADS="${REF_THREADS:-2}"
summary() { # EPOCH/RESULT lines on stdin -> "s_per_epoch rmse s_to_0.85"
  python3 -c '
import json, sys
t = 0.0; reach = None; eps = []; rmse = None
for line in sys.stdin:
    if line.startswith("EPOCH "):
        e = json.loads(line[6:]); t += e["train_s"]; eps.append(e["train_s"]); rmse = e["valid_rmse"]
        if reach is None and rmse is not None and rmse <= 0.85: reach = t
print("%.3f %.4f %s" % (sum(eps) / len(eps), rmse, "%.2f" % reach if reach is not None else "never"))'
}
echo "load before: $(cat /proc/loadavg)"
printf "%-5s %-28s %-28s %s\n" bs "collab4j s/epoch rmse t0.85" "pytorch s/epoch rmse t0.85" "speed ratio (pytorch/collab4j)"
for bs in $SIZES; do
  ours=$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" bench --split "$SPLIT" --model dotbias \
      --bs "$bs" --epochs "$EPOCHS" --lr 5e-3 --wd 0.1 --factors 50 --seed 42 "$@" | summary)
  theirs=$("$REF" dotbias "$bs" "$SPLIT" --epochs "$EPOCHS" --lr 5e-3 --wd 0.1 --factors 50 --threads "$THREADS" \
      | summary)
  ratio=$(awk -v a="${ours%% *}" -v b="${theirs%% *}" 'BEGIN { printf "%.2f", b / a }')
  printf "%-5s %-28s %-28s %s\n" "$bs" "$ours" "$theirs" "$ratio"
done
echo "load after: $(cat /proc/loadavg)"
