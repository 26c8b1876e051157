#!/usr/bin/env bash
# Issue 14's figures (docs/benchmarks.md, "Fold-in and warm start (issue 14)"): the user-held-out fold-in protocol
# for the default rating and ranking models, and the warm-start comparisons (settings chosen on an inner split of
# train.csv, then reported on valid.csv) on the fixed 80/20 split. Build first: mvn -B -q -DcpuOnly -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/bench/splits/ml-latest-small-80-20
JAR=examples/target/collab4j-examples.jar
java -jar "$JAR" fold-in-bench --split "$S" --skip-warm --models rating,ranking --prior 0.5,2
# Warm start, rating model: choose on the inner split, then the test.
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --inner 0.2 --warm-init foldin,random \
  --warm-schedule onecycle,constant --warm-data all,new --warm-lr 5e-4,1e-3,2e-3,5e-3 --warm-epochs 3
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --warm-init foldin,random --warm-data all,new \
  --warm-lr 1e-3 --warm-epochs 3
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --warm-init random --warm-data all \
  --warm-lr 5e-4,2e-3,5e-3 --warm-epochs 3
# Warm start, ranking model (iALS): the same.
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --inner 0.2 --warm-models ranking \
  --warm-init foldin,random --warm-epochs 5
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --warm-models ranking --warm-init foldin,random \
  --warm-epochs 3
