#!/usr/bin/env bash
# Accuracy and speed of Collab4J's train command beside fast.ai's PyTorch reference (../shared/bench), same split,
# same model, batch size, epochs, learning rate and weight decay, one after the other in this one script.
# Usage: bench/accuracy.sh [SPLIT_DIR|all] [batch sizes="64 1024"]   (after mvn -DskipTests package)
#   all (the default): S1 (../shared/bench/splits/ml-latest-small-80-20), then FilmTrust
#   (../shared/bench/splits/filmtrust-80-20, ratings 0.5 to 4; both sides keep fast.ai's y-range (0, 5.5)).
set -euo pipefail
cd "$(dirname "$0")/.."
SPLITS="${1:-all}"; SIZES="${2:-64 1024}"
[ "$SPLITS" != all ] || SPLITS="../shared/bench/splits/ml-latest-small-80-20 ../shared/bench/splits/filmtrust-80-20"
REF=../shared/bench/run-pytorch-reference.sh
JAR=examples/target/collab4j-examples.jar

ours() { # model bs -> "rmse s_per_epoch"
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$JAR" train --ratings "$SPLIT/train.csv" \
      --valid "$SPLIT/valid.csv" --model "$1" --bs "$2" --epochs 5 --lr 5e-3 --wd 0.1 --bias-decay --factors 50 --seed 42 \
      --average 1 \
    | awk '$1 ~ /^[1-5]$/ && NF == 5 { gsub("s", "", $5); t += $5; n++ } /^RMSE/ { r = $2 }
           END { printf "%.4f %.3f", r, t / n }'
}
theirs() { # model bs -> "rmse s_per_epoch"
  "$REF" "$1" "$2" "$SPLIT" --epochs 5 --lr 5e-3 --wd 0.1 --factors 50 --threads 2 \
    | sed -n 's/^RESULT //p' | python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.4f %.3f" % (r["rmse"], r["s_per_epoch"]))'
}
for SPLIT in $SPLITS; do
echo "split $SPLIT"
printf "%-9s %-5s %-22s %-22s %s\n" model bs "collab4j rmse s/epoch" "pytorch rmse s/epoch" "speed ratio (ref/ours)"
for bs in $SIZES; do
  for m in dotbias:dotbias net:embnet dot:-; do
    o=$(ours "${m%:*}" "$bs")
    if [ "${m#*:}" = - ]; then t="- -"; else t=$(theirs "${m#*:}" "$bs"); fi
    ratio=$(awk -v a="${o#* }" -v b="${t#* }" 'BEGIN { if (b == "-") print "-"; else printf "%.2f", b / a }')
    printf "%-9s %-5s %-22s %-22s %s\n" "${m%:*}" "$bs" "$o" "$t" "$ratio"
  done
done
done
