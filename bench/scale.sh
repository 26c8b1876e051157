#!/usr/bin/env bash
# Issue 28: scale on one machine. Collab4J's default models and Spark MLlib ALS (local[2]) on MovieLens-25M-shaped
# synthetic data, in one run, one JVM at a time:
#   1. generate-ratings --shape ml-25m --rows N (cached under target/scale/, never committed; seed 42);
#   2. read-ratings: the time to read the CSV (Ratings.read, the delimited reader train uses);
#   3. the default ranking model, train --implicit --positive-threshold 4 (iALS, 64 factors): time per sweep;
#   4. the default rating model, train (its defaults) for 1 epoch of one model (--average 1; plain train averages two
#      models, twice the time): the epoch time;
#   5. Spark ALS implicit and explicit, rank 64, local[2], on the same file: time per iteration (als-bench);
#   6. the ratios, and every JVM's peak RSS (/usr/bin/time -v).
# train gets --valid with the file's first VALID_ROWS rows, so it trains on every row, as ALS does; the validation
# figures it prints are timing-only (those rows are also in training).
# Prerequisites: mvn -B -o -DcpuOnly -DskipTests -pl examples,spark -am package; GNU time at /usr/bin/time
#   (apt-get install -y time); about 1 GB of disk per 25M rows.
# Usage: bench/scale.sh [ROWS=25000000] — e.g. bench/scale.sh 2500000, bench/scale.sh 10000000.
# Environment: THREADS (taskset CPU list, default 0,1 — the "2 cores" of the comparison; empty for all cores),
#   SPARK_ITER (iterations of ALS's longer fit, default 3), SKIP_SPARK=1, SKIP_RATING=1, XMX (heap for each
#   Collab4J JVM, default 6g), SPARK_XMX (default 8g), JVM_FLAGS (extra flags for every JVM, Collab4J's and Spark's
#   alike, e.g. JVM_FLAGS=-XX:+UseTransparentHugePages; default none).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-25000000}"
THREADS="${THREADS-0,1}"
SPARK_ITER="${SPARK_ITER:-3}"
XMX="${XMX:-6g}"
SPARK_XMX="${SPARK_XMX:-8g}"
VALID_ROWS="${VALID_ROWS:-20000}"
JAR=examples/target/collab4j-examples.jar
SPARK_JAR=spark/target/collab4j-spark-app.jar
DIR=target/scale
DATA="$DIR/ml25m-$ROWS.csv"
VALID="$DIR/ml25m-$ROWS-head$VALID_ROWS.csv"
LOGS="$DIR/run-$ROWS-$(date -u +%Y%m%dT%H%M%S)"
for f in "$JAR" "$SPARK_JAR"; do
  [ -f "$f" ] || { echo "missing $f: run mvn -B -o -DcpuOnly -DskipTests -pl examples,spark -am package" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time: apt-get install -y time" >&2; exit 1; }
mkdir -p "$DIR" "$LOGS"
PIN=()
if [ -n "$THREADS" ]; then PIN=(taskset -c "$THREADS"); fi
read -r -a JFLAGS <<< "${JVM_FLAGS:-}"

# run NAME CMD...: runs one JVM under /usr/bin/time -v, output to $LOGS/NAME.log, and prints its peak RSS.
run() {
  local name="$1"; shift
  /usr/bin/time -v -o "$LOGS/$name.time" "${PIN[@]}" "$@" > "$LOGS/$name.log" 2>&1 \
    || { echo "FAILED $name (see $LOGS/$name.log)" >&2; tail -20 "$LOGS/$name.log" >&2; exit 1; }
  local kb; kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$LOGS/$name.time")
  local wall; wall=$(awk '/Elapsed \(wall clock\)/ { print $NF }' "$LOGS/$name.time")
  # CPU seconds (user + sys) and the share of the 2 CPUs the JVM got: on a shared machine, how far the wall times
  # are from an idle machine's.
  local cpu; cpu=$(awk -F: '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$LOGS/$name.time")
  local secs; secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  printf 'RSS %-14s peak %6.2f GB, wall %s, cpu %s s (%.2f cores on average)\n' "$name" \
    "$(echo "$kb / 1048576" | bc -l)" "$wall" "$cpu" "$(echo "$cpu / $secs" | bc -l)"
}

echo "scale: $ROWS rows, CPUs ${THREADS:-all}, JVM flags '${JVM_FLAGS:-}', logs in $LOGS; load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -f "$DATA" ]; then
  run generate java "${JFLAGS[@]}" -jar "$JAR" generate-ratings --shape ml-25m --rows "$ROWS" --seed 42 --out "$DATA"
  grep '^wrote' "$LOGS/generate.log"
fi
[ -f "$VALID" ] || head -n "$((VALID_ROWS + 1))" "$DATA" > "$VALID"

run read java "${JFLAGS[@]}" "-Xmx$XMX" -jar "$JAR" read-ratings --ratings "$DATA"
grep '^read' "$LOGS/read.log"

# per-epoch seconds from train's epoch table (last column, "1.23s"): "mean min max n", the first epoch left out
# of the mean when there are more (it includes the JIT's warm-up).
epochs() {
  awk '/^epoch / { table = 1; next } table && /^[0-9]+ / { t = $NF; sub(/s$/, "", t); n++; s[n] = t + 0 }
       END { if (n == 0) { print "nan nan nan 0"; exit } from = n > 1 ? 2 : 1; min = s[from]; max = s[from]
             for (i = from; i <= n; i++) { sum += s[i]; if (s[i] < min) min = s[i]; if (s[i] > max) max = s[i] }
             printf "%.3f %.3f %.3f %d\n", sum / (n - from + 1), min, max, n }' "$1"
}

run ials java "${JFLAGS[@]}" "-Xmx$XMX" -jar "$JAR" train --ratings "$DATA" --valid "$VALID" --implicit --positive-threshold 4
read -r IALS IALS_MIN IALS_MAX IALS_N < <(epochs "$LOGS/ials.log")
grep -E '^train ' "$LOGS/ials.log" || true
echo "RESULT collab4j iALS (default ranking model, 64 factors): $IALS s per sweep (mean of sweeps 2..$IALS_N;" \
  "min $IALS_MIN, max $IALS_MAX)"

if [ -z "${SKIP_RATING:-}" ]; then
  run rating java "${JFLAGS[@]}" "-Xmx$XMX" -jar "$JAR" train --ratings "$DATA" --valid "$VALID" --epochs 1 \
    --average 1
  read -r EPOCH _ _ _ < <(epochs "$LOGS/rating.log")
  grep -iE 'training step' "$LOGS/rating.log" | sed 's/^.*CollabLearner - /  /' || true
  echo "RESULT collab4j default rating model: $EPOCH s for 1 epoch of one model (--epochs 1 --average 1; the default" \
    "trains 2 models and averages them)"
fi

if [ -z "${SKIP_SPARK:-}" ]; then
  run spark java "${JFLAGS[@]}" "-Xmx$SPARK_XMX" -jar "$SPARK_JAR" als-bench --master 'local[2]' --ratings "$DATA" --rank 64 \
    --iterations "$SPARK_ITER"
  grep '^RESULT' "$LOGS/spark.log"
  per() { sed -n "s/^RESULT spark ALS $1 .*per iteration \([0-9.]*\) s.*/\1/p" "$LOGS/spark.log"; }
  IMPLICIT=$(per implicit); EXPLICIT=$(per explicit)
  echo "RESULT ratio Spark ALS implicit per iteration / collab4j iALS per sweep: $IMPLICIT / $IALS =" \
    "$(echo "scale=2; $IMPLICIT / $IALS" | bc -l)x (target >= 15x)"
  [ -z "${EPOCH:-}" ] || echo "RESULT ratio Spark ALS explicit per iteration / collab4j rating epoch: $EXPLICIT /" \
    "$EPOCH = $(echo "scale=2; $EXPLICIT / $EPOCH" | bc -l)x"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
