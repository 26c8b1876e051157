#!/usr/bin/env bash
# Issue 18: Collab4J on Spark, local[2]. Run from the project root after
#   mvn -B -DcpuOnly -DskipTests package
# 1. S1: train on the driver from Spark, recommend-all on the executors, and check the top-10 of every user
#    against the single-JVM Recommender (verify-topn: same items, same order, same scores), and the csv itself
#    against the single JVM's `recommend --model M --all -k 10 --out FILE` (issue 18's contract: the same rows;
#    Spark writes part files in its own row order, so both are compared sorted, without their headers, with the
#    score's exponent letter in lower case as TopNCsv writes it).
# 2. recommendForAllUsers on a synthetic model (USERS x ITEMS x 64 factors) at 1, 2 and 4 partitions against
#    the single-JVM Recommender, and Spark ALS's fit and recommendForAllUsers on the same ratings;
#    RMSE and NDCG@10 of the S1 model and of ALS on S1 with one evaluator.
# USERS=0 runs the S1 parts only. The 1M-user figures of docs/benchmarks.md came from the app's bench directly:
#   java -Xmx14g -jar spark/target/collab4j-spark-app.jar bench --master 'local[2]' --users 1000000 --items 100000 \
#     --ratings 10000000 --factors 64 -k 10 --partitions 2,1 --no-single-jvm --als-users 50000
#   (and again with --partitions 2 and without --als-users for ALS's full recommendForAllUsers)
set -euo pipefail
S1=${S1:-../shared/bench/splits/ml-latest-small-80-20}
USERS=${USERS:-20000}
ITEMS=${ITEMS:-100000}
RATINGS=${RATINGS:-1000000}
OUT=${OUT:-$(mktemp -d /tmp/collab4j-spark-bench.XXXXXX)}
APP="java -Xmx8g -jar spark/target/collab4j-spark-app.jar"
echo "output in $OUT"

$APP train --master 'local[2]' --ratings "$S1/train.csv" --valid "$S1/valid.csv" --save "$OUT/s1.c4j" \
  | grep -E '^(train|saved|RMSE)'
$APP recommend-all --master 'local[2]' --model "$OUT/s1.c4j" -k 10 --out "$OUT/s1-top10"
head -3 "$OUT"/s1-top10/part-00000-*.csv
$APP verify-topn --model "$OUT/s1.c4j" -k 10 --spark-out "$OUT/s1-top10"
java -jar examples/target/collab4j-examples.jar recommend --model "$OUT/s1.c4j" --all -k 10 \
  --out "$OUT/s1-top10-single.csv"
rows() { awk -F, 'FNR > 1 { print $1 "," $2 "," $3 "," tolower($4) }' "$@" | LC_ALL=C sort; }
if [ "$(head -1 "$OUT/s1-top10-single.csv")" = user,item,rank,score ] \
    && cmp -s <(rows "$OUT"/s1-top10/part-*.csv) <(rows "$OUT/s1-top10-single.csv"); then
  echo "IDENTICAL recommend-all csv and recommend --all --out: $(rows "$OUT/s1-top10-single.csv" | wc -l) rows"
else
  echo "DIFFERENT recommend-all csv and recommend --all --out:" >&2
  diff <(rows "$OUT"/s1-top10/part-*.csv) <(rows "$OUT/s1-top10-single.csv") | head >&2
  exit 1
fi

$APP bench --master 'local[2]' --users "$USERS" --items "$ITEMS" --ratings "$RATINGS" --factors 64 -k 10 \
  --partitions 1,2,4 --s1-model "$OUT/s1.c4j" --s1-train "$S1/train.csv" --s1-valid "$S1/valid.csv" \
  | grep '^RESULT'
