#!/usr/bin/env bash
# Issue 14's figures (docs/benchmarks.md, "Fold-in and warm start (issue 14)"): the user-held-out fold-in protocol
# and the warm-start comparison on the fixed 80/20 split. Build first: mvn -B -q -DcpuOnly -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
S=../shared/bench/splits/ml-latest-small-80-20
JAR=examples/target/collab4j-examples.jar
java -jar "$JAR" fold-in-bench --split "$S" --skip-warm --prior 0.5,2
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --warm-data all --warm-lr 1e-3,2e-3,5e-3
java -jar "$JAR" fold-in-bench --split "$S" --skip-fold-in --warm-data new --warm-lr 1e-3,5e-3
